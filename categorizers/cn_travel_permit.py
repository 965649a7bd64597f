"""Mainland Travel Permit for Hong Kong, Macao or Taiwan residents (港澳台居民来往内地通行证).

Structure:

- Hong Kong and Macao residents (港澳居民来往内地通行证, "回乡证"): ``H`` (Hong Kong) or ``M``
  (Macao) and 8 digits, sometimes written with the 2-digit issue count appended (10 digits);
- Taiwan residents (台湾居民来往大陆通行证, "台胞证"): 8 digits.

Normalisation folds full-width characters, removes white space and ``-``, and upper-cases.

A bare 8-digit number is far too common to mean a Taiwan permit on its own, so value-only
detection (``DETECT_SQL``) accepts only the ``H``/``M`` forms; 8-digit permits are counted in
columns whose header names the permit. It errs towards *rejecting* other historical forms.

Masked forms (``MASKED_SQL``, ``is_masked``): ``H`` or ``M`` kept and 8 or 10 digits with
one run of ``*``, ``×``, ``●``, ``•`` or two or more ``x`` (``H1234****``, ``M12****8901``);
a Taiwan permit's 8 digits with such a run (``1234****``, counted only where the column is
a permit column anyway).

>>> normalize("h 1234 5678"), is_valid("H12345678"), is_valid("M1234567801")
('H12345678', True, True)
>>> is_valid("12345678"), detect("12345678"), is_valid("X12345678")
(True, False, False)
"""

from __future__ import annotations

import string

from leakscan.text import (
    MASK_CHARS,
    RE2_DIGIT_MASK_RUN,
    compact_upper,
    compact_upper_sql,
    mask_middle,
    mask_middle_sql,
    masked_form,
    validity_of,
)
from leakscan.validation import InvalidFormat, InvalidLength

from . import _headers, _mixed, _roles

ID = "cn_travel_permit"
CLASS = "identity"
TIER = "C"
IDENTIFYING = True
#: Header words naming a party other than the subject (a doctor, a manager: ``_roles``).
ROLE_WORDS = _roles.ROLE_WORDS
#: In an identity-document column before passports (no shape overlaps them).
MIXED = {"order": 30, "headers": _mixed.ID_DOCUMENT_HEADERS,
         "types": ("通行证", "回乡证", "台胞证", "回鄉證", "台胞證", "travel_permit")}
VALUE_DETECTION = True
#: Header words, from the vocabulary file ``data/headers.toml`` (``_headers``).
HEADER_SYNONYMS = _headers.synonyms(ID)

NORMALIZE_SQL = compact_upper_sql()
VALIDATE_SQL = "regexp_full_match({value}, '[HM][0-9]{8}(?:[0-9]{2})?|[0-9]{8}')"
DETECT_SQL = "regexp_full_match({value}, '[HM][0-9]{8}(?:[0-9]{2})?')"

_DIGITS = set(string.digits)


def normalize(value: str | None) -> str | None:
    return compact_upper(value)


def validate(value: str | None) -> str:
    number = normalize(value)
    if number is None:
        raise InvalidFormat("blank")
    if number[:1] in ("H", "M"):
        if len(number) not in (9, 11):
            raise InvalidLength("H/M and 8 or 10 digits")
        if not set(number[1:]) <= _DIGITS:
            raise InvalidFormat("digits after H/M")
        return number
    if len(number) != 8:
        raise InvalidLength("8 digits")
    if not set(number) <= _DIGITS:
        raise InvalidFormat("digits only")
    return number


is_valid = validity_of(validate)


def detect(value: str | None) -> bool:
    """Strong evidence without a header: the Hong Kong or Macao form only."""
    return is_valid(value) and normalize(value)[:1] in ("H", "M")


MASK_SQL = (f"CASE WHEN left({{value}}, 1) IN ('H', 'M') THEN {mask_middle_sql('{value}', 1, 2)} "
            f"ELSE {mask_middle_sql('{value}', 0, 2)} END")  # SQL twin of ``mask``


def mask(normalized: str) -> str:
    return mask_middle(normalized, 1 if normalized[:1] in "HM" else 0, 2)


#: Masked permits (``leakscan.text.masked_form``).
MASKED_SQL, is_masked = masked_form((
    (f"[HMhm][0-9]*{RE2_DIGIT_MASK_RUN}[0-9]*", (9, 11)),
    (f"[0-9]*{RE2_DIGIT_MASK_RUN}[0-9]*", (8,)),
), chars=MASK_CHARS + "xX", separators="-")
