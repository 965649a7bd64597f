"""Time every SQL statement of one ``leakscan scan`` (and the Python phases around them).

    python3 benchmarks/profile_scan.py benchmarks/data/leak_1000000.csv [--threads N] [--top 25]

Wraps ``leakscan.sql.connect`` so that each ``execute`` on the scan's connection is timed;
prints the statements by time (first 110 characters of each) and the total wall time, so a
change can be attributed to the statement it speeds up. Nothing in leakscan changes.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import importlib  # noqa: E402

scan_mod = importlib.import_module("leakscan.scan")
import leakscan.sql as sql_mod  # noqa: E402

TIMES: list[tuple[float, str]] = []


class Timed:
    """A DuckDB connection whose ``execute`` is timed (the rest is passed through)."""

    def __init__(self, con):
        self._con = con

    def execute(self, sql, *args, **kw):
        t0 = time.perf_counter()
        result = self._con.execute(sql, *args, **kw)
        TIMES.append((time.perf_counter() - t0, sql))
        return result

    def __getattr__(self, name):
        return getattr(self._con, name)


def label(sql: str) -> str:
    text = " ".join(sql.split())
    m = re.match(r"(CREATE (?:OR REPLACE )?TEMP (?:TABLE|VIEW) \w+)", text)
    return (m[1] if m else text)[:110]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--threads", type=int)
    ap.add_argument("--memory-limit")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--evidence-out", help="also write evidence (and time it)")
    args = ap.parse_args()
    real = sql_mod.connect
    scan_mod.connect = lambda **kw: Timed(real(**kw))
    t0 = time.perf_counter()
    report = scan_mod.scan([args.path], threads=args.threads, memory_limit=args.memory_limit,
                           evidence_out=args.evidence_out)
    wall = time.perf_counter() - t0
    d = report.to_dict()["records"]
    print(f"wall {wall:.2f} s, {len(TIMES)} statements, {sum(t for t, _ in TIMES):.2f} s in SQL;"
          f" records {d}")
    for t, sql in sorted(TIMES, reverse=True)[:args.top]:
        print(f"{t:8.3f}  {label(sql)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
