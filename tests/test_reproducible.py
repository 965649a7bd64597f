"""Reproducible and verifiable reports: two runs give the same bytes, the report says what
produced it, and `leakscan verify` re-hashes the inputs."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import leakscan
from leakscan import rulesets
from leakscan.cli import main
from leakscan.verify import NOT_VERIFIED, VERIFIED

#: Each test scans the samples several times (about 40 s): the slow group, a step of .ci/run.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ALL_RULESETS = rulesets.builtin_ids()


def run_scan(args, env_extra=None):
    env = dict(os.environ, **(env_extra or {}))
    proc = subprocess.run([sys.executable, "-m", "leakscan", "scan", *args], cwd=ROOT,
                          capture_output=True, env=env)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def test_two_runs_give_byte_identical_json_with_source_date_epoch(tmp_path):
    args = ["sample_data/", "--format", "json", *sum((["--ruleset", r] for r in ALL_RULESETS),
                                                     [])]
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    first = run_scan(args + ["--threads", "1"], env)
    second = run_scan(args + ["--threads", "1"], env)
    assert first == second
    assert json.loads(first)["generated_at"] == "2023-11-14T22:13:20Z"


def test_only_generated_at_differs_without_source_date_epoch_and_across_threads(tmp_path):
    base = ["sample_data/", "--format", "json", "--ruleset", "cn-cl253-1-2017"]
    a = json.loads(run_scan(base + ["--threads", "1"]))
    b = json.loads(run_scan(base + ["--threads", "2"]))
    a.pop("generated_at"), b.pop("generated_at")
    a["options"].pop("threads", None), b["options"].pop("threads", None)
    assert a == b


def test_markdown_and_html_are_reproducible_too():
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    args = ["scan", str(ROOT / "sample_data"), "--ruleset", "cn-cl253-1-2017"]
    for fmt in ("markdown", "html"):
        first, second = (CliRunner().invoke(main, args + ["--format", fmt], env=env)
                         for _ in range(2))
        assert first.exit_code == 0 and first.stdout_bytes == second.stdout_bytes


def test_report_records_what_produced_it():
    doc = leakscan.scan([str(ROOT / "sample_data")],
                        rulesets=["cn-cl253-1-2017", "cn-incident-2025"]).to_dict()
    assert doc["tool"]["version"] == leakscan.__version__
    opts = doc["options"]
    for key in ("dedup", "scope", "insider", "rulesets", "overrides", "header",
                "illegal_income", "ruleset_files"):
        assert key in opts
    for rf, a in zip(opts["ruleset_files"], doc["assessments"], strict=True):
        rs = rulesets.load(rf["id"])
        assert rf == {"id": rs.id, "version": rs.version, "source": rs.source,
                      "sha256": rs.sha256}
        assert a["sha256"] == rs.sha256 and a["version"] == rs.version
    for inp in doc["inputs"]:
        assert inp["sha256"] and inp["bytes"] and inp["format"]


def test_ruleset_hash_is_of_the_file_bytes():
    rs = rulesets.load("cn-cl253-1-2017")
    data = (ROOT / "leakscan" / "rulesets" / "cn-cl253-1-2017.toml").read_bytes()
    assert rs.sha256 == hashlib.sha256(data).hexdigest()


def _report(tmp_path, inputs):
    out = tmp_path / "report.json"
    res = CliRunner().invoke(main, ["scan", *map(str, inputs), "--format", "json", "-o",
                                    str(out)])
    assert res.exit_code == 0, res.output
    return out


def test_verify_says_the_files_are_the_ones_counted(tmp_path):
    data = tmp_path / "case"
    shutil.copytree(ROOT / "sample_data", data)
    report = _report(tmp_path, [data])
    res = CliRunner().invoke(main, ["verify", str(report), str(data)])
    assert res.exit_code == VERIFIED, res.output
    assert "VERIFIED" in res.output and "NOT VERIFIED" not in res.output
    # moved elsewhere: still the same files
    moved = tmp_path / "moved"
    shutil.copytree(data, moved)
    res = CliRunner().invoke(main, ["verify", str(report), str(moved)])
    assert res.exit_code == VERIFIED and "now at" in res.output


def test_verify_detects_a_changed_missing_or_extra_file(tmp_path):
    data = tmp_path / "case"
    shutil.copytree(ROOT / "sample_data", data)
    report = _report(tmp_path, [data])
    target = data / "members_en.tsv"
    target.write_bytes(target.read_bytes() + b"\n")
    res = CliRunner().invoke(main, ["verify", str(report), str(data)])
    assert res.exit_code == NOT_VERIFIED and "CHANGED" in res.output
    target.unlink()
    res = CliRunner().invoke(main, ["verify", str(report), str(data)])
    assert res.exit_code == NOT_VERIFIED and "MISSING" in res.output
    shutil.copy(ROOT / "sample_data" / "members_en.tsv", target)
    (data / "new.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["verify", str(report), str(data)])
    assert res.exit_code == NOT_VERIFIED and "EXTRA" in res.output


def test_verify_rejects_what_is_not_a_report(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("{}", encoding="utf-8")
    res = CliRunner().invoke(main, ["verify", str(bad), str(ROOT / "sample_data")])
    assert res.exit_code == 2 and "not a leakscan/report/v1" in res.stderr
