"""The report of `leakscan scan sample_data/ --format json`, field by field against
../shared/spec/report-v1.md, and the sample files' counts against their construction."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import leakscan
from leakscan.registry import CLASS_TIERS, default_registry

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_data"
EXPECTED = json.loads((ROOT / "tests" / "sample_data_expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def doc():
    proc = subprocess.run([sys.executable, "-m", "leakscan", "scan", "sample_data/",
                           "--format", "json"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_top_level_fields(doc):
    spec = ["schema", "tool", "generated_at", "options", "inputs", "columns", "categories",
            "records", "tiers", "subjects", "assessments", "warnings"]
    assert list(doc)[:len(spec)] == spec  # the spec's fields, in order; additions come after
    # the additions (docs/report.md)
    assert list(doc)[len(spec):] == ["excluded", "reference_date", "provenance", "verdict"]
    assert doc["excluded"] == []
    assert doc["reference_date"]["source"] in ("clock", "SOURCE_DATE_EPOCH")
    assert doc["schema"] == "leakscan/report/v1"
    assert doc["tool"] == {"name": "leakscan", "version": leakscan.__version__}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", doc["generated_at"])
    opts = doc["options"]
    assert {"dedup": "record", "scope": "case", "insider": False}.items() <= opts.items()
    assert opts["rulesets"] == ["cn-cl253-1-2017", "cn-cl286-1-2019"]
    assert opts["overrides"] == []
    assert all(isinstance(w, str) for w in doc["warnings"])


def test_inputs(doc):
    files = sorted(p.name for p in SAMPLES.iterdir()
                   if p.suffix in (".csv", ".tsv", ".parquet", ".txt"))
    assert [Path(i["path"]).name for i in doc["inputs"]] == files  # stable sorted order
    for inp in doc["inputs"]:
        assert inp["path"].startswith("sample_data/")
        data = (ROOT / inp["path"]).read_bytes()
        assert inp["sha256"] == hashlib.sha256(data).hexdigest()
        assert inp["bytes"] == len(data)
        exp = EXPECTED["files"][Path(inp["path"]).name]
        assert inp["format"] == exp["format"]
        assert inp["encoding"] == (exp["encoding"] if exp["format"] != "parquet" else None)
        assert inp["rows"] == exp["rows"]
        assert inp["rows_rejected"] == 0
        assert "error" not in inp


def test_columns(doc):
    registry = default_registry()
    for col in doc["columns"]:
        # the spec's fields, plus the additions ``embedded`` (free-text search), ``role`` and
        # ``also`` (the other categories of a mixed column)
        assert set(col) == {"input", "column", "category", "method", "confidence", "detected",
                            "valid", "sample", "embedded", "role", "also"}
        assert col["also"] == []  # the sample data has no column of several categories
        assert col["embedded"] is False  # the sample data's messages hold no identifiers
        assert col["role"] is None  # the sample data names no role other than its subjects
        assert col["category"] in registry
        assert col["method"] in ("header", "values", "header+values", "override")
        assert 0 < col["confidence"] <= 1
        assert 0 <= col["valid"] <= col["detected"]
        assert len(col["sample"]) <= 3
        exp = EXPECTED["files"][Path(col["input"]).name]["columns"]
        assert exp[col["column"]] == col["category"], col
    found = {(Path(c["input"]).name, c["column"]) for c in doc["columns"]}
    wanted = {(f, c) for f, e in EXPECTED["files"].items() for c, cat in e["columns"].items()
              if cat}
    assert found == wanted


def test_samples_are_masked(doc):
    """No sampled value in the report is a full valid identifier from the inputs."""
    registry = default_registry()
    for col in doc["columns"]:
        cat = registry.get(col["category"])
        for shown in col["sample"]:
            assert "*" in shown
            # attribute values (a balance) are valid whatever they are; identifiers must not be
            assert not (cat.identifying and cat.is_valid(shown)), (col["column"], shown)


def test_categories(doc):
    for c in doc["categories"].values():
        assert list(c) == ["class", "tier", "detected", "valid", "unique", "records"]
        assert CLASS_TIERS[c["class"]] == c["tier"]
        assert c["detected"] >= c["valid"] >= c["unique"] >= 0
        assert c["records"] <= doc["records"]["unique"]
    assert list(doc["categories"]) == sorted(doc["categories"])


def test_records_and_tiers_add_up(doc):
    r, t = doc["records"], doc["tiers"]
    assert list(r) == ["total", "with_personal_info", "duplicates", "unique"]
    assert r["unique"] == r["with_personal_info"] - r["duplicates"]
    assert r["unique"] == t["A"] + t["B"] + t["C"]
    assert r["total"] == sum(i["rows"] for i in doc["inputs"])
    assert doc["records"] == EXPECTED["combined"]["records"]
    assert doc["tiers"] == EXPECTED["combined"]["tiers"]


def test_subjects(doc):
    assert set(doc["subjects"]) == {"estimated", "method"}
    assert 0 < doc["subjects"]["estimated"] <= doc["records"]["unique"]
    assert doc["subjects"]["estimated"] == EXPECTED["combined"]["subjects"]


def test_assessments(doc):
    spec_fields = ["ruleset", "title", "level", "score", "counts_used", "thresholds", "basis",
                   "citation", "unit", "alternatives"]
    for a in doc["assessments"]:
        assert list(a)[:len(spec_fields)] == spec_fields
        assert a["counts_used"] == doc["tiers"]
        assert a["unit"] == "items"
        assert isinstance(a["alternatives"], list)
    by_id = {a["ruleset"]: a for a in doc["assessments"]}
    # bank_balances.csv alone holds >= 50 tier-A records: serious under Art. 5(1)(3).
    assert by_id["cn-cl253-1-2017"]["level"] == "serious"
    assert "Art. 5(1)(3)" in by_id["cn-cl253-1-2017"]["basis"]
    assert by_id["cn-cl286-1-2019"]["level"] == "none"


@pytest.mark.parametrize("name", sorted(EXPECTED["files"]))
def test_each_sample_file_matches_its_construction(name):
    exp = EXPECTED["files"][name]
    doc = leakscan.scan([str(SAMPLES / name)]).to_dict()
    assert doc["records"] == exp["records"]
    assert doc["tiers"] == exp["tiers"]
    assert doc["subjects"]["estimated"] == exp["subjects"]
    for cid, counts in exp["categories"].items():
        got = doc["categories"][cid]
        assert {k: got[k] for k in ("detected", "valid", "unique", "records")} == \
            {k: counts[k] for k in ("detected", "valid", "unique", "records")}, cid
