"""The same scan on Apache Spark (issue 18): the report equals the DuckDB run's, field by field.

The ``spark`` group (``pytest -m spark``, a step of ``.ci/run``): one local Spark session
(``local[2]``, ``conftest.spark``) for all of it. Every comparison runs both engines on the
same files and compares the report JSON whole, apart from the time it was generated and the
engine's own provenance; where a test knows the counts from how it wrote the files, it checks
them too, so that two engines agreeing on a wrong figure would still fail.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import leakscan
from leakscan.errors import UsageError
from tests.helpers import bank_card, han_name, mobile, resident_id

pytestmark = pytest.mark.spark

AS_OF = "2026-06-30"
ROOT = Path(__file__).resolve().parents[1]


def _comparable(doc: dict) -> dict:
    doc = json.loads(json.dumps(doc))
    doc.pop("generated_at", None)
    doc["provenance"].pop("engine", None)
    return doc


def both(spark, paths, **options) -> tuple[dict, dict]:
    """The DuckDB and the Spark report of ``paths`` (comparable parts)."""
    paths = [str(p) for p in paths]
    duck = leakscan.scan(paths, as_of=AS_OF, **options).to_dict()
    on_spark = leakscan.scan(paths, as_of=AS_OF, engine="spark", spark=spark,
                             **options).to_dict()
    return _comparable(duck), _comparable(on_spark)


def assert_same(duck: dict, on_spark: dict) -> None:
    """Equal reports, with the first differing field named (not a 10,000-line diff)."""
    def walk(a, b, path):
        assert type(a) is type(b), f"{path}: {a!r} vs {b!r}"
        if isinstance(a, dict):
            assert sorted(a) == sorted(b), f"{path}: keys {sorted(a)} vs {sorted(b)}"
            for k in a:
                walk(a[k], b[k], f"{path}/{k}")
        elif isinstance(a, list):
            assert len(a) == len(b), f"{path}: {len(a)} vs {len(b)} items"
            for k, (x, y) in enumerate(zip(a, b, strict=True)):
                walk(x, y, f"{path}[{k}]")
        else:
            assert a == b, f"{path}: DuckDB {a!r}, Spark {b!r}"
    walk(duck, on_spark, "")


def _write(path: Path, header, rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        if header:
            w.writerow(header)
        w.writerows(rows)
    return path


def test_sample_data(sample_data_on_spark):
    duck = leakscan.scan([str(ROOT / "sample_data")], as_of=AS_OF).to_dict()
    on_spark = _comparable(sample_data_on_spark[0])
    assert_same(_comparable(duck), on_spark)
    # and both equal the counts make_samples.py knows by construction
    expected = json.loads((ROOT / "tests" / "sample_data_expected.json").read_text("utf-8"))
    assert on_spark["records"] == expected["combined"]["records"]
    assert on_spark["tiers"] == expected["combined"]["tiers"]
    assert on_spark["subjects"]["estimated"] == expected["combined"]["subjects"]


def test_generated_files_with_known_counts(spark, tmp_path):
    """Three files whose counts follow from how they were written:

    - ``a.csv``: persons 0-9 (name, resident ID, mobile): 10 tier-C records;
    - ``b.csv``: persons 5-14 (name, resident ID, another mobile, bank card): 10 tier-A
      records; persons 5-9 share their resident ID with ``a.csv``, so they are the same people;
    - ``c.csv``: rows 0-3 of ``a.csv`` again, the same columns: 4 duplicate records.

    So 24 rows, 20 unique records (A 10, C 10), 15 persons, 15 distinct resident IDs."""
    a = [[han_name(i), resident_id(i), mobile(i)] for i in range(10)]
    b = [[han_name(i), resident_id(i), mobile(100 + i), bank_card(i)] for i in range(5, 15)]
    paths = [_write(tmp_path / "a.csv", ["姓名", "身份证号", "手机号"], a),
             _write(tmp_path / "b.csv", ["姓名", "身份证号", "手机号", "银行卡号"], b),
             _write(tmp_path / "c.csv", ["姓名", "身份证号", "手机号"], a[:4])]
    duck, on_spark = both(spark, paths)
    assert_same(duck, on_spark)
    assert on_spark["records"] == {"total": 24, "with_personal_info": 24, "duplicates": 4,
                                   "unique": 20}
    assert on_spark["tiers"] == {"A": 10, "B": 0, "C": 10}
    assert on_spark["subjects"]["estimated"] == 15
    assert on_spark["categories"]["cn_resident_id"]["unique"] == 15


def test_edge_values(spark, tmp_path):
    """Values where Spark's own SQL would differ from DuckDB's: a trailing line break (Java's
    ``$``), non-ASCII case mapping (``İ``, ``ß``), full-width digits, rows of the wrong width,
    a file without a final newline, and typed Parquet columns."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [[han_name(i), resident_id(i), mobile(i), f"user{i}@example.com"]
            for i in range(12)]
    rows[1][3] = "İLKER.ÖZ@EXAMPLE.COM"
    rows[2][3] = "STRAßE@EXAMPLE.DE"
    rows[3][2] = mobile(3) + "\n"  # a trailing line break inside a quoted cell
    rows[4][2] = "".join(chr(ord(c) + 0xFEE0) for c in mobile(4))  # full-width digits
    rows[5][1] = resident_id(5)[:-1] + "x"  # lower-case check character (or a wrong one)
    text = tmp_path / "edge.csv"
    _write(text, ["姓名", "身份证号", "手机号", "邮箱"], rows)
    with text.open("a", encoding="utf-8") as f:
        f.write(f"{han_name(20)},{resident_id(20)}\n")  # too few columns
        f.write(f"{han_name(21)},{resident_id(21)},{mobile(21)},a@b.cn,extra,more\n")
        f.write(f"{han_name(22)},{resident_id(22)},{mobile(22)},last@example.com")  # no \n
    table = pa.table({"id": pa.array([resident_id(i) for i in range(30, 40)]),
                      "phone": pa.array([int(mobile(i)) for i in range(30, 40)], pa.int64()),
                      "amount": pa.array([1.5 * i for i in range(10)], pa.float64())})
    pq.write_table(table, tmp_path / "typed.parquet")
    duck, on_spark = both(spark, [text, tmp_path / "typed.parquet"])
    assert_same(duck, on_spark)
    # as written: the ASCII addresses of rows 0 and 3-11 and of the last line; the İ and ß
    # ones are no addresses (tests/test_email.py), the six-field row is rejected
    assert on_spark["categories"]["email"]["valid"] == 11


def test_the_nasty_input_corpus(spark, tmp_path):
    """``tests/corpus``: encodings, archives (members expanded inside the tasks), sheets,
    quoting damage, unreadable files."""
    from tests.corpus.make_corpus import make_corpus

    make_corpus(tmp_path)
    duck, on_spark = both(spark, [tmp_path])
    assert_same(duck, on_spark)
    assert len(on_spark["inputs"]) > 10


@pytest.mark.parametrize("options", [dict(dedup="none"), dict(scope="input", insider=True)])
def test_options(spark, tmp_path, options):
    a = [[han_name(i), resident_id(i), mobile(i), f"备注：联系{mobile(500 + i)}"]
         for i in range(20)]
    paths = [_write(tmp_path / "a.csv", ["姓名", "身份证号", "手机号", "备注"], a),
             _write(tmp_path / "b.csv", ["姓名", "身份证号", "手机号", "备注"], a[5:15])]
    duck, on_spark = both(spark, paths, **options)
    assert_same(duck, on_spark)


def test_what_spark_does_not_do_is_refused(spark, tmp_path):
    path = _write(tmp_path / "a.csv", ["身份证号"], [[resident_id(1)]])
    with pytest.raises(UsageError, match="--evidence-out"):
        leakscan.scan([str(path)], engine="spark", spark=spark,
                      evidence_out=str(tmp_path / "e.parquet"))
    with pytest.raises(UsageError, match="standard input"):
        leakscan.scan(["-"], engine="spark", spark=spark)


def test_command_line(tmp_path):
    """``leakscan scan --engine spark sample_data/``: the same JSON as the DuckDB run (its own
    Spark session, started by the command)."""
    env = dict(os.environ, SOURCE_DATE_EPOCH="1780000000")
    out = {}
    for engine in ("duckdb", "spark"):
        res = subprocess.run(
            [sys.executable, "-m", "leakscan", "scan", "--engine", engine, "--as-of", AS_OF,
             "--format", "json", "-q", str(ROOT / "sample_data")],
            capture_output=True, text=True, env=env, timeout=600)
        assert res.returncode == 0, res.stderr[-2000:]
        out[engine] = _comparable(json.loads(res.stdout))
    assert_same(out["duckdb"], out["spark"])


def test_urls_are_read_through_spark(spark, tmp_path):
    """A URL (here ``file://``; ``s3a://``, ``hdfs://``... the same way) is listed and read
    by Spark, each file handed to its task whole: the report equals the DuckDB run on the
    same directory, inputs named by their URLs (a zip's members expanded in the task)."""
    import zipfile

    data = tmp_path / "case"
    data.mkdir()
    a = [[han_name(i), resident_id(i), mobile(i)] for i in range(30)]
    _write(data / "a.csv", ["姓名", "身份证号", "手机号"], a)
    with zipfile.ZipFile(data / "more.zip", "w") as z:
        z.writestr("b.csv", "姓名,身份证号\n" + "".join(
            f"{han_name(i)},{resident_id(i)}\n" for i in range(20, 45)))
    for options, unique in (({}, 30 + 25), ({"exclude": ("*.zip",)}, 30)):
        duck = _comparable(leakscan.scan([str(data)], as_of=AS_OF, **options).to_dict())
        spark_doc = leakscan.scan([data.as_uri()], as_of=AS_OF, engine="spark", spark=spark,
                                  **options).to_dict()
        assert spark_doc["inputs"][0]["path"].startswith("file:")
        text = json.dumps(_comparable(spark_doc), ensure_ascii=False)
        text = text.replace(f"file:{data}", str(data))  # Spark's URLs -> DuckDB's paths
        # with --exclude, the zip is in provenance.not_read ("excluded") on both engines
        assert_same(duck, json.loads(text))
        assert spark_doc["records"]["unique"] == unique


def test_without_java_a_one_line_error(tmp_path):
    """Spark that cannot start (no Java where JAVA_HOME points) is a usage error (exit 2)
    with one line that says what is missing, not a traceback."""
    env = dict(os.environ, JAVA_HOME=str(tmp_path / "no-java"))
    res = subprocess.run([sys.executable, "-m", "leakscan", "scan", "--engine", "spark", "-q",
                          str(ROOT / "sample_data")], capture_output=True, text=True, env=env,
                         timeout=120)
    assert res.returncode == 2
    ours = [line for line in res.stderr.splitlines() if line.startswith("leakscan:")]
    assert len(ours) == 1 and "Java 17" in ours[0], res.stderr
    assert "Traceback" not in res.stderr
