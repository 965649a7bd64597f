"""Build the SQL that reads one input once and reduces it to distinct record keys.

One statement per input: DuckDB streams the file, every categorised cell is normalised and
validated once (``expressions.layered_select``), each row becomes a *record key* (per
category, its valid normalised values) and the rows are grouped by that key on the fly. What
is kept is one row per distinct key with how many rows had it, and per-column tallies, so
the case-level counting (``count.py``) never touches the input again and the memory needed is
bounded by the number of distinct records, which DuckDB spills to disk when it must.

Key columns are named ``k_<category>`` (the record's subject's values) and ``r_<category>``
(values of columns held by a role other than the subject: ``roles.py``); per-column tallies ``d<j>`` (non-blank cells),
``v<j>`` (valid cells) and ``m<j>`` (masked cells), ``j`` being the column's position in the
input. When an input has columns of an identifying category that declares masked forms, the
key also holds ``masked_values``: the row's masked identifying cells as written
(``masked_key_sql``), so that two rows differing only in their masked values are not one
record because those values were left out of the category keys (docs/counting.md, Rule 1.7).

With ``rows=True`` (only when evidence is asked for: ``--evidence-out``, ``--duplicates-out``)
the input is read in file order and every row is numbered first: one row per data row is kept
in ``leakscan_rows_<i>`` (``row_no``, the 1-based data-row number, and the key columns), and
the key table is grouped from it, with ``first_row`` (the smallest row number of each key)
added. The counts are the same either way; the numbered read is single-threaded, so a plain
scan never pays for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import freetext, mixed
from .classify import Assignment
from .column_sample import nonblank_sql
from .expressions import layered_select
from .registry import Registry
from .sql import MULTI_SEP, distinct_sorted_join, quote_ident, quote_literal


@dataclass(frozen=True)
class BatchPart:
    """Where a batched input's key rows are: the batch's key table, the column telling its
    inputs apart and this input's value in it (``scan.Scanner._reduce_batch``), so that
    per-input sums read a batch once, grouped by that column, not once per input's view."""

    table: str
    column: str
    input: int


@dataclass(frozen=True)
class InputPlan:
    table: str  # the temp table of distinct keys this input reduces to
    categories: list[str]  # categories with at least one column in this input
    assignments: list[Assignment]
    sql: str
    rows_table: str | None = None  # leakscan_rows_<i> when rows were numbered
    free_text: list[tuple[int, str]] = field(default_factory=list)  # searched (position, column)
    embedded: list[str] = field(default_factory=list)  # categories searched for in free text
    cleanup: list[str] = field(default_factory=list)  # statements to run once samples are read
    held: list[str] = field(default_factory=list)  # categories with role-held columns (r_ keys)
    masked_key: bool = False  # the key has the column MASKED_KEY (masked_key_sql)
    view: bool = False  # ``table`` is a view of a batch's key table (no ``rowid``)
    batch: BatchPart | None = None  # that batch's rows (with ``view``, in a DuckDB scan)

    @property
    def resolved(self) -> str:
        """The table ``freetext.samples_sql`` reads (meaningful when ``free_text``)."""
        return f"{self.table}__ft"


#: The name of the 1-based data-row number column in numbered sources and row tables.
ROW_NO = "row_no"
_PARQUET_CALL = re.compile(r"read_parquet\(('(?:[^']|'')*')\)")


def numbered_source(source_sql: str, raw_table: str) -> tuple[list[str], str]:
    """Statements to run first, and a relation over ``source_sql`` with ``row_no``: the
    1-based data row in file order.

    Parquet: DuckDB's ``file_row_number`` (0-based, in file order), read in parallel.
    Delimited text: DuckDB's CSV reader has no row-number column, and ``row_number() OVER ()``
    over its parallel reader does not follow the file, so the file is read single-threaded
    (``parallel=false``, with ``preserve_insertion_order`` on: the caller sets it) into
    ``raw_table`` with its row numbers, and the normalise/validate pass then runs over that
    table in parallel (1M rows: 0.7 s to number, against 6.8 s for the whole pass when it ran
    behind the single-threaded read). The header is not a data row; a row DuckDB cannot parse
    is skipped and takes no number (the input's ``rows_rejected``).
    """
    parquet, n = _PARQUET_CALL.subn(r"read_parquet(\1, file_row_number=true)", source_sql)
    if n == 1:  # also when the call is wrapped (damage.marked_source): * carries the column
        return [], (f"(SELECT file_row_number + 1 AS {ROW_NO}, * EXCLUDE (file_row_number) "
                    f"FROM {parquet}) AS numbered")
    serial = source_sql.replace("parallel=true", "parallel=false")
    if "parallel=false" not in serial and serial.startswith("read_csv("):
        serial = serial[:-1] + ", parallel=false)"
    return ([f"CREATE TEMP TABLE {raw_table} AS "
             f"SELECT row_number() OVER () AS {ROW_NO}, * FROM {serial}"], raw_table)


#: The key column of a row's masked identifying cells (``masked_key_sql``).
MASKED_KEY = quote_ident("masked_values")


def masked_key_sql(assignments: list[Assignment], registry: Registry) -> str | None:
    """SQL over a row of ``layered_select``: its masked identifying cells, each as
    ``<category>:<cell>``, sorted and joined (NULL when it has none); None when no column of
    the input can hold a masked value. Never counted, never reported: it only keeps rows
    apart in the record key that differ in what was hidden (``张三, 138****8000`` and
    ``张三, 139****1234`` are two records, not one record ``张三`` and a duplicate)."""
    masked = [a for a in assignments
              if registry.get(a.category).identifying and registry.get(a.category).masked_sql]
    if not masked:
        return None
    cells = [f"CASE WHEN {mixed.masked(a)} THEN {quote_literal(a.category + ':')} || "
             f"trim({mixed.raw(a)}) END" for a in masked]
    # the list functions of the sorted join run only on the rows that hold a masked cell
    any_masked = " OR ".join(mixed.masked(a) for a in masked)
    return f"CASE WHEN {any_masked} THEN {distinct_sorted_join(cells, MULTI_SEP)} END"


def masked_key_select(plan: InputPlan, present: bool) -> list[str]:
    """The ``masked_values`` column of ``plan``'s key table in a union of inputs (NULL where
    the input has none); nothing when no input of the union has it (``present``)."""
    if not present:
        return []
    return [MASKED_KEY if plan.masked_key else f"CAST(NULL AS VARCHAR) AS {MASKED_KEY}"]


def key_column(category: str, role: bool = False) -> str:
    """The key column of ``category``'s values: the subject's (``k_``) or, with ``role``, the
    values of columns a role other than the subject holds (``r_``)."""
    return quote_ident(f"{'r' if role else 'k'}_{category}")




def plan_input(index: int, source_sql: str, assignments: list[Assignment],
                registry: Registry, *, rows: bool = False,
                free_text: list[tuple[int, str]] = (), batch: str | None = None,
                table: str | None = None,
                kernels: frozenset[str] = frozenset()) -> InputPlan:
    """The ``CREATE TEMP TABLE ... AS`` statement(s) that reduce input ``index``.

    ``batch`` names a column of ``source_sql`` that tells several inputs apart (a batch of
    small inputs read in one statement: ``scan.Scanner._reduce_batch``): it is carried through
    and grouped on first, so each input's keys and tallies are its own; only without
    ``rows`` and ``free_text``. ``table``: the key table's name instead of
    ``leakscan_keys_<index>``.

    ``free_text`` columns, ``(position, name)``, are searched for embedded identifiers
    (``freetext.py``): their candidate lists (``freetext.list_column``) are carried through the same pass and
    grouped with the keys, then resolved on the reduced table (never on the input) and merged
    into the key columns before the final grouping. ``kernels``: the categories whose
    compiled validation is registered on the connection (``kernels.register``).
    """
    if batch and (rows or free_text):
        raise ValueError("plan_input: a batch is reduced without rows and free text")
    table = table or f"leakscan_keys_{index}"
    specs = [spec for a in assignments for spec in mixed.cell_specs(a, registry)]
    free_text = list(free_text)
    embedded = [e.category for e in freetext.searched(registry)] if free_text else []
    # Organisation identifiers are tallied (report ``excluded``) but are never part of a record.
    categories = sorted({a.category for a in assignments if registry.get(a.category).personal}
                        | {m for a in assignments for m in a.members} | set(embedded))
    held = sorted({m for a in assignments if a.role for m in (a.members or (a.category,))
                   if m in categories})
    if not specs and not free_text:
        sql = f"CREATE TEMP TABLE {table} AS SELECT count(*) AS n FROM {source_sql}"
        return InputPlan(table, [], [], sql)

    numbered = rows
    setup: list[str] = []
    raw_table = f"leakscan_raw_{index}"
    if numbered:
        setup, source_sql = numbered_source(source_sql, raw_table)
    lists = [freetext.list_column(j) for j, _ in free_text]
    if free_text:
        source_sql = freetext.with_candidates(
            source_sql, [(f"CAST({quote_ident(c)} AS VARCHAR)", freetext.list_column(j))
                         for j, c in free_text])
    carried = ([ROW_NO] if numbered else []) + lists + ([batch] if batch else [])
    cells = layered_select(specs, source_sql, carried + mixed.type_cells(assignments),
                           kernels)
    row_cols = list(carried)
    for a in assignments:
        row_cols.append(f"{nonblank_sql(mixed.raw(a))} AS d{a.position}")
        row_cols.append(f"{mixed.ok(a, registry)} AS v{a.position}")
        row_cols.append(f"{mixed.masked(a)} AS m{a.position}")
        row_cols += [f"{flag} AS {name}" for name, flag in mixed.tallies(a, registry)]
    for cat, role in [(c, False) for c in categories] + [(c, True) for c in held]:
        values = [mixed.value(a, cat, registry)
                  for a in assignments if mixed.holds(a, cat) and bool(a.role) == role]
        key = distinct_sorted_join(values, MULTI_SEP) if values else "CAST(NULL AS VARCHAR)"
        row_cols.append(f"{key} AS {key_column(cat, role)}")
    keys = [key_column(c) for c in categories] + [key_column(c, True) for c in held]
    masked_key = masked_key_sql(assignments, registry)
    if masked_key is not None:
        row_cols.append(f"{masked_key} AS {MASKED_KEY}")
        keys.append(MASKED_KEY)
    if batch:
        keys.insert(0, batch)
    per_row = f"SELECT {', '.join(row_cols)} FROM ({cells}) AS cells"
    group_by = f" GROUP BY {', '.join(keys)}" if keys else ""
    embedded_tallies = [freetext.tally_column(kind, j, cat)
                        for j, _ in free_text for cat in embedded for kind in ("d", "v")]
    plan = dict(categories=categories, assignments=list(assignments), free_text=free_text,
                embedded=embedded, held=held, masked_key=masked_key is not None)
    resolved = f"{table}__ft"
    # per key: its rows, and per categorised column its non-blank and its valid cells
    tallies = ["count(*) AS n"] + [f"count_if({c}) AS {c}" for c in tally_names(assignments)]
    if not numbered:
        if not free_text:
            sql = (f"CREATE TEMP TABLE {table} AS SELECT {', '.join(keys + tallies)} "
                   f"FROM ({per_row}) AS r{group_by}")
            return InputPlan(table, sql=sql, **plan)
        pre = f"{table}__pre"
        stmts = [f"CREATE TEMP TABLE {pre} AS SELECT {', '.join(keys + lists + tallies)} "
                 f"FROM ({per_row}) AS r GROUP BY {', '.join(keys + lists)}"]
        stmts += freetext.resolution_sql(pre, resolved, [j for j, _ in free_text], registry,
                                         key_column, passthrough=False)
        stmts.append(f"CREATE TEMP TABLE {table}__x AS SELECT "
                     + ", ".join(f"coalesce(sum(n * {c}), 0) AS {c}" for c in embedded_tallies)
                     + f" FROM {resolved}")
        stmts += _merge_in_place(table, pre, resolved, keys, lists, assignments)
        return InputPlan(table, sql="; ".join(stmts),
                         cleanup=freetext.cleanup_sql(resolved) + [f"DROP TABLE {resolved}"],
                         **plan)
    rows_table = f"leakscan_rows_{index}"
    tallies += [f"sum({c}) AS {c}" for c in embedded_tallies]
    # Numbering needs insertion order kept (connect() turns it off for speed); once every row
    # carries its number, the pass over them may run in any order.
    stmts = ["SET preserve_insertion_order = true"] + setup + \
        ["SET preserve_insertion_order = false"]
    cleanup = []
    if free_text:
        pre = f"{rows_table}__pre"
        stmts.append(f"CREATE TEMP TABLE {pre} AS {per_row}")
        stmts += freetext.resolution_sql(pre, resolved, [j for j, _ in free_text], registry,
                                         key_column)
        stmts += [f"DROP TABLE {pre}",
                  f"CREATE TEMP TABLE {rows_table} AS SELECT * FROM {resolved} ORDER BY {ROW_NO}",
                  f"DROP TABLE {resolved}"]
        cleanup = freetext.cleanup_sql(resolved)
    else:
        stmts.append(f"CREATE TEMP TABLE {rows_table} AS {per_row}")
    if setup:
        stmts.append(f"DROP TABLE {raw_table}")
    stmts += [f"CREATE TEMP TABLE {table} AS SELECT {', '.join(keys + tallies)}, "
              f"min({ROW_NO}) AS first_row FROM {rows_table}{group_by}"]
    if free_text:
        stmts.append(f"CREATE TEMP TABLE {table}__x AS SELECT "
                     + ", ".join(f"sum({c}) AS {c}" for c in embedded_tallies)
                     + f" FROM {table}")
    return InputPlan(table, sql="; ".join(stmts), rows_table=rows_table, cleanup=cleanup,
                     **plan)


def tally_names(assignments) -> list[str]:
    """The per-column tallies of a key table: ``d<j>``, ``v<j>`` and ``m<j>`` (masked) per
    categorised column, then ``w<j>_<k>`` per member of a mixed column (``mixed.tallies``)."""
    return [f"{c}{a.position}" for a in assignments for c in "dvm"] + \
        [name for a in assignments for name, _ in mixed.tallies(a)]


def _merge_in_place(table, pre, resolved, keys, lists, assignments) -> list[str]:
    """Statements that turn ``pre`` into the key table ``table``, in place.

    ``pre`` was grouped by key *and* candidate lists. Its rows without candidates are already
    one per key; the resolved rows (``resolved``: the rows with candidates, keys merged) and
    the rows whose key a resolved row now shares are grouped again into a small table, deleted
    from ``pre`` and inserted back grouped. In the common case, few or no embedded values,
    nothing of the million-row table is copied (measured at 1M rows: 0.5 s and 550 MB less
    than building a new table). The list columns stay, unused, in the key table.
    """
    same = " AND ".join(f"p.{k} IS NOT DISTINCT FROM r.{k}" for k in keys)
    no_lists = " AND ".join(f"p.{x} IS NULL" for x in lists)
    tallies = ["n"] + tally_names(assignments)
    sums = ", ".join(f"sum({c}) AS {c}" for c in tallies)
    cols = ", ".join(keys + tallies)
    merged = f"{table}__g"
    return [
        f"CREATE TEMP TABLE {merged} AS SELECT {', '.join(keys)}, {sums} FROM ("
        f"SELECT {cols} FROM {resolved} UNION ALL SELECT {cols} FROM {pre} AS p "
        f"WHERE {no_lists} AND EXISTS (SELECT 1 FROM {resolved} AS r WHERE {same})) AS m "
        f"GROUP BY {', '.join(keys)}",
        f"DELETE FROM {pre} AS p WHERE NOT ({no_lists}) "
        f"OR EXISTS (SELECT 1 FROM {resolved} AS r WHERE {same})",
        f"INSERT INTO {pre} BY NAME SELECT * FROM {merged}",
        f"DROP TABLE {merged}",
        f"ALTER TABLE {pre} RENAME TO {table}",
    ]
