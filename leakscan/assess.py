"""Assess the case's counts against each ruleset, including its alternative readings.

The counts a ruleset reads are computed here from the tables ``count.py`` left in the
connection: tier counts under the ruleset's own class-to-tier mapping (and under each
alternative reading) for ``unit = "items"``; persons, and persons holding sensitive
information (or, where the ruleset says so, minors by the birth date in their resident ID),
for ``unit = "persons"``. All of it is SQL over the small key tables.
"""

from __future__ import annotations

from fractions import Fraction

import duckdb

from . import rulesets as rulesets_mod
from .count import (
    count_minor_persons,
    count_persons_holding,
    person_tier_counts,
    tier_counts_many,
)
from .registry import Registry


def _by_records(alt) -> bool:
    return alt.count == "records" and not alt.per_person


def assess_all(con: duckdb.DuckDBPyConnection, counts, categories: list[str],
               registry: Registry, rulesets: list, *, insider: bool,
               illegal_income: Fraction | None, on_duty: bool = False,
               lawful_business_profit: Fraction | None = None) -> list:
    """``insider``: every input was obtained on duty; ``on_duty``: some were
    (``leakscan_records.on_duty``, ``--insider-input``)."""
    # every item ruleset's tier counts, and each record-based reading of it, in one query
    readings = [(rs.class_tiers, alt.all_of if alt else (), alt.tier if alt else None,
                 alt.category_tiers if alt else ())
                for rs in rulesets if rs.unit != "persons"
                for alt in [None] + [a for a in rs.alternatives if _by_records(a)]]
    counted = iter(tier_counts_many(con, categories, registry, readings,
                                    counts.held, on_duty=on_duty))
    held = {registry.get(c).cls for c in categories if counts.categories[c].records}
    kwargs = dict(insider=insider, illegal_income=illegal_income)
    out = []
    for rs in rulesets:
        if rs.unit == "persons":
            used = {"persons": counts.subjects}
            extra = {}
            if "sensitive_persons" in rs.keys:
                used["sensitive_persons"] = count_persons_holding(
                    con, categories, rs.sensitive_categories, registry=registry,
                    minors_under=rs.sensitive_minors_under)
            if rs.sensitive_minors_under:
                extra[f"minors_under_{rs.sensitive_minors_under}"] = count_minor_persons(
                    con, categories, registry, rs.sensitive_minors_under)
            a = rulesets_mod.assess(rs, used, **kwargs)
            a.extra_counts = extra
            out.append(a)
            continue
        tiers, _, _, duty = next(counted)
        per_rs = dict(kwargs, insider_counts=duty or None,
                      lawful_business_profit=lawful_business_profit)
        a = rulesets_mod.assess(rs, tiers, **per_rs)
        a.flags = [text for cls, text in rs.flags if cls in held]
        for alt in rs.alternatives:
            if _by_records(alt):
                alt_tiers, matching, moved, alt_duty = next(counted)
                alt_kwargs = dict(per_rs, insider_counts=alt_duty or None)
            else:
                alt_tiers, moved = person_tier_counts(
                    con, categories, registry, rs.class_tiers, alt.per_person)
                matching = moved
                # which persons were obtained on duty is not known per person: the reading
                # then uses the general thresholds, and says so (docs/counting.md Rule 6.7)
                alt_kwargs = dict(per_rs, insider_counts=None)
            outcome = rulesets_mod.assess_alternative(
                rs, alt, alt_tiers, moved, literal_level=a.level, **alt_kwargs)
            outcome.matching = matching
            if on_duty and not _by_records(alt):
                outcome.notes.append("--insider-input is not applied to a reading that counts "
                                     "persons: general thresholds")
            a.alternatives.append(outcome)
        out.append(a)
    return out
