"""Seeded generator of synthetic Chinese personal identifiers.

Why: tests, the files in ``sample_data/`` and the benchmark dumps all need identifiers that
*pass* the same validation a real leak's values pass (GB 11643 check digit, a real birth date,
a region code that existed in the birth year, a number range phonenumbers knows, a Luhn
check digit), without copying anything from a real person. Every value here is drawn from a
``random.Random`` instance the caller passes in, so a seed reproduces the same values.
Random valid numbers may of course coincide with numbers that are in use; nothing is taken from
a real record, and e-mail addresses use the reserved ``example.*`` domains (RFC 2606).

The reference data is not hand-typed where a domain library has it: region codes (and the
years each was in use) come from python-stdnum's ``cn/loc`` database, mobile prefixes and fixed
line area codes are found by sampling candidate numbers and keeping those phonenumbers accepts.
Dependencies: the standard library, python-stdnum and (only for phone numbers, imported on
first use) phonenumbers, both dependencies of leakscan anyway.

>>> import random
>>> from stdnum.cn import ric
>>> rng = random.Random(2024)
>>> rid = resident_id(rng)
>>> len(rid), ric.is_valid(rid), ric.is_valid(resident_id(rng, valid=False))
(18, True, False)
>>> resident_id(random.Random(5)) == resident_id(random.Random(5))
True
>>> from stdnum import luhn
>>> card = bank_card(rng, length=19)
>>> len(card), card[:2], luhn.is_valid(card)
(19, '62', True)
>>> spell_phone("13800138000", "plus86_spaced"), spell_id("11010519491231002x", "plain")
('+86 138 0013 8000', '11010519491231002X')
>>> spell_id("11010519491231002X", "lower_x")
'11010519491231002x'
"""

from __future__ import annotations

import datetime
import functools
import random

from stdnum import luhn, numdb
from stdnum.cn import ric

__all__ = [
    "ID_STYLES", "PHONE_STYLES", "address", "address_parts", "bank_card", "email", "fixed_line",
    "fixed_line_areas", "id_spellings", "mobile", "mobile_prefixes", "name", "passport",
    "phone_spellings", "region_codes", "resident_id", "spell_id", "spell_phone", "to_fullwidth",
]

# --------------------------------------------------------------------------- region codes

#: Placeholder entries of the code table that no person's ID is issued under.
_PLACEHOLDER_COUNTIES = {"市辖区", "县", "市区", "郊区"}
#: Hong Kong, Macao, Taiwan: their codes are not county codes of resident IDs.
_EXCLUDED_PROVINCES = {"71", "81", "82"}


def _periods(county: str) -> list[tuple[int | None, int | None, str]]:
    """``"[1983-1986]郊区,[1987-]白云区"`` -> ``[(1983, 1986, '郊区'), (1987, None, '白云区')]``.

    Same reading as ``stdnum.cn.ric.get_birth_place``: an unbracketed name is valid in every
    year, ``[start-end]`` (either side may be empty) only in that range, inclusive.
    """
    out = []
    for part in county.split(","):
        if not part.startswith("["):
            out.append((None, None, part))
            continue
        span, label = part[1:].split("]", 1)
        start, end = span.split("-")
        out.append((int(start) if start else None, int(end) if end else None, label))
    return out


@functools.cache
def _loc_table() -> tuple[tuple[str, str, tuple[tuple[int | None, int | None, str], ...]], ...]:
    """``(code, province, periods)`` for every 6-digit code in stdnum's ``cn/loc`` data."""
    rows = []
    for _, low, high, props, children in numdb.get("cn/loc").prefixes:
        province = props.get("province", "")
        for p in range(int(low), int(high) + 1):
            for _, clow, chigh, cprops, _ in children:
                for c in range(int(clow), int(chigh) + 1):
                    code = f"{p:02d}{c:04d}"
                    rows.append((code, province, tuple(_periods(cprops.get("county", "")))))
    return tuple(rows)


@functools.cache
def region_codes() -> tuple[tuple[str, int | None, int | None], ...]:
    """County-level codes usable in a resident ID: ``(code, first_year, last_year)`` periods.

    A code appears once per period in which it was in use (``None`` = open-ended). Province-
    and prefecture-level codes (``..00``) and placeholder entries are left out: they are valid
    for stdnum but rare in real IDs.
    """
    out = []
    for code, _, periods in _loc_table():
        if code[:2] in _EXCLUDED_PROVINCES or code.endswith("00"):
            continue
        for start, end, label in periods:
            if label and label not in _PLACEHOLDER_COUNTIES:
                out.append((code, start, end))
    return tuple(out)


def _valid_in(start: int | None, end: int | None, year: int) -> bool:
    return (start is None or year >= start) and (end is None or year <= end)


# --------------------------------------------------------------------------- resident ID


def _check_digit(first17: str) -> str:
    return ric.calc_check_digit(first17 + "0")


def resident_id(rng: random.Random, *, valid: bool = True, min_year: int = 1940,
                max_year: int = 2012) -> str:
    """An 18-digit resident ID number (GB 11643-1999).

    The birth date is a real calendar date in ``min_year..max_year``, the region code one that
    stdnum's table lists as in use in the birth year, the sequence number 001-999, the check
    digit correct. ``valid=False`` returns the same kind of number with a *wrong* check digit.
    """
    codes = region_codes()
    year = rng.randint(min_year, max_year)
    while True:
        code, start, end = codes[rng.randrange(len(codes))]
        if _valid_in(start, end, year):
            break
    born = datetime.date(year, 1, 1) + datetime.timedelta(
        days=rng.randrange(366 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 365))
    body = f"{code}{born:%Y%m%d}{rng.randint(1, 999):03d}"
    check = _check_digit(body)
    if not valid:
        check = rng.choice([c for c in "0123456789X" if c != check])
    return body + check


# --------------------------------------------------------------------------- phone numbers


def _pn():
    import phonenumbers

    return phonenumbers


def _accepts(number: str, kind: str) -> bool:
    pn = _pn()
    try:
        parsed = pn.parse(number, "CN")
    except pn.NumberParseException:
        return False
    want = getattr(pn.PhoneNumberType, kind)
    return pn.is_valid_number(parsed) and pn.number_type(parsed) == want


@functools.cache
def mobile_prefixes() -> tuple[str, ...]:
    """Three-digit mobile prefixes (``130``...``199``) whose every number phonenumbers accepts.

    Found by sampling: a prefix is kept when 24 random numbers under it are all valid CN
    mobile numbers (prefixes valid only in part, such as ``1740[0-5]``, are dropped).
    """
    probe = random.Random(11)
    keep = []
    for prefix in range(130, 200):
        if all(_accepts(f"{prefix}{probe.randrange(10**8):08d}", "MOBILE") for _ in range(24)):
            keep.append(str(prefix))
    return tuple(keep)


def mobile(rng: random.Random) -> str:
    """An 11-digit mainland mobile number, e.g. ``'13912345678'``."""
    prefixes = mobile_prefixes()
    return prefixes[rng.randrange(len(prefixes))] + f"{rng.randrange(10**8):08d}"


@functools.cache
def fixed_line_areas() -> tuple[tuple[str, int], ...]:
    """``(area code without the trunk 0, subscriber length)`` pairs phonenumbers accepts.

    Candidates are ``10``, ``20``-``29`` and ``300``-``999``; for each, 8- then 7-digit
    subscriber numbers starting with 2-8 are sampled, and the first length whose 16 samples
    are all valid CN fixed-line numbers is kept.
    """
    probe = random.Random(12)
    areas = ["10"] + [str(a) for a in range(20, 30)] + [str(a) for a in range(300, 1000)]
    keep = []
    for area in areas:
        for length in (8, 7):
            rest = length - 1
            samples = (f"0{area}{probe.randint(2, 8)}{probe.randrange(10**rest):0{rest}d}"
                       for _ in range(16))
            if all(_accepts(s, "FIXED_LINE") for s in samples):
                keep.append((area, length))
                break
    return tuple(keep)


def fixed_line(rng: random.Random) -> str:
    """A fixed-line number in the usual national form, e.g. ``'010-62345678'``."""
    areas = fixed_line_areas()
    area, length = areas[rng.randrange(len(areas))]
    return f"0{area}-{rng.randint(2, 8)}{rng.randrange(10**(length - 1)):0{length - 1}d}"


# --------------------------------------------------------------------------- other identifiers

#: UnionPay debit-card BINs of large issuers (public issuer prefixes, not personal data).
BINS = ("622202", "621226", "622848", "621700", "622700", "621661", "622588", "621483",
        "622260", "622262", "623058", "621799", "622908", "621288", "622609")


def bank_card(rng: random.Random, length: int = 16) -> str:
    """A Luhn-valid bank card number of ``length`` (16-19) digits with a 62xxxx BIN."""
    if not 16 <= length <= 19:
        raise ValueError("bank card numbers have 16-19 digits")
    body = rng.choice(BINS) + "".join(str(rng.randrange(10)) for _ in range(length - 7))
    return body + luhn.calc_check_digit(body)


def passport(rng: random.Random) -> str:
    """A passport number in the current ordinary-passport form ``E`` + 8 digits."""
    return "E" + f"{rng.randrange(10**8):08d}"


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅文辉鹏飞宇浩然子轩欣怡梓涵"
    "晨阳思雨佳琪俊杰海燕雪梅晓东丹丹凯博雅婷嘉怡诗涵一鸣天佑睿泽宁静安琪春燕秋菊德才永康立新振华"
)


def name(rng: random.Random) -> str:
    """A 2- or 3-character Han name: a common surname and one or two given-name characters."""
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


@functools.cache
def address_parts() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """``(province prefix, city, districts)`` from stdnum's table, current names only.

    The prefix is empty for the four municipalities, whose city is the province-level name.
    """
    current: dict[str, tuple[str, str]] = {}
    for code, province, periods in _loc_table():
        if code[:2] in _EXCLUDED_PROVINCES:
            continue
        names = [label for _, end, label in periods if end is None]
        if names:
            current[code] = (province, names[-1])
    out = []
    for code, (province, label) in current.items():
        municipality = province.endswith("市")
        if municipality and code.endswith("0000"):
            city, prefix = province, ""
        elif (not municipality and province.endswith("省") and code.endswith("00")
              and not code.endswith("0000") and label.endswith("市")):
            city, prefix = label, province
        else:
            continue
        area = code[:2] if municipality else code[:4]
        districts = tuple(lbl for c, (_, lbl) in current.items()
                          if c.startswith(area) and not c.endswith("00") and lbl.endswith("区")
                          and lbl not in _PLACEHOLDER_COUNTIES)
        if districts:
            out.append((prefix, city, districts))
    return tuple(sorted(out))


ROADS = ("中山", "人民", "解放", "建设", "和平", "新华", "长江", "黄河", "胜利", "文化",
         "朝阳", "光明", "幸福", "青年", "学府", "科技", "工业", "迎宾", "滨江", "东风",
         "建国", "民主", "复兴", "友谊")


def address(rng: random.Random) -> str:
    """``[省]市区路号`` from current province, city and district names, e.g.
    ``'广东省广州市天河区中山路128号'`` (municipalities have no province part)."""
    prefix, city, districts = rng.choice(address_parts())
    road = rng.choice(ROADS) + rng.choice(("路", "路", "路", "东路", "西路", "南路", "北路"))
    return f"{prefix}{city}{rng.choice(districts)}{road}{rng.randint(1, 999)}号"


SYLLABLES = ("zhang", "wang", "li", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu",
              "sun", "ma", "hu", "guo", "lin", "he", "gao", "luo", "zheng", "xiao", "ming", "hua",
              "wei", "fang", "jing", "li", "qiang", "jun", "yan", "tao", "chao", "hao", "yu")
EMAIL_DOMAINS = ("example.com", "example.net", "example.org", "qq.example.com",
                 "163.example.com", "126.example.com", "mail.example.net")


def email(rng: random.Random) -> str:
    """A syntactically valid address on a reserved ``example.*`` domain."""
    style = rng.random()
    if style < 0.3:
        local = str(rng.randint(10**5, 10**10))  # QQ-style numeric mailbox
    elif style < 0.7:
        local = rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + str(rng.randint(1, 9999))
    else:
        local = rng.choice(SYLLABLES) + rng.choice("._") + rng.choice(SYLLABLES) \
            + f"{rng.randint(60, 99):02d}"
    return f"{local}@{rng.choice(EMAIL_DOMAINS)}"


# --------------------------------------------------------------------------- spellings

_FULLWIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)} | {" ": "\u3000"})


def to_fullwidth(value: str) -> str:
    """ASCII to full-width forms (``'13'`` -> ``'１３'``), as some input methods type them."""
    return value.translate(_FULLWIDTH)


PHONE_STYLES = ("plain", "plus86", "plus86_spaced", "spaced", "dashed", "plus86_dashed",
                "fullwidth")


def spell_phone(number: str, style: str) -> str:
    """Write an 11-digit mobile or a ``0AREA-SUBSCRIBER`` fixed line in another style.

    >>> [spell_phone("13800138000", s) for s in ("plus86", "dashed", "fullwidth")]
    ['+8613800138000', '138-0013-8000', '１３８００１３８０００']
    >>> spell_phone("010-62345678", "plus86_spaced")
    '+86 10 6234 5678'
    """
    digits = number.replace("-", "").replace(" ", "")
    if digits.startswith("0"):  # fixed line: 0 + area code, subscriber number
        area, sub = number.split("-") if "-" in number else (digits[1:3], digits[3:])
        area = area.removeprefix("0")
        groups = [area, sub[:-4], sub[-4:]]
        plain, local = f"0{area}-{sub}", ["0" + area] + groups[1:]
    else:
        groups = [digits[:3], digits[3:7], digits[7:]]
        plain, local = digits, groups
    if style == "plain":
        return plain
    if style == "plus86":
        return "+86" + "".join(groups)
    if style == "plus86_spaced":
        return "+86 " + " ".join(groups)
    if style == "plus86_dashed":
        return "+86-" + "-".join(groups)
    if style == "spaced":
        return " ".join(local)
    if style == "dashed":
        return "-".join(local)
    if style == "fullwidth":
        return to_fullwidth(plain)
    raise ValueError(f"unknown phone style {style!r}; one of {', '.join(PHONE_STYLES)}")


def phone_spellings(number: str) -> dict[str, str]:
    """The same number in every style of ``PHONE_STYLES``."""
    return {style: spell_phone(number, style) for style in PHONE_STYLES}


ID_STYLES = ("plain", "lower_x", "fullwidth", "spaced")


def spell_id(number: str, style: str) -> str:
    """Write an 18-digit ID another way: lower-case ``x``, full-width digits, or spaced as
    ``region date sequence+check`` (``'110105 19491231 002X'``)."""
    number = number.upper()
    if style == "plain":
        return number
    if style == "lower_x":
        return number.lower()
    if style == "fullwidth":
        return to_fullwidth(number)
    if style == "spaced":
        return f"{number[:6]} {number[6:14]} {number[14:]}"
    raise ValueError(f"unknown ID style {style!r}; one of {', '.join(ID_STYLES)}")


def id_spellings(number: str) -> dict[str, str]:
    """The same ID in every style of ``ID_STYLES``."""
    return {style: spell_id(number, style) for style in ID_STYLES}
