"""Assess the case's counts against each ruleset, including its alternative readings.

The counts a ruleset reads are computed here from the tables ``count.py`` left in the
connection: tier counts under the ruleset's own class-to-tier mapping (and under each
alternative reading) for ``unit = "items"``; persons, and persons holding sensitive
information, for ``unit = "persons"``. All of it is SQL over the small key tables.
"""

from __future__ import annotations

from fractions import Fraction

import duckdb

from . import rulesets as rulesets_mod
from .count import count_persons_holding, tier_counts_many
from .registry import Registry


def assess_all(con: duckdb.DuckDBPyConnection, counts, categories: list[str],
               registry: Registry, rulesets: list, *, insider: bool,
               illegal_income: Fraction | None) -> list:
    # every item ruleset's tier counts, and each of its alternative readings, in one query
    readings = [(rs.class_tiers, all_of, tier) for rs in rulesets if rs.unit != "persons"
                for all_of, tier in [((), None)] + [(alt.all_of, alt.tier)
                                                    for alt in rs.alternatives]]
    counted = iter(tier_counts_many(con, categories, registry, readings, counts.held))
    out = []
    for rs in rulesets:
        if rs.unit == "persons":
            used = {"persons": counts.subjects}
            if "sensitive_persons" in rs.keys:
                used["sensitive_persons"] = count_persons_holding(
                    con, categories, rs.sensitive_categories)
            out.append(rulesets_mod.assess(rs, used, insider=insider,
                                           illegal_income=illegal_income))
            continue
        tiers, _, _ = next(counted)
        a = rulesets_mod.assess(rs, tiers, insider=insider, illegal_income=illegal_income)
        for alt in rs.alternatives:
            alt_tiers, matching, moved = next(counted)
            outcome = rulesets_mod.assess_alternative(
                rs, alt, alt_tiers, moved, insider=insider, illegal_income=illegal_income)
            outcome.matching = matching
            a.alternatives.append(outcome)
        out.append(a)
    return out
