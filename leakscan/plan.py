"""Build the SQL that reads one input once and reduces it to distinct record keys.

One statement per input: DuckDB streams the file, every categorised cell is normalised and
validated once (``expressions.layered_select``), each row becomes a *record key* (per
category, its valid normalised values) and the rows are grouped by that key on the fly. What
is kept is one row per distinct key with how many rows had it, and per-column tallies, so
the case-level counting (``count.py``) never touches the input again and the memory needed is
bounded by the number of distinct records, which DuckDB spills to disk when it must.

Key columns are named ``k_<category>``; per-column tallies ``d<j>`` (non-blank cells) and
``v<j>`` (valid cells), ``j`` being the column's position in the input.
"""

from __future__ import annotations

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


def key_column(category: str) -> str:
    return quote_ident(f"k_{category}")


def plan_input(index: int, source_sql: str, assignments: list[Assignment],
               registry: Registry) -> InputPlan:
    """The ``CREATE TEMP TABLE ... AS`` statement that reduces input ``index``."""
    table = f"leakscan_keys_{index}"
    specs = [CellSpec(f"c{a.position}", quote_ident(a.column), registry.get(a.category))
             for a in assignments]
    categories = sorted({a.category for a in assignments})
    if not specs:
        sql = f"CREATE TEMP TABLE {table} AS SELECT count(*) AS n FROM {source_sql}"
        return InputPlan(table, [], [], sql)

    cells = layered_select(specs, source_sql, [])
    row_cols = []
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
    sql = (f"CREATE TEMP TABLE {table} AS SELECT {', '.join(keys + tallies)} "
           f"FROM (SELECT {', '.join(row_cols)} FROM ({cells}) AS cells) AS r "
           f"GROUP BY {', '.join(keys)}")
    return InputPlan(table, categories, list(assignments), sql)
