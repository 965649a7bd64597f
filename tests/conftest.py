"""Shared fixtures: a DuckDB connection with reference tables, and the SQL-vs-Python check."""

from __future__ import annotations

import pytest

from leakscan.expressions import evaluate, register_reference_tables
from leakscan.registry import default_registry
from leakscan.sql import connect


@pytest.fixture(autouse=True)
def english_locale(monkeypatch):
    """Reports default to the locale's language: tests that read English text run under an
    English locale whatever the machine's (tests of --lang set their own)."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(scope="session")
def registry():
    return default_registry()


@pytest.fixture(scope="session")
def con(registry):
    c = connect()
    register_reference_tables(c, registry)
    return c


def disagreements(con, cat, values):
    """Values on which the SQL and the Python reference of ``cat`` differ.

    Both the normalised value and the validity must be equal; the result lists
    ``(value, sql_norm, sql_valid, py_norm, py_valid)`` for every disagreement.
    """
    out = []
    for value, (sql_norm, sql_ok) in zip(values, evaluate(con, cat, values), strict=True):
        py_norm, py_ok = cat.normalize(value), cat.is_valid(value)
        if (sql_norm, sql_ok) != (py_norm, py_ok):
            out.append((value, sql_norm, sql_ok, py_norm, py_ok))
    return out


@pytest.fixture(scope="session")
def agree(con):
    """``agree(cat, values)`` fails with the first disagreements between SQL and Python."""

    def check(cat, values):
        bad = disagreements(con, cat, list(values))
        assert not bad, f"{cat.id}: {len(bad)} disagreements, first: {bad[:5]}"

    return check


@pytest.fixture(scope="session")
def spark():
    """One local Spark session (``local[2]``) shared by every test of the ``spark`` group
    (``pytest -m spark``, a step of ``.ci/run``); skipped where pyspark or Java is missing."""
    pytest.importorskip("pyspark")
    pytest.importorskip("sqlglot")
    import shutil

    if not shutil.which("java") and not __import__("os").environ.get("JAVA_HOME"):
        pytest.skip("no Java: Spark needs Java 17")
    from leakscan.spark.run import session

    s = session("local[2]")
    yield s
    s.stop()


@pytest.fixture(scope="session")
def sample_data_on_spark(spark):
    """One Spark scan of ``sample_data/`` (as of 2026-06-30): its report and the Spark SQL
    it ran (``tests/test_spark.py`` compares the report, ``test_spark_dialect.py`` the SQL)."""
    from pathlib import Path

    from leakscan.scan import Scanner, ScanOptions
    from leakscan.spark import run as spark_run

    scanner = Scanner(ScanOptions(as_of="2026-06-30"))
    report = spark_run.run(scanner, [str(Path(__file__).resolve().parents[1] / "sample_data")],
                           spark)
    return report.to_dict(), list(scanner.engine_statements)
