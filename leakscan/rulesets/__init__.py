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

from .. import citations
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
    #: the article by which the level is reached at the insider's thresholds (e.g. Art.
    #: 5(2)(3) by way of Art. 5(1)(8)); the first level uses the ruleset's insider basis alone
    insider_basis: str = ""
    #: the level whose standard this level's thresholds are a multiple of (its basis is
    #: cited after this level's: ten times Art. 5(1)(3) names Art. 5(1)(3) too)
    multiple_of: str = ""


@dataclass(frozen=True)
class Alternative:
    """Another reading of the law where courts disagree. One of:

    - ``all_of``/``tier``: records holding every category of ``all_of`` are read as tier
      ``tier`` (when that is more sensitive than their own);
    - ``category_tiers``: these categories are read at these tiers instead of their class's
      (bank-card numbers as tier C), and a record's tier is recomputed from its categories;
    - ``count = "persons"``: each person (``subjects``) counts once, at the most sensitive
      tier among their records;
    - ``per_person``: records whose only data of their tier is of these categories (position
      fixes) count once per person holding them.
    """

    id: str
    reading: str
    basis: str
    all_of: tuple[str, ...] = ()
    tier: str | None = None
    category_tiers: tuple[tuple[str, str], ...] = ()
    count: str = "records"
    per_person: tuple[str, ...] = ()


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
    #: items of the law that leakscan cannot assess, listed in every report
    not_assessed: tuple[str, ...] = ()
    #: (class, text): flagged whenever a counted record holds a category of that class
    flags: tuple[tuple[str, str], ...] = ()
    #: Fa Shi [2017] No. 10 Art. 6: {"profit": CNY, "tiers": [...], "level": id, "basis": ...}
    lawful_business: dict | None = None
    #: persons rulesets: a person whose valid resident ID gives an age under this at the
    #: reference date is a sensitive-information person (PIPL Art. 28: minors under 14)
    sensitive_minors_under: int | None = None

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
    data = citations.clean(data)  # the law, not the project's files (citations.py)
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
                            dict(basis), income, str(lv.get("insider_basis", "")),
                            str(lv.get("multiple_of", ""))))
    if not levels:
        raise RulesetError(f"{where}: needs at least one level")
    for lo, hi in zip(levels, levels[1:], strict=False):
        if any(hi.thresholds.get(t, 0) < lo.thresholds.get(t, 0) for t in lo.thresholds) or (
                lo.income is not None and (hi.income or 0) < lo.income):
            raise RulesetError(f"{where}: level {hi.id!r} has a threshold below {lo.id!r}'s; "
                               f"levels must be listed from the lowest up")
    for lv in levels:
        if lv.multiple_of and lv.multiple_of not in [x.id for x in levels]:
            raise RulesetError(f"{where}: level {lv.id!r}: multiple_of names no level "
                               f"({lv.multiple_of!r})")
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
        alternatives.append(_alternative(alt, aw))
    lawful = data.get("lawful_business")
    if lawful is not None:
        lw = f"{where} lawful_business"
        profit = _require(lawful, "profit", int, lw)
        tiers_ = _require(lawful, "tiers", list, lw)
        level = _require(lawful, "level", str, lw)
        _require(lawful, "basis", str, lw)
        if unit != "items" or profit <= 0 or not set(tiers_) <= set(TIER_ORDER) or \
                level not in [lv.id for lv in levels]:
            raise RulesetError(f"{lw}: needs a positive profit (CNY), tiers among A/B/C and "
                               f"a level of this ruleset, in an items ruleset")
        lawful = dict(lawful, profit=Fraction(profit), tiers=tuple(tiers_))
    flags = tuple((f["class"], f["text"]) for f in data.get("flags", []))
    minors = data.get("sensitive_minors_under")
    if minors is not None and (unit != "persons" or not isinstance(minors, int) or minors <= 0):
        raise RulesetError(f"{where}: sensitive_minors_under must be a positive age, in a "
                           f"persons ruleset")
    return Ruleset(
        id=rid, version=str(data.get("version", "1")), title=_require(data, "title", str, where),
        jurisdiction=data.get("jurisdiction", ""), unit=unit, combine=combine,
        citation=_require(data, "citation", str, where),
        none_basis=data.get("none_basis", "below every threshold"), levels=tuple(levels),
        tiers=dict(data.get("tiers", {})), insider=insider, source=source,
        sha256=hashlib.sha256(text).hexdigest(), class_tiers=class_tiers,
        sensitive_categories=sensitive, sensitive_basis=data.get("sensitive_basis", ""),
        alternatives=tuple(alternatives), notes=data.get("notes", ""),
        not_assessed=tuple(data.get("not_assessed", ())), flags=flags,
        lawful_business=lawful, sensitive_minors_under=minors,
    )


def _alternative(alt: dict, aw: str) -> Alternative:
    """One ``[[alternatives]]`` entry: exactly one way of re-reading the counts."""
    common = (_require(alt, "id", str, aw), _require(alt, "reading", str, aw),
              _require(alt, "basis", str, aw))
    ways = [k for k in ("reclassify", "category_tiers", "count", "per_person") if k in alt]
    if len(ways) != 1:
        raise RulesetError(f"{aw}: give exactly one of reclassify, category_tiers, count, "
                           f"per_person")
    if "reclassify" in alt:
        rule = _require(alt, "reclassify", dict, aw)
        all_of = tuple(_require(rule, "all_of", list, f"{aw} reclassify"))
        tier = _require(rule, "tier", str, f"{aw} reclassify")
        if tier not in TIER_ORDER or not all_of:
            raise RulesetError(f"{aw}: reclassify needs all_of = [categories] and a tier A/B/C")
        return Alternative(*common, all_of=all_of, tier=tier)
    if "category_tiers" in alt:
        ct = _require(alt, "category_tiers", dict, aw)
        if not ct or any(t not in TIER_ORDER for t in ct.values()):
            raise RulesetError(f"{aw}: category_tiers maps categories to tiers A/B/C")
        return Alternative(*common, category_tiers=tuple(sorted(ct.items())))
    if "count" in alt:
        if alt["count"] != "persons":
            raise RulesetError(f"{aw}: count must be 'persons'")
        return Alternative(*common, count="persons")
    cats = tuple(_require(alt, "per_person", list, aw))
    if not cats:
        raise RulesetError(f"{aw}: per_person needs categories")
    return Alternative(*common, per_person=cats)


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
    decisive: dict | None = None
    changes_level: bool = False  # the level differs from the literal reading's
    notes: list[str] = field(default_factory=list)


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
    #: what decided the level, structured (see ``_decide``); None at level "none"
    decisive: dict | None = None
    #: the ratio sum's terms against the first level: key, count, threshold, share, insider
    terms: list[dict] = field(default_factory=list)
    #: counts obtained on duty (per-input insider), by key; all of them with --insider
    insider_counts: dict[str, int] = field(default_factory=dict)
    #: Art. 6 applied: {"profit": CNY, "threshold": CNY, "reached": bool, "basis": ...}
    lawful_business: dict | None = None
    flags: list[str] = field(default_factory=list)
    not_assessed: list[str] = field(default_factory=list)
    extra_counts: dict[str, int] = field(default_factory=dict)  # e.g. minors under 14


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


def _terms(rs: Ruleset, lv: Level, counts: dict[str, int], on_duty: dict[str, int],
           factor: Fraction, skip: tuple[str, ...]) -> list[dict]:
    """The ratio sum's terms at level ``lv``: per key the part not obtained on duty against
    the threshold, and the part obtained on duty against the insider's (``factor``) one."""
    out = []
    for t, n in lv.thresholds.items():
        if t in skip:
            continue
        duty = on_duty.get(t, 0)
        parts = [(counts[t] - duty, Fraction(n), False)]
        if duty:
            parts.append((duty, Fraction(n) * factor, True))
        for count, threshold, insider in parts:
            if count or not insider:
                out.append({"key": t, "count": count, "threshold": threshold,
                            "share": Fraction(count) / threshold, "insider": insider})
    return out


def _chain(rs: Ruleset, lv: Level, key: str, insider: bool) -> list[str]:
    """The articles that decide level ``lv`` by ``key``, the deciding one first: the level's
    own article, then (on duty) the insider article, then the standard it multiplies."""
    by_level = {x.id: x for x in rs.levels}
    if insider and rs.insider:
        chain = [lv.insider_basis] if lv.insider_basis else []
        chain.append(rs.insider["basis"])
        base = by_level.get(lv.multiple_of, lv) if lv.multiple_of else lv
        if base is lv and lv.insider_basis:
            base = rs.levels[0]
        chain.append(base.basis[key])
        return chain
    chain = [lv.basis[key]]
    if lv.multiple_of and key in by_level[lv.multiple_of].basis:
        chain.append(by_level[lv.multiple_of].basis[key])
    return chain


def assess(rs: Ruleset, counts: dict[str, int], *, insider: bool = False,
           illegal_income: Fraction | int | str | None = None,
           insider_counts: dict[str, int] | None = None,
           lawful_business_profit: Fraction | int | str | None = None) -> Assessment:
    """The highest level the counts reach, and exactly what decided it.

    ``counts`` holds the ruleset's keys (``A``/``B``/``C`` for items, ``persons`` and
    ``sensitive_persons`` for persons). ``insider`` says every count was obtained while
    performing duties and sold or provided (Art. 5(1)(8)); ``insider_counts`` says so of a
    part of each count (``--insider-input``). At a level, in this order:

    1. a key alone: its part not obtained on duty reaches the threshold (item (3)-(5)), or its
       part obtained on duty reaches the threshold times the insider factor (item (8));
    2. the ratio rule (``combine = "ratio"``): the sum of the terms of ``_terms`` is >= 1;
    3. ``illegal_income`` reaches the level's income (halved with ``insider``);

    and the highest level reached is the assessment. ``decisive`` records which of these
    decided, with the articles in order (``chain``), the count and the threshold.
    ``lawful_business_profit`` applies Art. 6 (a buyer for lawful business activity): the
    ruleset's ``lawful_business`` tiers leave the count thresholds, and its level is reached
    at the profit it names.
    """
    factor = _factor(rs, True)
    counts = {t: int(counts.get(t, 0)) for t in rs.keys}
    if insider and rs.insider:
        on_duty = dict(counts)
    elif insider_counts and rs.insider:
        on_duty = {t: min(int(insider_counts.get(t, 0)), counts[t]) for t in rs.keys}
    else:
        on_duty = {}
    on_duty = {t: n for t, n in on_duty.items() if n}
    any_duty = bool(on_duty) or (insider and bool(rs.insider))
    incomes = effective_income(rs, insider)
    thresholds = effective_thresholds(rs, insider)
    income = Fraction(illegal_income) if illegal_income is not None else None
    notes = []
    if (insider or insider_counts) and not rs.insider:
        notes.append(f"--insider does not apply to {rs.id}: it has no insider rule")
    if income is not None and not incomes:
        notes.append(f"--illegal-income does not apply to {rs.id}: it has no income threshold")
    lawful = None
    skip: tuple[str, ...] = ()
    if lawful_business_profit is not None:
        lb = rs.lawful_business
        if lb is None:
            notes.append(f"--lawful-business does not apply to {rs.id}: it has no such rule")
        else:
            profit = Fraction(lawful_business_profit)
            skip = lb["tiers"]
            lawful = {"profit": profit, "threshold": lb["profit"], "tiers": list(skip),
                      "reached": profit >= lb["profit"], "level": lb["level"],
                      "basis": lb["basis"]}
    first = rs.levels[0]
    terms = _terms(rs, first, counts, on_duty, factor, skip)
    if rs.combine == "ratio":
        score = sum((x["share"] for x in terms), Fraction(0))
    else:  # no ratio rule: the largest share of a single threshold (>= 1 reaches the level)
        score = max((x["share"] for x in terms), default=Fraction(0))
    decided, decisive = None, None
    for lv in rs.levels:
        d = _decide(rs, lv, counts, on_duty, factor, skip, income, incomes, insider)
        if d is None and lawful and lawful["reached"] and lawful["level"] == lv.id:
            d = {"level": lv.id, "by": "lawful_business", "key": "profit", "insider": False,
                 "count": lawful["profit"], "threshold": lawful["threshold"],
                 "chain": [lawful["basis"]]}
        if d is None:
            break
        decided, decisive = lv, d
    basis = "; ".join(decisive["chain"]) if decisive else rs.none_basis
    flags: list[str] = []
    return Assessment(rs, decided.id if decided else "none",
                      decided.name if decided else "none", score, counts, thresholds, basis,
                      any_duty, notes, income if incomes else None, incomes,
                      decisive=decisive, terms=terms, insider_counts=dict(on_duty),
                      lawful_business=lawful, flags=flags,
                      not_assessed=list(rs.not_assessed))


def _decide(rs, lv, counts, on_duty, factor, skip, income, incomes, insider) -> dict | None:
    """What reaches level ``lv``, if anything (see ``assess``)."""
    for t in rs.keys:
        if t not in lv.thresholds or t in skip:
            continue
        duty = on_duty.get(t, 0)
        n = Fraction(lv.thresholds[t])
        if counts[t] - duty >= n:
            return {"level": lv.id, "by": "count", "key": t, "insider": False,
                    "count": counts[t] - duty, "threshold": n,
                    "chain": _chain(rs, lv, t, False)}
        if duty and duty >= n * factor:
            return {"level": lv.id, "by": "count", "key": t, "insider": True, "count": duty,
                    "threshold": n * factor, "chain": _chain(rs, lv, t, True)}
    if rs.combine == "ratio":
        terms = _terms(rs, lv, counts, on_duty, factor, skip)
        total = sum((x["share"] for x in terms), Fraction(0))
        if total >= 1:
            duty = any(x["insider"] for x in terms if x["count"])
            return {"level": lv.id, "by": "ratio", "key": "ratio", "insider": duty,
                    "count": total, "threshold": Fraction(1), "terms": terms,
                    "chain": _chain(rs, lv, "ratio", duty)}
    if income is not None and lv.id in incomes and income >= incomes[lv.id]:
        duty = insider and bool(rs.insider)
        return {"level": lv.id, "by": "income", "key": "income", "insider": duty,
                "count": income, "threshold": incomes[lv.id],
                "chain": _chain(rs, lv, "income", duty)}
    return None


def assess_alternative(rs: Ruleset, alt: Alternative, counts: dict[str, int], reclassified: int,
                       *, literal_level: str | None = None, **kwargs) -> AlternativeOutcome:
    """The outcome under ``alt``: ``counts`` are the tier counts read that way."""
    a = assess(rs, counts, **kwargs)
    return AlternativeOutcome(alt, a.level, a.level_name, a.score, a.counts_used, a.basis,
                              reclassified, decisive=a.decisive,
                              changes_level=literal_level is not None and a.level != literal_level)
