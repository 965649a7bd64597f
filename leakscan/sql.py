"""The one place that knows SQL spelling: quoting, literals, and DuckDB-only features.

Plans are built from standard SQL (regexp, substr, CASE, casts, hashes) so that they can be
transpiled to another engine later. Anything DuckDB-specific (its CSV and Parquet readers,
list functions, settings) lives here, so a port touches one small module.

>>> print(quote_ident('phone "no'))
"phone ""no"
>>> quote_literal("it's")
"'it''s'"
"""

from __future__ import annotations

import os

import duckdb


def quote_ident(name: str) -> str:
    """Quote an identifier (column or table name) for DuckDB/ANSI SQL."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    """Quote a string literal. User values go through here or through bound parameters."""
    return "'" + value.replace("'", "''") + "'"


def default_memory_limit() -> str:
    """Half of this machine's physical memory, as a DuckDB size (``"11GB"``).

    DuckDB's own default is 80 %; leakscan takes half so that an analyst's other tools keep
    room, and spills the rest of its work to a temporary directory that it removes.
    """
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return "4GB"
    return f"{max(1, total // 2 // 2**30)}GB"


def connect(*, threads: int | None = None, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection that cannot reach the network or install extensions."""
    con = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False,
                                              "autoload_known_extensions": False})
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute(f"SET memory_limit = {quote_literal(memory_limit or default_memory_limit())}")
    con.execute("SET preserve_insertion_order = false")
    # DuckDB 2.0's IN-clause optimizer (a constant IN list rewritten as a join) did not finish
    # planning some of leakscan's plans: a 10-row file with the null markers and a phone
    # column ran out of memory in the planner, and so did plans with mixed columns. Our IN
    # lists are short (null markers, prefixes), so the rewrite gains nothing.
    con.execute("SET disabled_optimizers = 'in_clause'")
    # Track query progress (leakscan.progress reads it) but never let DuckDB print its own bar:
    # stdout carries the report.
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    return con


def read_csv_sql(path: str, *, delimiter: str, quote: str, header: bool,
                 columns: list[str], rejects_table: str, encoding: str = "utf-8") -> str:
    """A DuckDB table function call that reads a delimited file with every column as text.

    Dialect detection is done by leakscan beforehand (``sources.sniff``); DuckDB's own
    auto-detection is switched off so the same file always reads the same way. Rows that do
    not parse are skipped and recorded in ``rejects_table`` (one row per error, with the line).
    """
    cols = "{" + ", ".join(f"{quote_literal(c)}: 'VARCHAR'" for c in columns) + "}"
    return (
        f"read_csv({quote_literal(path)}, auto_detect=false, header={str(header).lower()}, "
        f"delim={quote_literal(delimiter)}, quote={quote_literal(quote)}, "
        f"escape={quote_literal(quote)}, columns={cols}, encoding={quote_literal(encoding)}, "
        f"ignore_errors=true, store_rejects=true, rejects_table={quote_literal(rejects_table)}, "
        f"rejects_scan={quote_literal(rejects_table + '_scan')}, max_line_size=67108864, "
        f"parallel=true)"
    )


def read_parquet_sql(path: str) -> str:
    """A DuckDB table function call that streams a Parquet file."""
    return f"read_parquet({quote_literal(path)})"


#: Separates several values of one category in a record key (``phone1``, ``phone2``).
#: Normalised values never contain it: white-space folding removes U+001F.
MULTI_SEP = "\x1f"


def long_form(source: str, columns: list[tuple[int, str]]) -> str:
    """``source``'s cells in long form, one row per (row, column): ``j`` the column's index,
    ``v`` the cell as VARCHAR. Two zipped ``unnest`` of lists keep the query's size linear in
    the number of columns (a ``UNION ALL`` of one ``SELECT`` per column, or one aggregate per
    column, grew DuckDB's planning and execution faster than linearly: 100 columns of 1,000
    rows took 13 s to sample).

    >>> import duckdb
    >>> duckdb.sql(long_form("(SELECT 1 AS a, 'x' AS b)", [(0, "a"), (3, "b")])).fetchall()
    [(0, '1'), (3, 'x')]
    """
    idx = ", ".join(str(j) for j, _ in columns)
    cells = ", ".join(f"CAST({quote_ident(c)} AS VARCHAR)" for _, c in columns)
    return (f"SELECT unnest([{idx}]) AS j, unnest(CAST([{cells}] AS VARCHAR[])) AS v "
            f"FROM {source} AS s")


def distinct_sorted_join(exprs: list[str], sep: str) -> str:
    """SQL for the sorted, de-duplicated, non-NULL values of several expressions, joined.

    Used to give a record one key per category when a file has several columns of the same
    category (``phone1``, ``phone2``): the order of those columns must not matter.
    """
    if len(exprs) == 1:
        return exprs[0]
    items = ", ".join(exprs)
    # list_distinct drops NULLs; an all-NULL list joins to '' which becomes NULL.
    return (f"NULLIF(array_to_string(list_sort(list_distinct([{items}])), "
            f"{quote_literal(sep)}), '')")



def split_list(expr: str, sep: str) -> str:
    """SQL: the values of a ``sep``-joined multi-value key as a list (``split()`` in Spark)."""
    return f"string_split({expr}, {quote_literal(sep)})"


def split_values(expr: str, sep: str) -> str:
    """SQL: one output row per value of a ``sep``-joined multi-value key (``explode(split())``
    in Spark)."""
    return f"unnest(string_split({expr}, {quote_literal(sep)}))"


def first_distinct_sorted(expr: str, condition: str, n: int) -> str:
    """SQL aggregate: the first ``n`` distinct values of ``expr`` where ``condition``, sorted."""
    return f"list_sort(list_distinct(list({expr}) FILTER (WHERE {condition})))[1:{int(n)}]"

#: DuckDB errors that mean "leakscan built bad SQL" (a bug), as opposed to every other
#: ``duckdb.Error``, which while reading an input means the input cannot be read (DuckDB
#: raises a plain ``duckdb.Error`` for a corrupt Parquet footer, for instance).
BUG_ERRORS = (duckdb.BinderException, duckdb.ParserException, duckdb.CatalogException,
              duckdb.InternalException)
#: Never "this input cannot be read": a bug (above), the user pressing Ctrl-C, or the memory
#: limit (a property of the run, not of the file).
NOT_INPUT_ERRORS = (*BUG_ERRORS, duckdb.InterruptException, duckdb.OutOfMemoryException)


def input_error_text(error: Exception) -> str:
    r"""DuckDB's message about an unreadable input, in one line without the SQL excerpt.

    >>> input_error_text(Exception("IO Error: No files found\n\nLINE 1: SELECT ..."))
    'No files found'
    """
    text = str(error).split("\n\nLINE ", 1)[0].split("\nLINE ", 1)[0]
    first = " ".join(text.split())
    for prefix in ("IO Error: ", "Invalid Input Error: ", "Conversion Error: ", "Error: "):
        if first.startswith(prefix):
            first = first[len(prefix):]
    return first[:300]


#: Longest line a delimited input may have (a longer one is a rejected row, not a failure),
#: and the read buffer DuckDB may hold per file. DuckDB's default buffer is 16 lines of the
#: longest size (1 GiB at 64 MB), which alone breaks a scan under ``--memory-limit 512MB``.
MAX_LINE_BYTES = 16 << 20
READ_BUFFER_BYTES = 32 << 20


def read_text_sql(path: str, *, delimiter: str, quote: str, header: bool,
                  columns: list[str], rejects_table: str) -> str:
    """``read_csv_sql`` for leakscan's staged UTF-8 text: no quoting when ``quote`` is empty
    (line dumps), multi-character delimiters (``----``), and a bounded read buffer."""
    sql = read_csv_sql(path, delimiter=delimiter, quote=quote, header=header, columns=columns,
                       rejects_table=rejects_table)
    return sql.replace("max_line_size=67108864,",
                       f"max_line_size={MAX_LINE_BYTES}, buffer_size={READ_BUFFER_BYTES},")
