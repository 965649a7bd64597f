"""Write the synthetic sample files in this directory, their expected counts and README table.

Run from anywhere: ``python3 sample_data/make_samples.py``. The output is deterministic: every
random choice comes from a seeded ``random.Random`` or a seeded ``Faker('zh_CN')``, so running
it twice (with the same library versions) writes byte-identical files.

All data is synthetic: identifiers come from ``leakscan.synth`` (valid check digits, region
codes and number ranges, no real records), names and hotel names from Faker's zh_CN provider.

The expected counts are computed here with a small *reference* validator built directly on
python-stdnum and phonenumbers (not on leakscan's categorizers), following the counting rules
of the report format (report-v1): a row is a personal-information record when it holds a
valid identifying value; records are deduplicated on the tuple of their normalised valid values
over all categorised columns; a record's tier is the most sensitive tier among its valid values.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Expected counts live with the tests, so that scanning sample_data/ reads only data files.
EXPECTED_FILE = HERE.parent / "tests" / "sample_data_expected.json"
sys.path.insert(0, str(HERE.parent))

import phonenumbers  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from stdnum import luhn  # noqa: E402
from stdnum.cn import ric  # noqa: E402

from leakscan import synth  # noqa: E402

SEED = 20240601

# ----------------------------------------------------------------- reference validation

TIERS = {
    "cn_resident_id": "C", "phone": "C", "email": "C", "name": "C", "address": "C",
    "passport": "C", "bank_card": "A", "location": "A", "property": "A", "credit": "A",
    "communication_content": "A", "accommodation": "B", "health": "B", "transaction": "B",
    "communication_record": "B",
}
IDENTIFYING = {"cn_resident_id", "phone", "email", "name", "address", "passport", "bank_card"}
THRESHOLDS = {"serious": {"A": 50, "B": 500, "C": 5000},
              "especially_serious": {"A": 500, "B": 5000, "C": 50000}}
_EMAIL = re.compile(r"[a-z0-9_%+\-]+(?:\.[a-z0-9_%+\-]+)*@(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+"
                    r"[a-z]{2,63}")
_HAN = "[\u3400-\u4dbf\u4e00-\u9fff]"
_NAME = re.compile(f"{_HAN}{{2,4}}|{_HAN}+(?:\u00b7{_HAN}+)+")
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:['-][A-Za-z]+)*")
_ADDRESS = re.compile(r"(?:省|市|自治区).*(?:区|县).*(?:路|街).*\d+号")
_PHONE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE,
                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def _squash(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value).split())


#: The null markers this script plants (``无`` in an e-mail cell): blank by counting rule 1.1,
#: so neither found nor failed. Named here, from what was planted, not read from leakscan.
PLANTED_NULL_MARKERS = frozenset({"无"})


def reference(category: str, value: str | None) -> str | None:
    """The normalised value when ``value`` is a valid ``category`` value, else ``None``."""
    if value is None or not _squash(value):
        return None
    text = _squash(value)
    if category == "cn_resident_id":
        text = text.upper()
        return text if len(text) == 18 and ric.is_valid(text) else None
    if category == "phone":
        try:
            number = phonenumbers.parse(text, "CN")
        except phonenumbers.NumberParseException:
            return None
        if phonenumbers.is_valid_number(number) and \
                phonenumbers.number_type(number) in _PHONE_TYPES:
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return None
    if category == "email":
        text = text.lower()
        return text if _EMAIL.fullmatch(text) and len(text) <= 254 else None
    if category == "name":  # Han (2-4, or dotted transliterations) or 2-4 Latin words
        if re.search(_HAN, text):
            han = text.replace(" ", "").replace("\u2022", "\u00b7")
            ok = _NAME.fullmatch(han) and len(han.replace("\u00b7", "")) <= 15
            return han if ok else None
        words = text.split(" ")
        ok = 2 <= len(words) <= 4 and len(text) <= 40 and all(
            _LATIN_WORD.fullmatch(w) and sum(c.isalpha() for c in w) <= 20 for w in words)
        return text.lower() if ok else None
    if category == "address":
        return text if _ADDRESS.search(text) else None
    if category == "bank_card":
        digits = text.replace(" ", "").replace("-", "")
        return digits if digits.isdigit() and 16 <= len(digits) <= 19 and luhn.is_valid(digits) \
            else None
    return text  # header-driven categories: any non-blank cell


def expected_counts(rows: list[list[str | None]], columns: list[str | None]) -> dict:
    """Counts for one input: ``columns[i]`` is the category of column i (``None``: none)."""
    cats = [c for c in dict.fromkeys(columns) if c]
    per_cat = {c: {"detected": 0, "valid": 0, "values": set(), "records": 0} for c in cats}
    seen: dict[tuple, str] = {}
    with_pi = duplicates = 0
    duplicate_rows = []
    for n, row in enumerate(rows, start=1):
        key = []
        for cat, value in zip(columns, row, strict=True):
            if cat is None or value is None or not _squash(value) \
                    or _squash(value) in PLANTED_NULL_MARKERS:
                continue
            per_cat[cat]["detected"] += 1
            norm = reference(cat, value)
            if norm is not None:
                per_cat[cat]["valid"] += 1
                per_cat[cat]["values"].add(norm)
                key.append((cat, norm))
        if not any(cat in IDENTIFYING for cat, _ in key):
            continue
        with_pi += 1
        key_t = tuple(sorted(key))
        if key_t in seen:
            duplicates += 1
            duplicate_rows.append(n)
            continue
        seen[key_t] = min(TIERS[cat] for cat, _ in key_t)
    tiers = {t: sum(1 for v in seen.values() if v == t) for t in "ABC"}
    for key_t in seen:
        for cat in {c for c, _ in key_t}:
            per_cat[cat]["records"] += 1
    return {
        "rows": len(rows),
        "categories": {c: {"tier": TIERS[c], "detected": d["detected"], "valid": d["valid"],
                           "unique": len(d["values"]), "records": d["records"]}
                       for c, d in per_cat.items()},
        "records": {"total": len(rows), "with_personal_info": with_pi, "duplicates": duplicates,
                    "unique": len(seen)},
        "duplicate_rows": duplicate_rows,
        "tiers": tiers,
        "subjects": subjects(list(seen)),
        "assessment": assess(tiers),
        "_keys": list(seen),
    }


def subjects(keys: list[tuple]) -> int:
    """Distinct persons: records sharing a resident ID, phone or e-mail merge, transitively."""
    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple, int] = {}
    for i, key in enumerate(keys):
        for cat, norm in key:
            if cat in ("cn_resident_id", "phone", "email"):
                j = owner.setdefault((cat, norm), i)
                parent[find(i)] = find(j)
    return len({find(i) for i in range(len(keys))})


def assess(tiers: dict[str, int]) -> dict:
    """Ruleset cn-cl253-1-2017 (Art. 5 of 法释〔2017〕10号): the combined ratio and level."""
    scores = {lvl: round(sum(tiers[t] / th[t] for t in "ABC"), 4) for lvl, th in THRESHOLDS.items()}
    level = "especially_serious" if scores["especially_serious"] >= 1 else \
        "serious" if scores["serious"] >= 1 else "none"
    return {"ruleset": "cn-cl253-1-2017", "score": scores["serious"], "level": level}


# ----------------------------------------------------------------- people


def make_fake():
    from faker import Faker  # imported here: benchmarks/generate.py reuses this module

    fake = Faker("zh_CN")
    fake.seed_instance(SEED)
    return fake


def person(rng: random.Random, fake) -> dict[str, str]:
    return {"name": fake.name(), "id": synth.resident_id(rng, min_year=1950, max_year=2005),
            "phone": synth.mobile(rng), "address": synth.address(rng), "email": synth.email(rng)}


def pick(rng: random.Random, pool: list[int], k: int) -> list[int]:
    """Take ``k`` random indices out of ``pool`` (so later picks never reuse them)."""
    chosen = sorted(rng.sample(pool, k))
    for i in chosen:
        pool.remove(i)
    return chosen


INVALID_PHONES = ("12345678901", "1380013800", "14912345678", "138001380001", "10086")


# ----------------------------------------------------------------- files


def customers(rng: random.Random, fake, people: list[dict]) -> tuple[list, list, dict]:
    """customers_zh.csv: 280 people, spelling-variant duplicates, near-duplicates, junk."""
    pool = list(range(20, len(people)))  # 0-19 also appear in members_en.tsv, left untouched
    rows = []
    notes = {}
    base = [dict(p) for p in people]
    for i in range(10):  # overlap people 0-9: no address here, so they dedup across files
        base[i]["address"] = None
    notes["blank_email"] = pick(rng, pool, 15)
    notes["blank_address"] = pick(rng, pool, 8)
    notes["blank_phone"] = pick(rng, pool, 5)
    notes["invalid_id"] = pick(rng, pool, 6)
    notes["fixed_line"] = pick(rng, pool, 4)
    notes["invalid_phone"] = pick(rng, pool, 3)
    for i in notes["blank_email"]:
        base[i]["email"] = None
    for i in notes["blank_address"]:
        base[i]["address"] = None
    for i in notes["blank_phone"]:
        base[i]["phone"] = None
    for i in notes["invalid_id"]:
        base[i]["id"] = synth.resident_id(rng, valid=False, min_year=1950, max_year=2005)
    for i in notes["fixed_line"]:
        base[i]["phone"] = synth.fixed_line(rng)
    for i, j in enumerate(notes["invalid_phone"]):
        base[j]["phone"] = INVALID_PHONES[i]
    order = ("name", "id", "phone", "address", "email")
    for p in base:
        rows.append([p[k] for k in order])
    # Same person, other spelling: duplicates under the rule (equal normalised tuples).
    x_ids = [i for i in pool if base[i]["id"].endswith("X")][:3]
    others = pick(rng, [i for i in pool if i not in x_ids], 7)
    for i in x_ids:
        pool.remove(i)
    styles = ["plus86_spaced", "dashed", "plus86", "fullwidth", "plus86_dashed", "spaced",
              "plus86_spaced", "dashed", "plus86", "spaced"]
    for n, i in enumerate(x_ids + others):
        p = base[i]
        id_style = "lower_x" if i in x_ids else ("fullwidth" if n % 3 == 0 else "plain")
        rows.append([p["name"], synth.spell_id(p["id"], id_style),
                     synth.spell_phone(p["phone"], styles[n]), p["address"],
                     p["email"].upper() if n % 2 else p["email"]])
    notes["spelling_duplicates"] = x_ids + others
    # Byte-identical copies.
    notes["exact_copies"] = pick(rng, pool, 2)
    for i in notes["exact_copies"]:
        rows.append([base[i][k] for k in order])
    # Near-duplicates: the same person (same ID and phone) but a different tuple.
    notes["near_duplicates"] = pick(rng, pool, 4)
    for n, i in enumerate(notes["near_duplicates"]):
        p = dict(base[i])
        if n % 2:
            p["email"] = None
        else:
            p["address"] = synth.address(rng)
        rows.append([p[k] for k in order])
    # No personal information: only blank or invalid values.
    for n in range(3):
        rows.append([None, synth.resident_id(rng, valid=False), INVALID_PHONES[n], None,
                     "无" if n == 0 else None])
    rng.shuffle(rows)
    return ["姓名", "身份证号", "手机号", "地址", "邮箱"], rows, notes


def members(rng: random.Random, fake, people: list[dict]) -> tuple[list, list, dict]:
    """members_en.tsv: 176 new people plus people 0-19 of customers_zh.csv."""
    notes: dict = {"overlap_with_customers": 20}
    new = [person(rng, fake) for _ in range(176)]
    base = [dict(p) for p in people[:20]] + new
    pool = list(range(20, len(base)))
    notes["invalid_id"] = pick(rng, pool, 4)
    notes["invalid_phone"] = pick(rng, pool, 3)
    notes["blank_email"] = pick(rng, pool, 8)
    notes["pinyin_name"] = pick(rng, pool, 4)
    for i in notes["invalid_id"]:
        base[i]["id"] = synth.resident_id(rng, valid=False, min_year=1950, max_year=2005)
    for n, i in enumerate(notes["invalid_phone"]):
        base[i]["phone"] = INVALID_PHONES[n + 2]
    for i in notes["blank_email"]:
        base[i]["email"] = None
    pinyin = ("Zhang Wei", "Li Na", "Wang Fang", "Liu Yang")
    for n, i in enumerate(notes["pinyin_name"]):
        base[i]["name"] = pinyin[n]
    rows = []
    for n, p in enumerate(base):
        phone = p["phone"]
        if n < 20 and n % 3 == 0:  # some overlap people are written with +86 here
            phone = synth.spell_phone(phone, "plus86")
        rows.append([p["name"], phone, p["email"], p["id"]])
    notes["spelling_duplicates"] = pick(rng, pool, 2)
    for i in notes["spelling_duplicates"]:
        p = base[i]
        rows.append([p["name"], synth.spell_phone(p["phone"], "plus86_spaced"), p["email"],
                     p["id"].lower()])
    rng.shuffle(rows)
    return ["name", "mobile", "email", "id_card"], rows, notes


HOTEL_KINDS = ("大酒店", "商务酒店", "快捷酒店", "宾馆", "国际酒店", "精品酒店", "假日酒店")


def hotel(rng: random.Random, fake) -> tuple[list, list, dict]:
    """hotel_checkins.parquet: 100 guests, 19 second stays, one copied row (tier B)."""
    hotels = [f"{fake.city_name()}{fake.company_prefix()}{rng.choice(HOTEL_KINDS)}"
              for _ in range(12)]
    guests = [{"name": fake.name(), "id": synth.resident_id(rng, min_year=1950, max_year=2005)}
              for _ in range(100)]
    notes: dict = {}
    pool = list(range(100))
    notes["invalid_id"] = pick(rng, pool, 3)
    notes["blank_id"] = pick(rng, pool, 1)
    for i in notes["invalid_id"]:
        guests[i]["id"] = synth.resident_id(rng, valid=False, min_year=1950, max_year=2005)
    for i in notes["blank_id"]:
        guests[i]["id"] = None
    start = datetime.datetime(2023, 1, 1)

    def stay(g: dict) -> list:
        arrive = start + datetime.timedelta(days=rng.randrange(540), hours=rng.randint(12, 23),
                                            minutes=rng.randrange(60))
        leave = (arrive + datetime.timedelta(days=rng.randint(1, 4))).replace(
            hour=rng.randint(7, 12), minute=rng.randrange(60))
        room = f"{rng.randint(2, 18)}{rng.randint(1, 30):02d}"
        return [g["name"], g["id"], rng.choice(hotels), room, arrive, leave]

    rows = [stay(g) for g in guests]
    notes["second_stay"] = sorted(rng.sample(range(100), 19))
    rows += [stay(guests[i]) for i in notes["second_stay"]]
    rows.append(list(rows[rng.randrange(100)]))
    rng.shuffle(rows)
    return ["姓名", "身份证号", "酒店名称", "房号", "入住时间", "退房时间"], rows, notes


def bank(rng: random.Random, fake) -> tuple[list, list, dict]:
    """bank_balances.csv: 62 card holders with balances (tier A), two duplicate rows."""
    rows = []
    notes: dict = {}
    for _ in range(62):
        card = synth.bank_card(rng, 19 if rng.random() < 0.7 else 16)
        balance = f"{rng.lognormvariate(9, 1.6):.2f}"
        rows.append([fake.name(), card, balance, synth.mobile(rng)])
    notes["invalid_card"] = sorted(rng.sample(range(62), 2))
    for i in notes["invalid_card"]:
        card = rows[i][1]
        rows[i][1] = card[:-1] + str((int(card[-1]) + 5) % 10)
    i, j = rng.sample(range(62), 2)
    rows.append(list(rows[i]))
    holder, card, balance, phone = rows[j]
    rows.append([holder, card, balance, synth.spell_phone(phone, "plus86_spaced")])
    notes["duplicates_of"] = [i, j]
    rng.shuffle(rows)
    return ["持卡人", "银行卡号", "余额", "手机号"], rows, notes


SMS = (
    "【{shop}】您的验证码为{code}，5分钟内有效，请勿泄露。",
    "您好，您的快递已到{district}驿站，取件码{a}-{b}-{c}，请及时领取。",
    "明天下午{h}点开会，别忘了带材料。",
    "【{shop}】您尾号{tail}的账户于{m}月{d}日支出人民币{amt}元。",
    "到家了吗？晚点给你打电话。",
    "周末一起去{district}吃饭吧，{h}点见。",
    "【{shop}】会员积分{pts}分将于月底过期，回T退订。",
)


def sms(rng: random.Random, fake) -> tuple[list, list, dict]:
    """sms_no_header.csv: phone, ID, message; no header row."""
    notes: dict = {}
    rows = []
    for _ in range(48):
        text = rng.choice(SMS).format(
            shop=fake.company_prefix(), code=f"{rng.randrange(10**6):06d}",
            district=fake.district(), a=rng.randint(1, 9), b=rng.randint(1, 9),
            c=rng.randint(1000, 9999), h=rng.choice("一二三四五六七八九"),
            tail=f"{rng.randrange(10**4):04d}", m=rng.randint(1, 12), d=rng.randint(1, 28),
            amt=f"{rng.uniform(5, 3000):.2f}", pts=rng.randint(100, 9000))
        rows.append([synth.mobile(rng), synth.resident_id(rng, min_year=1950, max_year=2005), text])
    notes["invalid_id"] = sorted(rng.sample(range(1, 48), 2))
    for i in notes["invalid_id"]:
        rows[i][1] = synth.resident_id(rng, valid=False)
    notes["invalid_phone"] = [next(i for i in range(1, 48) if i not in notes["invalid_id"])]
    rows[notes["invalid_phone"][0]][0] = INVALID_PHONES[0]
    clean = [n for n in range(10, 48) if n not in notes["invalid_id"] + notes["invalid_phone"]]
    i, j = rng.sample(clean, 2)
    rows.append(list(rows[i]))  # a copied row
    rows.append([synth.spell_phone(rows[j][0], "plus86"), rows[j][1], "收到，谢谢。"])
    notes["duplicates_of"] = [i, j]  # the second differs only in the (uncategorised) message
    first, rest = rows[0], rows[1:]
    rng.shuffle(rest)
    return [], [first] + rest, notes  # the first row stays a clean, valid one


# ----------------------------------------------------------------- writers


def write_text(path: Path, header: list[str], rows: list[list], delimiter: str) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    if header:
        w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    path.write_bytes(buf.getvalue().encode("utf-8"))


def write_parquet(path: Path, header: list[str], rows: list[list]) -> None:
    cols = list(zip(*rows, strict=True))
    arrays = []
    for name, values in zip(header, cols, strict=True):
        kind = pa.timestamp("s") if name.endswith("时间") else pa.string()
        arrays.append(pa.array(values, type=kind))
    table = pa.table(dict(zip(header, arrays, strict=True)))
    pq.write_table(table, path, compression="zstd")


def as_text(rows: list[list]) -> list[list[str | None]]:
    """Cells as a reader sees them (timestamps as ``YYYY-MM-DD HH:MM:SS``)."""
    return [[v.strftime("%Y-%m-%d %H:%M:%S") if isinstance(v, datetime.datetime) else v
             for v in row] for row in rows]


FILES = {
    "customers_zh.csv": ("csv", {"姓名": "name", "身份证号": "cn_resident_id", "手机号": "phone",
                                 "地址": "address", "邮箱": "email"}),
    "members_en.tsv": ("tsv", {"name": "name", "mobile": "phone", "email": "email",
                               "id_card": "cn_resident_id"}),
    "hotel_checkins.parquet": ("parquet", {"姓名": "name", "身份证号": "cn_resident_id",
                                           "酒店名称": "accommodation", "房号": "accommodation",
                                           "入住时间": "accommodation",
                                           "退房时间": "accommodation"}),
    "bank_balances.csv": ("csv", {"持卡人": "name", "银行卡号": "bank_card", "余额": "property",
                                  "手机号": "phone"}),
    "sms_no_header.csv": ("csv", {"column1": "phone", "column2": "cn_resident_id",
                                  "column3": None}),
}


def main() -> dict:
    rng = random.Random(SEED)
    fake = make_fake()
    people = [person(rng, fake) for _ in range(280)]
    built = {
        "customers_zh.csv": customers(random.Random(SEED + 1), fake, people),
        "members_en.tsv": members(random.Random(SEED + 2), fake, people),
        "hotel_checkins.parquet": hotel(random.Random(SEED + 3), fake),
        "bank_balances.csv": bank(random.Random(SEED + 4), fake),
        "sms_no_header.csv": sms(random.Random(SEED + 5), fake),
    }
    result: dict = {"_about": "Expected counts by construction, computed by make_samples.py "
                              "with a reference validator on python-stdnum and phonenumbers. "
                              "Counting rules: shared/spec/report-v1.md (dedup=record). "
                              "duplicate_rows: 1-based data-row numbers (header not counted) "
                              "of the rows dropped as duplicates. construction: what was "
                              "planted, as 0-based indices before the rows were shuffled.",
                    "files": {}}
    keys = {}
    for fname, (header, rows, notes) in built.items():
        fmt, mapping = FILES[fname]
        path = HERE / fname
        if fmt == "parquet":
            write_parquet(path, header, rows)
        else:
            write_text(path, header, rows, "\t" if fmt == "tsv" else ",")
        names = header or [f"column{i}" for i in range(1, len(rows[0]) + 1)]
        counts = expected_counts(as_text(rows), [mapping[h] for h in names])
        keys[fname] = counts.pop("_keys")
        cats = counts["categories"]
        result["files"][fname] = {
            "format": fmt, "encoding": None if fmt == "parquet" else "utf-8",
            "header": bool(header), "bytes": path.stat().st_size, "columns": mapping,
            "rows": counts["rows"],
            "valid_ids": cats.get("cn_resident_id", {}).get("valid", 0),
            "valid_phones": cats.get("phone", {}).get("valid", 0),
            **{k: v for k, v in counts.items() if k != "rows"},
            "construction": notes,
        }
    # `leakscan scan sample_data/` reads all five files together (scope=case).
    every = list(built)
    merged = list(dict.fromkeys(k for f in every for k in keys[f]))
    tiers = {t: sum(1 for k in merged if min(TIERS[c] for c, _ in k) == t) for t in "ABC"}
    separate = sum(result["files"][f]["records"]["unique"] for f in every)
    with_pi = sum(result["files"][f]["records"]["with_personal_info"] for f in every)
    result["combined"] = {
        "inputs": every, "scope": "case",
        "records": {"total": sum(result["files"][f]["rows"] for f in every),
                    "with_personal_info": with_pi, "duplicates": with_pi - len(merged),
                    "unique": len(merged)},
        "cross_file_duplicates": separate - len(merged),
        "tiers": tiers, "subjects": subjects(merged),
        "note": "All five files scanned together. Records of members_en.tsv that equal a "
                "customers_zh.csv record (same name, ID, phone, e-mail; no address on either) "
                "dedup across the two files; the other overlapping people are the same "
                "subjects but distinct records.",
    }
    text = json.dumps(result, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    EXPECTED_FILE.write_text(text, encoding="utf-8")
    table = counts_table(result)
    update_readme(table)
    print(table)
    return result


def counts_table(result: dict) -> str:
    head = ("| file | rows | valid IDs | valid phones | rows with PI | duplicates | unique "
            "records | tiers A/B/C | subjects | cn-cl253-1-2017 |")
    lines = [head, "|" + "---|" * 10]
    for fname, f in result["files"].items():
        r, t, a = f["records"], f["tiers"], f["assessment"]
        lines.append(f"| `{fname}` | {f['rows']} | {f['valid_ids']} | {f['valid_phones']} | "
                     f"{r['with_personal_info']} | {r['duplicates']} | {r['unique']} | "
                     f"{t['A']}/{t['B']}/{t['C']} | {f['subjects']} | {a['level']} "
                     f"({a['score']}) |")
    c = result["combined"]
    lines.append(f"| all five (`sample_data/`, scope=case) | {c['records']['total']} | | | "
                 f"{c['records']['with_personal_info']} | {c['records']['duplicates']} "
                 f"({c['cross_file_duplicates']} across files) | {c['records']['unique']} | "
                 f"{c['tiers']['A']}/{c['tiers']['B']}/{c['tiers']['C']} | {c['subjects']} | |")
    return "\n".join(lines)


START, END = "<!-- expected-counts:start -->", "<!-- expected-counts:end -->"


def update_readme(table: str) -> None:
    """Replace the counts table between the markers in README.md (if the file has them)."""
    path = HERE / "README.md"
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    if START in text and END in text:
        before, rest = text.split(START, 1)
        _, after = rest.split(END, 1)
        path.write_text(f"{before}{START}\n{table}\n{END}{after}", encoding="utf-8")


if __name__ == "__main__":
    main()
