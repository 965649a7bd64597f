"""Command-line habits of csvkit / sqlite-utils / ripgrep users (issue 16): the format from
-o's extension, -q that never hides a fatal error, warnings on stderr with -o, --fail-on,
``--format json`` for the listing commands, and the Python API's notebook views."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

import leakscan
from leakscan import rulesets
from leakscan.cli import main
from leakscan.errors import ExitCode, LeakscanWarning
from leakscan.registry import default_registry
from tests.helpers import bank_card, han_name, mobile, write_csv

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def people(tmp_path):
    return write_csv(tmp_path / "people.csv", ["姓名", "手机号"],
                     [[han_name(i), mobile(i)] for i in range(5)])


@pytest.fixture
def cards(tmp_path):
    """50 people with a bank card each: tier A 50 >= 50, serious (Art. 5(1)(3))."""
    return write_csv(tmp_path / "cards.csv", ["姓名", "银行卡号"],
                     [[han_name(i), bank_card(i)] for i in range(50)])


@pytest.mark.parametrize("name, starts", [("r.json", '{\n  "schema"'), ("r.md", "# leakscan"),
                                          ("r.HTML", "<!DOCTYPE html>"),
                                          ("r.txt", "Verdict:")])
def test_the_format_follows_the_output_extension(people, tmp_path, name, starts):
    out = tmp_path / name
    assert run("scan", people, "-o", out).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith(starts)


def test_a_format_that_contradicts_the_extension_is_a_usage_error(people, tmp_path):
    res = run("scan", people, "--format", "json", "-o", tmp_path / "r.html")
    assert res.exit_code == ExitCode.USAGE
    assert "--format json conflicts with -o" in res.output
    assert not (tmp_path / "r.html").exists()
    assert run("scan", people, "--format", "json", "-o", tmp_path / "r.out").exit_code == 0


def test_quiet_never_hides_a_fatal_error(tmp_path):
    res = run("scan", tmp_path / "missing.csv", "-q")
    assert res.exit_code == ExitCode.USAGE
    assert "missing.csv: no such file or directory" in res.output


def test_warnings_reach_stderr_also_with_an_output_file(tmp_path):
    d = tmp_path / "d"
    write_csv(d / "a.csv", ["姓名", "手机号"], [[han_name(1), mobile(1)]])
    (d / ".hidden.csv").write_text("x\n", encoding="utf-8")
    out = tmp_path / "r.json"
    res = run("scan", d, "-o", out)
    assert res.exit_code == 0
    assert "leakscan: warning: skipped 1 hidden file(s)" in res.output
    assert "skipped 1 hidden file(s)" in " ".join(json.loads(out.read_text())["warnings"])
    assert "warning" not in run("scan", d, "-o", out, "-q").output


def test_fail_on_exits_6_when_a_ruleset_reaches_the_level(cards, people, tmp_path):
    out = tmp_path / "r.json"
    res = run("scan", cards, "--fail-on", "serious", "-o", out)
    assert res.exit_code == ExitCode.LEVEL_REACHED == 6
    assert "cn-cl253-1-2017 reached 情节严重 (serious) (--fail-on serious): exit 6" in res.output
    assert json.loads(out.read_text())["assessments"][0]["level"] == "serious"  # written
    # 50 tier-A items are not "especially serious" (500): exit 0
    assert run("scan", cards, "--fail-on", "especially_serious").exit_code == 0
    assert run("scan", people, "--fail-on", "serious").exit_code == 0
    bad = run("scan", people, "--fail-on", "bad-level")
    assert bad.exit_code == ExitCode.USAGE and "no ruleset applied has a level" in bad.output


def test_listing_commands_speak_json():
    cats = json.loads(run("categories", "--format", "json").output)
    assert [c["id"] for c in cats] == default_registry().ids()
    phone = next(c for c in cats if c["id"] == "phone")
    assert phone["tier"] == "C" and phone["origin"] == "builtin" and phone["header_synonyms"]
    rs = json.loads(run("rulesets", "--format", "json").output)
    assert [r["id"] for r in rs] == rulesets.builtin_ids()
    cl = next(r for r in rs if r["id"] == "cn-cl253-1-2017")
    assert cl["levels"][0]["thresholds"] == rulesets.load("cn-cl253-1-2017").levels[0].thresholds


def test_the_readme_documents_completion_and_fail_on():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "_LEAKSCAN_COMPLETE=bash_source leakscan" in readme
    assert "--fail-on" in readme
    exit_codes = (ROOT / "docs" / "exit-codes.md").read_text(encoding="utf-8")
    assert "| 6 |" in exit_codes


# -- the Python API in a notebook ------------------------------------------------------------

def test_a_report_displays_in_a_notebook(people):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LeakscanWarning)
        r = leakscan.scan(str(people))
    assert repr(r) == ("<leakscan.Report 1 input(s), 5 records, 5 persons; "
                       "cn-cl253-1-2017=none, cn-cl286-1-2019=none>")
    html = r._repr_html_()
    assert html.startswith('<div class="leakscan-report"><style>') and "<body" not in html
    assert 'id="verdict"' in html
    assert r._repr_markdown_() == r.to_markdown() and r.to_markdown().startswith("# leakscan")
    assert r.to_html("zh").startswith("<!DOCTYPE html>") and "结论：" in r.to_html("zh")
    cols = r.columns_frame()
    assert list(cols["category"]) == ["name", "phone"] and list(cols["valid"]) == [5, 5]
    inputs = r.inputs_frame()
    assert inputs.loc[str(people), "unique"] == 5 and inputs.loc[str(people), "tier_C"] == 5
    assessed = r.assessments_frame()
    literal = assessed[assessed["reading"] == "literal"]
    assert list(literal["ruleset"]) == ["cn-cl253-1-2017", "cn-cl286-1-2019"]
    assert list(literal["level"]) == ["none", "none"]
