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

import functools

from .expressions import CellSpec
from .registry import Registry
from .sql import quote_ident

#: A member of a mixed column takes at least this share of its non-blank sampled values...
MIN_SHARE = 0.05
#: ...and at least this many of them: fewer could be chance (a Taiwan permit's 8 digits).
MIN_COUNT = 3
#: Headers of a companion type column (``证件类型``: 身份证, 护照...), matched like synonyms.
TYPE_HEADERS = ("证件类型", "证件种类", "证件名称", "证照类型", "zjlx", "id_type", "cert_type",
                "certificate_type", "document_type", "doc_type")


def order_key(registry: Registry, cat_id: str) -> tuple[int, str]:
    return (registry.get(cat_id).mixed["order"], cat_id)


def candidates(column: str, registry: Registry, credential: bool = False) -> list[str]:
    """The categories that may share ``column``, in declared order: those whose own synonyms
    or ``MIXED`` header words the header holds (none of its negative words), and with
    ``credential`` (the account column of a credential list) those declaring
    ``credentials``. Once per header and registry (``header_match.header_matches`` too):
    a thousand small files with the same three headers asked 2,700 times, 1 s uncached."""
    return list(_candidates(column, registry, credential))


@functools.lru_cache(maxsize=1 << 14)
def _candidates(column: str, registry: Registry, credential: bool) -> tuple[str, ...]:
    from .header_match import header_matches, negative_hits, synonym_matches

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
    return tuple(sorted(out, key=lambda c: order_key(registry, c)))


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
    from .classify import HEADER_MIN_SHARE, Assignment
    from .header_match import header_matches

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


def type_column(columns: list[str], members, registry: Registry) -> str | None:
    """The input's companion type column for a mixed column of ``members``: the one column
    whose header is a ``TYPE_HEADERS`` word, when some member declares type words (two such
    columns: which one goes with which is unknown, so none)."""
    from .header_match import synonym_matches

    if not any(registry.get(m).mixed.get("types") for m in members):
        return None
    found = [c for c in columns if any(synonym_matches(c, w) for w in TYPE_HEADERS)]
    return found[0] if len(found) == 1 else None


def type_words(members, registry: Registry) -> list[tuple[str, str]]:
    """``(folded word, category)`` of the members' type words, longest first: ``香港身份证``
    names a Hong Kong identity card before ``身份证`` names a resident ID."""
    from .header_match import normalize_header

    words = [(normalize_header(w), m) for m in members
             for w in registry.get(m).mixed.get("types", ())]
    return sorted(words, key=lambda x: (-len(x[0]), x[0], x[1]))


def named_type(type_cell: str | None, members, registry: Registry) -> str | None:
    """Python reference of ``_named_sql``: the member a type cell names, or None.

    >>> from leakscan.registry import default_registry
    >>> named_type(" 香港身份证 ", ("cn_resident_id", "hk_identity_card"), default_registry())
    'hk_identity_card'
    """
    from .header_match import normalize_header

    if type_cell is None:
        return None
    folded = normalize_header(type_cell)
    return next((m for w, m in type_words(members, registry) if w in folded), None)


def resolve(value: str | None, members: list[str], registry: Registry,
            type_cell: str | None = None):
    """Python reference of the SQL CASE chain: ``(category, normalised value)`` of the first
    member that validates ``value`` or, when ``type_cell`` names a member, of that member
    alone; None when no candidate validates it."""
    named = named_type(type_cell, members, registry)
    if named is not None:
        cat = registry.get(named)
        return (named, cat.normalize(value)) if cat.is_valid(value) else None
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


def ok(a, registry: Registry | None = None) -> str:
    """SQL: the cell is valid (as any member; as the member its type cell names, if any)."""
    if not a.members:
        return f"c{a.position}_ok"
    if a.type_column and registry:
        return "(" + " OR ".join(_first(a, k, registry) for k in range(len(a.members))) + ")"
    return "(" + " OR ".join(f"{_alias(a, k)}_ok" for k in range(len(a.members))) + ")"


def masked(a) -> str:
    """SQL: the cell is masked (``MASKED_SQL``; counting rule 1.7): for a mixed column, in the
    masked form of any member."""
    if not a.members:
        return f"c{a.position}_masked"
    return "(" + " OR ".join(f"{_alias(a, k)}_masked" for k in range(len(a.members))) + ")"


def type_cells(assignments) -> list[str]:
    """Passthrough expressions of the plan: each mixed column's type cell, as ``t<j>``."""
    return [f"CAST({quote_ident(a.type_column)} AS VARCHAR) AS t{a.position}"
            for a in assignments if a.members and a.type_column]


def _named_sql(a, registry: Registry) -> str:
    """SQL: the index of the member the type cell names (``named_type``), or NULL."""
    from .text import FOLD_WIDTH_SQL, sql_literal

    # normalize_header's fold (white space at the ends does not change what a word is in)
    folded = f"lower({FOLD_WIDTH_SQL.replace('{value}', f't{a.position}')})"
    whens = " ".join(f"WHEN contains({folded}, {sql_literal(w)}) THEN {a.members.index(m)}"
                     for w, m in type_words(a.members, registry))
    return f"(CASE {whens} END)" if whens else "NULL"


def _first(a, k: int, registry: Registry | None = None) -> str:
    earlier = [f"{_alias(a, i)}_ok" for i in range(k)]
    chain = (f"({_alias(a, k)}_ok AND NOT ({' OR '.join(earlier)}))" if earlier
             else f"{_alias(a, k)}_ok")
    if not (a.type_column and registry):
        return chain
    named = _named_sql(a, registry)
    return (f"(CASE WHEN {named} IS NULL THEN {chain} "
            f"ELSE {named} = {k} AND {_alias(a, k)}_ok END)")


def holds(a, category: str) -> bool:
    return category in (a.members or (a.category,))


def value(a, category: str, registry: Registry | None = None) -> str:
    """SQL: the cell's normalised value when it is a valid value of ``category``, else NULL."""
    if not a.members:
        return f"CASE WHEN c{a.position}_ok THEN c{a.position}_norm END"
    k = a.members.index(category)
    return f"CASE WHEN {_first(a, k, registry)} THEN {_alias(a, k)}_norm END"


def tallies(a, registry: Registry | None = None) -> list[tuple[str, str]]:
    """``(name, SQL flag)`` per member of a mixed column: the cell went to that member."""
    return [(f"w{a.position}_{k}", _first(a, k, registry)) for k in range(len(a.members))]


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
