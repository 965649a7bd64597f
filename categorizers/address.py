"""Postal address.

A free-text address such as ``北京市朝阳区建国路88号`` or ``88 Jianguo Road, Chaoyang
District``. After folding full-width characters and squashing white space it must be 6-120
characters long and either

- contain an administrative-division or street marker (``省 市 区 县 镇 乡 村 街道 路 街 巷 弄
  号 栋 幢 单元 室 小区 自治区 自治州 旗 盟``); the markers are Han characters, so such an
  address always contains one; or
- be a Latin-letter address: an ASCII digit and a street word (``road street st rd avenue ave
  lane district city province``, any case) standing as a whole word, i.e. not next to another
  ASCII letter (``88 Jianguo Rd.``, ``5th Avenue``).

A value containing ``*`` (``＊`` once folded) is not valid: it is an address masked by
whoever published the leak, or a sample masked by leakscan itself (``北京市朝阳区***``), and
no longer locates anyone. The normalised value is the folded, squashed text; case is kept
(it is free text).

Sources: GB/T 2260 (administrative divisions: 省, 自治区, 市, 自治州, 盟, 县, 旗, 区);
GB/T 10114 (the township level below a county: 镇, 乡, 街道, and villages, 村); the street,
lane and building words (路 街 巷 弄 号 栋 幢 单元 室 小区) of the way China Post asks for
addresses to be written.

It errs towards *accepting* a value that has the *shape* of an address, since the header has
already said the column holds addresses (no value-only detection: ``人民路`` appears in shop
names and ``市`` in company names, so values alone would find addresses everywhere). It
rejects what cannot be an address at all: too short to locate anyone (``北京``), placeholder
text (``随便写写``, ``不详``), masked text and overlong text such as remarks pasted into the
column.

Python reference: substring tests and ``ord``/``str`` methods, independent of the SQL regular
expressions.

>>> normalize(' 北京市  朝阳区 建国路８８号 ')
'北京市 朝阳区 建国路88号'
>>> is_valid('北京市朝阳区建国路88号'), is_valid('随便写写')
(True, False)
>>> mask('北京市朝阳区建国路88号'), mask('88 Jianguo Road')
('北京市朝阳区***', '** Jia***')
"""

from __future__ import annotations

import string

from leakscan.text import FOLD_WIDTH_SQL, SQUASH_SPACE_SQL, fold_width, squash_space, validity_of
from leakscan.validation import InvalidFormat, InvalidLength

from . import _headers, _roles

ID = "address"
CLASS = "identity"
TIER = "C"
IDENTIFYING = True
#: Header words naming a party other than the subject (a doctor, a manager: ``_roles``).
ROLE_WORDS = _roles.ROLE_WORDS
VALUE_DETECTION = False
#: Addresses often carry a phone number or a name: the column is also searched as free text.
SEARCH_INSIDE = True
#: Header words, from the vocabulary file ``data/headers.toml`` (``_headers``).
HEADER_SYNONYMS = _headers.synonyms(ID)

MIN_LENGTH = 6
MAX_LENGTH = 120
MASK_KEEP = 6
#: Leaks (and leakscan's own samples) mask addresses with ``*``; a masked address is rejected.
MASK_CHAR = "*"

#: Administrative-division, street and building markers (all contain a Han character).
MARKERS = ("省", "市", "区", "县", "镇", "乡", "村", "街道", "路", "街", "巷", "弄", "号", "栋", "幢",
           "单元", "室", "小区", "自治区", "自治州", "旗", "盟")
#: Street words of a Latin-letter address, matched case-insensitively as whole words.
STREET_WORDS = ("road", "street", "st", "rd", "avenue", "ave", "lane", "district", "city",
                "province")

_LOWER = string.ascii_lowercase
_UPPER = string.ascii_uppercase
_LOWER_TABLE = str.maketrans(_UPPER, _LOWER)
_ASCII_LETTERS = frozenset(string.ascii_letters)
_DIGITS = frozenset(string.digits)


NORMALIZE_SQL = (
    FOLD_WIDTH_SQL,
    SQUASH_SPACE_SQL,
)
# A CASE chain rather than AND/OR: in a projection DuckDB evaluates every operand of AND and
# OR for every row, and the Latin-address test (a translate() and two regexes) cost ~0.5 s per
# million cells although a marker decides almost every Chinese address first.
VALIDATE_SQL = (
    f"CASE WHEN NOT (length({{value}}) BETWEEN {MIN_LENGTH} AND {MAX_LENGTH}) THEN false "
    f"WHEN POSITION('{MASK_CHAR}' IN {{value}}) <> 0 THEN false "
    f"WHEN regexp_matches({{value}}, '{'|'.join(MARKERS)}') THEN true "
    f"WHEN NOT regexp_matches({{value}}, '[0-9]') THEN false "
    # ASCII-only lower-casing: RE2's (?i) would also fold 'ſ' to 's' and 'K' (Kelvin) to 'k'.
    f"ELSE regexp_matches(translate({{value}}, '{_UPPER}', '{_LOWER}'), "
    f"'(?:^|[^a-z])(?:{'|'.join(STREET_WORDS)})(?:[^a-z]|$)') END"
)


def normalize(value: str | None) -> str | None:
    """Fold width and squash white space; ``None`` when blank."""
    if value is None:
        return None
    return squash_space(fold_width(value))


def _ascii_words(text: str) -> set[str]:
    """The maximal runs of ASCII letters in ``text``, lower-cased."""
    words, run = set(), []
    for c in text + " ":
        if c in _ASCII_LETTERS:
            run.append(c)
        elif run:
            words.add("".join(run).translate(_LOWER_TABLE))
            run = []
    return words


def validate(value: str | None) -> str:
    """Return the normalised address or raise why it does not look like one."""
    address = normalize(value)
    if address is None:
        raise InvalidFormat("blank")
    if not MIN_LENGTH <= len(address) <= MAX_LENGTH:
        raise InvalidLength(f"{len(address)} characters, not {MIN_LENGTH}-{MAX_LENGTH}")
    if MASK_CHAR in address:
        raise InvalidFormat("masked (contains '*')")
    if any(marker in address for marker in MARKERS):
        return address
    if any(c in _DIGITS for c in address) and _ascii_words(address) & set(STREET_WORDS):
        return address
    raise InvalidFormat("no division, street or building marker")


is_valid = validity_of(validate)


#: SQL twin of ``mask``: decimal digits (Unicode category Nd, as ``str.isdecimal``) starred.
MASK_SQL = (f"regexp_replace(left({{value}}, least({MASK_KEEP}, length({{value}}) // 2)), "
            f"'\\p{{Nd}}', '*', 'g') || '***'")


def mask(normalized: str) -> str:
    """The first characters (at most 6, at most half) with digits hidden, then ``***``.

    Chinese addresses run from province to room, so the start names only the area; digits
    in it (a Latin address starts with the house number) are starred too.
    """
    keep = min(MASK_KEEP, len(normalized) // 2)
    return "".join("*" if c.isdecimal() else c for c in normalized[:keep]) + "***"
