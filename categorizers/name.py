"""Personal name.

A person's name in one of two shapes:

- Chinese: 2-4 Han characters (CJK Unified Ideographs U+4E00-U+9FFF and Extension A
  U+3400-U+4DBF, where rare name characters live), e.g. ``张三``, ``欧阳娜娜``; or, for names
  transliterated from Uyghur, Kazakh and other languages, Han segments joined by a middle dot
  (``买买提·艾力``), at most 15 Han characters in all, no dot at either end or two in a row;
- Latin: 2-4 words of 1-20 ASCII letters each, a hyphen or apostrophe allowed inside a word
  (``Jean-Luc O'Neil``), at most 40 characters.

Normalisation folds full-width characters and squashes white space. A value with a Han
character then loses its inner spaces (``张 三`` becomes ``张三``) and every character typed
for the separator of a transliterated name becomes the middle dot U+00B7: the bullet ``•``
U+2022, the katakana middle dots ``・`` U+30FB and ``･`` U+FF65, the full stops ``．`` U+FF0E
and ``.``, the hyphenation point ``‧`` U+2027 and the bullet operator ``∙`` U+2219 (``DOTS``:
input methods, fonts and registration systems write the one separator in all these ways).
Any other value loses the tone marks of pinyin (``Zhāng Wěi`` becomes ``zhang wei``: the
accented vowels ``DIACRITIC_VOWELS`` become their base letters, as their canonical
decomposition (NFD) without the combining mark says, and the combining marks of pinyin
``TONE_MARKS`` are dropped) and has its ASCII letters lower-cased: the same person is written
``ZHANG San`` and ``Zhang San`` in different systems of one leak, and names that differ only
by case are rare, so lower case gives better distinct counts than keeping case (and, unlike
title case, has no rules for ``McDonald`` or ``O'Neil`` to get wrong). A Latin-letter name is
never recognised on its values alone (``DETECT_SQL`` needs Han characters), so a pinyin name
is counted only under a name header.

Sources: the Unicode Standard (CJK Unified Ideographs and Extension A blocks); the 通用规范汉字表
(2013) for the characters used in names; the middle dot convention for transliterated names
on resident identity cards; ICAO Doc 9303 part 3 for Latin-letter name fields.

It errs towards *rejecting*: values with digits, initials with dots (``J. Smith``),
non-ASCII Latin letters other than the accented vowels of pinyin, single-word names, five-character Han names
without a dot and Han characters outside the BMP (Extensions B and later, rare and often
mojibake) are not valid; a name is counted only when its shape is unmistakable. Even so the
shape accepts many values that are not names (``北京大学``, ``Hello World``), so a
column without a name header is taken for names only on stricter evidence (``DETECT_SQL``):
2-4 Han characters without a dot that start with one of the 399 most common surnames or one
of the compound surnames of the 百家姓 (``data/cn_surnames.dat``: ``欧阳``, ``司马``,
``诸葛``...), or Han segments of two or more characters joined by middle dots (a
transliterated name: ``买买提·艾力``), in at least 90 % of the sampled values.

Python reference: ``ord`` ranges and ``str`` methods, independent of the SQL regular
expressions.

Masked forms (``MASKED_SQL``, ``is_masked``): 2-5 characters, Han characters with one run of
one to three ``*``, ``×``, ``●``, ``x`` or ``X``: the surname kept (``张**``, ``欧阳**``), the
surname and the last character kept (``张*三``), or the surname hidden (``*三``). ``•`` is
not a mask here: it separates the parts of transliterated names (``阿卜杜•热合曼``).
Placeholders (``张某``, ``无名氏``) are not masked values: they are invalid names.

>>> normalize(' 张 三 '), normalize('ZHANG  San')
('张三', 'zhang san')
>>> is_valid('买买提•艾力'), is_valid('张')
(True, False)
>>> normalize('买买提・艾力'), normalize('Zhāng Wěi')
('买买提·艾力', 'zhang wei')
>>> mask('欧阳娜娜'), mask('zhang san')
('欧***', 'z*** s***')
"""

from __future__ import annotations

import functools
import string
import unicodedata
from pathlib import Path

from leakscan.text import (
    FOLD_WIDTH_SQL,
    SQUASH_SPACE_SQL,
    fold_width,
    masked_form,
    squash_space,
    validity_of,
)
from leakscan.validation import InvalidFormat, InvalidLength

from . import _headers, _roles

ID = "name"
CLASS = "identity"
TIER = "C"
IDENTIFYING = True
#: Header words naming a party other than the subject (a doctor, a manager: ``_roles``).
ROLE_WORDS = _roles.ROLE_WORDS
VALUE_DETECTION = True
#: Header words, from the vocabulary file ``data/headers.toml`` (``_headers``).
HEADER_SYNONYMS = _headers.synonyms(ID)
#: ``户名`` (a bank account's holder) is a name header, but ``用户名`` is a login name.
NEGATIVE_WORDS = ("用户名",)

DOT = "\u00b7"  # MIDDLE DOT, the separator in transliterated names
BULLET = "\u2022"  # BULLET, often typed instead
#: Every character typed for ``DOT`` in a transliterated name (after width folding, which
#: turns ``．`` U+FF0E into ``.``): bullet, katakana middle dot and its half-width form, full
#: stop, hyphenation point, bullet operator. All become ``DOT`` in a value with a Han character.
DOTS = "\u2022\u30fb\uff65\uff0e.\u2027\u2219"
#: The vowels of pinyin with their tone marks (and ü), lower and upper case. In a value
#: without a Han character each becomes its base letter, and a combining tone mark typed
#: separately (``TONE_MARKS``: grave, acute, macron, caron, diaeresis) is dropped.
DIACRITIC_VOWELS = ("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
                    "ĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙǕǗǙǛÜ")
TONE_MARKS = "\u0300\u0301\u0304\u030c\u0308"
#: The base letter of each, from its canonical decomposition (NFD), as the Unicode data says.
_BASE_VOWELS = "".join(unicodedata.normalize("NFD", c)[0] for c in DIACRITIC_VOWELS)
MAX_DOTTED_HAN = 15
MAX_LATIN_LENGTH = 40
MAX_WORD_LENGTH = 20

_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))
_HAN_CLASS = "[" + "".join(f"\\x{{{lo:X}}}-\\x{{{hi:X}}}" for lo, hi in _HAN_RANGES) + "]"
_LOWER = string.ascii_lowercase
_UPPER = string.ascii_uppercase
_LOWER_TABLE = str.maketrans(_UPPER + DIACRITIC_VOWELS, _LOWER + _BASE_VOWELS.lower(),
                             TONE_MARKS)
_DOT_TABLE = str.maketrans(DOTS, DOT * len(DOTS))
_LATIN_LETTERS = frozenset(_LOWER)


_DOTS_CLASS = "[" + "".join(f"\\x{{{ord(c):X}}}" for c in DOTS) + "]"
#: DuckDB's ``translate`` costs about as much as the rest of the normalisation, so it runs
#: only on the values that hold a character it changes: a dot other than U+00B7 in a Han
#: value (a few in a hundred), a non-ASCII character in a Latin one (2M values: 3.4 s rather
#: than 8 s for the Han branch alone, one thread).
NORMALIZE_SQL = (
    FOLD_WIDTH_SQL,
    SQUASH_SPACE_SQL,
    f"CASE WHEN regexp_matches({{value}}, '{_HAN_CLASS}') "
    f"THEN CASE WHEN regexp_matches({{value}}, '{_DOTS_CLASS}') "
    f"THEN translate(replace({{value}}, ' ', ''), '{DOTS}', '{DOT * len(DOTS)}') "
    f"ELSE replace({{value}}, ' ', '') END "
    f"WHEN regexp_matches({{value}}, '[^\\x00-\\x7f]') "
    f"THEN translate({{value}}, '{_UPPER}{DIACRITIC_VOWELS}{TONE_MARKS}', "
    f"'{_LOWER}{_BASE_VOWELS.lower()}') "
    f"ELSE translate({{value}}, '{_UPPER}', '{_LOWER}') END",
)
_WORD = "[a-z]+(?:[-''][a-z]+)*"  # '' is one apostrophe inside the SQL literal
#: A CASE chain, not OR: in a projection DuckDB evaluates every operand of an OR for every row;
#: CASE stops at the first test that decides (a 2-4 character Han name, most cells).
VALIDATE_SQL = (
    f"CASE WHEN regexp_full_match({{value}}, '{_HAN_CLASS}{{2,4}}') THEN true "
    f"WHEN regexp_full_match({{value}}, '{_HAN_CLASS}+(?:{DOT}{_HAN_CLASS}+)+') "
    f"THEN length(replace({{value}}, '{DOT}', '')) <= {MAX_DOTTED_HAN} "
    f"ELSE regexp_full_match({{value}}, '{_WORD}(?: {_WORD}){{1,3}}') "
    f"AND length({{value}}) <= {MAX_LATIN_LENGTH} "
    f"AND NOT regexp_matches({{value}}, '[^ ]{{{MAX_WORD_LENGTH + 1}}}') END"
)

#: Placeholders and anonymised forms identify nobody (无名氏 for an unidentified patient, 张某
#: and 张某某 in judgments and news, 张先生 / 王女士 / 李小姐 in service logs), and membership
#: levels (金卡会员) and user classes name a group: none is a name, whatever the header says.
PLACEHOLDERS = ("无名氏", "匿名", "佚名", "不详", "未知", "某某")
PLACEHOLDER_CHAR = "某"
PLACEHOLDER_SUFFIXES = ("先生", "女士", "小姐", "太太", "会员", "用户", "客户", "顾客")
_PLACEHOLDER_RE = ("某|^(?:" + "|".join(PLACEHOLDERS) + ")$|(?:"
                   + "|".join(PLACEHOLDER_SUFFIXES) + ")$")
VALIDATE_SQL = f"NOT regexp_matches({{value}}, '{_PLACEHOLDER_RE}') AND ({VALIDATE_SQL})"
#: On values alone, a column of names must also be diverse: its distinct valid sampled values
#: at least this share of its valid ones (or at least ``classify.DISTINCT_ENOUGH`` of them), so
#: a brand column (李宁, 王老吉, 周大福...) or a level column, a few values repeated, is no list
#: of people. Measured: Faker's zh_CN names 0.84 distinct at 2,000 rows, 0.99 at 200; a
#: column of 28 brands in 1,000 rows 0.03 (``docs/classification.md``).
MIN_DISTINCT_SHARE = 0.5


def is_placeholder(name: str) -> bool:
    """Python twin of the placeholder test of ``VALIDATE_SQL`` (a normalised value).

    >>> is_placeholder("无名氏"), is_placeholder("张某某"), is_placeholder("王女士")
    (True, True, True)
    >>> is_placeholder("金卡会员"), is_placeholder("张三")
    (True, False)
    """
    return (PLACEHOLDER_CHAR in name or name in PLACEHOLDERS
            or name.endswith(PLACEHOLDER_SUFFIXES))


#: Stricter evidence for a column with no name header (see the module docstring): a
#: Han-only name of 2-4 characters whose first one or two characters are a common or a
#: compound surname, or a transliterated name: Han segments of at least ``MIN_DOTTED_SEGMENT``
#: characters joined by middle dots (a shape hardly any other value has).
MIN_DOTTED_SEGMENT = 2
DETECT_SQL = (
    f"CASE WHEN regexp_full_match({{value}}, '{_HAN_CLASS}{{2,4}}') THEN "
    "(substr({value}, 1, 1) IN (SELECT surname FROM ref_cn_surname) OR "
    "substr({value}, 1, 2) IN (SELECT surname FROM ref_cn_surname)) "
    f"ELSE regexp_full_match({{value}}, '{_HAN_CLASS}{{{MIN_DOTTED_SEGMENT},}}"
    f"(?:{DOT}{_HAN_CLASS}{{{MIN_DOTTED_SEGMENT},}})+') END"
)
_SURNAME_FILE = Path(__file__).with_name("data") / "cn_surnames.dat"


@functools.cache
def surnames() -> frozenset[str]:
    """The surname list, read once from ``data/cn_surnames.dat``."""
    lines = _SURNAME_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(ln.split("\t", 1)[0] for ln in lines if ln and not ln.startswith("#"))


REFERENCE_TABLES = {
    "cn_surname": lambda: ([("surname", "VARCHAR")], [(s,) for s in sorted(surnames())]),
}


def detect(value: str | None) -> bool:
    """Python twin of ``DETECT_SQL``, applied to a raw cell.

    >>> detect("王小明"), detect("北京大学"), detect("张先生")
    (True, False, False)
    >>> detect("诸葛亮"), detect("阿依古丽・买买提"), detect("阿·买买提")
    (True, True, False)
    """
    name = normalize(value)
    if name is None or not is_valid(name):
        return False
    if DOT in name:
        return all(len(part) >= MIN_DOTTED_SEGMENT for part in name.split(DOT))
    if not 2 <= len(name) <= 4 or not all(_is_han(c) for c in name):
        return False
    return name[:1] in surnames() or name[:2] in surnames()


def _is_han(c: str) -> bool:
    code = ord(c)
    return any(lo <= code <= hi for lo, hi in _HAN_RANGES)


def normalize(value: str | None) -> str | None:
    """Fold width, squash white space; Han names lose spaces, Latin names are lower-cased."""
    if value is None:
        return None
    text = squash_space(fold_width(value))
    if text is None:
        return None
    if any(_is_han(c) for c in text):
        return text.replace(" ", "").translate(_DOT_TABLE)
    return text.translate(_LOWER_TABLE)


def _validate_han(name: str) -> None:
    if DOT not in name:
        if not all(_is_han(c) for c in name):
            raise InvalidFormat("a Chinese name has Han characters only")
        if not 2 <= len(name) <= 4:
            raise InvalidLength(f"{len(name)} Han characters, not 2-4")
        return
    parts = name.split(DOT)
    if any(not part for part in parts):
        raise InvalidFormat("middle dot at an end or doubled")
    if not all(_is_han(c) for part in parts for c in part):
        raise InvalidFormat("a Chinese name has Han characters and middle dots only")
    if sum(len(part) for part in parts) > MAX_DOTTED_HAN:
        raise InvalidLength(f"more than {MAX_DOTTED_HAN} Han characters")


def _validate_latin(name: str) -> None:
    if len(name) > MAX_LATIN_LENGTH:
        raise InvalidLength(f"more than {MAX_LATIN_LENGTH} characters")
    words = name.split(" ")
    if not 2 <= len(words) <= 4:
        raise InvalidFormat(f"{len(words)} words, not 2-4")
    for word in words:
        if len(word) > MAX_WORD_LENGTH:
            raise InvalidLength(f"a word of more than {MAX_WORD_LENGTH} characters")
        for piece in word.replace("'", "-").split("-"):
            if not piece or not set(piece) <= _LATIN_LETTERS:
                raise InvalidFormat("words are ASCII letters, '-' and \"'\" inside a word")


def validate(value: str | None) -> str:
    """Return the normalised name or raise why it does not look like one."""
    name = normalize(value)
    if name is None:
        raise InvalidFormat("blank")
    if is_placeholder(name):
        raise InvalidFormat("a placeholder or a level, not a name")
    if any(_is_han(c) for c in name):
        _validate_han(name)
    else:
        _validate_latin(name)
    return name


is_valid = validity_of(validate)


#: SQL twin of ``mask``.
MASK_SQL = ("CASE WHEN regexp_matches(left({value}, 1), '^[a-z]') THEN array_to_string("
            "list_transform(string_split({value}, ' '), lambda w: left(w, 1) || '***'), ' ') "
            "ELSE left({value}, 1) || repeat('*', length({value}) - 1) END")


def mask(normalized: str) -> str:
    """Chinese: the first character and a star per other character; Latin: initials."""
    if normalized[:1] in _LATIN_LETTERS:
        return " ".join(word[:1] + "***" for word in normalized.split(" "))
    return normalized[:1] + "*" * (len(normalized) - 1)


#: Masked names (``leakscan.text.masked_form``).
_HAN = "[\\x{3400}-\\x{9fff}]"
_RUN = "[*×●xX]{1,3}"
MASKED_SQL, is_masked = masked_form((
    (f"{_HAN}{{1,2}}{_RUN}(?:{_HAN}{{1,2}})?|{_RUN}{_HAN}{{1,2}}", (2, 3, 4, 5)),
), chars="*×●xX")
