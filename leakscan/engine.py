"""The engine the case-level stages run on: DuckDB on one machine, Spark on a cluster.

Counting, assessing and the per-input breakdown (``count.py``, ``assess.py``,
``breakdown.py``) read the per-input key tables and write a handful of work tables. They
issue their statements in DuckDB's dialect through an engine object, which is either
``DuckDBEngine`` (this module: the scan's own connection) or ``spark.engine.SparkEngine``
(the same statements, translated by ``spark.dialect``, run by Spark SQL). One plan, two
engines: the statements are never written twice.

What an engine offers is small on purpose: ``execute(sql, params)`` returning an object with
``fetchone``/``fetchall``, and ``exists(name)`` for the one question the stages ask of the
catalogue (is there a table or view of this name), which DuckDB answers from
``duckdb_tables()`` and Spark from its catalogue.
"""

from __future__ import annotations


class DuckDBEngine:
    """The scan's DuckDB connection as an engine."""

    name = "duckdb"

    def __init__(self, con):
        self.con = con

    def execute(self, sql: str, params=None):
        return self.con.execute(sql, params) if params is not None else self.con.execute(sql)

    def sql(self, sql: str):
        """A relation (``export_evidence`` streams Arrow batches from it: DuckDB only)."""
        return self.con.sql(sql)

    def exists(self, name: str) -> bool:
        """Whether a table or view ``name`` exists on the connection."""
        return bool(self.con.execute(
            "SELECT count(*) FROM (SELECT table_name AS n FROM duckdb_tables() UNION ALL "
            "SELECT view_name FROM duckdb_views()) WHERE n = ?", [name]).fetchone()[0])
