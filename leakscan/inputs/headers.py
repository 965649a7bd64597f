"""Value evidence for reading decisions: which categories a single cell validates as.

The sniffer asks it whether a first row is data (a resident ID above resident IDs) and
whether the second field of a ``a:b`` list could be a password (not when it validates as an
identifier). Only categorizers that identify a person and declare value detection take part,
through their own strong check (``detect``, else ``is_valid``); no category is named here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from ..registry import Registry


def strong_validator(registry: Registry) -> Callable[[str], frozenset]:
    """A function: cell text -> the ids of the categories whose strong check it passes."""
    cats = [c for c in registry if c.identifying and c.value_detection]

    @lru_cache(maxsize=65536)
    def validates(value: str) -> frozenset:
        if not value or len(value) > 256:
            return frozenset()
        out = []
        for c in cats:
            try:
                if c.detect(value):
                    out.append(c.id)
            except Exception:  # a categorizer's check must not stop sniffing  # noqa: BLE001
                continue
        return frozenset(out)

    return validates
