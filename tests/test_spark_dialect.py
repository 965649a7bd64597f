"""``leakscan.spark.dialect``: each rule probed on both engines, and the golden Spark SQL.

A rule exists because sqlglot's general DuckDB-to-Spark translation would change an answer;
each probe runs one DuckDB query on DuckDB and, translated, on Spark, and wants the same rows.
The golden file pins the text of every statement a Spark scan of ``sample_data/`` runs, so a
sqlglot upgrade that changes the translation shows as a diff
(``LEAKSCAN_UPDATE_GOLDEN=1 pytest -m spark tests/test_spark_dialect.py`` rewrites it, for
review).
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import duckdb
import pytest

from leakscan import asof

pytestmark = pytest.mark.spark

GOLDEN = Path(__file__).with_name("golden") / "spark_sql_sample_data.sql"
DAY = datetime.date(2026, 6, 30)

PROBES = {
    # the scan's reference date, not the cluster's clock
    "reference_date": (f"SELECT CAST({asof.AS_OF_SQL} AS VARCHAR)", [("2026-06-30",)]),
    # 64-bit hashes: equal values, equal hashes; different values, here, different hashes
    "hash": ("SELECT count(DISTINCT hash(v)), count(DISTINCT v) FROM "
             "(VALUES ('a'), ('b'), ('a'), ('身份')) AS t(v)", [(3, 3)]),
    # numbering: one distinct id per row
    "numbering": ("SELECT count(DISTINCT rid), count(*) FROM (SELECT row_number() OVER () "
                  "AS rid FROM (VALUES (1), (2), (3), (4), (5)) AS t(x)) AS n", [(5, 5)]),
    # strlen counts bytes
    "strlen": ("SELECT strlen('身份证'), strlen('abc')", [(9, 3)]),
    # a full match does not end before a final line break (Java's $ does)
    "full_match": ("SELECT regexp_full_match(s, '[0-9]+') FROM (VALUES (1, '123'), "
                   "(2, '123' || chr(10)), (3, 'x123')) AS t(k, s) ORDER BY k",
                   [(True,), (False,), (False,)]),
    # lists are 1-based, and out of range is NULL
    "element_at": ("SELECT [10, 20, 30][2], [10, 20][5], xs[k] FROM (VALUES ([7, 8, 9], 3)) "
                   "AS t(xs, k)", [(20, None, 9)]),
    # a semi join keeps each left row once
    "semi_join": ("SELECT count(*) FROM (VALUES (1), (2), (3)) AS a(x) SEMI JOIN "
                  "(VALUES (1), (1), (3)) AS b(y) ON a.x = b.y", [(2,)]),
    # FILTER on an aggregate, and IS NOT DISTINCT FROM on NULLs
    "filter": ("SELECT count(*) FILTER (WHERE x > 1), count(*) FILTER (WHERE y IS NOT "
               "DISTINCT FROM NULL) FROM (VALUES (1, NULL), (2, 'a'), (3, NULL)) AS t(x, y)",
               [(2, 2)]),
}


@pytest.fixture(scope="module")
def engine(spark):
    from leakscan.spark.engine import SparkEngine

    e = SparkEngine(spark, DAY)
    yield e
    e.close()


@pytest.mark.parametrize("name", sorted(PROBES))
def test_probe_gives_the_same_rows_on_both_engines(engine, name):
    sql, expected = PROBES[name]
    con = duckdb.connect()
    with asof.using(con, DAY):
        on_duckdb = [tuple(r) for r in con.execute(sql).fetchall()]
    on_spark = engine.execute(sql).fetchall()
    assert on_duckdb == expected
    assert on_spark == expected, engine.statements[-1]


def test_temporary_tables_are_materialised_and_renamed(engine):
    engine.execute("CREATE OR REPLACE TEMP TABLE probe_t AS SELECT row_number() OVER () AS r "
                   "FROM (VALUES (1), (2), (3)) AS t(x)")
    first = sorted(engine.execute("SELECT r FROM probe_t").fetchall())
    assert sorted(engine.execute("SELECT r FROM probe_t").fetchall()) == first  # drawn once
    engine.execute("ALTER TABLE probe_t RENAME TO probe_u")
    assert not engine.exists("probe_t") and engine.exists("probe_u")
    assert sorted(engine.execute("SELECT r FROM probe_u").fetchall()) == first
    engine.execute("DROP TABLE probe_u")
    assert not engine.exists("probe_u")


def test_golden_spark_sql_of_a_sample_data_scan(sample_data_on_spark):
    text = ";\n\n".join(sample_data_on_spark[1]) + ";\n"
    if os.environ.get("LEAKSCAN_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
