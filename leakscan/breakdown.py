"""Figures the reports show beside the case totals: what each input holds, and the level each
ruleset reaches without the columns recognised by their header alone.

Both are SQL over the small tables ``count.py`` left in the connection (``leakscan_all``, the
key tables' union; ``leakscan_persons`` and ``leakscan_labels``, the person links), never over
the inputs.

Per input (``input_breakdown``): its rows holding personal information, its records after
deduplication *within the input*, their tiers, and the persons (as the case-level linking
found them) with at least one record in it. An examiner says from this which seized file
holds what; the per-input figures do not add up to the case totals when inputs share records
or persons (the case totals count each once, Art. 11(1)).

Without header-only columns (``header_only_levels``): a category every column of which was
recognised by its header alone (no value evidence beyond the values' shape: ``method``
``header``, or an attribute category's ``header+values``; accommodation, health or balance
columns are) is left out of every record's tier, and each items
ruleset is assessed again. When that changes a level, the verdict says so: the level then
rests on a column whose content leakscan could not check.
"""

from __future__ import annotations

from fractions import Fraction

from . import rulesets as rulesets_mod
from .count import _is_pi_sql, _tier_sql, tier_counts_many
from .plan import MASKED_KEY, key_column
from .registry import TIER_ORDER, Registry


def input_breakdown(con, plans: list, registry: Registry, *, dedup: str,
                    counts=None) -> dict[int, dict]:
    """Input index -> ``with_personal_info``, ``unique``, ``tiers``, ``persons``.

    With one input read, its figures are the case's (``counts``, when given): the query, a
    join of every record key to the person labels, is skipped (0.28 s of a 2.6 s scan of
    500,000 rows)."""
    live = [(i, p) for i, p in enumerate(plans) if p is not None]
    if len(live) == 1 and counts is not None:
        return {live[0][0]: {"with_personal_info": counts.with_personal_info,
                             "unique": counts.unique, "tiers": dict(counts.tiers),
                             "persons": counts.subjects}}
    categories = sorted({c for _, p in live for c in p.categories})
    if not live or not categories:
        return {i: _empty() for i, _ in live}
    keys = [key_column(c) for c in categories]
    keys += [MASKED_KEY] if any(p.masked_key for _, p in live) else []  # count.py's keys
    is_pi, tier = _is_pi_sql(categories, registry), _tier_sql(categories, registry)
    weight = "1" if dedup == "record" else "r.rows"
    persons = "NULL"
    join = ""
    if con.exists("leakscan_persons"):
        on = " AND ".join(f"r.{k} IS NOT DISTINCT FROM p.{k}" for k in keys)
        join = f"LEFT JOIN leakscan_persons p ON {on}"
        person = "p.rid"
        if con.exists("leakscan_labels"):
            join += " LEFT JOIN leakscan_labels l ON l.rid = p.rid"
            person = "coalesce(l.label, p.rid)"
        persons = f"count(DISTINCT {person})"
    tiers = ", ".join(f"coalesce(sum({weight}) FILTER (WHERE r.tier = '{t}'), 0)"
                      for t in TIER_ORDER)
    sql = f"""WITH r AS (SELECT input_idx, {', '.join(keys)}, {tier} AS tier, sum(n) AS rows
                         FROM leakscan_all WHERE {is_pi} GROUP BY input_idx, {', '.join(keys)})
              SELECT r.input_idx, sum(r.rows), sum({weight}), {tiers}, {persons}
              FROM r {join} GROUP BY r.input_idx"""
    out = {i: _empty() for i, _ in live}
    for row in con.execute(sql).fetchall():
        i, pi_rows, unique, *rest = row
        out[int(i)] = {"with_personal_info": int(pi_rows), "unique": int(unique),
                       "tiers": {t: int(n) for t, n in zip(TIER_ORDER, rest[:-1], strict=True)},
                       "persons": int(rest[-1]) if rest[-1] is not None else int(unique)}
    return out


def _empty() -> dict:
    return {"with_personal_info": 0, "unique": 0, "tiers": dict.fromkeys(TIER_ORDER, 0),
            "persons": 0}


def header_only_categories(assignments: list, inputs: list, registry: Registry) -> list[str]:
    """Categories each of whose columns (in inputs that were read) was recognised by header
    alone: ``method`` ``header``, or ``header+values`` for an attribute category, whose values
    were checked only for their shape (an amount, a date-time: ``VALUE_KINDS``), which cannot
    show that they are a balance or a check-in time."""
    methods: dict[str, set[str]] = {}
    failed = {inp.path for inp in inputs if inp.error}
    for a in assignments:
        if a.input not in failed:
            by_header = a.method == "header" or (
                a.method == "header+values" and a.category in registry
                and not registry.get(a.category).identifying)
            methods.setdefault(a.category, set()).add(by_header)
    return sorted(c for c, m in methods.items() if m == {True})


def header_only_levels(con, categories: list[str], registry: Registry, rulesets: list,
                       header_only: list[str], *, insider: bool,
                       illegal_income: Fraction | None) -> dict[str, dict]:
    """Ruleset id -> the outcome with ``header_only`` categories left out of the tiers."""
    items = [rs for rs in rulesets if rs.unit == "items"]
    if not header_only or not items:
        return {}
    kept = [c for c in categories if c not in header_only]
    counted = tier_counts_many(con, kept, registry, [(rs.class_tiers, (), None) for rs in items])
    out = {}
    for rs, (tiers, *_) in zip(items, counted, strict=True):
        a = rulesets_mod.assess(rs, tiers, insider=insider, illegal_income=illegal_income)
        out[rs.id] = {"categories": list(header_only), "counts_used": dict(a.counts_used),
                      "level": a.level, "level_name": a.level_name,
                      "score_exact": str(a.score)}
    return out
