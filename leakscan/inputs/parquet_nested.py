"""Parquet ``STRUCT``, ``LIST`` and ``MAP`` columns, flattened the way nested JSON is.

DuckDB reads a nested Parquet column as one value; leakscan's categorizers look at scalars.
So the columns are flattened in the read itself, with the same names as nested JSON
(``inputs.nested``): a struct's fields become ``contact.phone``; a list becomes numbered
columns ``phones``, ``phones[2]``... up to the longest list in the file (at most
``nested.MAX_ITEMS``), and a list of structs ``orders.address``, ``orders[2].address``; a
map, and anything nested deeper than ``nested.MAX_DEPTH`` levels, is read as its text form
and searched as free text. The flattening is a value (``Flattening``) computed from the
file's schema (pyarrow) and rendered to SQL once, by ``render``. pyarrow is imported when a
Parquet file is planned, not with leakscan: its import (0.18 s, numpy behind it) would be paid
by every scan of a CSV file, against the one-second start-up goal (issue 17).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from ..sql import quote_ident, quote_literal
from .nested import MAX_COLUMNS, MAX_DEPTH, MAX_ITEMS


@dataclass(frozen=True)
class Leaf:
    name: str  # the flattened column's name
    column: str  # the top-level Parquet column
    steps: tuple  # ("field", name) or ("index", k), from the column down
    as_text: bool = False  # a map or a value cut at the depth bound: its text form


@dataclass(frozen=True)
class Flattening:
    nested: tuple[str, ...]  # top-level columns replaced by their leaves
    leaves: tuple[Leaf, ...]
    notes: tuple[str, ...] = ()


def expression(leaf: Leaf) -> str:
    expr = quote_ident(leaf.column)
    for kind, arg in leaf.steps:
        expr = (f"struct_extract({expr}, {quote_literal(arg)})" if kind == "field"
                else f"{expr}[{int(arg)}]")
    return f"CAST({expr} AS VARCHAR)" if leaf.as_text else expr


def render(source_sql: str, flat: Flattening | None) -> str:
    """The relation of a Parquet read with its nested columns flattened (or the read)."""
    if flat is None or not flat.nested:
        return source_sql
    leaves = ", ".join(f"{expression(f)} AS {quote_ident(f.name)}" for f in flat.leaves)
    excluded = ", ".join(quote_ident(c) for c in flat.nested)
    return (f"(SELECT * EXCLUDE ({excluded}){', ' + leaves if leaves else ''} "
            f"FROM {source_sql}) AS flattened")


def plan(con, path: str, source_sql: str) -> Flattening | None:
    """The flattening of a Parquet file's nested columns, or None when it has none."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError) as e:
        raise InputError(path, f"is not a readable Parquet file ({' '.join(str(e).split())[:200]})"
                         ) from None
    nested = [f for f in schema if _is_nested(f.type)]
    if not nested:
        return None
    leaves: list[Leaf] = []
    notes: list[str] = []
    for f in nested:
        _walk(con, source_sql, f.type, f.name, f.name, (), 1, leaves)
    if len(leaves) > MAX_COLUMNS:
        notes.append(f"{len(leaves) - MAX_COLUMNS:,} flattened column(s) beyond "
                     f"{MAX_COLUMNS:,} were not read")
        leaves = leaves[:MAX_COLUMNS]
    taken = {f.name for f in schema if not _is_nested(f.type)}
    unique = []
    for leaf in leaves:
        name = leaf.name
        while name in taken:
            name += "_"
        taken.add(name)
        unique.append(Leaf(name, leaf.column, leaf.steps, leaf.as_text))
    return Flattening(tuple(f.name for f in nested), tuple(unique), tuple(notes))


def _is_nested(t) -> bool:
    import pyarrow as pa

    return pa.types.is_struct(t) or pa.types.is_list(t) or pa.types.is_large_list(t) \
        or pa.types.is_fixed_size_list(t) or pa.types.is_map(t)


def _walk(con, source_sql, t, name, column, steps, depth, out) -> None:
    import pyarrow as pa

    if not _is_nested(t):
        out.append(Leaf(name, column, steps))
        return
    if pa.types.is_map(t) or depth > MAX_DEPTH:
        out.append(Leaf(name, column, steps, as_text=True))
        return
    if pa.types.is_struct(t):
        for k in range(t.num_fields):
            child = t.field(k)
            _walk(con, source_sql, child.type, f"{name}.{child.name}", column,
                  steps + (("field", child.name),), depth + 1, out)
        return
    probe = Leaf(name, column, steps)
    longest = con.execute(f"SELECT max(len({expression(probe)})) FROM {source_sql}").fetchone()[0]
    for k in range(1, min(int(longest or 0), MAX_ITEMS) + 1):
        _walk(con, source_sql, t.value_type, name if k == 1 else f"{name}[{k}]", column,
              steps + (("index", k),), depth + 1, out)
