"""Build the SQL that reads one input once and reduces it to distinct record keys.

One statement per input: DuckDB streams the file, every categorised cell is normalised and
validated once (``expressions.layered_select``), each row becomes a *record key* (per
category, its valid normalised values) and the rows are grouped by that key on the fly. What
is kept is one row per distinct key with how many rows had it, and per-column tallies, so
the case-level counting (``count.py``) never touches the input again and the memory needed is
bounded by the number of distinct records, which DuckDB spills to disk when it must.

Key columns are named ``k_<category>``; per-column tallies ``d<j>`` (non-blank cells) and
``v<j>`` (valid cells), ``j`` being the column's position in the input.

With ``rows=True`` (only when evidence is asked for: ``--evidence-out``, ``--duplicates-out``)
the input is read in file order and every row is numbered first: one row per data row is kept
in ``leakscan_rows_<i>`` (``row_no``, the 1-based data-row number, and the key columns), and
the key table is grouped from it, with ``first_row`` (the smallest row number of each key)
added. The counts are the same either way; the numbered read is single-threaded, so a plain
scan never pays for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .classify import Assignment, nonblank_sql
from .expressions import CellSpec, layered_select
from .registry import Registry
from .sql import distinct_sorted_join, quote_ident

#: Separates several values of one category in a record key (``phone1``, ``phone2``).
#: Normalised values never contain it: white-space folding removes U+001F.
MULTI_SEP = "\x1f"


@dataclass(frozen=True)
class InputPlan:
    table: str  # the temp table of distinct keys this input reduces to
    categories: list[str]  # categories with at least one column in this input
    assignments: list[Assignment]
    sql: str
    rows_table: str | None = None  # leakscan_rows_<i> when rows were numbered


#: The name of the 1-based data-row number column in numbered sources and row tables.
ROW_NO = "row_no"
_PARQUET_CALL = re.compile(r"read_parquet\(('(?:[^']|'')*')\)")


def numbered_source(source_sql: str) -> str:
    """A relation over ``source_sql`` with ``row_no``: the 1-based data row in file order.

    Parquet: DuckDB's ``file_row_number`` (0-based, in file order). Delimited text: DuckDB's
    CSV reader has no row-number column, and ``row_number() OVER ()`` over its parallel reader
    does not follow the file, so the file is read single-threaded (``parallel=false``), with
    ``preserve_insertion_order`` on (the caller sets it). The header is not a data row; a row
    DuckDB cannot parse is skipped and takes no number (the input's ``rows_rejected``).
    """
    parquet, n = _PARQUET_CALL.subn(r"read_parquet(\1, file_row_number=true)", source_sql)
    if n == 1:  # also when the call is wrapped (damage.marked_source): * carries the column
        return (f"(SELECT file_row_number + 1 AS {ROW_NO}, * EXCLUDE (file_row_number) "
                f"FROM {parquet}) AS numbered")
    serial = source_sql.replace("parallel=true", "parallel=false")
    if "parallel=false" not in serial and serial.startswith("read_csv("):
        serial = serial[:-1] + ", parallel=false)"
    return f"(SELECT row_number() OVER () AS {ROW_NO}, * FROM {serial}) AS numbered"


def key_column(category: str) -> str:
    return quote_ident(f"k_{category}")


def plan_input(index: int, source_sql: str, assignments: list[Assignment],
               registry: Registry, *, rows: bool = False) -> InputPlan:
    """The ``CREATE TEMP TABLE ... AS`` statement(s) that reduce input ``index``."""
    table = f"leakscan_keys_{index}"
    specs = [CellSpec(f"c{a.position}", quote_ident(a.column), registry.get(a.category))
             for a in assignments]
    # Organisation identifiers are tallied (report ``excluded``) but are never part of a record.
    categories = sorted({a.category for a in assignments if registry.get(a.category).personal})
    if not specs:
        sql = f"CREATE TEMP TABLE {table} AS SELECT count(*) AS n FROM {source_sql}"
        return InputPlan(table, [], [], sql)

    numbered = rows
    if numbered:
        source_sql = numbered_source(source_sql)
    cells = layered_select(specs, source_sql, [ROW_NO] if numbered else [])
    row_cols = [ROW_NO] if numbered else []
    for a in assignments:
        row_cols.append(f"{nonblank_sql(f'c{a.position}_raw')} AS d{a.position}")
        row_cols.append(f"c{a.position}_ok AS v{a.position}")
    for cat in categories:
        values = [f"CASE WHEN c{a.position}_ok THEN c{a.position}_norm END"
                  for a in assignments if a.category == cat]
        row_cols.append(f"{distinct_sorted_join(values, MULTI_SEP)} AS {key_column(cat)}")
    keys = [key_column(c) for c in categories]
    tallies = ["count(*) AS n"]
    for a in assignments:
        tallies.append(f"count_if(d{a.position}) AS d{a.position}")
        tallies.append(f"count_if(v{a.position}) AS v{a.position}")
    per_row = f"SELECT {', '.join(row_cols)} FROM ({cells}) AS cells"
    group_by = f" GROUP BY {', '.join(keys)}" if keys else ""
    if not numbered:
        sql = (f"CREATE TEMP TABLE {table} AS SELECT {', '.join(keys + tallies)} "
               f"FROM ({per_row}) AS r{group_by}")
        return InputPlan(table, categories, list(assignments), sql)
    rows_table = f"leakscan_rows_{index}"
    # File order needs insertion order kept (connect() turns it off for speed).
    sql = (f"SET preserve_insertion_order = true; "
           f"CREATE TEMP TABLE {rows_table} AS {per_row}; "
           f"SET preserve_insertion_order = false; "
           f"CREATE TEMP TABLE {table} AS SELECT {', '.join(keys + tallies)}, "
           f"min({ROW_NO}) AS first_row FROM {rows_table}{group_by}")
    return InputPlan(table, categories, list(assignments), sql, rows_table)
