"""Spark SQL as the engine of the case-level stages (``leakscan/engine.py``).

``count.py`` and its neighbours write DuckDB statements; this engine runs them on a
SparkSession: queries translated by ``dialect.to_spark``, and the few statements Spark has no
equal for handled here:

- ``CREATE [OR REPLACE] TEMP TABLE t AS q``: ``q`` is run and its result *materialised*
  (``DataFrame.localCheckpoint``), then named ``t`` as a temporary view. Spark has no
  temporary tables, and a view would re-run its query, and every query under it, each time
  it is read: person linking iterates, and would re-run the whole history of its rounds (and
  draw new ids: ``dialect._numbering``) at every step.
- ``CREATE [OR REPLACE] TEMP VIEW v AS q``: a temporary view, as in DuckDB.
- ``DROP TABLE|VIEW [IF EXISTS] t``: the view is dropped.
- ``ALTER TABLE a RENAME TO b``: ``a``'s materialised result is named ``b``.

Every statement's translation is kept (``statements``) so that tests can pin the generated
text and ``--explain`` users can read what ran.
"""

from __future__ import annotations

import datetime
import re

from sqlglot import exp

from . import dialect

_DROP = re.compile(r"\s*DROP\s+(?:TABLE|VIEW)\s+(IF\s+EXISTS\s+)?(\"?)(\w+)\2\s*;?\s*\Z", re.I)
_RENAME = re.compile(r"\s*ALTER\s+TABLE\s+(\w+)\s+RENAME\s+TO\s+(\w+)\s*;?\s*\Z", re.I)


class Result:
    """What ``execute`` returns: the rows of a query, DB-API style."""

    def __init__(self, rows: list[tuple]):
        self._rows = rows

    def fetchall(self) -> list[tuple]:
        return self._rows

    def fetchone(self) -> tuple | None:
        return self._rows[0] if self._rows else None


def _plain(value):
    """A Spark value as DuckDB's Python client gives it (arrays as lists, rows as tuples)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "asDict"):
        return tuple(_plain(v) for v in value)
    return value


class SparkEngine:
    """A SparkSession as the engine of the case-level stages."""

    name = "spark"

    def __init__(self, spark, reference_date: datetime.date):
        self.spark = spark
        self.reference_date = reference_date
        self.statements: list[str] = []  # every Spark SQL text run, in order
        self._views: set[str] = set()  # temporary views this engine created
        self.cached: list = []  # DataFrames in Spark's cache, released by ``close``

    def execute(self, sql: str, params=None) -> Result:
        if params:
            raise ValueError("SparkEngine.execute takes no parameters")
        m = _DROP.match(sql)
        if m:
            self.drop(m.group(3), if_exists=bool(m.group(1)))
            return Result([])
        m = _RENAME.match(sql)
        if m:
            self.name_frame(m.group(2), self.spark.table(m.group(1)))
            self.drop(m.group(1))
            return Result([])
        tree = dialect.parse(sql)
        if isinstance(tree, exp.Create):
            kind = (tree.args.get("kind") or "").upper()
            name = tree.this.name if isinstance(tree.this, exp.Table) else tree.this.this.name
            frame = self.query(tree.expression)
            if kind == "TABLE":
                frame = frame.localCheckpoint(eager=True)
            elif kind != "VIEW":
                raise ValueError(f"CREATE {kind} has no Spark form here")
            self.name_frame(name, frame)
            return Result([])
        return Result([tuple(_plain(v) for v in row) for row in self.query(tree).collect()])

    def query(self, tree):
        """A DuckDB query (text or tree) as a Spark DataFrame."""
        text = dialect.to_spark(tree, self.reference_date)
        self.statements.append(text)
        return self.spark.sql(text)

    def name_frame(self, name: str, frame) -> None:
        """Name a DataFrame as a temporary view (replacing one of that name)."""
        frame.createOrReplaceTempView(name)
        self._views.add(name)

    def drop(self, name: str, if_exists: bool = True) -> None:
        dropped = self.spark.catalog.dropTempView(name)
        self._views.discard(name)
        if not dropped and not if_exists:
            raise ValueError(f"no table or view {name}")

    def exists(self, name: str) -> bool:
        return name in self._views or self.spark.catalog.tableExists(name)

    def close(self) -> None:
        """Drop every view this engine created (the session may be the user's)."""
        for name in sorted(self._views):
            self.spark.catalog.dropTempView(name)
        self._views.clear()
        for frame in self.cached:
            frame.unpersist()
        self.cached.clear()
