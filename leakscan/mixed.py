"""Columns that hold several categories: ``证件号码``, ``联系方式``, a credential list's account.

Real exports keep different identifiers in one column: an identity-document column holds
resident IDs, passports, travel permits and foreign permanent-residence IDs (its companion
``证件类型`` says which), a contact column phones and e-mail addresses, the account column of
a credential list phones, e-mail addresses and QQ numbers. Assigning such a column one
category drops every value of the others (and merges people who differ only there); leaving
it unassigned drops all of them.

A *mixed* assignment (``Assignment.members``: its categories in declared order) sends each
cell to the first member whose validation it passes. The order is each categorizer's
``MIXED["order"]`` (most specific checks first: a resident ID's check digit before a
passport's shape; a phone and an e-mail address before a login name), so the SQL's CASE chain
and the Python reference (``resolve``) agree by construction. The engine names no category:
which categories may share a column, under which header words, and whether they make up a
credential list's account column are declared by the categorizers (``docs/categorizers.md``).

When a column is mixed (``decide``; ``docs/classification.md``, "Mixed columns"): its header
(or its being the account column of a credential list) names at least two candidates; in the
sample, at least two of them each take ``MIN_SHARE`` of the non-blank values and at least
``MIN_COUNT`` values as their first valid category; and together those reach the share a
header match needs (``HEADER_MIN_SHARE``).
"""

from __future__ import annotations

from .expressions import CellSpec
from .registry import Registry
from .sql import quote_ident

#: A member of a mixed column takes at least this share of its non-blank sampled values...
MIN_SHARE = 0.05
#: ...and at least this many of them: fewer could be chance (a Taiwan permit's 8 digits).
MIN_COUNT = 3


def order_key(registry: Registry, cat_id: str) -> tuple[int, str]:
    return (registry.get(cat_id).mixed["order"], cat_id)


def candidates(column: str, registry: Registry, credential: bool = False) -> list[str]:
    """The categories that may share ``column``, in declared order: those whose own synonyms
    or ``MIXED`` header words the header holds (none of its negative words), and with
    ``credential`` (the account column of a credential list) those declaring
    ``credentials``."""
    from .classify import header_matches, negative_hits, synonym_matches

    own = header_matches(column, registry)
    out = []
    for cat in registry:
        decl = cat.mixed
        if not decl:
            continue
        named = cat.id in own or (
            any(synonym_matches(column, w) for w in decl.get("headers", ()))
            and not negative_hits(column, cat.negative_words))
        if named or (credential and decl.get("credentials", False)):
            out.append(cat.id)
    return sorted(out, key=lambda c: order_key(registry, c))


def first_valid(hist: dict[int, int], bits: dict[str, int], members: list[str]) -> dict[str, int]:
    """Per member, the sampled values whose first valid category (in ``members``' order) it
    is. ``hist`` maps a bit mask of a value's valid categories (bit ``bits[c]``) to the
    number of such values."""
    out = dict.fromkeys(members, 0)
    for mask, n in hist.items():
        for c in members:
            if c in bits and mask >> bits[c] & 1:
                out[c] += n
                break
    return out


def decide(input_path: str, j: int, column: str, nonblank: int, hist: dict[int, int],
           bits: dict[str, int], registry: Registry, credential: bool = False):
    """A mixed ``Assignment`` for the column, or None (then the one-category rules apply).

    ``category`` is the member most sampled values belong to (the earlier in declared order
    on a tie); the report recomputes it from the full pass (``split``)."""
    from .classify import HEADER_MIN_SHARE, Assignment, header_matches

    cands = candidates(column, registry, credential)
    if len(cands) < 2 or not nonblank:
        return None
    counts = first_valid(hist, bits, cands)
    members = [c for c in cands
               if counts[c] >= MIN_COUNT and counts[c] >= MIN_SHARE * nonblank]
    if len(members) < 2:
        return None
    counts = first_valid(hist, bits, members)  # a value valid only as a non-member is invalid
    valid = sum(counts.values())
    share = valid / nonblank
    if share < HEADER_MIN_SHARE:
        return None
    primary = max(members, key=lambda c: (counts[c], -members.index(c)))
    synonym = header_matches(column, registry).get(primary)
    return Assignment(input_path, column, j, primary, "header+values", round(0.5 + 0.5 * share, 4),
                      nonblank, valid, synonym, members=tuple(members))


def resolve(value: str | None, members: list[str], registry: Registry):
    """Python reference of the SQL CASE chain: ``(category, normalised value)`` of the first
    member that validates ``value``, or None."""
    for c in members:
        cat = registry.get(c)
        if cat.is_valid(value):
            return c, cat.normalize(value)
    return None


# --- the plan: one pipeline per member over the same cell ---------------------------------

def _alias(a, k: int) -> str:
    return f"c{a.position}m{k}"


def cell_specs(a, registry: Registry) -> list[CellSpec]:
    """The normalise/validate pipelines of assignment ``a``: one, or one per member."""
    if not a.members:
        return [CellSpec(f"c{a.position}", quote_ident(a.column), registry.get(a.category))]
    return [CellSpec(_alias(a, k), quote_ident(a.column), registry.get(m))
            for k, m in enumerate(a.members)]


def raw(a) -> str:
    """SQL name of the cell as read."""
    return f"{_alias(a, 0)}_raw" if a.members else f"c{a.position}_raw"


def ok(a) -> str:
    """SQL: the cell is valid (as any member)."""
    if not a.members:
        return f"c{a.position}_ok"
    return "(" + " OR ".join(f"{_alias(a, k)}_ok" for k in range(len(a.members))) + ")"


def _first(a, k: int) -> str:
    earlier = [f"{_alias(a, i)}_ok" for i in range(k)]
    return (f"({_alias(a, k)}_ok AND NOT ({' OR '.join(earlier)}))" if earlier
            else f"{_alias(a, k)}_ok")


def holds(a, category: str) -> bool:
    return category in (a.members or (a.category,))


def value(a, category: str) -> str:
    """SQL: the cell's normalised value when it is a valid value of ``category``, else NULL."""
    if not a.members:
        return f"CASE WHEN c{a.position}_ok THEN c{a.position}_norm END"
    k = a.members.index(category)
    return f"CASE WHEN {_first(a, k)} THEN {_alias(a, k)}_norm END"


def tallies(a) -> list[tuple[str, str]]:
    """``(name, SQL flag)`` per member of a mixed column: the cell went to that member."""
    return [(f"w{a.position}_{k}", _first(a, k)) for k in range(len(a.members))]


def guarded(sql: str) -> str:
    """``sql`` run with DuckDB's ``in_clause`` optimizer off.

    A mixed column's cell feeds one pipeline per member; when the cell is read through the
    null-marker rewrite (``damage.py``: ``lower(trim(cell)) IN (...)``), DuckDB 2.0's
    ``in_clause`` optimizer did not finish planning the grouped key query (EXPLAIN alone ran
    past 60 s for two members, a phone and an e-mail, over 9 rows; found by disabling
    optimizers in halves). Without it a constant IN list is a chain of comparisons, which
    costs nothing at 26 markers.
    """
    return f"SET disabled_optimizers = 'in_clause'; {sql}; RESET disabled_optimizers"


# --- the counts: the column's main category and the others found in it --------------------

def split(members: tuple[str, ...], detected: int, per_member: list[int]):
    """``(main category, detected, valid, others)`` of a mixed column from the full pass.

    The main category is the member most valid values went to (the earlier in declared order
    on a tie): it is the column's ``category`` in the report (v1 unchanged). Its ``detected``
    is every non-blank cell but those valid as another member; each other member found
    (``others``: ``(category, detected, valid)``) detected its valid values only, so the
    entries' ``detected`` add up to the column's non-blank cells.

    >>> split(("cn_resident_id", "passport"), 10, [3, 5])
    ('passport', 7, 5, [('cn_resident_id', 3, 3)])
    """
    k = max(range(len(members)), key=lambda i: (per_member[i], -i))
    others = [(m, n, n) for i, (m, n) in enumerate(zip(members, per_member, strict=True))
              if i != k and n]
    return members[k], detected - sum(n for _, n, _ in others), per_member[k], others
