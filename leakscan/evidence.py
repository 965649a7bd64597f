"""Itemised evidence: one row per counted record, and one per dropped duplicate.

``--evidence-out FILE.parquet|FILE.csv`` writes one row per record the report counts (its
``records.unique``; under ``scope=input`` the per-input sum): the input, the record's row
number in that input, its tier, the categories it holds and its values, masked by each
categorizer's ``mask()`` unless ``--unmasked``. ``--duplicates-out`` writes each row dropped as
a duplicate with the row it duplicates. The rules are in ``docs/evidence.md``.

Row numbers are data-row numbers: the first row under the header is row 1 (row 2 in a
spreadsheet that also numbers the header line); in a file without a header, the first line is
row 1. They come from the numbered pass of ``plan.py`` (only run when evidence is asked for).
When a record occurs several times, the row that is kept is the first in input order, then in
row order; the others are its duplicates.

CSV files are safe to open in a spreadsheet: a cell that would begin with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is prefixed with an apostrophe (``'+86 138****8000``), which
spreadsheets show as text and never evaluate.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

import duckdb

from .count import _is_pi_sql, _tier_sql, items_sql
from .errors import UsageError
from .expressions import apply
from .outputs import replacing
from .plan import MASKED_KEY, MULTI_SEP, ROW_NO, InputPlan, key_column, masked_key_select
from .sql import quote_ident, quote_literal, split_list

FORMATS = {".parquet": "parquet", ".csv": "csv"}
#: Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BATCH_ROWS = 100_000
VALUE_SEP = "; "  # between several values of one category in one record


def evidence_format(path: str) -> str | None:
    return FORMATS.get(Path(path).suffix.lower())


_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")


def income_fraction(text, option: str = "--illegal-income") -> Fraction:
    """``--illegal-income`` (or ``option``): a non-negative amount of CNY (``5000``, ``5,000``, ``2500.50``).

    A comma is read only as a thousands separator in groups of three: ``5,00`` could be a
    European decimal comma, and guessing would change the assessment.

    >>> income_fraction("5,000"), income_fraction("2500.50")
    (Fraction(5000, 1), Fraction(5001, 2))
    """
    text = str(text).strip()
    if "," in text and not _GROUPED.fullmatch(text):
        raise UsageError(f"{option} must be an amount of CNY such as 5000 or 5,000, "
                         f"not {text!r} (commas only between groups of three digits)")
    try:
        value = Fraction(Decimal(text.replace(",", "")))
        if not value.denominator or abs(value) > 10**15:
            raise ValueError
    except (InvalidOperation, ValueError, OverflowError):
        raise UsageError(f"{option} must be an amount of CNY such as 5000, "
                         f"not {text!r}") from None
    if value < 0:
        raise UsageError(f"{option} must not be negative, not {text!r}")
    return value


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell no spreadsheet evaluates as a formula.

    >>> spreadsheet_safe("+86 138****8000"), spreadsheet_safe("张**")
    ("'+86 138****8000", '张**')
    """
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def export_evidence(con: duckdb.DuckDBPyConnection, plans: list[InputPlan | None], inputs,
                    registry, options, counts) -> dict:
    """Write the files asked for; return what the report says about them."""
    if not (options.evidence_out or options.duplicates_out):
        return {}
    live = [(i, p) for i, p in enumerate(plans) if p is not None]
    categories = sorted({c for _, p in live for c in p.categories})
    held = sorted({c for _, p in live for c in p.held})
    shifts = {i: _rejected_row_shifts(con, i, inputs[i]) for i, _ in live}
    masked_key = any(p.masked_key for _, p in live)
    _create_rows_union(con, live, categories, shifts, held, masked_key)
    keys = [key_column(c) for c in categories] + [key_column(c, role=True) for c in held]
    keys += [MASKED_KEY] if masked_key else []  # as count.py keys records
    is_pi = _is_pi_sql(categories, registry, held)
    tier = _tier_sql(categories, registry, held)
    passthrough = ("input_idx", ROW_NO) + ((MASKED_KEY,) if masked_key else ())
    rows = ("leakscan_rows_all" if not held else
            f"({items_sql('leakscan_rows_all', categories, held, registry, passthrough)})"
            f" AS items")
    if options.dedup == "none" or not keys:
        ranked = (f"SELECT *, 1 AS dup_rank, input_idx AS of_input, {ROW_NO} AS of_row "
                  f"FROM {rows} WHERE {is_pi}")
    else:
        part = ", ".join((["input_idx"] if options.scope == "input" else []) + keys)
        win = f"OVER (PARTITION BY {part} ORDER BY input_idx, {ROW_NO})"
        ranked = (f"SELECT *, row_number() {win} AS dup_rank, first_value(input_idx) {win} AS "
                  f"of_input, first_value({ROW_NO}) {win} AS of_row "
                  f"FROM {rows} WHERE {is_pi}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE leakscan_ranked AS SELECT *, {tier} AS tier "
                f"FROM ({ranked}) AS r")
    paths = [inp.path for inp in inputs]
    out = {}
    if options.evidence_out:  # written beside, renamed when complete (outputs.replacing)
        fields = evidence_fields(categories, held)
        with replacing(options.evidence_out, option="--evidence-out") as tmp:
            rows = _write(con, tmp, paths, fields, registry, masked=not options.unmasked)
            if rows != counts.unique:  # the same rules as count.py: a mismatch is a bug
                raise RuntimeError(f"evidence rows ({rows}) differ from records.unique "
                                   f"({counts.unique})")
            out["evidence"] = _describe(tmp, rows, shown=options.evidence_out)
        out["evidence"]["masked"] = not options.unmasked
    if options.duplicates_out:
        sql = _duplicates_sql(paths, csv_safe=evidence_format(options.duplicates_out) == "csv")
        with replacing(options.duplicates_out, option="--duplicates-out") as tmp:
            rows = _write_duplicates(con, sql, tmp, paths)
            if rows != counts.duplicates:
                raise RuntimeError(f"duplicate rows ({rows}) differ from records.duplicates "
                                   f"({counts.duplicates})")
            out["duplicates"] = _describe(tmp, rows, shown=options.duplicates_out)
    return out


def _rejected_row_shifts(con, i: int, inp) -> list[int]:
    """Where rows DuckDB rejected push the numbers of the rows read after them.

    The numbered pass numbers the rows it read; a rejected row (``rows_rejected``) was not
    read, yet a person opening the file counts it. DuckDB records each rejected row's line;
    with the header as line 1 (when there is one), the k-th rejected row (k = 0, 1, ...) is
    data row ``d_k`` and every read row numbered ``p >= d_k - k`` moves down by one. Exact
    when no record before it spans several lines (a quoted value with line breaks).
    """
    if getattr(inp, "format", None) == "parquet" or not getattr(inp, "rows_rejected", 0):
        return []
    table = f"leakscan_rej_f{i}"
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?",
                         [table]).fetchone()[0]
    if not exists:
        return []
    header = 1 if getattr(inp, "header", False) else 0
    lines = [int(r[0]) for r in con.execute(
        f"SELECT DISTINCT line FROM {table} ORDER BY line").fetchall()]
    return [line - header - k for k, line in enumerate(lines) if line - header >= 1]


def _numbered(row_no: str, shifts: list[int]) -> str:
    if not shifts:
        return row_no
    if len(shifts) <= 200:
        return row_no + "".join(f" + CAST({row_no} >= {s} AS BIGINT)" for s in shifts)
    values = ", ".join(f"({s})" for s in shifts)
    return (f"{row_no} + (SELECT count(*) FROM (VALUES {values}) AS shifts(at) "
            f"WHERE at <= {row_no})")


def evidence_fields(categories, held) -> list[tuple[str, str, str]]:
    """The value columns of the evidence file: ``(name, key column, category)``, one per
    category (the subject's values) and one ``<category>@role`` per category some role holds
    (``roles.py``)."""
    return ([(c, key_column(c), c) for c in categories]
            + [(f"{c}@role", key_column(c, role=True), c) for c in held])


def _create_rows_union(con, live, categories, shifts, held=(), masked_key=False) -> None:
    parts = []
    for i, p in live:
        if p.rows_table is None:
            continue
        cols = [f"{i} AS input_idx", f"{_numbered(ROW_NO, shifts.get(i, []))} AS {ROW_NO}"]
        cols += [key_column(c) if c in p.categories else
                 f"CAST(NULL AS VARCHAR) AS {key_column(c)}" for c in categories]
        cols += [key_column(c, True) if c in p.held else
                 f"CAST(NULL AS VARCHAR) AS {key_column(c, True)}" for c in held]
        cols += masked_key_select(p, masked_key)
        parts.append(f"SELECT {', '.join(cols)} FROM {p.rows_table}")
    if not parts:
        nulls = "".join(f", CAST(NULL AS VARCHAR) AS {k}" for _, k, _ in
                        evidence_fields(categories, held))
        parts = [f"SELECT 0 AS input_idx, CAST(0 AS BIGINT) AS {ROW_NO}{nulls} WHERE false"]
    con.execute(f"CREATE OR REPLACE TEMP VIEW leakscan_rows_all AS {' UNION ALL '.join(parts)}")


def _describe(path: str, rows: int, *, shown: str) -> dict:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return {"path": shown, "format": evidence_format(shown), "rows": rows,
            "sha256": h.hexdigest()}


def _safe_sql(expr: str) -> str:
    """SQL twin of ``spreadsheet_safe``."""
    starts = ", ".join(quote_literal(c) for c in FORMULA_START)
    return f"CASE WHEN left({expr}, 1) IN ({starts}) THEN '''' || {expr} ELSE {expr} END"


def _evidence_sql(paths, fields, *, masked: bool, csv_safe: bool,
                  mask_sql: dict[str, str] | None = None) -> str:
    """The evidence rows, in order. Masking is done here too when ``mask_sql`` (category ->
    ``MASK_SQL`` template) is given; otherwise masked columns are left for ``_masked``.
    ``fields`` are ``evidence_fields``."""
    safe = _safe_sql if csv_safe else (lambda e: e)
    names = ", ".join(f"({i}, {quote_literal(p)})" for i, p in enumerate(paths))
    if fields:
        present = ", ".join(f"CASE WHEN {k} IS NOT NULL THEN "
                            f"{quote_literal(name)} END" for name, k, _ in fields)
        present = safe(f"concat_ws(',', {present})")
    else:
        present = "''"
    cols = [f"{safe('p.path')} AS input", f"r.{ROW_NO} AS row", "r.tier AS tier",
            f"{present} AS categories"]
    for name, key, c in fields:
        k = f"r.{key}"
        if masked and mask_sql:
            each = apply(mask_sql[c], "x")
            value = safe(f"array_to_string(list_transform({split_list(k, MULTI_SEP)}, "
                         f"lambda x: {each}), {quote_literal(VALUE_SEP)})")
        else:
            value = k if masked else safe(f"replace({k}, {quote_literal(MULTI_SEP)}, "
                                          f"{quote_literal(VALUE_SEP)})")
        cols.append(f"{value} AS {quote_ident(name)}")
    return (f"SELECT {', '.join(cols)} FROM leakscan_ranked AS r JOIN (VALUES {names}) "
            f"AS p(idx, path) ON r.input_idx = p.idx WHERE r.dup_rank = 1 "
            f"ORDER BY r.input_idx, r.{ROW_NO}")


def _masked(values: list, mask, csv_safe: bool) -> list:
    out = []
    for v in values:
        if v is None:
            out.append(None)
            continue
        shown = VALUE_SEP.join(mask(x) for x in v.split(MULTI_SEP))
        out.append(spreadsheet_safe(shown) if csv_safe else shown)
    return out


def _write(con, path, paths, fields, registry, *, masked) -> int:
    """Stream the evidence rows to ``path``.

    Values are masked in SQL when every category has a ``MASK_SQL`` (all built-in ones do;
    ``tests/test_masking.py`` holds each equal to its Python ``mask``); a plug-in without one
    is masked in Python, batch by batch.
    """
    import pyarrow as pa

    is_csv = evidence_format(path) == "csv"
    templates = {c: registry.get(c).mask_sql for _, _, c in fields}
    in_sql = masked and all(templates.values())
    sql = _evidence_sql(paths, fields, masked=masked, csv_safe=is_csv,
                        mask_sql=templates if in_sql else None)
    schema = pa.schema([("input", pa.string()), ("row", pa.int64()), ("tier", pa.string()),
                        ("categories", pa.string())] + [(n, pa.string()) for n, _, _ in fields])
    masks = {c: registry.get(c).mask for _, _, c in fields}
    writer = _open_writer(path, schema)
    n = 0
    try:
        for batch in con.sql(sql).to_arrow_reader(BATCH_ROWS):
            columns = [batch.column(k).cast(schema.field(k).type) for k in range(4)]
            for k, (_, _, c) in enumerate(fields, start=4):
                col = batch.column(k)
                if masked and not in_sql:
                    col = pa.array(_masked(col.to_pylist(), masks[c], is_csv), pa.string())
                columns.append(col.cast(pa.string()))
            writer.write_table(pa.Table.from_arrays(columns, schema=schema))
            n += batch.num_rows
    finally:
        writer.close()
    return n


def _open_writer(path: str, schema):
    """A pyarrow writer of ``schema`` to ``path``: CSV (quoting only where needed) or Parquet,
    by the file name (``evidence_format``)."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if evidence_format(path) == "csv":
        return pacsv.CSVWriter(path, schema,
                               write_options=pacsv.WriteOptions(quoting_style="needed"))
    return pq.ParquetWriter(path, schema)


def _duplicates_sql(paths, *, csv_safe: bool) -> str:
    """Each dropped duplicate row and the row it repeats, in file order, paths joined in SQL."""
    safe = _safe_sql if csv_safe else (lambda e: e)
    names = ", ".join(f"({i}, {quote_literal(p)})" for i, p in enumerate(paths))
    return (f"SELECT {safe('p.path')} AS input, r.{ROW_NO} AS row, "
            f"{safe('o.path')} AS duplicate_of_input, r.of_row AS duplicate_of_row "
            f"FROM leakscan_ranked AS r JOIN (VALUES {names}) AS p(idx, path) "
            f"ON r.input_idx = p.idx JOIN (VALUES {names}) AS o(idx, path) "
            f"ON r.of_input = o.idx WHERE r.dup_rank > 1 ORDER BY r.input_idx, r.{ROW_NO}")


def _write_duplicates(con, sql, path, paths) -> int:
    """Stream the duplicate rows to ``path`` (Arrow batches; Python never sees a row)."""
    import pyarrow as pa

    schema = pa.schema([("input", pa.string()), ("row", pa.int64()),
                        ("duplicate_of_input", pa.string()), ("duplicate_of_row", pa.int64())])
    writer = _open_writer(path, schema)
    n = 0
    try:
        for batch in con.sql(sql).to_arrow_reader(BATCH_ROWS):
            writer.write_table(pa.Table.from_batches([batch]).cast(schema))
            n += batch.num_rows
    finally:
        writer.close()
    return n
