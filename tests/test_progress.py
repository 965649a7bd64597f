"""Progress on stderr, and a clean stop on Ctrl-C (exit 130, no report, no temp files)."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

import leakscan
from leakscan.errors import ExitCode
from leakscan.progress import Progress


def _dump(path, rows: int):
    duckdb.sql(f"""COPY (SELECT '张' || chr(19968 + (i % 20000)::INT) AS 姓名,
                       '138' || lpad((i % 100000000)::VARCHAR, 8, '0') AS 手机号,
                       'user' || i::VARCHAR || '@example.com' AS 邮箱
                FROM range({rows}) t(i)) TO '{path}' (HEADER)""")
    return path


def test_progress_line_ends_at_100_percent(tmp_path):
    f = _dump(tmp_path / "p.csv", 200_000)
    out = io.StringIO()
    report = leakscan.scan([str(f)], progress=Progress(out, enabled=True, delay=0,
                                                        interval=0.01))
    text = out.getvalue()
    assert report.to_dict()["records"]["total"] == 200_000
    last = text.rstrip("\n").split("\r")[-1]
    assert "leakscan [####################] 100%" in last and "MB/s" in last, last


def test_progress_is_silent_when_disabled(tmp_path):
    out = io.StringIO()
    leakscan.scan([str(_dump(tmp_path / "q.csv", 1000))], progress=Progress(out, enabled=False))
    assert out.getvalue() == ""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_stops_cleanly(tmp_path):
    f = _dump(tmp_path / "big.csv", 4_000_000)
    spill = tmp_path / "tmp"
    spill.mkdir()
    out = tmp_path / "report.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "leakscan", "scan", str(f), "--format", "json", "-o", str(out)],
        env=dict(os.environ, TMPDIR=str(spill)), stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 30
    while not os.listdir(spill) and time.monotonic() < deadline:  # the scan has started
        time.sleep(0.05)
    time.sleep(1.0)
    assert proc.poll() is None, "the scan finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.INTERRUPTED, err
    assert err.strip() == "leakscan: interrupted; no report written"
    assert not out.exists()
    assert os.listdir(spill) == []  # the scan's temporary directory is gone
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".part")]


def test_the_stages_are_weighted_by_their_measured_cost():
    """Preparing moves the bar to at most 10 %, the main pass to 70 % (by bytes), and
    counting up to 95 % of its 30 % by its elapsed time: never 100 % before the end."""
    from leakscan.progress import STAGE_WEIGHTS

    p = Progress(io.StringIO(), enabled=True)
    p._sizes = [100, 300]
    p.preparing(0, "a")
    assert p.fraction() == 0
    p.preparing(1, "b")  # a (100 of 400 bytes) prepared: 10 % x 1/4
    assert abs(p.fraction() - STAGE_WEIGHTS["prepare"] * 0.25) < 1e-9
    p.reducing(0, "a")
    p.reducing(1, "b")  # a reduced: 10 % + 60 % x 1/4 (b's query is not running)
    assert abs(p.fraction() - (0.10 + 0.60 * 0.25)) < 1e-9
    p.counting()
    p._reduce_time = 10.0  # the main pass took 10 s: counting is expected to take 5 s
    assert 0.70 <= p.fraction() < 0.71
    p._count_started -= 2.5  # half the expected time: 70 % + 30 % x 1/2
    assert abs(p.fraction() - 0.85) < 0.01
    p._count_started -= 100  # far longer than expected: held below 100 %
    assert abs(p.fraction() - (0.70 + 0.30 * 0.95)) < 1e-9
