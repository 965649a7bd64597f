"""The README and docs say what the code does (exit codes, the CI command, the rules)."""

from __future__ import annotations

import re
from pathlib import Path

from leakscan.errors import ExitCode
from leakscan.registry import default_registry

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_exit_code_table_matches_the_enum():
    rows = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", README, flags=re.M))
    assert sorted(int(k) for k in rows) == sorted(c.value for c in ExitCode)
    assert (ROOT / "docs" / "exit-codes.md").exists()


def test_ci_runs_the_readme_test_command():
    quick = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [ln.split("#", 1)[0].strip() for ln in quick.strip().splitlines()]
    assert len(commands) == 2, "the quick start has exactly two set-up commands"
    assert "leakscan scan sample_data/" in commands[0]
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_counting_rule_names_a_test_that_exists():
    text = (ROOT / "docs" / "counting.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(test_[a-z0-9_]+)`", text))
    assert named
    tests = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    missing = [t for t in named if f"def {t}(" not in tests]
    assert not missing


def test_every_category_is_in_the_classification_story():
    # Each categorizer's id appears in the README table of `leakscan categories` output or docs.
    docs = (ROOT / "docs" / "counting.md").read_text(encoding="utf-8")
    for cat in default_registry():
        assert cat.cls in docs, cat.cls


def test_the_readme_output_example_is_what_the_sample_data_gives(monkeypatch):
    """The quick start's output example, verdict line first, is the table leakscan prints
    for ``sample_data/`` today (run with LEAKSCAN_UPDATE_README=1 to rewrite it)."""
    import os

    from click.testing import CliRunner

    from leakscan.cli import main

    monkeypatch.chdir(ROOT)
    out = CliRunner().invoke(main, ["scan", "sample_data/", "--lang", "en"]).output
    head = "The first prints (from the synthetic files in `sample_data/`):\n\n```text\n"
    start = README.index(head) + len(head)
    end = README.index("```", start)
    if os.environ.get("LEAKSCAN_UPDATE_README"):
        (ROOT / "README.md").write_text(README[:start] + out + README[end:], encoding="utf-8")
    assert README[start:end] == out
    assert out.startswith("Verdict: 699 records with personal information, 666 persons")
