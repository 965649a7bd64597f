"""Rulesets: legal thresholds as data files, and the assessment of counts against them.

A ruleset is a TOML file (``leakscan/rulesets/*.toml`` or a user's own path) holding its id,
title, citation, unit, the levels with per-tier thresholds and the article that each tier or
the ratio rule rests on, and optional modifiers (``insider``). Every threshold lives in exactly
one such file; code and tests read it from there.

Scores are exact fractions: ``35/50 + 100/500 + 500/5000`` is exactly 1 and reaches the
level, which a binary floating-point sum (0.9999999999999999) would not.

>>> from fractions import Fraction
>>> ratio_score({"A": 35, "B": 100, "C": 500}, {"A": 50, "B": 500, "C": 5000})
Fraction(1, 1)
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from importlib import resources
from pathlib import Path

from ..errors import RulesetError
from ..registry import TIER_ORDER

BUILTIN_PACKAGE = "leakscan.rulesets"


@dataclass(frozen=True)
class Level:
    id: str
    name: str
    thresholds: dict[str, int]
    basis: dict[str, str]  # tier -> article, plus "ratio"


@dataclass(frozen=True)
class Ruleset:
    id: str
    version: str
    title: str
    jurisdiction: str
    unit: str
    combine: str
    citation: str
    none_basis: str
    levels: tuple[Level, ...]
    tiers: dict[str, str]
    insider: dict | None
    source: str  # file name or path
    sha256: str


def _require(data: dict, key: str, typ, where: str):
    if key not in data:
        raise RulesetError(f"{where}: missing '{key}'")
    if not isinstance(data[key], typ):
        raise RulesetError(f"{where}: '{key}' must be {typ.__name__}")
    return data[key]


def parse(text: bytes, source: str) -> Ruleset:
    """Parse and check one ruleset file; errors name the file and the rule."""
    try:
        data = tomllib.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise RulesetError(f"{source}: not a valid TOML file: {e}") from None
    rid = _require(data, "id", str, source)
    where = f"{source} ({rid})"
    unit = _require(data, "unit", str, where)
    if unit not in ("items", "persons"):
        raise RulesetError(f"{where}: unit must be 'items' or 'persons', not {unit!r}")
    combine = data.get("combine", "ratio")
    if combine not in ("ratio", "any"):
        raise RulesetError(f"{where}: combine must be 'ratio' or 'any', not {combine!r}")
    levels = []
    for k, lv in enumerate(_require(data, "levels", list, where)):
        lw = f"{where} level {k + 1}"
        th = _require(lv, "thresholds", dict, lw)
        for tier, n in th.items():
            if tier not in TIER_ORDER:
                raise RulesetError(f"{lw}: unknown tier {tier!r} (tiers are A, B, C)")
            if not isinstance(n, int) or n <= 0:
                raise RulesetError(f"{lw}: threshold for tier {tier} must be a positive integer")
        basis = _require(lv, "basis", dict, lw)
        for need in [*th, "ratio"] if combine == "ratio" else list(th):
            if need not in basis:
                raise RulesetError(f"{lw}: no basis (article) given for {need!r}")
        levels.append(Level(_require(lv, "id", str, lw), lv.get("name", lv["id"]), dict(th),
                            dict(basis)))
    if not levels:
        raise RulesetError(f"{where}: needs at least one level")
    for lo, hi in zip(levels, levels[1:], strict=False):
        if any(hi.thresholds.get(t, 0) < lo.thresholds.get(t, 0) for t in lo.thresholds):
            raise RulesetError(f"{where}: level {hi.id!r} has a threshold below {lo.id!r}'s; "
                               f"levels must be listed from the lowest up")
    insider = data.get("insider")
    if insider is not None:
        try:
            factor = Fraction(_require(insider, "factor", str, f"{where} insider"))
        except (ValueError, ZeroDivisionError):
            raise RulesetError(f"{where}: insider factor must be a fraction like '1/2'") from None
        if not 0 < factor <= 1:
            raise RulesetError(f"{where}: insider factor must be in (0, 1]")
        _require(insider, "basis", str, f"{where} insider")
    return Ruleset(
        id=rid, version=str(data.get("version", "1")), title=_require(data, "title", str, where),
        jurisdiction=data.get("jurisdiction", ""), unit=unit, combine=combine,
        citation=_require(data, "citation", str, where),
        none_basis=data.get("none_basis", "below every threshold"), levels=tuple(levels),
        tiers=dict(data.get("tiers", {})), insider=insider, source=source,
        sha256=hashlib.sha256(text).hexdigest(),
    )


def builtin_ids() -> list[str]:
    files = resources.files(BUILTIN_PACKAGE)
    return sorted(p.name[:-5] for p in files.iterdir() if p.name.endswith(".toml"))


def load(name: str) -> Ruleset:
    """A built-in ruleset by id, or a user's ruleset file by path."""
    if name.endswith(".toml") or "/" in name:
        path = Path(name)
        try:
            return parse(path.read_bytes(), str(path))
        except OSError as e:
            raise RulesetError(f"{name}: cannot read ruleset file: {e.strerror or e}") from None
    if name not in builtin_ids():
        raise RulesetError(f"unknown ruleset {name!r}; built-in: {', '.join(builtin_ids())}, "
                           f"or give a path to a .toml file")
    f = resources.files(BUILTIN_PACKAGE) / f"{name}.toml"
    return parse(f.read_bytes(), f"{name}.toml")


DEFAULT_RULESETS = ("cn-cl253-1-2017", "cn-cl286-1-2019")


def ratio_score(counts: dict[str, int], thresholds: dict[str, Fraction | int]) -> Fraction:
    """Sum over tiers of count / threshold, exactly."""
    return sum((Fraction(counts.get(t, 0)) / Fraction(n) for t, n in thresholds.items()),
               Fraction(0))


@dataclass
class Assessment:
    ruleset: Ruleset
    level: str
    level_name: str
    score: Fraction  # against the first level
    counts_used: dict[str, int]
    thresholds: dict[str, dict[str, Fraction]]
    basis: str
    insider: bool
    notes: list[str] = field(default_factory=list)


def effective_thresholds(rs: Ruleset, insider: bool) -> dict[str, dict[str, Fraction]]:
    factor = Fraction(rs.insider["factor"]) if insider and rs.insider else Fraction(1)
    return {lv.id: {t: Fraction(n) * factor for t, n in lv.thresholds.items()}
            for lv in rs.levels}


def assess(rs: Ruleset, tier_counts: dict[str, int], *, insider: bool = False) -> Assessment:
    """The highest level whose threshold the counts reach, and the article that decides it.

    A level is reached when one tier alone reaches its threshold or, with ``combine =
    "ratio"``, when the sum of count/threshold over tiers is at least 1. The basis names the
    most sensitive tier that reaches the level alone, else the ratio rule.
    """
    thresholds = effective_thresholds(rs, insider)
    counts = {t: int(tier_counts.get(t, 0)) for t in TIER_ORDER}
    notes = []
    if insider and not rs.insider:
        notes.append(f"--insider does not apply to {rs.id}: it has no insider rule")
    first = rs.levels[0]
    score = ratio_score(counts, thresholds[first.id])
    decided, basis = None, rs.none_basis
    for lv in rs.levels:
        th = thresholds[lv.id]
        alone = [t for t in TIER_ORDER if t in th and counts[t] >= th[t]]
        if alone:
            decided, basis = lv, lv.basis[alone[0]]
        elif rs.combine == "ratio" and ratio_score(counts, th) >= 1:
            decided, basis = lv, lv.basis["ratio"]
        else:
            break
    if decided and insider and rs.insider:
        basis = f"{basis}; {rs.insider['basis']}"
    return Assessment(rs, decided.id if decided else "none",
                      decided.name if decided else "none", score, counts, thresholds, basis,
                      insider and bool(rs.insider), notes)
