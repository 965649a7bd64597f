"""Shared behaviour of the header-driven semantic categories (hotel stays, health, orders...).

These columns hold free text or numbers whose *meaning* comes from the header (``入住时间``,
``诊断``, ``订单金额``). They are not identifying on their own; they decide how sensitive
(which tier) an identified record is. In doubt they err towards *not* assigning: the header
must match (no value-only detection), no negative word of the category may be in it
(``NEGATIVE_WORDS``: ``定位方式`` names *how* a position was taken, not a position), and the
values must have the shape the category declares (``VALUE_KINDS``, see ``categorizers._kinds``):
a value of another shape is not valid and is never counted.

>>> normalize("  头孢过敏 ")
'头孢过敏'
>>> validate_as(("text",))[2]("   ") or validate_as(("text",))[2](None)
False
"""

from __future__ import annotations

from leakscan.text import FOLD_WIDTH_SQL, SQUASH_SPACE_SQL, fold_width, squash_space
from leakscan.validation import InvalidFormat

from ._kinds import kind_validators, kinds_sql

__all__ = ["COMMON_NEGATIVE_WORDS", "IDENTIFYING", "MASK_SQL", "NORMALIZE_SQL", "SEARCH_INSIDE",
           "VALUE_DETECTION", "mask", "normalize", "validate_as"]

#: Words that, in an attribute header, name something *about* the thing rather than the thing:
#: how (方式, mode), which sort (类型, 类别, type), in what state (状态, status, flag), whether
#: (是否, ``is_``), a rank (等级), a code or number that labels it (编号, 代码, 标识, ``_id``,
#: ``_no``, ``_code``), a link (url) or an ordering (sort). Chinese words match as substrings,
#: ASCII ones as whole words; ``is_`` only as the first word, ``_id``/``_no``/``_code`` only as
#: the last (``docs/classification.md``, "Negative words").
COMMON_NEGATIVE_WORDS = (
    "方式", "类型", "类别", "状态", "是否", "编号", "等级", "代码", "标识",
    "type", "mode", "status", "flag", "is_", "url", "sort", "_id", "_no", "_code",
)

IDENTIFYING = False
VALUE_DETECTION = False
#: Messages, remarks and stay records may quote a phone or an ID: searched as free text.
SEARCH_INSIDE = True

#: Fold full-width characters, collapse runs of white space, trim; blank becomes NULL.
NORMALIZE_SQL = (
    FOLD_WIDTH_SQL,
    SQUASH_SPACE_SQL,
)


def normalize(value: str | None) -> str | None:
    if value is None:
        return None
    return squash_space(fold_width(value))


def validate(value: str | None) -> str:
    """Any non-blank value (the base of ``validate_as``)."""
    text = normalize(value)
    if text is None:
        raise InvalidFormat("blank")
    return text


def validate_as(kinds: tuple[str, ...]):
    """``(VALIDATE_SQL, validate, is_valid)`` for a category whose values have one of
    ``kinds``: the SQL and its Python twin, both over the normalised value."""
    return (kinds_sql(kinds), *kind_validators(kinds, normalize))


#: SQL twin of ``mask`` (``{value}`` is a normalised value).
MASK_SQL = "CASE WHEN length({value}) > 4 THEN left({value}, 2) || '***' ELSE '***' END"


def mask(normalized: str) -> str:
    """Show at most the first two characters: the category, not the content, is the point."""
    return normalized[:2] + "***" if len(normalized) > 4 else "***"
