"""Motor vehicle licence plate (机动车号牌).

Structure (GA 36-2018): a one-character province abbreviation (``京``, ``沪``, ``粤``...), a
letter for the issuing authority (A-Z without I and O), then

- ordinary plates: five letters or digits (no I or O); the last may instead be ``挂``
  (trailer), ``学`` (learner), ``警`` (police), ``港`` or ``澳`` (cross-border);
- new-energy small vehicles: ``D`` or ``F`` then a letter or digit, then four digits;
- new-energy large vehicles: five digits then ``D`` or ``F``.

Normalisation folds full-width characters, removes white space, ``·``, ``•`` and ``-``
(``粤B·12345``, ``京A 12345``) and upper-cases ASCII letters.

A plate identifies a vehicle, and through the registration its keeper, so it is treated as
identifying information of the "other" class (tier C). It errs towards *rejecting*: military,
embassy (``使``/``领``) and temporary plates are not recognised, and neither are old formats.
The shape (a Han province abbreviation followed by a letter) is distinctive enough for
value-only detection.

Python reference: ``str`` methods, independent of the SQL regular expressions.

Masked forms (``MASKED_SQL``, ``is_masked``): the province character and the authority
letter kept, then 5 or 6 letters and digits with one run of ``*``, ``×`` or ``●``
(``粤B***45``, ``京A1**34``); ``·`` and ``•`` separate a plate's parts and are no mask.

>>> normalize("粤b·1234５"), is_valid("粤B12345"), is_valid("粤I12345")
('粤B12345', True, False)
>>> is_valid("京AD12345"), is_valid("京A12345D"), mask("粤B12345")
(True, True, '粤B***45')
"""

from __future__ import annotations

import string

from leakscan.text import compact_upper, compact_upper_sql, masked_form, validity_of
from leakscan.validation import InvalidComponent, InvalidFormat, InvalidLength

from . import _headers, _roles

ID = "cn_license_plate"
CLASS = "other"
TIER = "C"
IDENTIFYING = True
#: Header words naming a party other than the subject (a doctor, a manager: ``_roles``).
ROLE_WORDS = _roles.ROLE_WORDS
VALUE_DETECTION = True
#: Header words, from the vocabulary file ``data/headers.toml`` (``_headers``).
HEADER_SYNONYMS = _headers.synonyms(ID)

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
LETTERS = "".join(c for c in string.ascii_uppercase if c not in "IO")
SUFFIXES = "挂学警港澳"
_SEPARATORS = "\u00b7\u2022-"

NORMALIZE_SQL = compact_upper_sql(_SEPARATORS)
_P, _L, _D = f"[{PROVINCES}]", f"[{LETTERS}]", "[0-9]"
_ALNUM = f"[{LETTERS}0-9]"
VALIDATE_SQL = (
    f"regexp_full_match({{value}}, '{_P}{_L}{_ALNUM}{{4}}[{LETTERS}0-9{SUFFIXES}]') OR "
    f"regexp_full_match({{value}}, '{_P}{_L}[DF]{_ALNUM}{_D}{{4}}') OR "
    f"regexp_full_match({{value}}, '{_P}{_L}{_D}{{5}}[DF]')"
)

_ALNUM_SET = set(LETTERS + string.digits)


def normalize(value: str | None) -> str | None:
    return compact_upper(value, _SEPARATORS)


def validate(value: str | None) -> str:
    """Return the normalised plate or raise why it is not one."""
    plate = normalize(value)
    if plate is None:
        raise InvalidFormat("blank")
    if len(plate) not in (7, 8):
        raise InvalidLength(f"{len(plate)} characters, not 7 or 8")
    if plate[0] not in PROVINCES:
        raise InvalidComponent("unknown province abbreviation")
    if plate[1] not in LETTERS:
        raise InvalidComponent("authority letter")
    rest = plate[2:]
    digits = set(string.digits)
    if len(rest) == 5:
        if all(c in _ALNUM_SET for c in rest[:4]) and (rest[4] in _ALNUM_SET or
                                                       rest[4] in SUFFIXES):
            return plate
    elif rest[0] in "DF" and rest[1] in _ALNUM_SET and set(rest[2:]) <= digits:
        return plate
    elif set(rest[:5]) <= digits and rest[5] in "DF":
        return plate
    raise InvalidFormat("not an ordinary or new-energy plate")


is_valid = validity_of(validate)


#: SQL twin of ``mask``.
MASK_SQL = ("left({value}, 2) || repeat('*', greatest(0, length({value}) - 4)) || "
            "right({value}, 2)")


def mask(normalized: str) -> str:
    """Province, authority letter and the last two characters."""
    return normalized[:2] + "*" * (len(normalized) - 4) + normalized[-2:]


#: Masked plates (``leakscan.text.masked_form``).
MASKED_SQL, is_masked = masked_form((
    ("[\\x{4e00}-\\x{9fff}][A-Za-z][A-Za-z0-9]*[*×●]+[A-Za-z0-9]*", (7, 8)),
), chars="*×●", separators="-·•")
