"""The command line: exit codes, one-line errors, formats, and that inputs stay untouched."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from leakscan import rulesets
from leakscan.cli import main
from leakscan.errors import ExitCode
from leakscan.registry import default_registry
from tests.helpers import bank_card, han_name, mobile, resident_id, write_csv


@pytest.fixture
def good_csv(tmp_path):
    return write_csv(tmp_path / "good.csv", ["姓名", "身份证号", "手机号"],
                     [[han_name(i), resident_id(i), mobile(i)] for i in range(5)])


@pytest.fixture
def corrupt_parquet(tmp_path):
    p = tmp_path / "broken.parquet"
    p.write_bytes(b"PAR1" + os.urandom(200) + b"PAR1")
    return p


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_scan_json_writes_the_report(good_csv, tmp_path):
    out = tmp_path / "r.json"
    res = run("scan", good_csv, "--format", "json", "-o", out)
    assert res.exit_code == ExitCode.OK, res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["schema"] == "leakscan/report/v1"
    assert doc["records"]["unique"] == 5


def test_table_and_markdown_show_the_same_figures(good_csv):
    table = run("scan", good_csv).output
    assert "5 unique" in table and "cn-cl253-1-2017: no level reached" in table
    md = run("scan", good_csv, "--format", "markdown").output
    assert md.startswith("# leakscan report") and "| cn_resident_id | identity | C |" in md


def test_no_full_identifier_is_printed(good_csv):
    for fmt in ("table", "json", "markdown"):
        out = run("scan", good_csv, "--format", fmt).output
        for i in range(5):
            assert resident_id(i) not in out and mobile(i) not in out


def test_missing_path_is_a_usage_error_in_one_line(tmp_path):
    res = CliRunner().invoke(main, ["scan", str(tmp_path / "nope.csv")])
    assert res.exit_code == ExitCode.USAGE
    assert res.output.strip().count("\n") == 0
    assert "nope.csv: no such file or directory" in res.output
    assert "Traceback" not in res.output


def test_unreadable_file_alone_exits_4_with_one_line(corrupt_parquet):
    # A real subprocess: what an analyst sees, with stderr separate from stdout.
    proc = subprocess.run([sys.executable, "-m", "leakscan", "scan", str(corrupt_parquet)],
                          capture_output=True, text=True)
    assert proc.returncode == ExitCode.NOTHING_READABLE
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "broken.parquet" in lines[0]
    assert "Traceback" not in proc.stderr


def test_some_inputs_unreadable_exits_3_and_still_reports(good_csv, corrupt_parquet, tmp_path):
    out = tmp_path / "r.json"
    res = CliRunner().invoke(main, ["scan", str(good_csv), str(corrupt_parquet),
                                    "--format", "json", "-o", str(out)])
    assert res.exit_code == ExitCode.PARTIAL
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["inputs"][1]["error"]
    assert "error" not in doc["inputs"][0]
    assert doc["records"]["unique"] == 5


@pytest.mark.parametrize("args,needle", [
    (["--ruleset", "no-such-ruleset"], "unknown ruleset"),
    (["--column", "good.csv:姓名=no_such_category"], "unknown category"),
    (["--column", "good.csv:no_such_column=phone"], "matches no column"),
    (["--column", "nonsense"], "expected FILE:COLUMN=CATEGORY"),
])
def test_bad_options_are_usage_errors(good_csv, args, needle):
    res = CliRunner().invoke(main, ["scan", str(good_csv), *args])
    assert res.exit_code == ExitCode.USAGE, res.output
    assert needle in res.output and "Traceback" not in res.output


def test_override_is_marked_in_the_report(good_csv, tmp_path):
    out = tmp_path / "r.json"
    run("scan", good_csv, "--column", "good.csv:手机号=none", "--column", "姓名=name",
        "--format", "json", "-o", out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    by_col = {c["column"]: c for c in doc["columns"]}
    assert "手机号" not in by_col
    assert by_col["姓名"]["method"] == "override" and by_col["姓名"]["confidence"] == 1.0
    assert doc["options"]["overrides"] == ["good.csv:手机号=none", "姓名=name"]


def _state(path):
    st = os.stat(path)
    return hashlib.sha256(path.read_bytes()).hexdigest(), st.st_mtime_ns, st.st_size


def test_inputs_are_never_modified(good_csv, corrupt_parquet, tmp_path):
    before = {p: _state(p) for p in (good_csv, corrupt_parquet)}
    run("scan", good_csv, corrupt_parquet, "--format", "json", "-o", tmp_path / "r.json")
    assert {p: _state(p) for p in before} == before


def test_categories_lists_every_categorizer():
    out = run("categories").output
    for cat in default_registry():
        assert cat.id in out


def test_rulesets_lists_thresholds_from_the_files():
    out = run("rulesets").output
    for rid in rulesets.builtin_ids():
        rs = rulesets.load(rid)
        assert rs.id in out
        for lv in rs.levels:
            assert ", ".join(f"{t} {n:,}" for t, n in lv.thresholds.items()) in out


@pytest.mark.parametrize("command", [[], ["scan"], ["categories"], ["rulesets"]])
def test_every_command_has_help(command):
    res = run(*command, "--help")
    assert res.exit_code == 0 and "Usage:" in res.output


def test_scan_help_documents_the_exit_codes():
    out = run("scan", "--help").output
    for code in ExitCode:
        assert f"{code.value:>3}  " in out


def test_tier_a_file_reaches_serious(tmp_path):
    n = rulesets.load("cn-cl253-1-2017").levels[0].thresholds["A"]
    f = write_csv(tmp_path / "cards.csv", ["持卡人", "银行卡号"],
                  [[han_name(i), bank_card(i)] for i in range(n)])
    assert "cn-cl253-1-2017: 情节严重 (serious)" in run("scan", f).output


def test_help_states_the_default_memory_limit_and_connect_applies_it():
    from leakscan.sql import connect, default_memory_limit

    limit = default_memory_limit()
    assert limit.endswith("GB") and int(limit[:-2]) >= 1
    assert f"{limit} here" in " ".join(run("scan", "--help").output.split())
    con = connect()
    setting = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert setting.endswith("GiB") and float(setting.split()[0]) <= int(limit[:-2]) * 1.08


def test_out_of_memory_is_one_clear_line(tmp_path):
    # A real DuckDB memory limit too small for the scan: a resource problem of the run, named
    # as such, never blamed on the input file.
    rows = [[han_name(i % 20000), mobile(i), resident_id(i % 1000)] for i in range(60_000)]
    f = write_csv(tmp_path / "big.csv", ["姓名", "手机号", "身份证号"], rows)
    res = CliRunner().invoke(main, ["scan", str(f), "--memory-limit", "1MB", "--threads", "1"])
    assert res.exit_code == ExitCode.INTERNAL, res.output
    line = res.output.strip()
    assert "\n" not in line and "Out of Memory" in line and "--memory-limit" in line
    assert "big.csv:" not in line
