"""Rulesets: legal thresholds as data files, and the assessment of counts against them.

A ruleset is a TOML file (``leakscan/rulesets/*.toml`` or a user's own path) holding its id,
title, citation, unit, the levels with their thresholds and the article that each threshold or
the ratio rule rests on, the class-to-tier mapping it reads, and optional modifiers
(``insider``, per-level ``income`` for illegal income) and ``alternatives`` (other readings
courts have taken). Every threshold lives in exactly one such file; code and tests read it from
there. The file format is documented in ``docs/rulesets.md``.

``unit = "items"`` rulesets read tier counts (keys ``A``, ``B``, ``C``); ``unit = "persons"``
rulesets read ``persons`` (``subjects.estimated``) and ``sensitive_persons`` (persons with at
least one record holding a category the ruleset lists in ``sensitive_categories``).

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
from ..registry import CLASS_TIERS, TIER_ORDER

BUILTIN_PACKAGE = "leakscan.rulesets"
#: The counts a ruleset of each unit may put a threshold on, most sensitive first.
UNIT_KEYS = {"items": TIER_ORDER, "persons": ("sensitive_persons", "persons")}


@dataclass(frozen=True)
class Level:
    id: str
    name: str
    thresholds: dict[str, int]
    basis: dict[str, str]  # tier -> article, plus "ratio" and "income"
    income: Fraction | None = None  # illegal income in CNY that reaches the level alone


@dataclass(frozen=True)
class Alternative:
    """Another reading of the law where courts disagree: records holding every category of
    ``all_of`` are read as tier ``tier`` (when that is more sensitive than their own)."""

    id: str
    reading: str
    basis: str
    all_of: tuple[str, ...]
    tier: str


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
    class_tiers: dict[str, str] = field(default_factory=lambda: dict(CLASS_TIERS))
    sensitive_categories: tuple[str, ...] = ()
    sensitive_basis: str = ""
    alternatives: tuple[Alternative, ...] = ()
    notes: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        """The counts this ruleset reads: ``A``, ``B``, ``C`` for items; for persons, those of
        ``persons`` and ``sensitive_persons`` that some level has a threshold on."""
        if self.unit == "items":
            return UNIT_KEYS["items"]
        return tuple(k for k in UNIT_KEYS[self.unit]
                     if any(k in lv.thresholds for lv in self.levels))

    @property
    def has_income(self) -> bool:
        return any(lv.income is not None for lv in self.levels)


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
    combine = data.get("combine", "ratio" if unit == "items" else "any")
    if combine not in ("ratio", "any"):
        raise RulesetError(f"{where}: combine must be 'ratio' or 'any', not {combine!r}")
    if unit == "persons" and combine != "any":
        raise RulesetError(f"{where}: unit 'persons' needs combine = 'any' (no ratio rule)")
    keys = UNIT_KEYS[unit]
    levels = []
    for k, lv in enumerate(_require(data, "levels", list, where)):
        lw = f"{where} level {k + 1}"
        th = _require(lv, "thresholds", dict, lw)
        for tier, n in th.items():
            if tier not in keys:
                what = "tiers are A, B, C" if unit == "items" else "keys: " + ", ".join(keys)
                raise RulesetError(f"{lw}: unknown tier {tier!r} ({what})")
            if not isinstance(n, int) or isinstance(n, bool) or n <= 0:
                raise RulesetError(f"{lw}: threshold for tier {tier} must be a positive integer")
        basis = _require(lv, "basis", dict, lw)
        income = lv.get("income")
        if income is not None:
            if unit != "items" or not isinstance(income, int) or income <= 0:
                raise RulesetError(f"{lw}: income must be a positive whole number of CNY, "
                                   f"in an items ruleset")
            income = Fraction(income)
        needs = [*th, "ratio"] if combine == "ratio" else list(th)
        for need in needs + (["income"] if income is not None else []):
            if need not in basis:
                raise RulesetError(f"{lw}: no basis (article) given for {need!r}")
        levels.append(Level(_require(lv, "id", str, lw), lv.get("name", lv["id"]), dict(th),
                            dict(basis), income))
    if not levels:
        raise RulesetError(f"{where}: needs at least one level")
    for lo, hi in zip(levels, levels[1:], strict=False):
        if any(hi.thresholds.get(t, 0) < lo.thresholds.get(t, 0) for t in lo.thresholds) or (
                lo.income is not None and (hi.income or 0) < lo.income):
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
    class_tiers = dict(CLASS_TIERS)
    for cls, tier in data.get("class_tiers", {}).items():
        if cls not in CLASS_TIERS or tier not in TIER_ORDER:
            raise RulesetError(f"{where}: class_tiers: unknown class {cls!r} or tier {tier!r}")
        class_tiers[cls] = tier
    sensitive = tuple(data.get("sensitive_categories", ()))
    if any(k == "sensitive_persons" for lv in levels for k in lv.thresholds) and not sensitive:
        raise RulesetError(f"{where}: a sensitive_persons threshold needs sensitive_categories")
    alternatives = []
    for k, alt in enumerate(data.get("alternatives", [])):
        aw = f"{where} alternative {k + 1}"
        if unit != "items":
            raise RulesetError(f"{aw}: alternatives re-read tiers; only items rulesets have them")
        rule = _require(alt, "reclassify", dict, aw)
        all_of = tuple(_require(rule, "all_of", list, f"{aw} reclassify"))
        tier = _require(rule, "tier", str, f"{aw} reclassify")
        if tier not in TIER_ORDER or not all_of:
            raise RulesetError(f"{aw}: reclassify needs all_of = [categories] and a tier A/B/C")
        alternatives.append(Alternative(_require(alt, "id", str, aw),
                                        _require(alt, "reading", str, aw),
                                        _require(alt, "basis", str, aw), all_of, tier))
    return Ruleset(
        id=rid, version=str(data.get("version", "1")), title=_require(data, "title", str, where),
        jurisdiction=data.get("jurisdiction", ""), unit=unit, combine=combine,
        citation=_require(data, "citation", str, where),
        none_basis=data.get("none_basis", "below every threshold"), levels=tuple(levels),
        tiers=dict(data.get("tiers", {})), insider=insider, source=source,
        sha256=hashlib.sha256(text).hexdigest(), class_tiers=class_tiers,
        sensitive_categories=sensitive, sensitive_basis=data.get("sensitive_basis", ""),
        alternatives=tuple(alternatives), notes=data.get("notes", ""),
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
class AlternativeOutcome:
    alternative: Alternative
    level: str
    level_name: str
    score: Fraction
    counts_used: dict[str, int]
    basis: str
    reclassified: int  # records whose tier this reading changes
    matching: int = 0  # records holding every category the reading names


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
    illegal_income: Fraction | None = None
    income_thresholds: dict[str, Fraction] = field(default_factory=dict)
    alternatives: list[AlternativeOutcome] = field(default_factory=list)


def _factor(rs: Ruleset, insider: bool) -> Fraction:
    return Fraction(rs.insider["factor"]) if insider and rs.insider else Fraction(1)


def effective_thresholds(rs: Ruleset, insider: bool) -> dict[str, dict[str, Fraction]]:
    factor = _factor(rs, insider)
    return {lv.id: {t: Fraction(n) * factor for t, n in lv.thresholds.items()}
            for lv in rs.levels}


def effective_income(rs: Ruleset, insider: bool) -> dict[str, Fraction]:
    """Level -> illegal income (CNY) that reaches it alone, after ``insider``."""
    factor = _factor(rs, insider)
    return {lv.id: lv.income * factor for lv in rs.levels if lv.income is not None}


def assess(rs: Ruleset, counts: dict[str, int], *, insider: bool = False,
           illegal_income: Fraction | int | str | None = None) -> Assessment:
    """The highest level whose threshold the counts reach, and the article that decides it.

    ``counts`` holds the ruleset's keys (``A``/``B``/``C`` for items, ``persons`` and
    ``sensitive_persons`` for persons). A level is reached when one count alone reaches its
    threshold, or, with ``combine = "ratio"``, when the sum of count/threshold over tiers is at
    least 1, or when ``illegal_income`` (CNY) reaches the level's ``income``. The basis names
    the most sensitive count that reaches the level alone, else the ratio rule, else income.
    """
    thresholds = effective_thresholds(rs, insider)
    incomes = effective_income(rs, insider)
    counts = {t: int(counts.get(t, 0)) for t in rs.keys}
    income = Fraction(illegal_income) if illegal_income is not None else None
    notes = []
    if insider and not rs.insider:
        notes.append(f"--insider does not apply to {rs.id}: it has no insider rule")
    if income is not None and not incomes:
        notes.append(f"--illegal-income does not apply to {rs.id}: it has no income threshold")
    first = rs.levels[0]
    if rs.combine == "ratio":
        score = ratio_score(counts, thresholds[first.id])
    else:  # no ratio rule: the largest share of a single threshold (>= 1 reaches the level)
        score = max((Fraction(counts[t]) / n for t, n in thresholds[first.id].items()),
                    default=Fraction(0))
    decided, basis = None, rs.none_basis
    for lv in rs.levels:
        th = thresholds[lv.id]
        alone = [t for t in rs.keys if t in th and counts[t] >= th[t]]
        if alone:
            decided, basis = lv, lv.basis[alone[0]]
        elif rs.combine == "ratio" and ratio_score(counts, th) >= 1:
            decided, basis = lv, lv.basis["ratio"]
        elif income is not None and lv.id in incomes and income >= incomes[lv.id]:
            decided, basis = lv, lv.basis["income"]
        else:
            break
    if decided and insider and rs.insider:
        basis = f"{basis}; {rs.insider['basis']}"
    return Assessment(rs, decided.id if decided else "none",
                      decided.name if decided else "none", score, counts, thresholds, basis,
                      insider and bool(rs.insider), notes,
                      income if incomes else None, incomes)


def assess_alternative(rs: Ruleset, alt: Alternative, counts: dict[str, int], reclassified: int,
                       *, insider: bool = False,
                       illegal_income: Fraction | int | str | None = None
                       ) -> AlternativeOutcome:
    """The outcome under ``alt``: ``counts`` are the tier counts read that way."""
    a = assess(rs, counts, insider=insider, illegal_income=illegal_income)
    return AlternativeOutcome(alt, a.level, a.level_name, a.score, a.counts_used, a.basis,
                              reclassified)
