"""The role vocabulary identifying categorizers declare as ``ROLE_WORDS``.

Kept as data (``data/roles.toml``, with the reasoning for what is in it and what is not), so
the engine names no role: it reads ``ROLE_WORDS`` from each categorizer through the registry
(``leakscan/roles.py``).

>>> "主治医生" in ROLE_WORDS and "客户经理" in ROLE_WORDS and "收货人" not in ROLE_WORDS
True
"""

from __future__ import annotations

import tomllib
from pathlib import Path

_FILE = Path(__file__).with_name("data") / "roles.toml"


def _load() -> tuple[str, ...]:
    with _FILE.open("rb") as f:
        data = tomllib.load(f)
    words = [w for group in data.values() for lang in ("zh", "en") for w in group.get(lang, [])]
    return tuple(dict.fromkeys(words))


#: Header words naming a party other than the record's subject (people and places).
ROLE_WORDS = _load()
