"""Measure detection quality: column assignment precision/recall and count errors.

Builds a labelled corpus *from construction* (every column's true category is known because
this script wrote it), scans each file with leakscan, and prints:

- per category, precision and recall of column assignment;
- per category, the relative error of the ``valid`` and ``unique`` counts against the truth,
  which is computed cell by cell with each categorizer's plain-Python reference
  (python-stdnum, phonenumbers), independent of the SQL that leakscan runs;
- for identifiers embedded in free text (``leakscan/freetext.py``): per category, precision
  and recall of the *(column, category)* embedded entries (an entry counts as a claim when its
  ``valid`` is above zero; the truth is a column where a valid value of that category was
  planted), and the error of the embedded ``valid`` count (summed over columns, without
  cancelling) and of the ``unique`` count against the planted values;
- for the decoy-only files, the personal-information records reported (target: zero).

Corpus kinds: Chinese headers, English headers, pinyin-initial headers (``sfzh``, ``sjhm``),
no header at all, decoys (timestamps, order and waybill numbers, unassigned 11-digit
numbers, UUIDs, hex digests, IMEIs, ZIP codes, SKUs, sequential IDs) under neutral headers,
and free text: Faker zh_CN sentences with identifiers planted at known places, under remark
headers (``备注``, ``留言``) and with no header at all, and decoy-only text in decoys.csv.

Values as they really are (issue 12, ``shape_files``; their own random stream): a sparse card
and phone column padded with null markers (``\\N``, ``NULL``, ``-``, ``无``, ``暂无``); phones
and resident IDs in part masked (``138****8000``; truth of ``masked``: the cells planted);
mixed columns (``证件号码``: resident IDs, passports, permits, foreign permanent-resident IDs;
``联系方式``: phones and e-mails;
a mixed column counts as assigned to each category of its ``category`` and ``also``); resident
IDs damaged by Excel (scientific notation, zero-filled: truth 0 valid, to be warned) beside
phones written as floats (``13800138000.0``: the number before ``.0``); landlines with
extensions (``-801``, ``转801``, `` ext. 801``: the line); and the header words of marketplace,
courier and hotel exports (``收货人``, ``收件人手机``, ``开房时间``...); a forum's ``账号`` column
(login names, QQ numbers, phones, e-mails); the 2013 hotel-register layout (English column
names, the check-in time under ``Version``: a layout profile's case). A column whose truth is
a personal category, not assigned and not named in any warning, is a *silent miss*.

Free-text truth comes from construction, never from ``freetext.embedded`` (the thing under
test): each planted value is recorded with its category, and whether it is valid (and its
normalised form) is asked of that category's plain-Python reference. A random number can pass
a check by chance (an 18-digit number the resident-ID checks, a 16-19 digit one Luhn, one time
in ten), so every planted value is redrawn until the references accept it for no category but
its own, and every decoy until they accept none of its letter-and-digit runs, nor any span of
consecutive runs, for any searched category (``_unambiguous``). Planted values are set off by
Han characters, punctuation or spaces; decoys that glue a valid number to letters or digits
(``SN13800138000``, ``2024011513800138000``) test the boundary rule. A card number counts in
free text only in a cell that names a card or an account (``卡``, ``账户``, ``card``...): the
filler and the other labels never do, so each cell's context is known by construction; a valid
card planted where no card is named is truth "not counted" (listed apart), and decoy-only text
also holds UnionPay-prefixed, Luhn-valid order numbers, which that rule must reject. The
free-text files use their own random streams, so the structured files are the same as before
for a given seed.

    python3 benchmarks/accuracy.py                 # default corpus, seed 7
    python3 benchmarks/accuracy.py --rows 2000 --seed 11 --keep /tmp/corpus
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
import sys
import tempfile
import uuid
from collections import defaultdict
from pathlib import Path

from stdnum import luhn

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


# -- free text: identifiers planted in sentences ---------------------------------------------

#: The categories ``leakscan/freetext.py`` searches text for.
EMBEDDED_CATS = ("cn_resident_id", "phone", "bank_card", "email")
#: How a planted value is introduced and closed off: Han characters, punctuation or spaces,
#: never a letter or digit (that would glue it into a longer run, see ``TEXT_DECOYS``).
LABELS = {
    "cn_resident_id": ("身份证", "身份证号：", "证件号码:", "本人身份证 ", "（身份证", "sfz："),
    "phone": ("电话", "手机：", "联系方式:", "请联系", "改送", "Tel: ", "座机 ", "备用电话："),
    # A card number counts only in a cell that speaks of a card or an account (freetext.py,
    # docs/classification.md): each of these says so; ``CARD_NO_CONTEXT`` does not.
    "bank_card": ("卡号", "银行卡：", "账户:", "信用卡 ", "Card no. ", "转账到账户 ", "借记卡"),
    "email": ("邮箱", "邮箱：", "mail: ", "请发邮件到", "E-mail "),
    None: ("订单号", "时间戳", "设备号", "IMEI:", "流水号：", "编号 ", "单号", "追踪码", "哈希 ",
           "参考号", "序列号"),
}
CARD_NO_CONTEXT = ("退款至 ", "付款 ")
#: The card-or-account words of that rule: no filler sentence and no other label holds one,
#: so whether a cell speaks of a card is known by construction.
CARD_WORDS = re.compile("(?i)卡|账号|帐号|账户|帐户|card|acct|account")
ENDS = ("，", "。", "；", "！", " ", "、", "）", "。\n")
CLOSINGS = ("", "", "无", "已处理", "同上", "老客户", "VIP")


def _unambiguous(token: str, cat: str | None, registry) -> bool:
    """Does no searched category but ``cat`` accept ``token``, nor (for a decoy, ``cat`` None)
    any letter-and-digit run of it or span of consecutive runs?"""
    pieces = [token]
    if cat is None:
        runs = [m.span() for m in re.finditer(r"[0-9A-Za-z]+", token)]
        pieces += [token[a[0]:b[1]] for i, a in enumerate(runs) for b in runs[i:]]
    return not any(registry.get(c).is_valid(piece) for piece in pieces
                   for c in EMBEDDED_CATS if c != cat)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def planted_value(kind: str, rng: random.Random) -> tuple[str, str]:
    """A value of ``kind`` as written in text, with its intended category."""
    if kind.startswith("id_"):
        pid = synth.resident_id(rng, valid=kind != "id_bad_check")
        if kind == "id_lower":
            pid = pid.lower()
        elif kind == "id_fullwidth":
            pid = synth.to_fullwidth(pid)
        return pid, "cn_resident_id"
    if kind.startswith("mobile_"):
        return synth.spell_phone(synth.mobile(rng), kind.removeprefix("mobile_")), "phone"
    if kind == "fixed_dashed":  # 010-62345678
        return synth.fixed_line(rng), "phone"
    if kind == "fixed_compact":  # 01062345678
        return synth.fixed_line(rng).replace("-", ""), "phone"
    if kind == "phone_unassigned":  # phone-shaped, not a number in use
        return decoy("unassigned_11", rng, 0), "phone"
    if kind in ("card_plain", "card_bad_luhn"):
        card = synth.bank_card(rng, rng.choice([16, 19]))
        if kind == "card_bad_luhn":
            card = card[:-1] + str((int(card[-1]) + rng.randint(1, 9)) % 10)
        return card, "bank_card"
    if kind in ("card_grouped", "card_grouped19"):  # 6222 0212 3456 7894 [123]
        card = synth.bank_card(rng, 16 if kind == "card_grouped" else 19)
        return " ".join(card[k:k + 4] for k in range(0, len(card), 4)), "bank_card"
    if kind == "email":
        return synth.email(rng), "email"
    if kind == "email_upper":
        return synth.email(rng).upper(), "email"
    raise ValueError(kind)


PLANTED = ("id_plain", "id_plain", "id_lower", "id_fullwidth", "id_bad_check",
           "mobile_plain", "mobile_plain", "mobile_plus86", "mobile_plus86_spaced",
           "mobile_plus86_dashed", "mobile_spaced", "mobile_dashed", "mobile_fullwidth",
           "fixed_dashed", "fixed_compact", "phone_unassigned",
           "card_plain", "card_plain", "card_grouped", "card_grouped19", "card_bad_luhn",
           "email", "email", "email_upper")


def text_decoy(kind: str, rng: random.Random) -> str:
    """A number that is no personal information, as written in text."""
    if kind in ("ms_timestamp", "order_no", "waybill", "uuid", "sha1", "imei"):
        return decoy(kind, rng, 0)
    if kind == "order_no_20":  # date-prefixed, 20 digits
        return f"2023{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}{_digits(rng, 12)}"
    if kind == "imei_86":  # Chinese handsets: type allocation codes 86xxxx
        body = "86" + _digits(rng, 12)
        return body + luhn.calc_check_digit(body)
    # A valid identifier glued to letters or digits: no candidate, by the boundary rule.
    if kind == "glued_letters_phone":
        return rng.choice(["SN", "a", "NO", "uid"]) + synth.mobile(rng)
    if kind == "glued_phone_letters":
        return synth.mobile(rng) + rng.choice(["b", "X", "abc", "kg"])
    if kind == "glued_phone_digit":  # 12 digits
        return synth.mobile(rng) + str(rng.randrange(10))
    if kind == "glued_order_phone":  # an order number ending in a mobile number
        return f"2024{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}" + synth.mobile(rng)
    if kind == "glued_id":
        return rng.choice(["NO", "ID", "T"]) + synth.resident_id(rng)
    if kind == "glued_card":
        return rng.choice(["SN", "NO", "T"]) + synth.bank_card(rng)
    if kind == "luhn_order_no":  # UnionPay-prefixed and Luhn-valid: only where no card is named
        body = "62" + _digits(rng, 15)
        return body + luhn.calc_check_digit(body)
    if kind == "glued_grouped_phone":
        return rng.choice(["x", "A1", "9"]) + synth.spell_phone(synth.mobile(rng), "spaced")
    raise ValueError(kind)


TEXT_DECOYS = ("ms_timestamp", "order_no", "order_no_20", "waybill", "uuid", "sha1", "imei",
               "imei_86", "glued_letters_phone", "glued_phone_letters", "glued_phone_digit",
               "glued_order_phone", "glued_id", "glued_card", "glued_grouped_phone")
# (and ``luhn_order_no``, only in cells that name no card: decoy-only text)
#: Near misses: shaped like an identifier, but failing its check (not personal information).
NEAR_MISSES = ("id_bad_check", "card_bad_luhn", "phone_unassigned")


class TextWriter:
    """Writes text cells and records what was planted in them (the truth)."""

    def __init__(self, rng: random.Random, registry, pool: int):
        from faker import Faker  # a test dependency (pyproject: [test])

        self.rng, self.registry = rng, registry
        self.faker = Faker("zh_CN")
        self.faker.seed_instance(rng.randrange(2**32))
        self.seen: list[tuple[str, str]] = []  # planted values, some written again later
        self.pool = pool

    def sentence(self) -> str:
        if self.rng.random() < 0.15:
            return ""
        while True:
            text = self.faker.sentence().replace(".", "。")
            if not CARD_WORDS.search(text):
                return text

    def value(self) -> tuple[str, str]:
        """(raw, category): a planted value, redrawn until unambiguous; one time in five a
        value planted before (so that valid and unique differ)."""
        rng, reg = self.rng, self.registry
        if self.seen and rng.random() < 0.2:
            return rng.choice(self.seen)
        while True:
            raw, cat = planted_value(rng.choice(PLANTED), rng)
            if _unambiguous(raw, cat, reg):
                break
        if reg.get(cat).is_valid(raw) and len(self.seen) < self.pool:
            self.seen.append((raw, cat))
        return raw, cat

    def decoy(self, kinds=TEXT_DECOYS) -> str:
        """A decoy, redrawn until no reference accepts any part of it (a Luhn-valid order
        number: until none but the card reference does)."""
        while True:
            kind = self.rng.choice(kinds)
            if kind in NEAR_MISSES:
                raw, _ = planted_value(kind, self.rng)
            else:
                raw = text_decoy(kind, self.rng)
            if _unambiguous(raw, "bank_card" if kind == "luhn_order_no" else None,
                            self.registry):
                return raw

    def cell(self, planted: bool) -> tuple[str, list[tuple[str, str, str | None]]]:
        """A text cell and its planted values ``(category, status, normalised)``; status
        ``valid`` when the category's reference accepts the value (and, for a card, the cell
        names a card), ``no_context`` for a valid card in a cell that names none (not counted,
        by the rule), else ``invalid``. With ``planted`` False the cell holds only decoys and
        near misses, and no card word, so that Luhn-valid order numbers are decoys too."""
        rng, reg = self.rng, self.registry
        roll = rng.random()
        if roll < 0.08:
            return rng.choice(CLOSINGS), []
        items = []  # (raw, category or None, label)
        if planted and roll < 0.12:  # a bare value: the whole cell is one identifier
            raw, cat = self.value()
            items.append((raw, cat, ""))
        else:
            for _ in range(rng.randint(1, 4)):
                if planted and rng.random() < 0.6:
                    raw, cat = self.value()
                    no_context = cat == "bank_card" and rng.random() < 0.1
                    label = rng.choice(CARD_NO_CONTEXT if no_context else LABELS[cat])
                    items.append((raw, cat, label))
                else:
                    kinds = TEXT_DECOYS + NEAR_MISSES + (() if planted else ("luhn_order_no",))
                    items.append((self.decoy(kinds), None, rng.choice(LABELS[None])))
        card_named = any(CARD_WORDS.search(label) for _, _, label in items)
        truth = []
        for raw, cat, _ in items:
            if cat is None:
                continue
            ok = reg.get(cat).is_valid(raw)
            if ok and cat == "bank_card" and not card_named:
                truth.append((cat, "no_context", None))
            else:
                truth.append((cat, "valid" if ok else "invalid",
                              reg.get(cat).normalize(raw) if ok else None))
        if len(items) == 1 and not items[0][2]:
            return items[0][0], truth
        parts = []
        for raw, _, label in items:
            parts += [self.sentence(), label + raw + rng.choice(ENDS)]
        parts.append(self.sentence())
        return "".join(parts).strip() or rng.choice(CLOSINGS[2:]), truth


def build_corpus(root: Path, rows: int, seed: int) -> list[tuple[Path, list, dict]]:
    """Write the corpus; return each file with the true category of each column and the
    values planted in its text columns: ``{column index: [(category, valid, normalised)]}``."""
    rng = random.Random(seed)
    files = []
    cats = ["name", "cn_resident_id", "phone", "email", "address", "bank_card", "passport",
            "cn_license_plate", "cn_travel_permit"]
    for style, names in HEADERS.items():
        labels = list(cats)
        rng.shuffle(labels)
        # An order number is a code that labels a transaction (``_no``, a negative word of
        # transaction): no attribute column, and never a resident ID or a bank card whatever
        # its digits.
        header = [names[c] for c in labels] + ["备注", "order_no"]
        body = [[value(c, rng) for c in labels] + [rng.choice(["", "VIP", "老客户"]),
                                                    decoy("order_no", rng, i)]
                for i in range(rows)]
        files.append((_write(root / f"{style}_headers.csv", header, body),
                      labels + [NONE, NONE], {}))
    # No header: only the categories recognisable by their values can be assigned.
    labels = ["cn_resident_id", "phone", "email", "bank_card", "name", "cn_license_plate",
              "cn_travel_permit"]
    body = [[value(c, rng) for c in labels] + [decoy("seq_id", rng, i),
                                               f"{rng.uniform(18, 54):.6f}",
                                               f"{rng.uniform(73, 135):.6f}"]
            for i in range(rows)]
    files.append((_write(root / "no_header.csv", None, body),
                  labels + [NONE, "location", "location"], {}))
    # Decoys only, under neutral headers; two text columns of decoys and near misses (their
    # own random stream, so the other columns are the same as without them).
    header = [f"f{k + 1}" for k in range(len(DECOYS))] + [f"f{len(DECOYS) + 1}", "备注"]
    body = [[decoy(k, rng, i) for k in DECOYS] for i in range(rows)]
    text = TextWriter(random.Random(f"{seed}/decoy-text"), default_registry(), rows)
    for row in body:
        row += [text.cell(planted=False)[0], text.cell(planted=False)[0]]
    files.append((_write(root / "decoys.csv", header, body), [NONE] * len(header), {}))
    # Mixed: decoys beside real columns, pinyin and English headers together.
    # An employer's unified social credit code beside its staff: recognised, and excluded.
    labels = ["name", "phone", NONE, "cn_resident_id", NONE, "cn_uscc"]
    header = ["xm", "tel", "imei", "zjhm", "waybill_no", "company_code"]
    body = [[value("name", rng), value("phone", rng), decoy("imei", rng, i),
             value("cn_resident_id", rng), decoy("waybill", rng, i), uscc(rng)]
            for i in range(rows)]
    files.append((_write(root / "mixed.csv", header, body), labels, {}))
    files += free_text_files(root, rows, seed)
    files += attribute_files(root, rows, seed)
    files += shape_files(root, rows, seed)
    return files


#: Attribute columns with their true category and a value of their kind (issue 11).
ATTRIBUTES = (
    ("经纬度", "location", lambda r: f"{r.uniform(73, 135):.6f},{r.uniform(18, 54):.6f}"),
    ("账户余额", "property", lambda r: f"{r.uniform(0, 99999):.2f}"),
    ("订单金额", "transaction", lambda r: f"{r.uniform(1, 999):.2f}"),
    ("诊断", "health", lambda r: r.choice(["高血压", "2型糖尿病", "急性阑尾炎", "支气管哮喘"])),
    ("信用评分", "credit", lambda r: str(r.randrange(350, 950))),
    ("入住时间", "accommodation",
     lambda r: f"2024-{r.randrange(1, 13):02d}-{r.randrange(1, 29):02d} {r.randrange(24):02d}:00"),
    ("通话时长", "communication_record", lambda r: f"00:{r.randrange(60):02d}:{r.randrange(60):02d}"),
    ("短信内容", "communication_content", lambda r: r.choice(["到家了吗？", "明天见", "收到，谢谢"])),
)
#: Decoy attribute headers, each with the values such columns hold: none is an attribute.
ATTRIBUTE_DECOYS = (
    ("定位方式", lambda r: r.choice(["GPS", "基站", "WIFI"])),
    ("坐标系", lambda r: r.choice(["WGS-84", "GCJ-02", "BD-09"])),
    ("定位时间", lambda r: f"2024-01-{r.randrange(1, 29):02d} {r.randrange(24):02d}:{r.randrange(60):02d}"),
    ("装备资产编号", lambda r: f"ZB-2024-{r.randrange(10**4):04d}"),
    ("积分余额", lambda r: str(r.randrange(10_000))),
    ("话费余额", lambda r: f"{r.uniform(0, 200):.2f}"),
    ("支付方式", lambda r: r.choice(["微信", "支付宝", "银行卡"])),
    ("订单状态", lambda r: r.choice(["已完成", "已取消", "待发货"])),
    ("购买数量", lambda r: str(r.randrange(1, 9))),
    ("就诊卡号", lambda r: f"JZ{r.randrange(10**8):08d}"),
    ("is_overdue", lambda r: r.choice(["0", "1"])),
    ("credit_limit", lambda r: str(r.choice([5000, 10000, 20000, 50000]))),
    ("store_location", lambda r: r.choice(["北京朝阳门店", "上海徐汇门店", "深圳南山门店"])),
    ("deposit_type", lambda r: r.choice(["定期", "活期"])),
    ("health_check_url", lambda r: f"https://hc.example/{r.randrange(10**6)}"),
    ("sort_order", lambda r: str(r.randrange(100))),
)
BRANDS = ["李宁", "王老吉", "周大福", "张小泉", "周生生", "马应龙", "陈李济", "王致和", "张裕",
          "杨国福"]
LEVELS = ["金卡会员", "银卡会员", "钻石会员", "普通会员"]
PLACEHOLDERS = ["无名氏", "张某", "李某某", "王先生", "刘女士", "陈小姐", "某某"]


def _luhn_complete(body: str) -> str:
    return body + luhn.calc_check_digit(body)


def iccid(rng: random.Random) -> str:
    """A SIM card ICCID (ITU-T E.118: 89, country 86, issuer, serial; Luhn-valid)."""
    return _luhn_complete("8986" + rng.choice(["00", "01", "03", "11"]) +
                          "".join(rng.choice("0123456789") for _ in range(12)))


def loyalty(rng: random.Random) -> str:
    """A Luhn-valid loyalty card number in a private 60 range (not Discover's 6011)."""
    return _luhn_complete(rng.choice(["6000", "6033", "6088"]) +
                          "".join(rng.choice("0123456789") for _ in range(11)))


def attribute_files(root: Path, rows: int, seed: int) -> list[tuple[Path, list, dict]]:
    """Attribute columns beside a phone, the decoys of issue 11 beside a phone, and a file of
    card and name decoys. Every row has a valid mobile number, so a row's true tier is the
    highest tier among the attribute values planted in it (none in the decoy files)."""
    rng = random.Random(f"{seed}/attributes")
    header = ["手机号"] + [h for h, _, _ in ATTRIBUTES] + ["经度", "纬度"]
    body = [[synth.mobile(rng)] + [make(rng) for _, _, make in ATTRIBUTES]
            + [f"{rng.uniform(73, 135):.6f}", f"{rng.uniform(18, 54):.6f}"] for _ in range(rows)]
    files = [(_write(root / "attributes.csv", header, body),
              ["phone"] + [c for _, c, _ in ATTRIBUTES] + ["location", "location"], {})]
    # Tier B only (stays, health, orders, calls): B records, and below "serious" at 300 rows.
    tier_b = [a for a in ATTRIBUTES if default_registry().get(a[1]).tier == "B"]
    body = [[synth.mobile(rng)] + [make(rng) for _, _, make in tier_b] for _ in range(rows)]
    files.append((_write(root / "attributes_b.csv", ["手机号"] + [h for h, _, _ in tier_b],
                         body), ["phone"] + [c for _, c, _ in tier_b], {}))
    header = ["手机号"] + [h for h, _ in ATTRIBUTE_DECOYS]
    body = [[synth.mobile(rng)] + [make(rng) for _, make in ATTRIBUTE_DECOYS]
            for _ in range(rows)]
    files.append((_write(root / "attribute_decoys.csv", header, body),
                  ["phone"] + [NONE] * len(ATTRIBUTE_DECOYS), {}))
    header = ["手机号", "SIM卡号", "卡号", "会员卡号", "品牌", "会员等级", "姓名", "f8"]
    body = [[synth.mobile(rng), iccid(rng), iccid(rng), loyalty(rng), rng.choice(BRANDS),
             rng.choice(LEVELS), rng.choice(PLACEHOLDERS), rng.choice(BRANDS)]
            for _ in range(rows)]
    files.append((_write(root / "card_name_decoys.csv", header, body),
                  ["phone"] + [NONE] * 7, {}))
    return files


#: Fa Shi [2017] No. 10 Art. 5(1)(3)-(5) and 5(2)(3): tier thresholds, "serious" at a ratio
#: sum of 1, "especially serious" at ten times (written here from the text, not read from
#: leakscan's rulesets, so that the benchmark checks them too).
TIER_THRESHOLDS = {"A": 50, "B": 500, "C": 5000}


def true_tiers(path: Path, labels, registry) -> dict[str, int]:
    """Records per tier from construction: a row (every row of these files holds a valid
    phone) is of the highest tier among the values of its labelled attribute columns that
    the category's plain-Python reference accepts; else tier C. Rows are distinct."""
    tiers = {"A": 0, "B": 0, "C": 0}
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[1:]
    for row in rows:
        got = {registry.get(c).tier for cell, c in zip(row, labels, strict=True)
               if c and not registry.get(c).identifying and registry.get(c).is_valid(cell)}
        tiers[min(got, default="C")] += 1
    return tiers


def true_level(tiers: dict[str, int]) -> str:
    score = sum(n / TIER_THRESHOLDS[t] for t, n in tiers.items())
    return "especially_serious" if score >= 10 else "serious" if score >= 1 else "none"


def free_text_files(root: Path, rows: int, seed: int) -> list[tuple[Path, list, dict]]:
    """Two files of free text with identifiers planted in it: remarks and messages under
    remark headers beside a row number, and the same kind of text with no header at all
    (searched because most of its values read as text)."""
    out = []
    registry = default_registry()
    for name, header in (("free_text.csv", ["id", "备注", "留言"]),
                         ("free_text_no_header.csv", None)):
        text = TextWriter(random.Random(f"{seed}/{name}"), registry, max(rows // 2, 1))
        width = 3 if header else 2
        body, planted = [], defaultdict(list)
        for i in range(rows):
            row = [str(100_000 + i)]
            for j in range(1, width):
                cell, truth = text.cell(planted=True)
                row.append(cell)
                planted[j] += truth
            body.append(row)
        out.append((_write(root / name, header, body), [NONE] * width, dict(planted)))
    return out


# -- values as they really are (issue 12): null markers, masks, mixed, damage, extensions ----

#: What exports write for "no value" (``leakscan/data/null_markers.toml``): blank, not values.
NULL_MARKERS = ("\\N", "NULL", "-", "无", "暂无")


def _mask_phone(number: str) -> str:
    """``138****8000``: the middle four digits hidden, as shops and couriers print them."""
    return number[:3] + "****" + number[7:]


def _mask_id(pid: str) -> str:
    """``110101********1234``: the birth date hidden, as receipts and hotel slips print it."""
    return pid[:6] + "*" * 8 + pid[14:]


def _excel_damage(pid: str, rng: random.Random) -> str:
    """A resident ID as Excel leaves it when it read the column as a number: scientific
    notation (``1.10101E+17``) or the last three digits zero-filled (15 significant digits)."""
    if rng.random() < 0.5:
        return f"{int(pid[:17]) * 10:.5E}"
    while True:  # one zero-filled ID in eleven passes the check digit: not a damaged one then
        filled = pid[:15] + "000"
        if not default_registry().get("cn_resident_id").is_valid(filled):
            return filled
        pid = synth.resident_id(rng)


def _extension(rng: random.Random) -> str:
    """A landline with an extension, in the three spellings of real exports."""
    line, ext = synth.fixed_line(rng), str(rng.randrange(100, 10_000))
    return line + rng.choice(["-", "转", " ext. "]) + ext


def foreign_pr_id(rng: random.Random) -> str:
    """A foreign permanent-resident ID: the 2023 form (``9``, 16 digits, the ISO 7064
    MOD 11-2 check character of python-stdnum) or the older form (3 letters, 12 digits)."""
    from stdnum.iso7064 import mod_11_2

    if rng.random() < 0.5:
        body = "9" + f"{rng.randrange(10**16):016d}"
        return body + mod_11_2.calc_check_digit(body)
    return rng.choice(["USA", "GBR", "DEU", "FRA", "JPN", "KOR"]) + f"{rng.randrange(10**12):012d}"


def shape_files(root: Path, rows: int, seed: int) -> list[tuple]:
    """Files of issue 12's shapes, each entry ``(path, labels, planted, masked)`` where a label
    may be a tuple (a mixed column: its categories, the majority first) and ``masked`` is the
    number of masked cells planted per category (the truth of ``categories.<id>.masked``)."""
    rng = random.Random(f"{seed}/shapes")
    out = []
    # Null-padded: a sparse card and a sparse phone column, about 30 % filled.
    def sparse(make):
        return make() if rng.random() < 0.3 else rng.choice(NULL_MARKERS)
    body = [[synth.name(rng), sparse(lambda: synth.bank_card(rng, rng.choice([16, 19]))),
             sparse(lambda: synth.mobile(rng)), rng.choice(["已发货", "待付款", "已完成"])]
            for _ in range(rows)]
    out.append((_write(root / "null_padded.csv", ["姓名", "银行卡号", "手机号", "订单状态"],
                       body), ["name", "bank_card", "phone", NONE], {}, {}))
    # Masked: phones 60 % masked, resident IDs 50 % masked.
    masked = {"phone": 0, "cn_resident_id": 0}
    body = []
    for _ in range(rows):
        phone, pid = synth.mobile(rng), synth.resident_id(rng)
        if rng.random() < 0.6:
            phone = _mask_phone(phone)
            masked["phone"] += 1
        if rng.random() < 0.5:
            pid = _mask_id(pid)
            masked["cn_resident_id"] += 1
        body.append([synth.name(rng), phone, pid])
    out.append((_write(root / "masked.csv", ["收货人", "手机号", "身份证号"], body),
                ["name", "phone", "cn_resident_id"], {}, masked))
    # Mixed: 证件号码 with resident IDs, passports, permits and foreign permanent-resident IDs;
    # 联系方式 with phones and e-mails.
    def document():
        roll = rng.random()
        if roll < 0.55:
            return synth.resident_id(rng)
        if roll < 0.8:
            return synth.passport(rng)
        if roll < 0.92:
            return rng.choice("HM") + f"{rng.randrange(10**8):08d}"
        return foreign_pr_id(rng)
    body = [[synth.name(rng), document(),
             synth.mobile(rng) if rng.random() < 0.7 else synth.email(rng)]
            for _ in range(rows)]
    out.append((_write(root / "mixed_columns.csv", ["姓名", "证件号码", "联系方式"], body),
                ["name", ("cn_resident_id", "passport", "cn_travel_permit", "foreign_pr_id"),
                 ("phone", "email")], {}, {}))
    # Damaged by a spreadsheet: IDs in scientific notation or zero-filled (not valid, warned),
    # phones as intact float renderings ``13800138000.0`` (counted).
    body = [[synth.name(rng), _excel_damage(synth.resident_id(rng), rng),
             synth.mobile(rng) + ".0"] for _ in range(rows)]
    out.append((_write(root / "damaged.csv", ["姓名", "身份证号", "手机号"], body),
                ["name", "cn_resident_id", "phone"], {}, {}))
    # Extensions: landlines with -801, 转801, ext. 801 (each counted as its line).
    body = [[synth.name(rng), _extension(rng), synth.address(rng)] for _ in range(rows)]
    out.append((_write(root / "extensions.csv", ["联系人", "办公电话", "地址"], body),
                ["name", "phone", "address"], {}, {}))
    # Vocabulary: headers of marketplace, courier and hotel exports (headers.toml).
    def stay():
        return f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d} " \
               f"{rng.randrange(24):02d}:{rng.randrange(60):02d}"
    header = ["收货人", "收件人手机", "收货地址", "证件号码", "联系方式", "开房时间", "入住时间",
              "寄件人", "订单状态"]
    body = [[synth.name(rng), synth.mobile(rng), synth.address(rng), synth.resident_id(rng),
             synth.mobile(rng), stay(), stay(), synth.name(rng),
             rng.choice(["已完成", "已取消", "待发货"])] for _ in range(rows)]
    out.append((_write(root / "vocabulary.csv", header, body),
                ["name", "phone", "address", "cn_resident_id", "phone", "accommodation",
                 "accommodation", "name", NONE], {}, {}))
    # A forum's 账号 column: login names and QQ numbers, and users who log in with a phone
    # number or an e-mail address (each counted under its own category).
    def login():
        roll = rng.random()
        if roll < 0.5:
            return "".join(rng.choice(synth.SYLLABLES) for _ in range(2)) + \
                rng.choice(["", "_", "."]) + str(rng.randrange(100))
        if roll < 0.7:
            return str(rng.randrange(10_000, 3_999_999_999))
        if roll < 0.9:
            return synth.mobile(rng)
        return synth.email(rng)
    body = [[login(), f"2019-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"]
            for _ in range(rows)]
    out.append((_write(root / "accounts.csv", ["账号", "注册时间"], body),
                [("account", "phone", "email"), NONE], {}, {}))
    out.append(hotel_register(root, rows, rng))
    return out


#: The column list of the 2013 hotel-register dump (``leakscan/profiles``, whose signature
#: it matches); the benchmark's truth of each column, written here from the profile's
#: documented reading (Version: the check-in time), not read from the profile file.
HOTEL_COLUMNS = (
    ("Name", "name"), ("CardNo", NONE), ("Descriot", NONE), ("CtfTp", NONE),
    ("CtfId", "cn_resident_id"), ("Gender", NONE), ("Birthday", NONE), ("Address", "address"),
    ("Zip", NONE), ("Dirty", NONE), ("District1", NONE), ("District2", NONE),
    ("District3", NONE), ("District4", NONE), ("District5", NONE), ("District6", NONE),
    ("FirstNm", NONE), ("LastNm", NONE), ("Duty", NONE), ("Mobile", "phone"), ("Tel", NONE),
    ("Fax", NONE), ("EMail", "email"), ("Nation", NONE), ("Taste", NONE),
    ("Education", NONE), ("Company", NONE), ("CTel", NONE), ("CAddress", NONE),
    ("CZip", NONE), ("Family", NONE), ("Version", "accommodation"), ("id", NONE))


def hotel_register(root: Path, rows: int, rng: random.Random) -> tuple:
    """A file of that layout: headers that say nothing in Chinese, the check-in time under
    ``Version``; the columns no category holds are blank, codes or free words."""
    def row(i: int) -> list[str]:
        pid = synth.resident_id(rng)
        cells = {"Name": synth.name(rng), "CtfTp": "ID", "CtfId": pid,
                 "Gender": rng.choice("MF"), "Birthday": pid[6:14],
                 "Address": synth.address(rng), "Zip": f"{rng.randrange(100000, 999999)}",
                 "Dirty": "F", "Mobile": synth.mobile(rng) if rng.random() < 0.8 else "",
                 "EMail": synth.email(rng) if rng.random() < 0.3 else "", "Nation": "CHN",
                 "Version": f"2012-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d} "
                            f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:00",
                 "id": str(1_000_000 + i)}
        return [cells.get(h, "") for h, _ in HOTEL_COLUMNS]
    body = [row(i) for i in range(rows)]
    return (_write(root / "hotel_register.csv", [h for h, _ in HOTEL_COLUMNS], body),
            [c for _, c in HOTEL_COLUMNS], {}, {})


def _write(path: Path, header, rows) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        if header:
            w.writerow(header)
        w.writerows(rows)
    return path


FLOAT_RENDERING = re.compile(r"^([0-9]{1,15})\.0+$")


def truth_counts(path: Path, labels, has_header: bool):
    """valid and unique per category, cell by cell, with the Python reference."""
    registry = default_registry()
    valid, unique = defaultdict(int), defaultdict(set)
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    for row in rows[1:] if has_header else rows:
        for cell, label in zip(row, labels, strict=True):
            # An integer written as a float, every digit intact (at most 15), is that integer:
            # ``13800138000.0`` is the phone number the construction wrote before ``.0``.
            cell = FLOAT_RENDERING.sub(r"\1", cell)
            # A mixed column's cell counts for the first of its categories that accepts it.
            cat = next((c for c in _cats(label) if registry.get(c).is_valid(cell)), None)
            if cat:
                valid[cat] += 1
                unique[cat].add(registry.get(cat).normalize(cell))
    return valid, {c: len(s) for c, s in unique.items()}


def _cats(label) -> tuple[str, ...]:
    """The true categories of a column: none, one, or a mixed column's several."""
    return () if not label else (label,) if isinstance(label, str) else tuple(label)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def _precision_recall(tp, fp, fn) -> dict:
    per_cat = {}
    for cat in sorted(set(tp) | set(fp) | set(fn)):
        per_cat[cat] = {"tp": tp[cat], "fp": fp[cat], "fn": fn[cat],
                        "precision": _ratio(tp[cat], tp[cat] + fp[cat]),
                        "recall": _ratio(tp[cat], tp[cat] + fn[cat])}
    t, f_p, f_n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    return {"categories": per_cat, "precision": _ratio(t, t + f_p),
            "recall": _ratio(t, t + f_n)}


def evaluate(root: Path, rows: int, seed: int) -> dict:
    """Build the corpus under ``root``, scan it, and return the measurements."""
    corpus = build_corpus(root, rows, seed)
    tp, fp, fn = defaultdict(int), defaultdict(int), defaultdict(int)
    count_err: dict[str, float] = defaultdict(float)
    decoy_pi = 0
    # embedded in free text: entries, and counts (truth, reported, |difference|)
    etp, efp, efn = defaultdict(int), defaultdict(int), defaultdict(int)
    # per file: {"<category>.valid" | ".unique": [truth, reported, |difference|]}
    per_file: dict[str, dict[str, list[int]]] = {}
    planted_total: dict[str, int] = defaultdict(int)
    shape_only = 0  # embedded entries with candidates but no valid value: not claims
    tier_files: dict[str, dict] = {}  # attribute files: tiers and level, truth and reported
    masked_err: dict[str, list[int]] = {}  # "<file>: <category>": [planted, reported]
    silent: list[str] = []  # personal columns neither assigned nor named in a warning
    warned_misses: list[str] = []  # personal columns not assigned, named in a warning
    shape_counts: dict[str, list[int]] = {}
    file_counts: dict[str, list[int]] = {}
    for path, labels, planted, *more in corpus:
        masked_truth = more[0] if more else {}
        doc = leakscan.scan([str(path)]).to_dict()
        has_header = doc["inputs"][0]["dialect"]["header"]
        with open(path, encoding="utf-8", newline="") as f:
            first = next(csv.reader(f))
        names = first if has_header else [f"column{k + 1}" for k in range(len(labels))]
        # Embedded entries are values found inside a text column, not the column's category.
        # A mixed column counts as assigned to its category and to each category of ``also``.
        got: dict[str, set] = defaultdict(set)
        for c in doc["columns"] + doc.get("excluded", []):
            if not c.get("embedded"):
                got[c["column"]] |= {c["category"]} | {a["category"] for a in c.get("also", [])}
        warned = " ".join(str(w) for w in doc.get("warnings", []))
        for name, label in zip(names, labels, strict=True):
            pred, truth = got.get(name, set()), set(_cats(label))
            for cat in truth & pred:
                tp[cat] += 1
            for cat in pred - truth:
                fp[cat] += 1
            for cat in truth - pred:
                fn[cat] += 1
            if truth and not pred:
                (warned_misses if name in warned else silent).append(f"{path.name}: {name}")
        for cat, n in masked_truth.items():
            masked_err[f"{path.name}: {cat}"] = [
                n, doc["categories"].get(cat, {}).get("masked", 0)]
        valid, uniq = truth_counts(path, labels, has_header)
        for cat in valid:
            rep = doc["categories"].get(cat, {"valid": 0, "unique": 0})
            count_err[f"{cat}.valid"] = max(count_err[f"{cat}.valid"],
                                            abs(rep["valid"] - valid[cat]) / valid[cat])
            count_err[f"{cat}.unique"] = max(count_err[f"{cat}.unique"],
                                             abs(rep["unique"] - uniq[cat]) / uniq[cat])
        for cat in valid:  # every file: valid and unique per category, truth and reported
            rep = doc["categories"].get(cat, {"valid": 0, "unique": 0})
            file_counts[f"{path.name}: {cat}.valid"] = [valid[cat], rep["valid"]]
            file_counts[f"{path.name}: {cat}.unique"] = [uniq[cat], rep["unique"]]
        if more:  # issue 12's shapes: each category's valid count, planted and reported
            for cat in dict.fromkeys(c for label in labels for c in _cats(label)):
                shape_counts[f"{path.name}: {cat}"] = [
                    valid.get(cat, 0), doc["categories"].get(cat, {}).get("valid", 0)]
        if path.name == "decoys.csv":
            decoy_pi = doc["records"]["with_personal_info"]
        if path.name in ATTRIBUTE_FILES:
            truth = true_tiers(path, labels, default_registry())
            level = next(a for a in doc["assessments"]
                         if a["ruleset"] == "cn-cl253-1-2017")["level"]
            tier_files[path.name] = {"truth": truth, "reported": dict(doc["tiers"]),
                                     "level_truth": true_level(truth), "level": level}
        # Embedded: an entry claims a category when it reports a valid value.
        reported = {(c["column"], c["category"]): c["valid"] for c in doc["columns"]
                    if c.get("embedded")}
        shape_only += sum(1 for v in reported.values() if not v)
        for vals in planted.values():
            for c, st, _ in vals:
                planted_total[f"{c}.{st}"] += 1
        ecount = per_file[path.name] = {f"{c}.{k}": [0, 0, 0] for c in EMBEDDED_CATS
                                        for k in ("valid", "unique")}
        for j, name in enumerate(names):
            for cat in EMBEDDED_CATS:
                true_valid = sum(1 for c, st, _ in planted.get(j, ())
                                 if c == cat and st == "valid")
                rep_valid = reported.get((name, cat), 0)
                if rep_valid and true_valid:
                    etp[cat] += 1
                elif rep_valid:
                    efp[cat] += 1
                elif true_valid:
                    efn[cat] += 1
                e = ecount[f"{cat}.valid"]
                e[0], e[1], e[2] = e[0] + true_valid, e[1] + rep_valid, \
                    e[2] + abs(rep_valid - true_valid)
        # The file's unique count, where the category has no column of its own here.
        for cat in EMBEDDED_CATS:
            if any(cat in _cats(label) for label in labels):
                continue
            true_unique = len({n for vals in planted.values() for c, st, n in vals
                               if c == cat and st == "valid"})
            rep_unique = doc["categories"].get(cat, {}).get("unique", 0)
            e = ecount[f"{cat}.unique"]
            e[0], e[1], e[2] = e[0] + true_unique, e[1] + rep_unique, \
                e[2] + abs(rep_unique - true_unique)
    structured = _precision_recall(tp, fp, fn)
    embedded = _precision_recall(etp, efp, efn)
    total = {k: [sum(f[k][i] for f in per_file.values()) for i in range(3)]
             for k in next(iter(per_file.values()))}
    embedded["counts"] = {k: {"truth": t, "reported": r, "error": _ratio(d, t) if t else float(d)}
                          for k, (t, r, d) in total.items()}
    embedded["files"] = per_file
    embedded["planted"] = dict(planted_total)
    embedded["shape_only_entries"] = shape_only
    return {"files": len(corpus), "categories": structured["categories"],
            "precision": structured["precision"], "recall": structured["recall"],
            "count_error": dict(count_err), "decoy_personal_records": decoy_pi,
            "masked": masked_err, "silent_misses": silent,
            "warned_misses": warned_misses, "shape_counts": shape_counts,
            "file_counts": file_counts,
            "embedded": embedded, "tiers": tier_files,
            "tier_precision_recall": _tier_precision_recall(tier_files)}


ATTRIBUTE_FILES = ("attributes.csv", "attributes_b.csv", "attribute_decoys.csv",
                   "card_name_decoys.csv")


def _tier_precision_recall(tier_files: dict) -> dict:
    """Per tier, over the attribute files: records reported in the tier that are truly in it
    (the smaller of the two counts per file, rows being of one kind per file) against
    reported and true totals."""
    out = {}
    for t in ("A", "B", "C"):
        rep = sum(f["reported"][t] for f in tier_files.values())
        tru = sum(f["truth"][t] for f in tier_files.values())
        hit = sum(min(f["reported"][t], f["truth"][t]) for f in tier_files.values())
        out[t] = {"truth": tru, "reported": rep, "precision": _ratio(hit, rep),
                  "recall": _ratio(hit, tru)}
    return out


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
    tot = [sum(m[k] for m in res["categories"].values()) for k in ("tp", "fp", "fn")]
    print(f"{'all':<16}{tot[0]:>5}{tot[1]:>5}{tot[2]:>5}{res['precision']:>11.3f}"
          f"{res['recall']:>8.3f}")
    print("\nrelative count error (max over files; a column not assigned counts as a miss)")
    for key, err in sorted(res["count_error"].items()):
        print(f"  {key:<26} {err:.4f}")
    emb = res["embedded"]
    print("\nembedded in free text: (column, category) entries with valid > 0")
    print(f"{'category':<16}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}")
    for cat, m in emb["categories"].items():
        print(f"{cat:<16}{m['tp']:>5}{m['fp']:>5}{m['fn']:>5}{m['precision']:>11.2f}"
              f"{m['recall']:>8.2f}")
    print(f"{'all':<16}{'':>15}{emb['precision']:>11.2f}{emb['recall']:>8.2f}")
    print("\nembedded count error (sum over columns of |reported - truth| / truth; unique: "
          "per file)")
    print(f"  {'':<26} {'truth':>7} {'reported':>9} {'error':>7}")
    for key, m in sorted(emb["counts"].items()):
        print(f"  {key:<26} {m['truth']:>7} {m['reported']:>9} {m['error']:>7.4f}")
    print(f"  (entries with candidates but valid 0, not counted as claims: "
          f"{emb['shape_only_entries']})")
    print("planted in text (no card named: a valid card in a cell that names no card or "
          "account, not counted by design)")
    print(f"  {'':<26} {'valid':>7} {'invalid':>9} {'no card named':>14}")
    for cat in EMBEDDED_CATS:
        n = [emb["planted"].get(f"{cat}.{st}", 0) for st in ("valid", "invalid", "no_context")]
        print(f"  {cat:<26} {n[0]:>7} {n[1]:>9} {n[2]:>14}")
    print("\nissue 12 shapes: valid per category and file (truth from construction / "
          "reported)")
    for key, (t, r) in res["shape_counts"].items():
        print(f"  {key:<40} {t:>6} {r:>6}  error {abs(r - t) / t if t else float(r):.4f}")
    print("masked cells per category and file (planted / reported)")
    for key, (t, r) in res["masked"].items():
        print(f"  {key:<40} {t:>6} {r:>6}  error {abs(r - t) / t if t else float(r):.4f}")
    print(f"silent misses (personal columns neither assigned nor named in a warning): "
          f"{len(res['silent_misses'])}")
    for miss in res["silent_misses"]:
        print(f"  {miss}")
    print(f"warned misses (not assigned, named in a warning with the reason): "
          f"{len(res['warned_misses'])}")
    for miss in res["warned_misses"]:
        print(f"  {miss}")
    print(f"\npersonal-information records reported on decoys.csv: "
          f"{res['decoy_personal_records']}")
    print("\nattribute files: records per tier (truth / reported) and level (Art. 253-1)")
    for name, f in res["tiers"].items():
        cells = "  ".join(f"{t} {f['truth'][t]}/{f['reported'][t]}" for t in ("A", "B", "C"))
        print(f"  {name:<24} {cells}  level {f['level_truth']}/{f['level']}")
    print(f"{'tier':<16}{'truth':>7}{'reported':>10}{'precision':>11}{'recall':>8}")
    for t, m in res["tier_precision_recall"].items():
        print(f"{t:<16}{m['truth']:>7}{m['reported']:>10}{m['precision']:>11.2f}"
              f"{m['recall']:>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
