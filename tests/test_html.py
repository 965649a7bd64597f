"""--format html: one self-contained page, rendered in a real headless browser (Debian's
chromium, installed by .ci/run): it renders, logs no console message, fetches nothing, and a
screenshot is produced."""

from __future__ import annotations

import html as html_lib
import json
import os
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
_skip_without_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (.ci/run installs it with apt-get "
    "install chromium; it could not be installed here)")


def needs_chromium(test):
    """A test in the real browser: its own marked group (``pytest -m browser``, a step of
    .ci/run), skipped where Chromium could not be installed."""
    return pytest.mark.browser(_skip_without_chromium(test))


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


#: Appended to a copy of the page (whose CSP forbids scripts, so the copy drops it): measures,
#: after layout at the window's width, every element's box against the page's width.
LAYOUT_PROBE = """<script>
window.addEventListener('load', () => {
  const W = document.documentElement.clientWidth, wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width && (r.right > W + 0.5 || r.left < -0.5))
      wide.push(el.tagName + ' ' + Math.round(r.left) + '-' + Math.round(r.right));
  }
  const out = document.createElement('pre');
  out.id = 'layout-probe';
  out.textContent = JSON.stringify({width: W, scroll: document.documentElement.scrollWidth,
                                    wide: wide.slice(0, 20)});
  document.body.appendChild(out);
});
</script>"""


def layout(page: Path, tmp_path: Path) -> dict:
    """The page laid out by Chromium at 1280 px: its width, its scroll width and the elements
    that stick out of it."""
    probe = tmp_path / f"probe-{page.name}"
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "",
                  page.read_text(encoding="utf-8"))
    probe.write_text(text.replace("</body>", LAYOUT_PROBE + "</body>"), encoding="utf-8")
    proc = chromium(probe, tmp_path, "--dump-dom", "--virtual-time-budget=5000")
    assert proc.returncode == 0, proc.stderr[-2000:]
    found = re.search(r'<pre id="layout-probe">(.*?)</pre>', proc.stdout, flags=re.S)
    assert found, proc.stdout[-2000:]
    return json.loads(html_lib.unescape(found.group(1)))


@pytest.fixture(scope="module")
def html_report_zh(tmp_path_factory):
    out = tmp_path_factory.mktemp("html") / "report-zh.html"
    res = CliRunner().invoke(main, ["scan", str(ROOT / "sample_data"), "-o", str(out),
                                    "--lang", "zh", "--ruleset", "cn-cl253-1-2017",
                                    "--ruleset", "cn-cl286-1-2019",
                                    "--ruleset", "cn-cross-border-2024"])
    assert res.exit_code == 0, res.output
    return out


@needs_chromium
@pytest.mark.parametrize("which", ["html_report", "html_report_zh"])
def test_the_page_fits_1280_px_and_opens_with_the_verdict(which, request, tmp_path):
    page = request.getfixturevalue(which)
    shot = tmp_path / f"{which}.png"
    proc = chromium(page, tmp_path, f"--screenshot={shot}")
    assert proc.returncode == 0 and console_messages(proc.stderr) == []
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    if os.environ.get("LEAKSCAN_SCREENSHOTS"):  # keep the screenshots for a person to look at
        shutil.copy(shot, Path(os.environ["LEAKSCAN_SCREENSHOTS"]) / shot.name)
    box = layout(page, tmp_path)
    assert box["width"] <= 1280 and box["scroll"] <= box["width"], box
    assert box["wide"] == [], box
    dom = chromium(page, tmp_path, "--dump-dom")
    assert console_messages(dom.stderr) == []
    verdict = re.search(r'<p class="verdict" id="verdict">(.*?)</p>', dom.stdout, flags=re.S)
    assert verdict, "the verdict line is missing"
    text = html_lib.unescape(verdict.group(1))
    if which == "html_report":
        assert text.startswith("Verdict: 699 records with personal information, 666 persons")
        assert "62 tier-A items ≥ 50" in text
    else:
        assert text.startswith("结论：含个人信息的记录 699 条，估计涉及 666 人")
        assert "A类信息 62 条 ≥ 50" in text
        assert '<html lang="zh-CN">' in page.read_text(encoding="utf-8")


@needs_chromium
def test_the_layout_check_does_catch_a_page_wider_than_the_window(tmp_path):
    wide = tmp_path / "wide.html"
    wide.write_text("<!DOCTYPE html><html><body><table><tr><td>"
                    + "a" * 20 + "</td><td style='white-space:nowrap'>" + "x " * 1200
                    + "</td></tr></table></body></html>", encoding="utf-8")
    box = layout(wide, tmp_path)
    assert box["scroll"] > box["width"] and box["wide"]


@needs_chromium
def test_the_console_check_does_catch_errors(tmp_path):
    """The same check on a page that does log an error (so a clean result means something)."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><body><script>console.error('boom');"
                   "undefinedFunction();</script></body></html>", encoding="utf-8")
    proc = chromium(bad, tmp_path, "--dump-dom")
    assert len(console_messages(proc.stderr)) == 2, proc.stderr[-2000:]

