"""The per-input half of a scan inside Spark tasks, and its results back as Spark tables.

A task gets some of the scan's inputs (paths the executors can read) and runs on them exactly
what a single-machine scan runs (``Scanner.prepare_and_reduce``: stage, sniff, classify,
reduce in one DuckDB pass). Reading and normalising stay in DuckDB because Spark's CSV reader,
regular expressions (Java's ``$``, ASCII-only ``(?i)``) and case mapping differ from DuckDB's
in ways that change counts.

A task answers with rows of one schema (``OUT_SCHEMA``), whatever its inputs' columns:
- one ``state`` row: the pickled per-input results the report needs (inputs with their
  hashes, warnings and rejected rows; column assignments and evidence; masked samples; plans;
  the Arrow schema of each key table);
- ``rows`` rows: each key table (``leakscan_keys_<i>`` and its side tables) as Arrow IPC
  batches of at most ``CHUNK_ROWS`` rows.

The driver materialises these answers once (the DuckDB work must not run twice), reads the
small ``state`` rows, and turns each key table back into a Spark DataFrame of its own schema
(``decode``).
"""

from __future__ import annotations

import dataclasses
import io
import pickle
import re
import tempfile
import traceback

OUT_SCHEMA = "part INT, kind STRING, tbl STRING, seq INT, payload BINARY"
IN_SCHEMA = "part INT, payload BINARY"
#: Rows per Arrow batch shipped back: about 8-30 MB for typical key tables, well below
#: Spark's 2 GB limit on one value.
CHUNK_ROWS = 200_000
#: DuckDB types of key-table columns that Arrow/Spark carry differently: sums of counts are
#: HUGEINT in DuckDB, and a count of rows fits 64 bits.
_WIDE_INTEGERS = ("HUGEINT", "UHUGEINT", "UBIGINT")


@dataclasses.dataclass
class Part:
    """What one task hands back for its inputs (pickled in the ``state`` row)."""

    inputs: list
    prepared: list
    plans: list
    samples: dict
    evidence: list
    warnings: list
    recovered: dict
    profiles_applied: dict
    validation: dict | None
    schemas: dict  # local table name -> pyarrow.Schema
    error: str | None = None  # an internal error: the driver raises it
    seconds: float = 0.0  # wall and CPU seconds of the task's DuckDB work (benchmarks)
    cpu_seconds: float = 0.0


def run_part(scanner_args: dict, inputs: list) -> tuple[Part, dict]:
    """Prepare and reduce ``inputs`` with a scanner built from ``scanner_args``; the part and,
    per key table, its Arrow batches."""
    import time

    from ..scan import Scanner, ScanOptions

    started, cpu = time.perf_counter(), time.process_time()
    options = ScanOptions(**scanner_args["options"])
    scanner = Scanner(options)
    scanner.profiles_forced = scanner_args["profiles_forced"]
    tables: dict = {}
    with tempfile.TemporaryDirectory(prefix="leakscan-task-") as spill:
        inputs = scanner.stage_inputs(inputs, spill)

        def work(con):
            con = scanner.open_connection(con, inputs)
            prepared, plans = scanner.prepare_and_reduce(con, inputs, check_overrides=False)
            for i, plan in enumerate(plans):
                if plan is not None:
                    for name in _key_tables(con, i):
                        tables[name] = _arrow(con, name)
            return prepared, plans

        prepared, plans = scanner.connected(spill, work)
    part = Part(inputs=inputs, prepared=prepared, plans=plans, samples=scanner.samples,
                evidence=scanner.evidence, warnings=scanner.warnings,
                recovered=scanner._recovered, profiles_applied=scanner.profiles_applied,
                validation=scanner.kernels.status() if scanner.kernels else None,
                schemas={name: t.schema for name, t in tables.items()},
                seconds=time.perf_counter() - started, cpu_seconds=time.process_time() - cpu)
    return part, tables


def _key_tables(con, i: int) -> list[str]:
    """Input ``i``'s key table and its side tables (``leakscan_keys_<i>__x``: free-text
    tallies), tables or views."""
    pattern = re.compile(rf"leakscan_keys_{i}(__\w+)?")
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE temporary UNION ALL "
        "SELECT view_name FROM duckdb_views() WHERE temporary").fetchall()]
    return sorted(n for n in names if pattern.fullmatch(n))


def _arrow(con, name: str):
    """A key table as Arrow, with DuckDB's 128-bit sums as 64-bit integers."""
    cols = []
    for col, typ, *_ in con.execute(f"DESCRIBE {name}").fetchall():
        quoted = '"' + col.replace('"', '""') + '"'
        cols.append(f"CAST({quoted} AS BIGINT) AS {quoted}" if typ in _WIDE_INTEGERS
                    else quoted)
    return con.sql(f"SELECT {', '.join(cols)} FROM {name}").to_arrow_table()


def task(batches):
    """The ``mapInArrow`` function: per input row (``IN_SCHEMA``), the part's rows."""
    for batch in batches:
        for part_no, payload in zip(batch.column("part").to_pylist(),
                                    batch.column("payload").to_pylist(), strict=True):
            scanner_args, inputs = pickle.loads(payload)
            yield _answer(part_no, lambda a=scanner_args, i=inputs: run_part(a, i))


def url_task(urls: dict):
    """The ``mapInArrow`` function over Spark's ``binaryFile`` rows (``path``, ``content``):
    each file is written to local disk under its own name and scanned as a file named by
    its URL. ``urls``: URL -> (part number, pickled scanner arguments)."""
    def run(batches):
        import os

        for batch in batches:
            for url, content in zip(batch.column("path").to_pylist(),
                                    batch.column("content").to_pylist(), strict=True):
                part_no, args = urls[url]

                def one(url=url, content=content, args=args):
                    from ..sources import discover

                    with tempfile.TemporaryDirectory(prefix="leakscan-url-") as tmp:
                        local = os.path.join(tmp, url.rstrip("/").rsplit("/", 1)[-1] or "input")
                        with open(local, "wb") as f:
                            f.write(content)
                        inputs = discover([local])
                        for inp in inputs:
                            inp.path = url
                        return run_part(pickle.loads(args), inputs)
                yield _answer(part_no, one)
    return run


def _answer(part_no: int, work):
    """The rows (``OUT_SCHEMA``) of one part: ``work()``'s state and key tables, or the
    traceback of its failure for the driver to raise."""
    import pyarrow as pa

    try:
        part, tables = work()
    except Exception:  # handed to the driver, which raises it as an internal error
        part = Part([], [], [], {}, [], [], {}, {}, None, {}, error=traceback.format_exc())
        tables = {}
    out = {"part": [], "kind": [], "tbl": [], "seq": [], "payload": []}

    def add(kind, name, seq, data):
        for key, value in zip(out, (part_no, kind, name, seq, data), strict=True):
            out[key].append(value)
    add("state", None, 0, pickle.dumps(part))
    for name, table in tables.items():
        for seq, chunk in enumerate(table.to_batches(max_chunksize=CHUNK_ROWS)):
            sink = io.BytesIO()
            with pa.ipc.new_stream(sink, chunk.schema) as writer:
                writer.write_batch(chunk)
            add("rows", name, seq, sink.getvalue())
    return pa.RecordBatch.from_pydict(out, schema=pa.schema([
        ("part", pa.int32()), ("kind", pa.string()), ("tbl", pa.string()),
        ("seq", pa.int32()), ("payload", pa.binary())]))


def wide_decoder(union, names: dict):
    """The ``mapInArrow`` function that turns every ``rows`` payload into rows of the wide
    schema ``union`` (``run._name_key_tables``): its own columns filled, the others NULL,
    ``leakscan_table`` the table's single-machine name (``names``: ``"part\\0name"`` ->
    name)."""
    def decode(batches):
        import pyarrow as pa

        for batch in batches:
            for part, name, payload in zip(batch.column("part").to_pylist(),
                                           batch.column("tbl").to_pylist(),
                                           batch.column("payload").to_pylist(), strict=True):
                single = names[f"{part}\x00{name}"]
                with pa.ipc.open_stream(payload) as reader:
                    for chunk in reader:
                        n = chunk.num_rows
                        cols = [pa.array([single] * n, pa.string())]
                        for f in list(union)[1:]:
                            k = chunk.schema.get_field_index(f.name)
                            cols.append(chunk.column(k) if k >= 0 else pa.nulls(n, f.type))
                        yield pa.RecordBatch.from_arrays(cols, schema=union)
    return decode


def spark_schema(schema) -> str:
    """A pyarrow schema of a key table as a Spark DDL schema string."""
    import pyarrow as pa

    kinds = ((pa.types.is_string, "STRING"), (pa.types.is_large_string, "STRING"),
             (pa.types.is_int64, "BIGINT"), (pa.types.is_int32, "INT"),
             (pa.types.is_int16, "INT"), (pa.types.is_int8, "INT"),
             (pa.types.is_boolean, "BOOLEAN"), (pa.types.is_float64, "DOUBLE"))

    def typ(t) -> str:
        if pa.types.is_list(t) or pa.types.is_large_list(t):
            return f"ARRAY<{typ(t.value_type)}>"
        for test, name in kinds:
            if test(t):
                return name
        raise TypeError(f"key-table column type {t} has no Spark form here")
    return ", ".join(f"`{f.name.replace('`', '``')}` {typ(f.type)}" for f in schema)
