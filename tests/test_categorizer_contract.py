"""Contract tests run over every registered categorizer (built-in and plug-in alike)."""

from __future__ import annotations

import random
import string

import pytest

from leakscan.registry import CLASS_TIERS, default_registry

CATEGORIZERS = list(default_registry())
IDS = [c.id for c in CATEGORIZERS]

JUNK = [
    None, "", " ", "\t", "\u3000", "null", "NULL", "N/A", "-", "0", "00000000000",
    "x" * 300, "中文", "😀", "\x00", "a\nb", "'; DROP TABLE x; --", "{value}", "%s",
    "１２３４５６７８９０", "+", "@", "..", "1e18", "1.10101199001011E+17", "110101199003070",
]


def random_junk(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    alphabet = string.printable + "０１２３４５６７８９ＸＡ＠－＋　中国张王李北京市路号"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) for _ in range(n)]


@pytest.mark.parametrize("cat", CATEGORIZERS, ids=IDS)
def test_declares_a_consistent_class_and_tier(cat):
    if cat.personal:
        assert CLASS_TIERS[cat.cls] == cat.tier
    else:  # organisation identifiers: recognised, then excluded from every count
        assert (cat.cls, cat.tier, cat.identifying) == ("organisation", "-", False)
    assert cat.header_synonyms, "every categorizer needs header synonyms"
    assert cat.title and cat.title != cat.id


@pytest.mark.parametrize("cat", CATEGORIZERS, ids=IDS)
def test_python_reference_never_raises_on_junk(cat):
    for value in JUNK + random_junk(500):
        norm = cat.normalize(value)
        ok = cat.is_valid(value)
        assert isinstance(ok, bool)
        assert norm is None or isinstance(norm, str)
        if ok:
            masked = cat.mask(norm)
            assert masked != norm or len(norm) <= 1


@pytest.mark.parametrize("cat", CATEGORIZERS, ids=IDS)
def test_sql_agrees_with_python_on_junk(cat, agree):
    agree(cat, JUNK + random_junk(2000))
