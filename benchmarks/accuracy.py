"""Measure detection quality: column assignment precision/recall and count errors.

Builds a labelled corpus *from construction* (every column's true category is known because
this script wrote it), scans each file with leakscan, and prints:

- per category, precision and recall of column assignment;
- per category, the relative error of the ``valid`` and ``unique`` counts against the truth,
  which is computed cell by cell with each categorizer's plain-Python reference
  (python-stdnum, phonenumbers), independent of the SQL that leakscan runs;
- for the decoy-only files, the personal-information records reported (target: zero).

Corpus kinds: Chinese headers, English headers, pinyin-initial headers (``sfzh``, ``sjhm``),
no header at all, and decoys (timestamps, order and waybill numbers, unassigned 11-digit
numbers, UUIDs, hex digests, IMEIs, ZIP codes, SKUs, sequential IDs) under neutral headers.

    python3 benchmarks/accuracy.py                 # default corpus, seed 7
    python3 benchmarks/accuracy.py --rows 2000 --seed 11 --keep /tmp/corpus
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import sys
import tempfile
import uuid
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import leakscan  # noqa: E402
from leakscan import synth  # noqa: E402
from leakscan.registry import default_registry  # noqa: E402

NONE = None  # label of a column that holds no personal information

HEADERS = {
    "zh": {"name": "姓名", "cn_resident_id": "身份证号", "phone": "手机号", "email": "邮箱",
           "address": "家庭住址", "bank_card": "银行卡号", "passport": "护照号码",
           "cn_license_plate": "车牌号", "cn_travel_permit": "回乡证号"},
    "en": {"name": "full_name", "cn_resident_id": "id_no", "phone": "mobile",
           "email": "email", "address": "home_address", "bank_card": "cardNo",
           "passport": "passport_no", "cn_license_plate": "plate_no",
           "cn_travel_permit": "travel_permit"},
    "pinyin": {"name": "xm", "cn_resident_id": "sfzh", "phone": "sjhm", "email": "yxdz",
               "address": "dz", "bank_card": "yhkh", "passport": "hzh",
               "cn_license_plate": "hphm", "cn_travel_permit": "txz"},
}


def value(cat: str, rng: random.Random) -> str:
    """A value of ``cat``: mostly valid, sometimes invalid or blank, in varied spellings."""
    roll = rng.random()
    if roll < 0.03:
        return ""
    if cat == "cn_resident_id":
        if roll < 0.08:
            return synth.resident_id(rng, valid=False)
        return synth.spell_id(synth.resident_id(rng), rng.choice(synth.ID_STYLES))
    if cat == "phone":
        number = synth.mobile(rng) if roll < 0.9 else synth.fixed_line(rng)
        return synth.spell_phone(number, rng.choice(synth.PHONE_STYLES))
    if cat == "bank_card":
        return synth.bank_card(rng, rng.choice([16, 19]))
    if cat == "cn_license_plate":
        tail = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(5))
        return rng.choice("京沪粤浙苏川鄂湘") + rng.choice("ABCDEFG") + tail
    if cat == "cn_travel_permit":
        return rng.choice("HM") + f"{rng.randrange(10**8):08d}"
    return {"name": synth.name, "address": synth.address, "email": synth.email,
            "passport": synth.passport}[cat](rng)


def decoy(kind: str, rng: random.Random, i: int) -> str:
    if kind == "ms_timestamp":
        return str(1_600_000_000_000 + rng.randrange(200_000_000_000))
    if kind == "order_no":  # 18 digits, date-prefixed like real order numbers
        return f"2024{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}" + \
            "".join(rng.choice("0123456789") for _ in range(10))
    if kind == "waybill":
        return "".join(rng.choice("0123456789") for _ in range(18))
    if kind == "unassigned_11":
        return rng.choice(["100", "101", "102", "104", "105", "106", "107", "108", "109"]) + \
            "".join(rng.choice("0123456789") for _ in range(8))
    if kind == "uuid":
        return str(uuid.UUID(int=rng.getrandbits(128)))
    if kind == "sha1":
        return hashlib.sha1(str(rng.random()).encode()).hexdigest()
    if kind == "imei":
        body = "35" + "".join(rng.choice("0123456789") for _ in range(12))
        from stdnum import luhn

        return body + luhn.calc_check_digit(body)
    if kind == "zip":
        return f"{rng.randrange(100000, 999999)}"
    if kind == "sku":
        return f"SKU-{rng.randrange(10**6):06d}-{rng.choice('ABCDEFG')}"
    if kind == "seq_id":
        return str(10_000_000 + i)
    if kind == "cn_words":  # 2-4 Han characters that are places and things, not people
        return rng.choice(CN_WORDS)
    raise ValueError(kind)


def uscc(rng: random.Random) -> str:
    """A valid unified social credit code (GB 32100-2015 mod-31 check character)."""
    from stdnum.cn import uscc as stdnum_uscc

    body = "91" + f"{rng.randrange(10**6):06d}" + "".join(
        rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + stdnum_uscc.calc_check_digit(body)


DECOYS = ["ms_timestamp", "order_no", "waybill", "unassigned_11", "uuid", "sha1", "imei",
          "zip", "sku", "seq_id", "cn_words"]
CN_WORDS = ["北京大学", "苹果手机", "上海", "深圳", "数据中心", "东方明珠", "长城", "黄山", "西湖",
            "故宫", "天坛", "颐和园", "外滩", "南京路", "鼓浪屿", "洱海", "丽江", "桂林", "三亚",
            "拉萨", "黄金项链", "李子", "王府井", "张家界", "周庄", "高铁", "马拉松", "白菜",
            "朱雀门", "胡同", "郭外", "何处", "罗盘", "孙悟空", "田野", "林场", "江南", "石桥"]


def build_corpus(root: Path, rows: int, seed: int) -> list[tuple[Path, list[str | None]]]:
    """Write the corpus; return each file with the true category of each column."""
    rng = random.Random(seed)
    files = []
    cats = ["name", "cn_resident_id", "phone", "email", "address", "bank_card", "passport",
            "cn_license_plate", "cn_travel_permit"]
    for style, names in HEADERS.items():
        labels = list(cats)
        rng.shuffle(labels)
        # An order number is transaction information (订单, Art. 5(1)(4)) under its header,
        # and never a resident ID or a bank card whatever its digits.
        header = [names[c] for c in labels] + ["备注", "order_no"]
        body = [[value(c, rng) for c in labels] + [rng.choice(["", "VIP", "老客户"]),
                                                    decoy("order_no", rng, i)]
                for i in range(rows)]
        files.append((_write(root / f"{style}_headers.csv", header, body),
                      labels + [NONE, "transaction"]))
    # No header: only the categories recognisable by their values can be assigned.
    labels = ["cn_resident_id", "phone", "email", "bank_card", "name", "cn_license_plate",
              "cn_travel_permit"]
    body = [[value(c, rng) for c in labels] + [decoy("seq_id", rng, i),
                                               f"{rng.uniform(18, 54):.6f}",
                                               f"{rng.uniform(73, 135):.6f}"]
            for i in range(rows)]
    files.append((_write(root / "no_header.csv", None, body),
                  labels + [NONE, "location", "location"]))
    # Decoys only, under neutral headers.
    header = [f"f{k + 1}" for k in range(len(DECOYS))]
    body = [[decoy(k, rng, i) for k in DECOYS] for i in range(rows)]
    files.append((_write(root / "decoys.csv", header, body), [NONE] * len(DECOYS)))
    # Mixed: decoys beside real columns, pinyin and English headers together.
    # An employer's unified social credit code beside its staff: recognised, and excluded.
    labels = ["name", "phone", NONE, "cn_resident_id", NONE, "cn_uscc"]
    header = ["xm", "tel", "imei", "zjhm", "waybill_no", "company_code"]
    body = [[value("name", rng), value("phone", rng), decoy("imei", rng, i),
             value("cn_resident_id", rng), decoy("waybill", rng, i), uscc(rng)]
            for i in range(rows)]
    files.append((_write(root / "mixed.csv", header, body), labels))
    return files


def _write(path: Path, header, rows) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        if header:
            w.writerow(header)
        w.writerows(rows)
    return path


def truth_counts(path: Path, labels, has_header: bool):
    """valid and unique per category, cell by cell, with the Python reference."""
    registry = default_registry()
    valid, unique = defaultdict(int), defaultdict(set)
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    for row in rows[1:] if has_header else rows:
        for cell, cat in zip(row, labels, strict=True):
            if cat and registry.get(cat).is_valid(cell):
                valid[cat] += 1
                unique[cat].add(registry.get(cat).normalize(cell))
    return valid, {c: len(s) for c, s in unique.items()}


def evaluate(root: Path, rows: int, seed: int) -> dict:
    """Build the corpus under ``root``, scan it, and return the measurements."""
    corpus = build_corpus(root, rows, seed)
    tp, fp, fn = defaultdict(int), defaultdict(int), defaultdict(int)
    count_err: dict[str, float] = defaultdict(float)
    decoy_pi = 0
    for path, labels in corpus:
        doc = leakscan.scan([str(path)]).to_dict()
        has_header = doc["inputs"][0]["dialect"]["header"]
        with open(path, encoding="utf-8", newline="") as f:
            first = next(csv.reader(f))
        names = first if has_header else [f"column{k + 1}" for k in range(len(labels))]
        got = {c["column"]: c["category"] for c in doc["columns"] + doc.get("excluded", [])}
        for name, truth in zip(names, labels, strict=True):
            pred = got.get(name)
            if pred and pred == truth:
                tp[truth] += 1
                continue
            if pred:
                fp[pred] += 1
            if truth:
                fn[truth] += 1
        valid, uniq = truth_counts(path, labels, has_header)
        for cat in valid:
            rep = doc["categories"].get(cat, {"valid": 0, "unique": 0})
            count_err[f"{cat}.valid"] = max(count_err[f"{cat}.valid"],
                                            abs(rep["valid"] - valid[cat]) / valid[cat])
            count_err[f"{cat}.unique"] = max(count_err[f"{cat}.unique"],
                                             abs(rep["unique"] - uniq[cat]) / uniq[cat])
        if path.name == "decoys.csv":
            decoy_pi = doc["records"]["with_personal_info"]
    per_cat = {}
    for cat in sorted(set(tp) | set(fp) | set(fn)):
        p = tp[cat] / (tp[cat] + fp[cat]) if tp[cat] + fp[cat] else 1.0
        r = tp[cat] / (tp[cat] + fn[cat]) if tp[cat] + fn[cat] else 1.0
        per_cat[cat] = {"tp": tp[cat], "fp": fp[cat], "fn": fn[cat], "precision": p,
                        "recall": r}
    t, f_p, f_n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    return {"files": len(corpus), "categories": per_cat,
            "precision": t / (t + f_p) if t + f_p else 1.0,
            "recall": t / (t + f_n) if t + f_n else 1.0,
            "count_error": dict(count_err), "decoy_personal_records": decoy_pi}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        res = evaluate(root, args.rows, args.seed)
    print(f"corpus: {res['files']} files x {args.rows} rows, seed {args.seed}")
    print(f"{'category':<16}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}")
    for cat, m in res["categories"].items():
        print(f"{cat:<16}{m['tp']:>5}{m['fp']:>5}{m['fn']:>5}{m['precision']:>11.2f}"
              f"{m['recall']:>8.2f}")
    print(f"{'all':<16}{'':>15}{res['precision']:>11.2f}{res['recall']:>8.2f}")
    print("\nrelative count error (max over files; a column not assigned counts as a miss)")
    for key, err in sorted(res["count_error"].items()):
        print(f"  {key:<26} {err:.4f}")
    print(f"\npersonal-information records reported on decoys.csv: "
          f"{res['decoy_personal_records']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
