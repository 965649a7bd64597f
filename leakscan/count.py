"""Count records, categories, tiers and persons from the per-input key tables.

Everything here reads the small ``leakscan_keys_<i>`` tables that ``plan.py`` produced (one
row per distinct record key of an input, with its row count), never the inputs. The rules are
the report spec's and ``docs/counting.md``'s:

- a record is a row; it is personal information when it holds a valid value of an
  *identifying* category; its tier is the most sensitive tier among its valid values;
- ``dedup=record``: records with equal keys (per category, the normalised valid values) are
  one record; ``dedup=none`` keeps every row;
- ``scope=case`` dedups across all inputs, ``scope=input`` within each input and adds up;
- persons: unique records linked by a shared value of a category that declares
  ``LINKS_PERSONS`` (resident ID, phone, e-mail), transitively;
- role-held values (``roles.py``: a doctor's name in a patients' table) are kept in key
  columns of their own (``r_<category>``): they make a row personal information and give it
  their own tier, but the row's attribute values attach only to the subject's identifiers
  (``items_sql``) and role values never link persons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from . import freetext, mixed
from .asof import AS_OF_SQL
from .expressions import apply
from .plan import MASKED_KEY, MULTI_SEP, BatchPart, InputPlan, key_column, masked_key_select
from .registry import TIER_ORDER, Registry
from .sql import split_list, split_values


def linking_categories(categories, registry: Registry) -> list[str]:
    """The categories among ``categories`` whose shared value makes two records the same
    person (declared by the categorizer: ``LINKS_PERSONS``), in a stable order."""
    return [c for c in sorted(categories) if registry.get(c).links_persons]


@dataclass
class CategoryCounts:
    detected: int = 0
    valid: int = 0
    unique: int = 0
    records: int = 0
    masked: int = 0  # cells holding a masked value (docs/counting.md, Rule 1.7)


@dataclass
class Counts:
    rows_per_input: list[int]
    columns: dict[tuple[int, int], tuple[int, int]]  # (input, position) -> (detected, valid)
    categories: dict[str, CategoryCounts]
    total: int
    with_personal_info: int
    unique: int
    tiers: dict[str, int]
    subjects: int
    subject_rounds: int = 0
    #: categories with a role-held key (``r_<category>``) in some input
    held: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: (input, position, category) -> (candidates, valid) found inside free-text columns
    embedded: dict[tuple[int, int, str], tuple[int, int]] = field(default_factory=dict)
    #: mixed columns (``mixed.py``): (input, position) -> (main category, [(other category,
    #: detected, valid)]); ``columns`` then holds the main category's figures
    mixed: dict[tuple[int, int], tuple[str, list]] = field(default_factory=dict)
    #: (input, position) -> masked cells of a categorised column (Rule 1.7)
    masked_columns: dict[tuple[int, int], int] = field(default_factory=dict)
    #: rows whose identifying cells are all masked or blank, at least one masked: not
    #: personal information by count (Rule 1.7), counted to say so
    masked_only: int = 0

    @property
    def duplicates(self) -> int:
        return self.with_personal_info - self.unique


def count_all(con: duckdb.DuckDBPyConnection, plans: list[InputPlan | None], registry: Registry,
              *, dedup: str, scope: str, on_duty: frozenset[int] = frozenset()) -> Counts:
    """Run the case-level aggregations. ``plans[i]`` is None for an input that failed."""
    live = [(i, p) for i, p in enumerate(plans) if p is not None]
    categories = sorted({c for _, p in live for c in p.categories})
    held = sorted({c for _, p in live for c in p.held})
    masked_key = any(p.masked_key for _, p in live)
    _create_union(con, live, categories, held, masked_key)
    items = _create_items(con, categories, held, registry, masked_key)
    is_pi = _is_pi_sql(categories, registry, held)
    tier = _tier_sql(categories, registry, held)

    rows, pi_rows, pi_keys, columns = _input_sums(con, live, registry)
    columns, mixed_columns = _mixed_columns(con, live, columns)
    rows_per_input = [rows.get(i, 0) for i in range(len(plans))]
    embedded = _embedded_tallies(con, live)

    total = sum(rows_per_input)
    with_pi = sum(pi_rows.values())
    keys = [key_column(c) for c in categories] + [key_column(c, role=True) for c in held]
    keys += [MASKED_KEY] if masked_key else []
    _create_records(con, keys, is_pi, tier, dedup=dedup, scope=scope, source=items,
                    distinct=keys_already_distinct(live, scope) and not held, on_duty=on_duty)

    # tiers and per-category records in one scan of the records (at 20M records under a 1 GB
    # memory limit every scan of them is a read from the spill file: about 3 s each)
    tiers = dict.fromkeys(TIER_ORDER, 0)
    per_cat = "".join(f", coalesce(sum(w) FILTER (WHERE {_holds(c, held)}), 0)"
                      for c in categories)
    by_tier = con.execute(f"SELECT tier, sum(w){per_cat} FROM leakscan_records GROUP BY tier"
                          ).fetchall()
    for t, w, *_ in by_tier:
        tiers[t] = int(w)
    unique = sum(tiers.values())

    cat_counts = {c: CategoryCounts() for c in categories}
    for (i, pos), (d, v) in columns.items():
        a = next(a for a in dict(live)[i].assignments if a.position == pos)
        main, others = mixed_columns.get((i, pos), (a.category, []))
        if main not in cat_counts:  # an organisation identifier: reported as excluded
            continue
        cat_counts[main].detected += d
        cat_counts[main].valid += v
        for cat, d_other, v_other in others:
            cat_counts[cat].detected += d_other
            cat_counts[cat].valid += v_other
    for (_, _, cat), (d, v) in embedded.items():
        cat_counts[cat].detected += d
        cat_counts[cat].valid += v
    masked_columns, masked_only = _masked_sums(con, live, registry)
    for (i, pos), m in masked_columns.items():
        a = next(a for a in dict(live)[i].assignments if a.position == pos)
        if a.category in cat_counts:
            cat_counts[a.category].masked += m
    for k, c in enumerate(categories):
        cat_counts[c].records = sum(int(r[2 + k]) for r in by_tier)
    # Linking values are grouped once, in count_subjects, for both the person links and (with
    # scope=case) their distinct counts; every other category is counted here.
    links = linking_categories(categories, registry)
    from_links = links if scope == "case" else []
    # (a role-held value is a value of its category but links nothing: counted here)
    from_links = [c for c in from_links if c not in held]
    rest = [c for c in categories if c not in from_links]
    single = [c for c in rest if scope == "case" and not _multi_valued(live, c)
              and c not in held]
    cat_counts_single = _distinct_single(con, single)
    for c in rest:
        cat_counts[c].unique = (cat_counts_single[c] if c in single
                                else _distinct_values(con, c, scope, c in held))

    distinct = keys_already_distinct(live, "case") and not held
    # a batched input's key table is a view, which has no rowid to number records by
    table = live[0][1].table if distinct and live and not live[0][1].view else None
    subjects, rounds = count_subjects(con, categories, is_pi, links, distinct=distinct,
                                      table=table, keys=keys, source=items,
                                      records=pi_keys[live[0][0]] if table else None)
    for c, n in linking_uniques(con, links, from_links).items():
        cat_counts[c].unique = n
    return Counts(rows_per_input, columns, cat_counts, total, with_pi, unique, tiers,
                  subjects, rounds, held=held, embedded=embedded, mixed=mixed_columns,
                  masked_columns=masked_columns, masked_only=masked_only)


def _masked_sums(con, live, registry) -> tuple[dict[tuple[int, int], int], int]:
    """Per categorised column its masked cells (``m<j>``), and the rows that are not personal
    information but hold a masked identifying cell (``masked_values`` set), over all inputs:
    one scan of each key table that can hold masked values."""
    columns, only, parts, masked = {}, 0, [], {}
    for i, p in live:
        masked[i] = [a for a in p.assignments if registry.get(a.category).masked_sql]
        if not masked[i]:
            continue
        is_pi = _is_pi_sql(p.categories, registry, p.held)
        aggs = [f"sum(m{a.position})" for a in masked[i]]
        aggs.append(f"sum(n) FILTER (WHERE NOT {is_pi} AND {MASKED_KEY} IS NOT NULL)"
                    if p.masked_key else "0")
        parts.append((i, p.batch or p.table, aggs))
    for i, row in per_input(con, parts).items():
        for a, m in zip(masked[i], row, strict=False):
            columns[(i, a.position)] = m
        only += row[-1]
    return columns, only


#: Inputs aggregated in one statement by ``per_input``.
PER_STATEMENT = 256


def per_input(con, parts: list[tuple[int, str | BatchPart, list[str]]]
              ) -> dict[int, list[int]]:
    """``parts``: ``(input, table, aggregates)``; per input, its aggregates over its table
    (NULL read as 0), for all inputs in a few statements: a UNION ALL of one row per input
    holding its aggregates as a list. One statement per input costs DuckDB a few
    milliseconds and Spark over half a second, which on a thousand small inputs is most of
    the scan. The inputs of one batch (``plan.BatchPart``) with the same aggregates are one
    branch, grouped by the batch's input column: a branch per input's view costs the
    binding of a view and a scan of the batch each (300 inputs of 100 rows: 1.6 s)."""
    def values(aggs):
        return ", ".join(f"CAST(coalesce({a}, 0) AS BIGINT)" for a in aggs)

    branches, batches = [], {}
    for i, table, aggs in parts:
        if isinstance(table, BatchPart):
            batches.setdefault((table.table, table.column, tuple(aggs)), []).append(i)
        else:
            branches.append(f"SELECT {i} AS i, [{values(aggs)}] AS v FROM {table}")
    for (table, column, aggs), ids in batches.items():
        branches.append(f"SELECT {column} AS i, [{values(aggs)}] AS v FROM {table} "
                        f"WHERE {column} IN ({', '.join(map(str, ids))}) GROUP BY {column}")
    out = {}
    for k in range(0, len(branches), PER_STATEMENT):
        for i, got in con.execute(" UNION ALL ".join(branches[k:k + PER_STATEMENT])).fetchall():
            out[int(i)] = [int(x) for x in got]
    for i, _table, aggs in parts:  # an input without rows has no group: its sums are 0
        out.setdefault(i, [0] * len(aggs))
    return out


def _create_union(con, live, categories, held=(), masked_key=False):
    parts = []
    for i, p in live:
        cols = [f"{i} AS input_idx"]
        for c in categories:
            cols.append(f"{key_column(c)}" if c in p.categories
                        else f"CAST(NULL AS VARCHAR) AS {key_column(c)}")
        for c in held:
            k = key_column(c, role=True)
            cols.append(k if c in p.held else f"CAST(NULL AS VARCHAR) AS {k}")
        cols += masked_key_select(p, masked_key)
        cols.append("n")
        parts.append(f"SELECT {', '.join(cols)} FROM {p.table}")
    if not parts:
        parts = ["SELECT 0 AS input_idx, CAST(0 AS BIGINT) AS n WHERE false"]
    con.execute(f"CREATE OR REPLACE TEMP VIEW leakscan_all AS {' UNION ALL '.join(parts)}")


def items_sql(source: str, categories, held, registry,
              passthrough: tuple[str, ...] = ("input_idx", "n")) -> str:
    """``source`` with each attribute key set to NULL in the rows that hold no identifying
    value of the record's subject (``docs/counting.md``, rule 2.4): an attribute value
    attaches only to the subject's identifiers, never to a role's (a diagnosis to the patient,
    not to the treating doctor). ``passthrough`` columns are kept as they are."""
    subject = _is_pi_sql(categories, registry)
    cols = list(passthrough)
    for c in categories:
        k = key_column(c)
        cols.append(k if registry.get(c).identifying else f"CASE WHEN {subject} THEN {k} END AS {k}")
    cols += [key_column(c, role=True) for c in held]
    return f"SELECT {', '.join(cols)} FROM {source}"


def _create_items(con, categories, held, registry, masked_key=False) -> str:
    """The relation records and persons are counted from: ``leakscan_all`` itself, or, when
    some values are held by a role, the view ``leakscan_items`` (``items_sql``)."""
    if not held:
        return "leakscan_all"
    passthrough = ("input_idx", "n") + ((MASKED_KEY,) if masked_key else ())
    con.execute(f"CREATE OR REPLACE TEMP VIEW leakscan_items AS "
                f"{items_sql('leakscan_all', categories, held, registry, passthrough)}")
    return "leakscan_items"


def _holds(category: str, held, prefix: str = "") -> str:
    """SQL: the record holds a valid value of ``category``, its subject's or a role's."""
    k = f"{prefix}{key_column(category)} IS NOT NULL"
    return (f"({k} OR {prefix}{key_column(category, role=True)} IS NOT NULL)"
            if category in held else k)


def _is_pi_sql(categories, registry, held=()) -> str:
    ident = [key_column(c) for c in categories if registry.get(c).identifying]
    ident += [key_column(c, role=True) for c in held]
    return "(" + " OR ".join(f"{k} IS NOT NULL" for k in ident) + ")" if ident else "false"


def _tier_sql(categories, registry, held=()) -> str:
    whens = []
    for t in TIER_ORDER[:-1]:
        ks = [key_column(c) for c in categories if registry.get(c).tier == t]
        ks += [key_column(c, role=True) for c in held if registry.get(c).tier == t]
        if ks:
            whens.append(f"WHEN {' OR '.join(k + ' IS NOT NULL' for k in ks)} THEN '{t}'")
    return f"CASE {' '.join(whens)} ELSE '{TIER_ORDER[-1]}' END" if whens else \
        f"'{TIER_ORDER[-1]}'"


def keys_already_distinct(live, scope: str) -> bool:
    """Whether ``leakscan_all`` already holds each record key (per input when ``scope`` is
    ``input``) at most once, so that grouping by it again would change nothing.

    Each ``leakscan_keys_<i>`` is grouped by its keys (``plan.py``), so this holds within one
    input; across inputs only when there is a single one. Skipping the no-op regrouping of
    ~1M keys saves two hash aggregations (~0.3 s and ~0.45 s at 1M rows).
    """
    return scope == "input" or len(live) <= 1


def _create_records(con, keys, is_pi, tier, *, dedup, scope, source="leakscan_all",
                    distinct=False, on_duty: frozenset[int] = frozenset()):
    """``leakscan_records``: one row per counted record (weight ``w``) with its tier.

    A view when no grouping is needed (``dedup=none``, or keys already distinct): a copy of
    every key took 7 s at 20M records, and the few aggregations that read it scan it anyway.
    """
    view = True
    # --insider-input: whether a record occurs in an input obtained on duty
    duty = (f"input_idx IN ({', '.join(str(i) for i in sorted(on_duty))})" if on_duty
            else "false")
    if dedup == "none":
        sql = (f"SELECT input_idx, {', '.join(keys + [''])}{tier} AS tier, n AS w, "
               f"{duty} AS on_duty FROM {source} WHERE {is_pi}")
    else:
        group = (["input_idx"] if scope == "input" else []) + keys
        if not group:
            sql = "SELECT 'C' AS tier, CAST(0 AS BIGINT) AS w, false AS on_duty WHERE false"
        elif distinct:  # one row per key already: the grouping below would be a no-op
            sql = (f"SELECT {', '.join(group)}, {tier} AS tier, CAST(1 AS BIGINT) AS w, "
                   f"{duty} AS on_duty FROM {source} WHERE {is_pi}")
        else:
            view = False
            sql = (f"SELECT {', '.join(group)}, {tier} AS tier, CAST(1 AS BIGINT) AS w, "
                   f"{'bool_or(' + duty + ')' if on_duty else 'false'} AS on_duty "
                   f"FROM {source} WHERE {is_pi} GROUP BY {', '.join(group)}")
    con.execute(f"CREATE OR REPLACE TEMP {'VIEW' if view else 'TABLE'} leakscan_records AS {sql}")


def _input_sums(con, live, registry) -> tuple[dict, dict, dict, dict]:
    """Per input, in one scan of its key table: its rows, its rows holding personal
    information and their distinct keys, and per categorised column its non-blank and valid
    cells (``d<j>``/``v<j>``). Returns ``rows``, ``pi_rows``, ``pi_keys`` (by input) and
    ``columns`` (by ``(input, position)``)."""
    rows, pi_rows, pi_keys, columns = {}, {}, {}, {}
    parts = []
    for i, p in live:
        is_pi = _is_pi_sql(p.categories, registry, p.held)
        aggs = ["sum(n)", f"sum(n) FILTER (WHERE {is_pi})", f"count(*) FILTER (WHERE {is_pi})"]
        for a in p.assignments:
            aggs += [f"sum(d{a.position})", f"sum(v{a.position})"]
        parts.append((i, p.batch or p.table, aggs))
    sums = per_input(con, parts)
    for i, p in live:
        row = sums[i]
        rows[i], pi_rows[i], pi_keys[i] = row[0], row[1], row[2]
        for k, a in enumerate(p.assignments):
            columns[(i, a.position)] = (row[3 + 2 * k], row[4 + 2 * k])
    return rows, pi_rows, pi_keys, columns


def _mixed_columns(con, live, columns):
    """Mixed columns (``mixed.split``): each one's main category and figures, and the other
    categories found in it, from one scan of the key table of each input that has any."""
    out = {}
    columns = dict(columns)
    parts, mixed_cols = [], {}
    for i, p in live:
        mixed_cols[i] = [a for a in p.assignments if a.members]
        if mixed_cols[i]:
            parts.append((i, p.table, [f"sum({name})" for a in mixed_cols[i]
                                       for name, _ in mixed.tallies(a)]))
    for i, row in per_input(con, parts).items():
        at = 0
        for a in mixed_cols[i]:
            per = row[at:at + len(a.members)]
            at += len(a.members)
            main, d, v, others = mixed.split(a.members, columns[(i, a.position)][0], per)
            columns[(i, a.position)] = (d, v)
            out[(i, a.position)] = (main, others)
    return columns, out


def _embedded_tallies(con, live):
    """Per free-text column and searched category: candidates found and valid values."""
    out, parts, searched = {}, [], {}
    for i, p in live:
        if not p.free_text:
            continue
        searched[i] = cols = [(j, c) for j, _ in p.free_text for c in p.embedded]
        parts.append((i, f"{p.table}__x", [f"sum({freetext.tally_column(kind, j, c)})"
                                           for j, c in cols for kind in "dv"]))
    for i, row in per_input(con, parts).items():
        for k, (j, c) in enumerate(searched[i]):
            out[(i, j, c)] = (row[2 * k], row[2 * k + 1])
    return out


def _values_sql(category: str, held: bool = False) -> str:
    """Every valid value of ``category`` with its input; with ``held``, the role-held values
    too (a doctor's name is a name: it counts among the names' distinct values)."""
    ks = [key_column(category)] + ([key_column(category, role=True)] if held else [])
    return " UNION ALL ".join(f"SELECT input_idx, {split_values(k, MULTI_SEP)} AS v "
                              f"FROM leakscan_all WHERE {k} IS NOT NULL" for k in ks)


def _multi_valued(live, category: str) -> bool:
    """Can a key of ``category`` hold several values? Only with two columns of it in one
    input, or when free text is searched for it (embedded values merge into the key)."""
    for _, p in live:
        if sum(mixed.holds(a, category) for a in p.assignments) > 1:
            return True
        if p.free_text and category in p.embedded:
            return True
    return False


def _distinct_single(con, categories: list[str]) -> dict[str, int]:
    """Distinct values (scope=case) of single-valued categories, in one scan of the keys."""
    if not categories:
        return {}
    counts = ", ".join(f"count(DISTINCT {key_column(c)})" for c in categories)
    row = con.execute(f"SELECT {counts} FROM leakscan_all").fetchone()
    return {c: int(n) for c, n in zip(categories, row, strict=True)}


def _distinct_values(con, category: str, scope: str, held: bool = False) -> int:
    cols = "input_idx, v" if scope == "input" else "v"
    sql = (f"SELECT count(*) FROM (SELECT DISTINCT {cols} FROM "
           f"({_values_sql(category, held)}))")
    return int(con.execute(sql).fetchone()[0])


def count_subjects(con, categories, is_pi, links: list[str], *, distinct: bool = False,
                   table: str | None = None, records: int | None = None,
                   keys: list[str] | None = None, source: str = "leakscan_all"
                   ) -> tuple[int, int]:
    """Distinct persons: connected components of unique records sharing a linking value.

    ``links`` are the linking categories among ``categories`` (``linking_categories``).
    Only a value held by two or more records can link anything, so records without such a
    value are one person each and are counted directly; label propagation runs on the rest.
    Each round, a shared value takes the smallest label of the records holding it and a record
    the smallest label of its values, then its label's label (pointer jumping). The loop runs
    once per round, never per row, and the rounds grow with the logarithm of the longest chain
    of links. ``distinct``: ``leakscan_all`` holds each key once already; with
    ``table``, the one key table it reads, whose ``rowid`` then serves as the record id (a view,
    not a numbered copy: at 20M records the copy took 14 s); ``records`` is then its number
    of personal-information keys when the caller knows it already (one scan less).

    How many records hold each linking value is kept by hash in ``leakscan_hashes`` and, for
    the values whose hash is held more than once, by value in ``leakscan_values``
    (``linking_uniques`` reads the distinct counts from the two).

    ``keys`` are the record-key columns (default: one per category) and ``source`` the
    relation they are read from (``_create_items``); links come only from the subject's
    ``k_`` keys, never from a role's.
    """
    keys = keys if keys is not None else [key_column(c) for c in categories]
    if not keys:
        return 0, 0
    if table is not None:
        con.execute(f"CREATE OR REPLACE TEMP VIEW leakscan_persons AS SELECT rowid AS rid, "
                    f"{', '.join(keys)} FROM {table} WHERE {is_pi}")
    else:
        con.execute(f"""CREATE OR REPLACE TEMP TABLE leakscan_persons AS
            SELECT row_number() OVER () AS rid, * FROM (
                SELECT {'' if distinct else 'DISTINCT '}{', '.join(keys)} FROM {source}
                WHERE {is_pi}) AS d""")
    if table is None or records is None:
        records = int(con.execute("SELECT count(*) FROM leakscan_persons").fetchone()[0])
    if not links:
        return records, 0
    # One row per (record, linking value); a record's values are already distinct (its key
    # holds each value once), so a value held by two records appears twice. ``c`` is the
    # category's place in ``links``.
    edges = " UNION ALL ".join(
        f"SELECT rid, {links.index(c)} AS c, "
        f"{split_values(key_column(c), MULTI_SEP)} AS v FROM leakscan_persons "
        f"WHERE {key_column(c)} IS NOT NULL" for c in links)
    # How many records hold each value is counted first by a 64-bit hash of the value: the
    # grouping then holds integers, not strings, which matters when it spills (60M values at
    # 20M records). A hash held once is a value held once; only the values whose hash is held
    # twice or more (shared values, and any two values whose hashes collide) are grouped
    # again by the value itself, so every figure below stays exact.
    con.execute(f"CREATE OR REPLACE TEMP TABLE leakscan_hashes AS "
                f"SELECT c, hash(v) AS h, count(*) AS holders FROM ({edges}) AS e GROUP BY c, h")
    con.execute(f"CREATE OR REPLACE TEMP TABLE leakscan_shared AS SELECT e.rid, e.c, e.v "
                f"FROM ({edges}) AS e SEMI JOIN (SELECT c, h FROM leakscan_hashes "
                f"WHERE holders > 1) AS s ON e.c = s.c AND hash(e.v) = s.h")
    con.execute("CREATE OR REPLACE TEMP TABLE leakscan_values AS "
                "SELECT c, v, count(*) AS holders FROM leakscan_shared GROUP BY c, v")
    # The links: records sharing a value held twice or more, the value as an integer id.
    con.execute("""CREATE OR REPLACE TEMP TABLE leakscan_edges AS
        SELECT s.rid, x.vid AS v FROM leakscan_shared AS s JOIN (
            SELECT c, v, row_number() OVER () AS vid FROM leakscan_values WHERE holders > 1
        ) AS x ON s.c = x.c AND s.v = x.v""")
    con.execute("DROP TABLE leakscan_shared")
    con.execute("CREATE OR REPLACE TEMP TABLE leakscan_labels AS "
                "SELECT DISTINCT rid, rid AS label FROM leakscan_edges")
    linked = int(con.execute("SELECT count(*) FROM leakscan_labels").fetchone()[0])
    rounds = 0
    while linked:
        rounds += 1
        # then each record jumps to its label's label (pointer jumping): a label is a linked
        # record of the same component, so the jump stays inside it and only shortens the
        # chains, and a round that changes nothing is a fixed point of plain propagation too.
        # (A LEFT JOIN for safety: every label is the rid of a linked record, so it always
        # finds one.) 20M-record benchmark: 8 rounds, 11 without the jump.
        con.execute("""CREATE OR REPLACE TEMP TABLE leakscan_labels_next AS
            WITH vl AS (SELECT e.v, min(l.label) AS label FROM leakscan_edges e
                        JOIN leakscan_labels l USING (rid) GROUP BY e.v),
                 rl AS (SELECT e.rid, min(vl.label) AS label FROM leakscan_edges e
                        JOIN vl USING (v) GROUP BY e.rid),
                 nx AS (SELECT l.rid, least(l.label, rl.label) AS label
                        FROM leakscan_labels l JOIN rl USING (rid))
            SELECT a.rid, least(a.label, coalesce(b.label, a.label)) AS label
            FROM nx a LEFT JOIN nx b ON a.label = b.rid""")
        changed = con.execute("""SELECT count(*) FROM leakscan_labels a
            JOIN leakscan_labels_next b USING (rid) WHERE a.label <> b.label""").fetchone()[0]
        con.execute("DROP TABLE leakscan_labels")
        con.execute("ALTER TABLE leakscan_labels_next RENAME TO leakscan_labels")
        if not changed:
            break
    components = int(con.execute("SELECT count(DISTINCT label) FROM leakscan_labels")
                     .fetchone()[0])
    return records - linked + components, rounds


def linking_uniques(con, links: list[str], categories: list[str]) -> dict[str, int]:
    """Distinct values of the linking ``categories`` (a subset of the ``links`` that
    ``count_subjects`` was given), from the tables ``count_subjects`` left: the
    values whose hash only one record holds (``leakscan_hashes``), plus the distinct values
    among the rest (``leakscan_values``, grouped by the value itself).

    Equal to ``_distinct_values(..., "case")`` for an identifying category: its values occur
    only in personal-information records, which are exactly the records linked.
    """
    if not categories:
        return {}
    idx = [links.index(c) for c in categories]
    once = ", ".join(f"count(*) FILTER (WHERE c = {k} AND holders = 1)" for k in idx)
    more = ", ".join(f"count(*) FILTER (WHERE c = {k})" for k in idx)
    row = con.execute(f"SELECT {once}, (SELECT [{more}] FROM leakscan_values) "
                      f"FROM leakscan_hashes").fetchone()
    return {c: int(a) + int(b) for c, a, b in zip(categories, row[:-1], row[-1], strict=True)}


def minor_sql(expr: str, under: int, birth_date_sql: str) -> str:
    """SQL: whether a key (``MULTI_SEP``-joined, valid, normalised values of one category)
    holds a value whose birth date (the category's ``BIRTH_DATE_SQL``) makes its holder
    younger than ``under`` years at the reference date (``asof.AS_OF_SQL``): born after the
    day ``under`` years before it. A child born on that day turns ``under`` on the reference
    date and is not a minor under ``under``."""
    born = apply(birth_date_sql, "x")
    cutoff = f"CAST({AS_OF_SQL} - INTERVAL {int(under)} YEAR AS DATE)"
    return (f"coalesce(list_bool_or(list_transform({split_list(expr, MULTI_SEP)}, "
            f"lambda x: {born} > {cutoff})), false)")


def count_minor_persons(con, categories, registry: Registry, under: int) -> int:
    """Persons (as ``count_subjects`` found them) with a valid value of a category that
    declares a birth date (``BIRTH_DATE_SQL``: resident IDs) making them younger than
    ``under`` at the reference date (``minor_sql``)."""
    return count_persons_holding(con, categories, (), registry=registry, minors_under=under)


def count_persons_holding(con, categories, holding: tuple[str, ...], *,
                          registry: Registry | None = None,
                          minors_under: int | None = None) -> int:
    """Persons (as ``count_subjects`` found them) with at least one record holding a valid
    value of a category in ``holding`` (or, with ``minors_under``, a value of a category
    declaring a birth date that makes its holder a minor under that age, ``minor_sql``; then
    ``registry`` is needed). Needs the tables ``count_subjects`` left behind."""
    present = [f"p.{key_column(c)} IS NOT NULL" for c in holding if c in categories]
    if minors_under:
        present += [minor_sql(f"p.{key_column(c)}", minors_under, registry.get(c).birth_date_sql)
                    for c in categories if registry.get(c).birth_date_sql]
    if not present:
        return 0
    person, join = _labels_join(con)
    cond = " OR ".join(present)
    return int(con.execute(f"SELECT count(DISTINCT {person}) FROM leakscan_persons p {join} "
                           f"WHERE {cond}").fetchone()[0])


def _labels_join(con) -> tuple[str, str]:
    """The person of a row of ``leakscan_persons`` (``p``): its component's label, or its
    own id when ``count_subjects`` found no links (no ``leakscan_labels`` table)."""
    if con.exists("leakscan_labels"):
        return "coalesce(l.label, p.rid)", "LEFT JOIN leakscan_labels l USING (rid)"
    return "p.rid", ""


def _tier_conds(categories, registry, class_tiers, category_tiers=(), prefix="",
                held=()) -> dict:
    """Per tier, the conditions that put a record there; a role-held value (``held``)
    gives its record its class's tier too (``_holds``)."""
    conds: dict[str, list[str]] = {t: [] for t in TIER_ORDER}
    override = dict(category_tiers)
    for c in categories:
        tier = override.get(c) or class_tiers.get(registry.get(c).cls, TIER_ORDER[-1])
        conds[tier].append(_holds(c, held, prefix))
    return conds


def person_tier_counts(con, categories, registry: Registry, class_tiers: dict,
                       per_person: tuple[str, ...] = ()) -> tuple[dict[str, int], int]:
    """Tier counts when persons, not records, are counted (``subjects``: the components
    ``count_subjects`` found). Needs the tables ``count_subjects`` left behind.

    Without ``per_person``: each person counts once, at the most sensitive tier among their
    records. With it: a counted record whose tier comes only from categories in
    ``per_person`` (position fixes) is replaced by one item per person holding such records,
    per tier; every other record counts as ``leakscan_records`` counts it. Returns the counts
    and how many records the reading collapsed (all unique records for persons).
    """
    if not categories:
        return dict.fromkeys(TIER_ORDER, 0), 0
    person, join = _labels_join(con)
    if not per_person:
        tier = _case(_tier_conds(categories, registry, class_tiers, prefix="p."))
        rows = con.execute(f"""SELECT tier, count(*), sum(n) FROM (
            SELECT {person} AS person, min({tier}) AS tier, count(*) AS n
            FROM leakscan_persons p {join} GROUP BY 1) GROUP BY tier""").fetchall()
        counts = dict.fromkeys(TIER_ORDER, 0)
        for t, k, _ in rows:
            counts[t] = int(k)
        return counts, sum(int(n) for *_, n in rows)
    present = [c for c in per_person if c in categories]

    def collapsible(prefix: str) -> tuple[str, str]:
        """The record's tier, and whether it comes from ``per_person`` categories only."""
        conds = _tier_conds(categories, registry, class_tiers, prefix=prefix)
        tier = _case(conds)
        only = []
        for t in TIER_ORDER:
            mine = [f"{prefix}{key_column(c)} IS NOT NULL" for c in present]
            mine = [m for m in mine if m in conds[t]]
            if not mine:
                continue
            others = [x for x in conds[t] if x not in mine]
            only.append(f"(({tier}) = '{t}' AND ({' OR '.join(mine)})"
                        + (f" AND NOT ({' OR '.join(others)})" if others else "") + ")")
        return tier, (" OR ".join(only) if only else "false")

    tier, coll = collapsible("")
    kept = con.execute("SELECT " + ", ".join(
        f"coalesce(sum(w) FILTER (WHERE ({tier}) = '{t}' AND NOT ({coll})), 0)"
        for t in TIER_ORDER) + f", coalesce(sum(w) FILTER (WHERE {coll}), 0) "
        f"FROM leakscan_records").fetchone()
    p_tier, p_coll = collapsible("p.")
    rows = con.execute(f"""SELECT tier, count(DISTINCT person) FROM (
        SELECT {person} AS person, {p_tier} AS tier FROM leakscan_persons p {join}
        WHERE {p_coll}) GROUP BY tier""").fetchall()
    counts = dict(zip(TIER_ORDER, (int(x) for x in kept[:-1]), strict=True))
    for t, k in rows:
        counts[t] += int(k)
    return counts, int(kept[-1])


def tier_counts_many(con, categories, registry: Registry, readings: list[tuple], held=(), *,
                     on_duty: bool = False
                     ) -> list[tuple[dict[str, int], int, int, dict[str, int]]]:
    """Tier counts of the counted records (``leakscan_records``) under each reading of
    ``readings``, in one scan of the records (every ruleset and alternative reading of a scan
    at once: at 20M records under a 1 GB memory limit each scan is about 3 s of reading the
    spill file).

    A reading is ``(class_tiers, all_of, as_tier)``. ``class_tiers`` maps each legal class to
    a tier; a record's tier is the most sensitive tier among its categories. With
    ``all_of``/``as_tier``, records holding a valid value of every category in ``all_of`` are
    read as ``as_tier`` when that is more sensitive (SPC Guiding Case No. 193: resident ID
    with a name as tier B). A role-held value (``held``) gives its record its class's tier;
    ``all_of`` reads the subject's values only (a patient's ID number with the doctor's name
    is not an ID-card record). A fourth element, ``category_tiers`` (``(category, tier)``
    pairs), reads those categories at those tiers (bank-card numbers as tier C). Returns per
    reading the counts, how many records hold every category of ``all_of`` (or any of
    ``category_tiers``), how many of them the reading moved, and, with ``on_duty``, the counts
    of the records obtained on duty (``leakscan_records.on_duty``, ``--insider-input``).
    """
    if not categories or not readings:
        return [(dict.fromkeys(TIER_ORDER, 0), 0, 0, {}) for _ in readings]
    aggs = []
    for class_tiers, all_of, as_tier, *more in readings:
        category_tiers = more[0] if more else ()
        conds = _tier_conds(categories, registry, class_tiers, category_tiers, held=held)
        base = _case(conds)
        moved_sql = both = "false"
        if category_tiers:  # records whose tier the per-category reading changes
            named = [f"{key_column(c)} IS NOT NULL" for c, _ in category_tiers
                     if c in categories]
            both = "(" + " OR ".join(named) + ")" if named else "false"
            base = _case(_tier_conds(categories, registry, class_tiers, held=held))
            moved_sql = f"({_case(conds)}) <> ({base})"
        if as_tier is not None and all_of and all(c in categories for c in all_of):
            both = "(" + " AND ".join(f"{key_column(c)} IS NOT NULL" for c in all_of) + ")"
            conds[as_tier].append(both)
            moved_sql = f"({_case(conds)}) <> ({base})"
        tier = _case(conds)
        aggs += [f"coalesce(sum(w) FILTER (WHERE ({tier}) = '{t}'), 0)" for t in TIER_ORDER]
        aggs += [f"coalesce(sum(w) FILTER (WHERE {both}), 0)",
                 f"coalesce(sum(w) FILTER (WHERE {moved_sql}), 0)"]
        aggs += [f"coalesce(sum(w) FILTER (WHERE on_duty AND ({tier}) = '{t}'), 0)"
                 if on_duty else "0" for t in TIER_ORDER]
    row = con.execute(f"SELECT {', '.join(aggs)} FROM leakscan_records").fetchone()
    out, n = [], len(TIER_ORDER)
    width = 2 * n + 2
    for k in range(len(readings)):
        part = [int(x) for x in row[k * width:(k + 1) * width]]
        duty = dict(zip(TIER_ORDER, part[n + 2:], strict=True)) if on_duty else {}
        out.append((dict(zip(TIER_ORDER, part[:n], strict=True)), part[n], part[n + 1], duty))
    return out


def _case(conds: dict[str, list[str]]) -> str:
    whens = [f"WHEN {' OR '.join(cs)} THEN '{t}'" for t, cs in conds.items()
             if cs and t != TIER_ORDER[-1]]
    return f"CASE {' '.join(whens)} ELSE '{TIER_ORDER[-1]}' END" if whens else \
        f"'{TIER_ORDER[-1]}'"
