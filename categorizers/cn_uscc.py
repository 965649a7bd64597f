"""Unified Social Credit Code (统一社会信用代码), an organisation's identifier.

Structure (GB 32100-2015): 18 characters from ``0-9`` and ``A-Y`` without ``I O S V Z``: a
registration authority code and an organisation type (2), a 6-digit administrative division,
a 9-character organisation code, and a mod-31 check character over the first 17.

This identifies an organisation, not a natural person, so it is **not personal
information**: a column of these codes is recognised (so it cannot be mistaken for another
category) and *excluded* from every count; the report lists it under ``excluded``. It errs
towards recognising: a column is taken for codes when 90 % of its sampled values pass the
check, which random 18-character values do about 1 time in 31.

Python reference: ``stdnum.cn.uscc``.

>>> is_valid("91110000600037341L"), is_valid("91110000600037341M")
(True, False)
>>> mask("91110000600037341L")
'911100**********1L'
"""

from __future__ import annotations

from stdnum.cn import uscc

from leakscan.text import (
    compact_upper,
    compact_upper_sql,
    mask_middle,
    mask_middle_sql,
    validity_of,
)
from leakscan.validation import InvalidChecksum, InvalidFormat, InvalidLength

from . import _headers

ID = "cn_uscc"
CLASS = "organisation"
TIER = "-"
PERSONAL = False
IDENTIFYING = False
VALUE_DETECTION = True
#: Header words, from the vocabulary file ``data/headers.toml`` (``_headers``).
HEADER_SYNONYMS = _headers.synonyms(ID)

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

NORMALIZE_SQL = compact_upper_sql()
_TOTAL = " + ".join(f"(position(substr({{value}}, {i + 1}, 1) IN '{ALPHABET}') - 1) * {w}"
                    for i, w in enumerate(WEIGHTS))
VALIDATE_SQL = (
    f"regexp_full_match({{value}}, '[0-9]{{8}}[{ALPHABET}]{{10}}') AND "
    f"substr('{ALPHABET}', ((31 - (({_TOTAL}) % 31)) % 31) + 1, 1) = substr({{value}}, 18, 1)"
)


def normalize(value: str | None) -> str | None:
    return compact_upper(value)


def validate(value: str | None) -> str:
    code = normalize(value)
    if code is None:
        raise InvalidFormat("blank")
    if len(code) != 18:
        raise InvalidLength()
    if not code.isascii() or not uscc.is_valid(code):
        if code.isascii() and code[:8].isdigit() and all(c in ALPHABET for c in code[8:]):
            raise InvalidChecksum()
        raise InvalidFormat()
    return code


is_valid = validity_of(validate)


MASK_SQL = mask_middle_sql("{value}", 6, 2)  # SQL twin of ``mask``


def mask(normalized: str) -> str:
    return mask_middle(normalized, 6, 2)
