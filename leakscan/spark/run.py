"""A scan on Spark: per-input work in Spark tasks, case-level counting on Spark SQL.

``run(scanner, paths, spark)`` is ``Scanner.run`` with the work spread:

1. the driver finds the inputs (``Scanner.discover``: directories walked, filters applied);
2. one Spark task per input runs ``Scanner.prepare_and_reduce`` on it in DuckDB
   (``tasks.task``); the tasks' answers are materialised once;
3. the driver reads the tasks' small state, names each key table as a Spark view under the
   same name a single-machine scan gives it (inputs numbered in discovery order, archives
   expanded in place), and runs ``Scanner.count_and_report`` on a ``SparkEngine``.

So the report is built by the same code from the same per-input results; only the
case-level statements run elsewhere. What a Spark scan does not do is refused up front
(``check``), never done differently.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import re
import tempfile

from ..errors import UsageError
from . import tasks
from .engine import SparkEngine

_KEY_TABLE = re.compile(r"leakscan_keys_(\d+)(__\w+)?")


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")


def is_url(path: str) -> bool:
    """Whether ``path`` is a URL for Spark's file systems (``s3a://``, ``hdfs://``,
    ``abfss://``, ``file://``...) rather than a local path."""
    return bool(_URL.match(path))


def list_urls(spark, url: str, options, not_read: list[dict]) -> list[str]:
    """The files under ``url`` as Spark lists them (recursively; Hadoop skips names starting
    with ``.`` or ``_``), selected by ``--include``/``--exclude`` on the path below ``url``
    as a local directory's are (``sources._unselected``; the rest go to ``not_read`` with
    the reason), sorted."""
    from ..sources import _unselected

    listing = (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
               .load(url).select("path").collect())
    base = url.rstrip("/") + "/"
    out = []
    for (path,) in sorted(listing):
        below = path[len(base):] if path.startswith(base) else path.rsplit("/", 1)[-1]
        why = _unselected(below, options.include, options.exclude)
        if why:
            not_read.append({"path": path, "reason": why})
        else:
            out.append(path)
    if not out:
        raise UsageError(f"{url}: no file to scan there")
    return out


def check(options, paths: list[str]) -> None:
    """Refuse what a Spark scan does not do, before any work."""
    for flag, value in (("--evidence-out", options.evidence_out),
                        ("--duplicates-out", options.duplicates_out)):
        if value:
            raise UsageError(f"{flag} is not available with --engine spark: it re-reads every "
                             f"input row by row on one machine; run it with --engine duckdb")
    if "-" in paths:
        raise UsageError("standard input cannot be scanned with --engine spark: the tasks "
                         "read files; save it to a file the cluster can read")


def session(master: str | None = None):
    """The active SparkSession, or a new one (``master``: default ``local[2]``)."""
    import sys

    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    master = master or "local[2]"
    cores = re.fullmatch(r"local\[(\d+)\]", master)
    builder = (SparkSession.builder.appName("leakscan")
               .master(master)
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               # one shuffle partition per local core: Spark's default of 200 makes every
               # statement of the counting schedule 200 tasks (a cluster keeps its own)
               .config("spark.sql.shuffle.partitions", cores.group(1) if cores else "200")
               # in local mode the driver's JVM is the executor and holds every cached key
               # table: Spark's default of 1g is too small from a few million rows on
               .config("spark.driver.memory", os.environ.get("LEAKSCAN_SPARK_DRIVER_MEMORY",
                                                             "4g" if cores else "1g"))
               .config("spark.pyspark.python", sys.executable)
               .config("spark.pyspark.driver.python", sys.executable))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run(scanner, paths: list[str], spark):
    """Scan ``paths`` on ``spark``; the same ``Report`` a single-machine scan gives."""
    from .. import asof

    check(scanner.options, paths)
    scanner.reference_date = asof.resolve(scanner.options.as_of)
    found: list = []  # per input: an Input (a file the tasks read) or a URL (Spark reads it)
    with tempfile.TemporaryDirectory(prefix="leakscan-") as spill:
        if not any(is_url(p) for p in paths):
            found = scanner.discover(paths, spill)
        else:  # each argument in turn, so that the inputs keep the order they were given in
            for p in paths:
                found += (list_urls(spark, p, scanner.options, scanner.not_read) if is_url(p)
                          else scanner.discover([p], spill))
    if not found:
        return scanner.count_and_report(SparkEngine(spark, scanner.reference_date[0]),
                                        [], [], [])
    options = dataclasses.replace(scanner.options, rulesets=(), verification=None,
                                  confidence=None, profiles=())
    args = {"options": dataclasses.asdict(options),
            "profiles_forced": scanner.profiles_forced}
    rows = [(k, pickle.dumps((args, [inp]))) for k, inp in enumerate(found)
            if not isinstance(inp, str)]
    answers = None
    if rows:
        jobs = spark.createDataFrame(rows, tasks.IN_SCHEMA).repartitionByRange(len(rows), "part")
        answers = jobs.mapInArrow(tasks.task, tasks.OUT_SCHEMA)
    urls = {url: (k, pickle.dumps(args)) for k, url in enumerate(found) if isinstance(url, str)}
    if urls:
        # Spark reads each file whole (its binaryFile source: any file system the cluster's
        # Hadoop reaches); the task writes it to local disk and scans it as a file
        contents = (spark.read.format("binaryFile").load(sorted(urls))
                    .select("path", "content")
                    .repartition(min(len(urls), _parallelism(spark) * 4)))
        remote = contents.mapInArrow(tasks.url_task(urls), tasks.OUT_SCHEMA)
        answers = remote if answers is None else answers.unionByName(remote)
    answers = answers.localCheckpoint(eager=True)
    states = dict(answers.where("kind = 'state'").select("part", "payload").collect())
    shipped = answers.where("kind = 'rows'").selectExpr(
        "coalesce(sum(octet_length(payload)), 0)").collect()[0][0]
    engine = SparkEngine(spark, scanner.reference_date[0])
    inputs, prepared, plans, schemas = [], [], [], {}
    task_seconds = task_cpu = 0.0
    for k in sorted(states):
        part = pickle.loads(states[k])
        if part.error:  # a bug, not an input's fault (those are the input's error)
            last = [line for line in part.error.splitlines() if line.strip()][-1]
            error = RuntimeError(f"a Spark task failed: {last}")
            error.add_note(part.error)  # the task's traceback, printed under -v
            raise error
        first = len(inputs)
        for name, schema in part.schemas.items():
            m = _KEY_TABLE.fullmatch(name)
            schemas[(int(k), name)] = (
                f"leakscan_keys_{first + int(m.group(1))}{m.group(2) or ''}", schema)
        inputs += part.inputs
        prepared += part.prepared
        plans += [None if p is None else
                  dataclasses.replace(p, table=f"leakscan_keys_{first + j}", view=True,
                                      batch=None)
                  for j, p in enumerate(part.plans)]
        scanner.samples.update(part.samples)
        scanner.evidence += part.evidence
        scanner.warnings += part.warnings
        scanner._recovered.update({first + j: v for j, v in part.recovered.items()})
        scanner.profiles_applied.update(part.profiles_applied)
        scanner.validation = _merged_status(scanner.validation, part.validation)
        task_seconds += part.seconds
        task_cpu += part.cpu_seconds
    _name_key_tables(engine, answers, schemas)
    scanner.check_overrides_matched(inputs)
    scanner.engine_provenance = {"id": "spark", "spark": spark.version,
                                 "master": spark.conf.get("spark.master", None),
                                 "tasks": len(found),
                                 # the per-input DuckDB work, summed over the tasks: what a
                                 # cluster divides among its cores (docs/scale-out.md)
                                 "task_seconds": round(task_seconds, 3),
                                 "task_cpu_seconds": round(task_cpu, 3),
                                 # the key tables as the tasks shipped them (Arrow IPC): the
                                 # data the counting reads and shuffles
                                 "key_table_bytes": int(shipped)}
    scanner.engine_statements = engine.statements  # what ran, for tests and --explain
    try:
        return scanner.count_and_report(engine, inputs, prepared, plans)
    finally:
        engine.close()


def _merged_status(a: dict | None, b: dict | None) -> dict | None:
    """The tasks' kernel statuses as one (``kernels.Kernels.status``): the kernels that ran
    in any task; the SQL path only when every task ran it."""
    if a is None or b is None:
        return a or b
    if a["path"] == "kernels" or b["path"] == "kernels":
        ran = sorted({*a["kernels"], *b["kernels"]})
        return {"path": "kernels", "kernels": ran}
    return a


def _name_key_tables(engine, answers, schemas: dict) -> None:
    """Decode every key table the tasks shipped, in one Spark job, and name each under its
    single-machine name.

    The tables differ in columns, so they are decoded into one wide table whose columns are
    the union of theirs (``leakscan_table`` says whose row it is), materialised once; each
    key table is then a view of its rows and columns. One job instead of one per table: on
    a thousand small inputs the per-job cost (about 0.3 s) would be most of the scan."""
    import pyarrow as pa

    if not schemas:
        return
    wide: dict[str, pa.Field] = {}
    for _, schema in schemas.values():
        for f in schema:
            if f.name in wide and not wide[f.name].type.equals(f.type):
                raise RuntimeError(f"key-table column {f.name}: types {wide[f.name].type} "
                                   f"and {f.type} cannot share a column")
            wide.setdefault(f.name, f)
    names = {f"{k}\x00{name}": single for (k, name), (single, _) in schemas.items()}
    union = pa.schema([pa.field("leakscan_table", pa.string()), *wide.values()])
    # Sorted by table and cached in Spark's columnar cache, whose batches keep each column's
    # bounds: a key table's view (a filter on ``leakscan_table``) then reads its own batches
    # only, not the whole wide table once per input (count.py's union reads every input).
    parts = max(1, min(len(schemas), _parallelism(engine.spark) * 2))
    table = (answers.where("kind = 'rows'").select("part", "tbl", "payload")
             .mapInArrow(tasks.wide_decoder(union, names), tasks.spark_schema(union))
             .repartitionByRange(parts, "leakscan_table")
             .sortWithinPartitions("leakscan_table")
             .cache())
    table.count()
    engine.name_frame("leakscan_keys_wide", table)
    engine.cached.append(table)
    for single, schema in schemas.values():
        cols = ", ".join(f"`{f.name.replace('`', '``')}`" for f in schema)
        engine.name_frame(single, engine.spark.sql(
            f"SELECT {cols} FROM leakscan_keys_wide WHERE leakscan_table = '{single}'"))


def _parallelism(spark) -> int:
    """The cluster's default parallelism; on Spark Connect, which has no ``sparkContext``,
    the shuffle partitions setting."""
    try:
        return int(spark.sparkContext.defaultParallelism)
    except Exception:  # pyspark's PySparkAttributeError on Connect
        return int(spark.conf.get("spark.sql.shuffle.partitions", "8"))
