"""Turn a categorizer's SQL templates into layered projections.

A categorizer's normalisation is a short chain of steps (clean characters, strip prefixes,
convert legacy forms); validation reads the normalised value. Each step becomes one
projection layer, so every intermediate value is computed once per cell and reused by the
next step, the validity test, the distinct counts and the dedup key, instead of being
re-derived inside a nested expression.

``evaluate`` runs the same layers over a list of Python values; tests use it to check that the
SQL and the Python reference agree, and the classifier uses it on column samples.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .registry import Categorizer, Registry
from .sql import quote_ident


def apply(template: str, expr: str) -> str:
    """Substitute ``{value}`` in a template (plain replace: SQL regexes contain braces)."""
    return template.replace("{value}", f"({expr})")


@dataclass(frozen=True)
class CellSpec:
    """One column to categorise: its SQL source expression and the categorizer to apply."""

    alias: str  # a safe SQL name used for this column's derived values
    source_expr: str  # VARCHAR expression over the input relation
    categorizer: Categorizer


def layered_select(specs: list[CellSpec], source: str, passthrough: list[str],
                   kernels: frozenset[str] = frozenset()) -> str:
    """SQL producing ``<alias>_raw``, ``<alias>_norm``, ``<alias>_ok`` and ``<alias>_masked``
    for every spec.

    ``_raw`` is the cell as read, ``_norm`` the normalised value (NULL when it cannot be
    normalised), ``_ok`` whether it is valid (never NULL). ``passthrough`` expressions are
    computed in the first layer and carried through under their output names.

    A categorizer's ``DERIVED_SQL`` layers come between normalisation and validation: each
    named value is computed once per cell, in a projection of its own, as
    ``<alias>_d_<name>``, and ``VALIDATE_SQL`` reads it as ``{name}``. Inside a CASE branch
    DuckDB evaluates every reference to a subexpression again; a column computed in a layer
    below is evaluated once.

    ``kernels``: the categories whose compiled twin (``kernels.register``) is on the
    connection that will run the SQL. A validating kernel: ``_ok`` calls it on the
    normalised value instead of ``VALIDATE_SQL``, and the ``DERIVED_SQL`` layers, which only
    the validation reads, are not computed. A normalising kernel of ``steps`` steps: it runs
    on the raw cell in the first layer (``<alias>_k``); the SQL steps before ``steps`` see
    NULL where it decided (cheap) and the raw cell where it did not, and step ``steps``
    (or, for a kernel of every step, a layer after the last: ``<alias>_kn``) reads the
    kernel's value where there is one, the SQL's otherwise. A normalising kernel that also
    ``validates`` replaces ``VALIDATE_SQL`` as a validating kernel does.
    """
    carried = output_names(passthrough) + [f"{s.alias}_raw" for s in specs]
    first = passthrough + [f"CAST({s.source_expr} AS VARCHAR) AS {s.alias}_raw" for s in specs]
    masked = {s.alias for s in specs if s.categorizer.masked_sql}  # computed on the raw cell
    carried += [f"{s.alias}_masked" for s in specs if s.alias in masked]
    first += [f"{masked_sql(s.categorizer, f'CAST({s.source_expr} AS VARCHAR)')} "
              f"AS {s.alias}_masked" for s in specs if s.alias in masked]
    # a normalising kernel's value of the first steps, NULL where it leaves the cell to SQL
    cleans = {s.alias: s.categorizer.kernel["steps"] for s in specs
              if s.categorizer.id in kernels and s.categorizer.kernel["replaces"] == "normalize"}
    carried += [f"{alias}_k" for alias in cleans]
    first += [f"{kernel_name(s.categorizer)}(CAST({s.source_expr} AS VARCHAR)) AS {s.alias}_k"
              for s in specs if s.alias in cleans]
    sql = f"SELECT {', '.join(first)} FROM {source}"
    current = {s.alias: (f"CASE WHEN {s.alias}_k IS NULL THEN {s.alias}_raw END"
                         if s.alias in cleans else f"{s.alias}_raw") for s in specs}
    depth = max((len(s.categorizer.module.NORMALIZE_SQL) for s in specs), default=0)
    for step in range(depth):
        layer = []
        for s in specs:
            steps = s.categorizer.module.NORMALIZE_SQL
            if cleans.get(s.alias) == step < len(steps):  # the kernel's value, or the SQL's
                current[s.alias] = f"COALESCE({s.alias}_k, {current[s.alias]})"
            if step < len(steps):
                name = f"{s.alias}_s{step}"
                layer.append(f"{apply(steps[step], current[s.alias])} AS {name}")
                current[s.alias] = name
            elif current[s.alias] not in carried:
                layer.append(current[s.alias])
        sql = f"SELECT {', '.join(carried + layer)} FROM ({sql}) AS l{step}"
    # a kernel of every step: its value, or the SQL's where it had none
    finals = [s for s in specs
              if cleans.get(s.alias) == len(s.categorizer.module.NORMALIZE_SQL)]
    if finals:
        layer = [current[s.alias] for s in specs
                 if s not in finals and current[s.alias] not in carried]
        for s in finals:
            layer.append(f"COALESCE({s.alias}_k, {current[s.alias]}) AS {s.alias}_kn")
            current[s.alias] = f"{s.alias}_kn"
        sql = f"SELECT {', '.join(carried + layer)} FROM ({sql}) AS lk"
    carried += [current[s.alias] for s in specs if current[s.alias] not in carried]
    derived: dict[str, dict[str, str]] = {s.alias: {} for s in specs}
    compiled = {s.alias: validation_kernel(s.categorizer) for s in specs
                if s.categorizer.id in kernels and validation_kernel(s.categorizer)}
    layers = max((len(derived_layers(s.categorizer)) for s in specs
                  if s.alias not in compiled), default=0)
    for step in range(layers):
        layer, added = [], []
        for s in specs:
            own = () if s.alias in compiled else derived_layers(s.categorizer)
            for name, template in (own[step] if step < len(own) else ()):
                column = f"{s.alias}_d_{name}"
                layer.append(f"{fill(template, current[s.alias], derived[s.alias])} AS {column}")
                added.append((s.alias, name, column))
        for alias, name, column in added:  # visible to the next layer, not to this one
            derived[alias][name] = column
        sql = f"SELECT {', '.join(carried + layer)} FROM ({sql}) AS d{step}"
        carried += [column for _, _, column in added]
    out = output_names(passthrough) + [f"{s.alias}_raw" for s in specs]
    for s in specs:
        norm = current[s.alias]
        valid = (f"{compiled[s.alias]}({norm})" if s.alias in compiled else
                 fill(s.categorizer.module.VALIDATE_SQL, norm, derived[s.alias]))
        is_masked = f"{s.alias}_masked" if s.alias in masked else "false"
        out.append(f"{norm} AS {s.alias}_norm")
        out.append(f"({norm} IS NOT NULL AND COALESCE({valid}, false) AND NOT {is_masked}) "
                   f"AS {s.alias}_ok")
        out.append(f"{is_masked} AS {s.alias}_masked")
    return f"SELECT {', '.join(out)} FROM ({sql}) AS lv"


def validation_kernel(cat: Categorizer) -> str | None:
    """The SQL function of ``cat``'s compiled validation, if it declares one
    (``kernels.validation_name``)."""
    if not cat.kernel:
        return None
    from .kernels import validation_name

    return validation_name(cat)


def kernel_name(cat: Categorizer) -> str:
    """The SQL function of ``cat``'s kernel (``kernels.sql_name``, imported late: the
    kernels module is not needed to build SQL without kernels)."""
    from .kernels import sql_name

    return sql_name(cat)


def masked_sql(cat: Categorizer, raw: str) -> str:
    """SQL: whether the raw cell ``raw`` is a masked value of ``cat`` (never NULL)."""
    return f"COALESCE({apply(cat.masked_sql, raw)}, false)" if cat.masked_sql else "false"


def derived_layers(cat: Categorizer) -> tuple:
    """A categorizer's ``DERIVED_SQL``: layers of ``(name, template)`` pairs (may be empty)."""
    return getattr(cat.module, "DERIVED_SQL", ())


def fill(template: str, value: str, derived: dict[str, str]) -> str:
    """``apply`` with ``{name}`` of each derived value replaced by its column as well."""
    for name, column in derived.items():
        template = template.replace("{" + name + "}", column)
    return apply(template, value)


def output_names(exprs: list[str]) -> list[str]:
    """The output names of passthrough expressions (``expr AS name`` or a bare column)."""
    return [e.rsplit(" AS ", 1)[1] if " AS " in e else e for e in exprs]


def register_reference_tables(con: duckdb.DuckDBPyConnection, registry: Registry) -> None:
    """Create the ``ref_<name>`` tables that categorizers' SQL reads.

    A table's builder returns ``(columns, rows)``; ``rows`` is a list of tuples, or a SQL
    query over reference tables built before it (in ``REFERENCE_TABLES`` order). Rows go in
    as one parameter per column, unnested: no per-row statements (``executemany`` took
    about 2 s a scan) and no pyarrow, whose import (with pandas behind it) cost 0.3 s. Each
    table is one ``CREATE ... IF NOT EXISTS ... AS`` statement: a table already on ``con``
    is kept, and no catalogue query is needed (the first one on a connection took 12 ms).
    A scan creates them on demand instead (``ReferenceTablesOnDemand``).
    """
    for cat in registry:
        for name, build in cat.reference_tables.items():
            _create_table(con, f"ref_{name}", *build())


def _create_table(con: duckdb.DuckDBPyConnection, name: str, columns, rows) -> None:
    table = quote_ident(name)
    if isinstance(rows, str):
        names = ", ".join(f"c{k}" for k in range(len(columns)))
        select = (", ".join(f"CAST(c{k} AS {t}) AS {quote_ident(n)}"
                            for k, (n, t) in enumerate(columns))
                  + f" FROM ({rows}) AS q({names})")
        con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} AS SELECT {select}")
    elif rows:
        params = [_column_param(col) for col in zip(*rows, strict=True)]
        select = ", ".join(
            (f"CAST(unnest(string_split(${k + 1}, chr({ord(_SEP)}))) AS {t})"
             if isinstance(p, str) else f"CAST(unnest(${k + 1}) AS {t})")
            + f" AS {quote_ident(n)}"
            for k, (p, (n, t)) in enumerate(zip(params, columns, strict=True)))
        con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} AS SELECT {select}", params)
    else:
        col_sql = ", ".join(f"{quote_ident(n)} {t}" for n, t in columns)
        con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} ({col_sql})")


class ReferenceTablesOnDemand:
    """A scan's DuckDB connection that creates each reference table when a statement first
    names it (``execute``, ``sql``), with the tables its builder's query names before it;
    everything else is the connection's own.

    Why: the tables cost about 0.14 s of a one-second scan, and a scan often reads none of
    the costliest. The resident-ID region tables (0.1 s) are read only by that category's
    ``VALIDATE_SQL``, which its compiled kernel replaces, so a scan with kernels reads them
    only when it searches free text. A name is looked for as text in the statement: a false
    match (a path holding ``ref_cn_surname``) creates a table early, never too late.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, registry: Registry):
        self._con = con
        self._builders = {f"ref_{name}": build for cat in registry
                          for name, build in cat.reference_tables.items()}
        self._created: set[str] = set()

    def __getattr__(self, attr):
        return getattr(self._con, attr)

    def execute(self, query, *args, **kwargs):
        self._tables_named_in(query)
        return self._con.execute(query, *args, **kwargs)

    def sql(self, query, *args, **kwargs):
        self._tables_named_in(query)
        return self._con.sql(query, *args, **kwargs)

    def _tables_named_in(self, query) -> None:
        if len(self._created) == len(self._builders):
            return
        text = str(query)
        for name, build in self._builders.items():  # in the registry's order
            if name not in self._created and name in text:
                self._created.add(name)
                try:
                    columns, rows = build()
                    if isinstance(rows, str):
                        self._tables_named_in(rows)  # the tables its query reads, first
                    _create_table(self._con, name, columns, rows)
                except BaseException:
                    self._created.discard(name)
                    raise


#: Joins the values of a reference table's column into one string parameter.
_SEP = "\x1f"


def _column_param(values: tuple) -> str | list:
    """A column of a reference table as one bound parameter: its values joined by ``_SEP``
    when they are all integers or non-empty strings without it (split and cast back in
    DuckDB), else as a list. Why: DuckDB converts a Python list value by value (7,127 region
    rows took about 40 ms), one string at once.

    >>> _column_param(("110000", "110100")), _column_param((1, 2)), _column_param(("", "a"))
    ('110000\\x1f110100', '1\\x1f2', ['', 'a'])
    """
    if all(type(v) is int or (type(v) is str and v and _SEP not in v) for v in values):
        return _SEP.join(map(str, values))
    return list(values)


def evaluate(con: duckdb.DuckDBPyConnection, cat: Categorizer,
             values: list[str | None],
             kernels: frozenset[str] = frozenset()) -> list[tuple[str | None, bool]]:
    """Run ``cat``'s SQL over ``values``; return ``(normalised, valid)`` per value, in order.
    With ``kernels`` (ids whose kernel is registered on ``con``), as the scan runs it."""
    con.execute("CREATE OR REPLACE TEMP TABLE leakscan_eval (i INTEGER, v VARCHAR)")
    con.execute("INSERT INTO leakscan_eval SELECT unnest($1), CAST(unnest($2) AS VARCHAR)",
                [list(range(len(values))), list(values)])
    spec = CellSpec("c", "v", cat)
    sql = layered_select([spec], "leakscan_eval", ["i"], kernels)
    rows = con.execute(f"SELECT c_norm, c_ok FROM ({sql}) ORDER BY i").fetchall()
    return [(n, bool(ok)) for n, ok in rows]


def evaluate_masked(con: duckdb.DuckDBPyConnection, cat: Categorizer,
                    values: list[str | None]) -> list[bool]:
    """Run ``cat``'s ``MASKED_SQL`` over ``values`` (as ``layered_select`` does); per value,
    whether it is masked. Tests hold it equal to ``is_masked``."""
    con.execute("CREATE OR REPLACE TEMP TABLE leakscan_eval (i INTEGER, v VARCHAR)")
    con.executemany("INSERT INTO leakscan_eval VALUES (?, ?)", list(enumerate(values)))
    sql = layered_select([CellSpec("c", "v", cat)], "leakscan_eval", ["i"])
    return [bool(m) for (m,) in con.execute(f"SELECT c_masked FROM ({sql}) ORDER BY i").fetchall()]
