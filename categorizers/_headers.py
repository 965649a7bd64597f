"""Header vocabulary of the built-in categorizers, kept as data (``data/headers.toml``).

Real exports name a column in the words of their system: an order export says ``收货人``, a
hotel PMS ``入住时间``, a waybill ``寄件人电话``. The vocabulary grows with every system seen, so
it is data, one group per category and system with the source it was seen in, rather than a
tuple in each module; each categorizer reads its own words here (``HEADER_SYNONYMS =
_headers.synonyms(ID)``), and the engine still reads them only through the registry.

Groups of category ``none`` list words that name something that is not personal information
(``运单号``, ``就诊卡号``); they belong to no categorizer and exist to be tested: they must match
no category. ``[[overlap]]`` entries document the words that match a second category.

>>> "收货人" in synonyms("name"), "运单号" in synonyms("none")
(True, True)
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

VOCABULARY_FILE = Path(__file__).with_name("data") / "headers.toml"
#: The category of the words that must match no category.
NOT_PERSONAL = "none"


@functools.cache
def vocabulary() -> dict:
    """The parsed vocabulary file: ``group`` (category, system, source, words) and
    ``overlap`` (categories, why, words)."""
    with open(VOCABULARY_FILE, "rb") as f:
        return tomllib.load(f)


def groups() -> list[dict]:
    return list(vocabulary().get("group", []))


def overlaps() -> list[dict]:
    return list(vocabulary().get("overlap", []))


@functools.cache
def synonyms(category: str) -> tuple[str, ...]:
    """Every word of ``category``'s groups, in file order, each once."""
    words: dict[str, None] = {}
    for group in groups():
        if group["category"] == category:
            words.update(dict.fromkeys(group["words"]))
    return tuple(words)
