"""--format html: one self-contained page, rendered in a real headless browser (Debian's
chromium, installed by .ci/run): it renders, logs no console message, fetches nothing, and a
screenshot is produced."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from leakscan.cli import main
from leakscan.html import ESTIMATE

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--enable-logging=stderr", "--v=0", "--window-size=1280,2000"]
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (.ci/run installs it with apt-get "
    "install chromium; it could not be installed here)")


@pytest.fixture(scope="module")
def html_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("html") / "report.html"
    res = CliRunner().invoke(main, ["scan", str(ROOT / "sample_data"), "--format", "html",
                                    "-o", str(out), "--ruleset", "cn-cl253-1-2017",
                                    "--ruleset", "cn-cl286-1-2019",
                                    "--ruleset", "cn-cross-border-2024"])
    assert res.exit_code == 0, res.output
    return out


def chromium(page: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra,
                           page.as_uri()], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)


def console_messages(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ":CONSOLE" in ln]


def test_page_is_self_contained(html_report):
    text = html_report.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "<script" not in text.lower() and "@import" not in text and "@font-face" not in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", text, flags=re.I)
    assert "<svg" in text and ESTIMATE in text
    for needle in ("cn-cl253-1-2017", "Alternative readings", "Guiding Case No. 193",
                   "sha256", "Categories", "Columns", "Inputs", "Warnings",
                   "Method and citations", "Fa Shi [2017] No. 10"):
        assert needle in text, needle


def test_the_markdown_covers_the_same_facts(tmp_path):
    out = tmp_path / "r.md"
    res = CliRunner().invoke(main, ["scan", str(ROOT / "sample_data"), "--format", "markdown",
                                    "-o", str(out)])
    assert res.exit_code == 0
    md = out.read_text(encoding="utf-8")
    for needle in ("## Assessment", "Alternative readings", "Guiding Case No. 193", "## Inputs",
                   "## Columns", "## Warnings", "## Method and citations", "sha256",
                   "not a legal conclusion"):
        assert needle in md, needle


@needs_chromium
def test_chromium_renders_it_without_console_errors_and_screenshots_it(html_report, tmp_path):
    shot = tmp_path / "report.png"
    proc = chromium(html_report, tmp_path, f"--screenshot={shot}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert console_messages(proc.stderr) == []
    assert shot.exists() and shot.stat().st_size > 20_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dom = chromium(html_report, tmp_path, "--dump-dom")
    assert dom.returncode == 0 and console_messages(dom.stderr) == []
    assert "leakscan report" in dom.stdout and "<svg" in dom.stdout
    assert "not a legal conclusion" in dom.stdout


@needs_chromium
def test_the_console_check_does_catch_errors(tmp_path):
    """The same check on a page that does log an error (so a clean result means something)."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><body><script>console.error('boom');"
                   "undefinedFunction();</script></body></html>", encoding="utf-8")
    proc = chromium(bad, tmp_path, "--dump-dom")
    assert len(console_messages(proc.stderr)) == 2, proc.stderr[-2000:]

