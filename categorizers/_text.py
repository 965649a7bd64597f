"""Shared behaviour of the header-driven semantic categories (hotel stays, health, orders...).

These columns hold free text or numbers whose *meaning* comes from the header (``入住时间``,
``诊断``, ``订单金额``): any non-blank cell is a valid value of the category. They are not
identifying on their own; they decide how sensitive (which tier) an identified record is.
In doubt they err towards *not* assigning: the header must match (no value-only detection).

>>> normalize("  头孢过敏 ")
'头孢过敏'
>>> is_valid("   ") or is_valid(None)
False
"""

from __future__ import annotations

from leakscan.text import FOLD_WIDTH_SQL, SQUASH_SPACE_SQL, fold_width, squash_space
from leakscan.validation import InvalidFormat

__all__ = ["IDENTIFYING", "MASK_SQL", "NORMALIZE_SQL", "SEARCH_INSIDE", "VALIDATE_SQL", "VALUE_DETECTION", "is_valid", "mask",
           "normalize", "validate"]

IDENTIFYING = False
VALUE_DETECTION = False
#: Messages, remarks and stay records may quote a phone or an ID: searched as free text.
SEARCH_INSIDE = True

#: Fold full-width characters, collapse runs of white space, trim; blank becomes NULL.
NORMALIZE_SQL = (
    FOLD_WIDTH_SQL,
    SQUASH_SPACE_SQL,
)
VALIDATE_SQL = "length({value}) > 0"


def normalize(value: str | None) -> str | None:
    if value is None:
        return None
    return squash_space(fold_width(value))


def validate(value: str | None) -> str:
    text = normalize(value)
    if text is None:
        raise InvalidFormat("blank")
    return text


def is_valid(value: str | None) -> bool:
    return normalize(value) is not None


#: SQL twin of ``mask`` (``{value}`` is a normalised value).
MASK_SQL = "CASE WHEN length({value}) > 4 THEN left({value}, 2) || '***' ELSE '***' END"


def mask(normalized: str) -> str:
    """Show at most the first two characters: the category, not the content, is the point."""
    return normalized[:2] + "***" if len(normalized) > 4 else "***"
