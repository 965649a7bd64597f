"""Passport number (PRC).

The number of a passport of the People's Republic of China. The forms accepted are:

- ``E`` + 8 digits: ordinary electronic passport (issued since 2012);
- ``E`` + a letter other than ``I`` or ``O`` + 7 digits: ordinary electronic passport, once the
  all-digit ``E`` numbers ran out;
- ``G`` + 8 digits: ordinary passport of the previous (pre-2012) series;
- ``D``, ``S`` or ``P`` + 7 digits: diplomatic, service and public-affairs passports.

There is no check digit. Full-width characters are folded, all white space removed and ASCII
letters upper-cased (``e 1234 5678`` becomes ``E12345678``); the result is the normalised value.

Sources: Passport Law of the PRC (中华人民共和国护照法, 2006) for the kinds of passport; the
number series as published by the National Immigration Administration (国家移民管理局) and
as printed in specimen passports; ICAO Doc 9303 part 4 (the document number field of the
machine-readable zone, at most 9 characters).

It errs towards *rejecting*: only the PRC series above are valid. A generic ICAO fallback
(any 6-9 letters and digits) would also accept order numbers, product codes, licence plates
and user names, so foreign passports, Hong Kong and Macau travel documents and older PRC
series are not counted. Even the PRC forms are too generic to find a column on their values
alone (``G12345678`` could be a part number): the header decides (no value-only detection).

Python reference: ``str`` methods, independent of the SQL regular expression.

Masked forms (``MASKED_SQL``, ``is_masked``): the series letter kept, then letters and
digits with one run of ``*``, ``×``, ``●`` or ``•``, 8 or 9 characters (``E1234****``,
``EA12***67``, ``G****5678``). ``x`` is not a mask here: ``E`` passports carry letters.

>>> normalize(' e1234 5678 ')
'E12345678'
>>> is_valid('E12345678'), is_valid('EI1234567')
(True, False)
>>> mask('EA1234567')
'EA*****67'
"""

from __future__ import annotations

import string

from leakscan.text import (
    FOLD_WIDTH_SQL,
    MASK_CHARS,
    RE2_WHITESPACE,
    fold_width,
    mask_middle,
    mask_middle_sql,
    masked_form,
    validity_of,
)
from leakscan.validation import InvalidComponent, InvalidFormat, InvalidLength

from . import _headers, _mixed, _roles

ID = "passport"
CLASS = "identity"
TIER = "C"
IDENTIFYING = True
#: Header words naming a party other than the subject (a doctor, a manager: ``_roles``).
ROLE_WORDS = _roles.ROLE_WORDS
#: Last in an identity-document column: a shape without a check digit.
MIXED = {"order": 40, "headers": _mixed.ID_DOCUMENT_HEADERS,
         "types": ("护照", "護照", "passport")}
VALUE_DETECTION = False
#: Header words, from the vocabulary file ``data/headers.toml`` (``_headers``).
HEADER_SYNONYMS = _headers.synonyms(ID)

_LOWER = string.ascii_lowercase
_UPPER = string.ascii_uppercase
_UPPER_TABLE = str.maketrans(_LOWER, _UPPER)
_DIGITS = frozenset(string.digits)
#: Second letter of an ``E`` + letter number: ``I`` and ``O`` are left out (look like 1 and 0).
_SERIES_LETTERS = frozenset(_UPPER) - {"I", "O"}


NORMALIZE_SQL = (
    FOLD_WIDTH_SQL,
    # Remove white space; upper-case ASCII letters only (SQL upper() and str.upper() disagree
    # on letters such as 'ß', so both sides use the same ASCII-only table).
    f"NULLIF(translate(regexp_replace({{value}}, '{RE2_WHITESPACE}+', '', 'g'), "
    f"'{_LOWER}', '{_UPPER}'), '')",
)
VALIDATE_SQL = (
    "regexp_full_match({value}, 'E[0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|G[0-9]{8}|[DSP][0-9]{7}')"
)


def normalize(value: str | None) -> str | None:
    """Fold width, remove white space, upper-case ASCII letters; ``None`` when blank."""
    if value is None:
        return None
    return "".join(c for c in fold_width(value) if not c.isspace()).translate(_UPPER_TABLE) or None


def _digits(s: str, n: int) -> bool:
    return len(s) == n and set(s) <= _DIGITS


def validate(value: str | None) -> str:
    """Return the normalised passport number or raise why it is not one."""
    number = normalize(value)
    if number is None:
        raise InvalidFormat("blank")
    if len(number) not in (8, 9):
        raise InvalidLength(f"{len(number)} characters, not 8 or 9")
    kind, rest = number[0], number[1:]
    if kind in "DSP":
        if not _digits(rest, 7):
            raise InvalidFormat(f"{kind} passports are {kind} + 7 digits")
    elif kind == "G":
        if not _digits(rest, 8):
            raise InvalidFormat("G passports are G + 8 digits")
    elif kind == "E":
        if not (_digits(rest, 8) or (len(rest) == 8 and rest[0] in _SERIES_LETTERS
                                     and _digits(rest[1:], 7))):
            raise InvalidFormat("E passports are E + 8 digits or E + letter (not I/O) + 7 digits")
    else:
        raise InvalidComponent(f"unknown passport series {kind!r}")
    return number


is_valid = validity_of(validate)


MASK_SQL = mask_middle_sql("{value}", 2, 2)  # SQL twin of ``mask``


def mask(normalized: str) -> str:
    """Keep the first two and the last two characters."""
    return mask_middle(normalized, 2, 2)


#: Masked passport numbers (``leakscan.text.masked_form``).
MASKED_SQL, is_masked = masked_form((
    ("[EGDSPegdsp][A-Za-z0-9]*[*×●•]+[0-9]*", (8, 9)),
), chars=MASK_CHARS)
