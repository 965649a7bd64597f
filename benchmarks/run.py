"""Time ``leakscan scan`` against a bare DuckDB scan of the same dump, and check its counts.

    python3 benchmarks/generate.py --rows 1000000          # once: writes benchmarks/data/
    python3 benchmarks/run.py                              # 1M rows, CSV, 3 rounds
    python3 benchmarks/run.py --rows 1000000 --rows 5000000 --formats csv,parquet

For every dump size and format, the two runs alternate (bare, leakscan, bare, leakscan...):

(a) *bare*: a fresh Python process that reads the file with DuckDB (``read_csv(...,
    all_varchar = true)`` or ``read_parquet``) and computes ``count(*)`` and
    ``sum(length(column))`` over every column, so every cell is parsed. This is the floor any
    DuckDB-based scanner pays just to read the data.
(b) ``leakscan scan FILE --format json -o OUT --quiet``.

Both run under ``/usr/bin/time -v`` for the peak resident set size and the CPU seconds (user +
system). The table shows the median wall and CPU seconds, rows/s, MB/s (file size / seconds),
the largest peak RSS, the leakscan/bare ratios in wall and CPU time, and the load average
before and after (CPU seconds stay comparable on a busy machine; wall seconds do not).
The report from the last leakscan run is then compared, figure by figure, with
``<dump>.truth.json`` written by ``generate.py``: records.total, with_personal_info,
duplicates and unique; the tiers; categories.*.valid and unique. It also flags categories that
the truth does not expect (false positives). The exit status is 1 on any MISMATCH or failed
run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TIME = "/usr/bin/time"


@dataclass
class Run:
    seconds: float
    rss_mb: float | None
    ok: bool
    detail: str = ""
    cpu: float | None = None  # user + system seconds of the process and its children


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def bare_scan(path: str) -> None:
    """The child-process side of (a): print the row count as JSON."""
    import duckdb

    con = duckdb.connect()
    fmt = "parquet" if path.endswith(".parquet") else "csv"
    src = (f"read_parquet('{path}')" if fmt == "parquet"
           else f"read_csv('{path}', all_varchar = true)")
    cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()]
    aggs = ", ".join(f"sum(length(CAST({quote(c)} AS VARCHAR)))" for c in cols)
    row = con.execute(f"SELECT count(*), {aggs} FROM {src}").fetchone()
    print(json.dumps({"rows": row[0], "columns": len(cols), "chars": sum(v or 0 for v in row[1:])}))


def timed(cmd: list[str], timeout: float | None) -> Run:
    """Run ``cmd``; wall seconds measured here, peak RSS from /usr/bin/time -v if present."""
    use_time = os.access(TIME, os.X_OK)
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as tf:
        time_file = tf.name
    full = [TIME, "-v", "-o", time_file, *cmd] if use_time else cmd
    t0 = time.perf_counter()
    try:
        proc = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return Run(time.perf_counter() - t0, None, False, f"timed out after {timeout}s")
    seconds = time.perf_counter() - t0
    rss = cpu = None
    if use_time:
        text = Path(time_file).read_text(errors="replace")
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        rss = int(m[1]) / 1024 if m else None
        user = re.search(r"User time \(seconds\): ([0-9.]+)", text)
        system = re.search(r"System time \(seconds\): ([0-9.]+)", text)
        cpu = float(user[1]) + float(system[1]) if user and system else None
    Path(time_file).unlink(missing_ok=True)
    detail = out if proc.returncode == 0 else (err or out).strip()[-2000:]
    return Run(seconds, rss, proc.returncode == 0, detail, cpu)


def load() -> str:
    """The 1/5/15-minute load averages: CPU seconds stay comparable on a busy machine, wall
    seconds do not, so every table says how busy the machine was."""
    try:
        return "/".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def find_leakscan(override: str | None) -> list[str] | None:
    if override:
        return shlex.split(override)
    exe = shutil.which("leakscan")
    return [exe] if exe else None


def compare(report: dict, truth: dict) -> list[tuple[str, object, object, str]]:
    """``(figure, truth, report, status)`` for every figure the truth defines."""
    out = []

    def add(label, want, have):
        out.append((label, want, have, "MATCH" if want == have else "MISMATCH"))

    rec = report.get("records", {})
    for f in ("total", "with_personal_info", "duplicates", "unique"):
        add(f"records.{f}", truth["records"][f], rec.get(f))
    for t in "ABC":
        add(f"tiers.{t}", truth["tiers"][t], report.get("tiers", {}).get(t))
    cats = report.get("categories", {})
    for cat, want in truth["categories"].items():
        for f in ("valid", "unique"):
            add(f"categories.{cat}.{f}", want[f], cats.get(cat, {}).get(f))
    for cat in sorted(set(cats) - set(truth["categories"])):
        out.append((f"categories.{cat}", None, cats[cat].get("valid"), "UNEXPECTED"))
    return out


def human(n: float) -> str:
    return f"{n:,.0f}"


def bench(path: Path, truth: dict | None, leakscan: list[str] | None, rounds: int,
          out_dir: Path, timeout: float | None, extra: list[str] | None = None) -> bool:
    size_mb = path.stat().st_size / 1e6
    rows = truth["rows"] if truth else None
    print(f"\n== {path.name}: {human(rows) if rows else '?'} rows, {size_mb:,.1f} MB, "
          f"{rounds} round(s)")
    with path.open("rb") as f:  # warm the page cache so round 1 is not penalised
        while f.read(1 << 24):
            pass
    report_path = out_dir / f"{path.name}.report.json"
    bare_cmd = [sys.executable, str(Path(__file__).resolve()), "--bare-scan", str(path)]
    scan_cmd = (leakscan + ["scan", str(path), "--format", "json", "-o", str(report_path),
                            "--quiet", *(extra or [])]) if leakscan else None
    runs: dict[str, list[Run]] = {"bare duckdb": [], "leakscan": []}
    load_before = load()
    ok = True
    for i in range(rounds):
        r = timed(bare_cmd, timeout)
        runs["bare duckdb"].append(r)
        if not r.ok:
            print(f"  bare scan failed: {r.detail}")
            ok = False
        elif rows is not None and json.loads(r.detail)["rows"] != rows:
            print(f"  bare scan read {json.loads(r.detail)['rows']:,} rows, truth says {rows:,}")
        if scan_cmd:
            r = timed(scan_cmd, timeout)
            runs["leakscan"].append(r)
            if not r.ok:
                print(f"  leakscan failed (round {i + 1}): {r.detail}")
                ok = False
                break
    print(f"  load average (1/5/15 min) before {load_before}, after {load()}")
    print(f"  {'run':12} {'seconds':>9} {'CPU s':>7} {'rows/s':>12} {'MB/s':>8} "
          f"{'peak RSS MB':>12}   (medians over the rounds; all rounds' wall seconds in brackets)")
    summary = {}
    for name, rs in runs.items():
        good = [r for r in rs if r.ok]
        if not good:
            continue
        sec = statistics.median(r.seconds for r in good)
        cpus = [r.cpu for r in good if r.cpu is not None]
        cpu = statistics.median(cpus) if cpus else None
        rss = max((r.rss_mb for r in good if r.rss_mb is not None), default=None)
        summary[name] = (sec, rss, cpu)
        rate = human(rows / sec) if rows else "?"
        each = ", ".join(f"{r.seconds:.2f}" for r in good)
        print(f"  {name:12} {sec:9.2f} {(f'{cpu:.2f}' if cpu is not None else '?'):>7} "
              f"{rate:>12} {size_mb / sec:8.1f} "
              f"{(f'{rss:,.0f}' if rss is not None else '?'):>12}   [{each}]")
    if len(summary) == 2:
        (bs, br, bc), (ls, lr, lc) = summary["bare duckdb"], summary["leakscan"]
        rss_ratio = f", peak RSS {lr / br:.1f}x" if br and lr else ""
        cpu_ratio = f", CPU {lc / bc:.1f}x" if bc and lc else ""
        print(f"  ratio leakscan/bare: wall {ls / bs:.1f}x{cpu_ratio}{rss_ratio}")
    if not scan_cmd or not runs["leakscan"] or not runs["leakscan"][-1].ok:
        return ok
    if truth is None:
        print("  no truth file: counts not checked")
        return ok
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        print(f"  cannot read the report {report_path}: {e}")
        return False
    results = compare(report, truth)
    for label, want, have, status in results:
        print(f"  {status:10} {label:36} truth={want!s:<10} report={have}")
    bad = sum(1 for *_, s in results if s != "MATCH")
    print(f"  {len(results) - bad}/{len(results)} figures match")
    return ok and bad == 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, action="append",
                    help="dump size (repeatable; default 1000000)")
    ap.add_argument("--data", type=Path, default=HERE / "data",
                    help="where generate.py wrote the dumps (default benchmarks/data)")
    ap.add_argument("--name", help="dump base name instead of leak_<rows>")
    ap.add_argument("--formats", default="csv", help="comma-separated: csv,parquet")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    ap.add_argument("--out", type=Path, default=HERE / "out",
                    help="where leakscan writes its reports (default benchmarks/out)")
    ap.add_argument("--leakscan", help="command to run instead of `leakscan` on PATH, "
                                       "e.g. 'python3 -m leakscan'")
    ap.add_argument("--generate", action="store_true",
                    help="generate missing dumps with generate.py first")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per run (default 3600)")
    ap.add_argument("--threads", type=int, help="passed to leakscan scan --threads")
    ap.add_argument("--memory-limit", help="passed to leakscan scan --memory-limit")
    ap.add_argument("--bare-scan", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.bare_scan:
        bare_scan(args.bare_scan)
        return 0

    if not os.access(TIME, os.X_OK):
        print(f"{TIME} not found: peak RSS will not be measured. Install it with "
              "`apt-get install -y time` (Debian/Ubuntu).")
    leakscan = find_leakscan(args.leakscan)
    if leakscan is None:
        print("leakscan is not on PATH, so only the bare DuckDB scan is timed and no counts are "
              "checked. Install it from the repository root with `pip install -e .`, or pass "
              "--leakscan 'python3 -m leakscan' (the CLI must accept "
              "`scan FILE --format json -o OUT --quiet`).")
    args.out.mkdir(parents=True, exist_ok=True)
    extra = ((["--threads", str(args.threads)] if args.threads else [])
             + (["--memory-limit", args.memory_limit] if args.memory_limit else []))
    ok = True
    for rows in args.rows or [1_000_000]:
        name = args.name or f"leak_{rows}"
        truth_path = args.data / f"{name}.truth.json"
        formats = [f.strip() for f in args.formats.split(",") if f.strip()]
        missing = [f for f in formats if not (args.data / f"{name}.{f}").exists()]
        if missing and args.generate:
            subprocess.run([sys.executable, str(HERE / "generate.py"), "--rows", str(rows),
                            "--out", str(args.data)] + (["--name", name] if args.name else []),
                           check=True)
            missing = [f for f in formats if not (args.data / f"{name}.{f}").exists()]
        if missing:
            print(f"\n{name}: no {', '.join(missing)} dump in {args.data}; generate it with\n"
                  f"  python3 benchmarks/generate.py --rows {rows} --out {args.data}\n"
                  "or pass --generate.")
            ok = False
            continue
        truth = json.loads(truth_path.read_text(encoding="utf-8")) if truth_path.exists() \
            else None
        for fmt in formats:
            ok &= bench(args.data / f"{name}.{fmt}", truth, leakscan, args.rounds, args.out,
                        args.timeout, extra)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
