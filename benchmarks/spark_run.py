"""Time ``leakscan scan --engine spark`` against the DuckDB engine on the same dump split into
files, and check both against the generator's truth.

    python3 benchmarks/generate.py --rows 5000000                 # once
    python3 benchmarks/spark_run.py --rows 5000000 --files 20     # needs pip install '.[spark]'

The dump ``benchmarks/data/leak_<rows>.csv`` is split into ``--files`` CSV files of equal
rows, each with the header (``leak_<rows>_x<files>/``; splitting changes no case-level
figure: duplicates across files are still duplicates with ``--scope case``). Then, in turn:

(a) *bare*: DuckDB reads every file (``read_csv``, all columns as text, ``count(*)`` and
    ``sum(length(...))`` of every column): the floor of any DuckDB-based scanner;
(b) ``leakscan scan DIR`` (the DuckDB engine);
(c) ``leakscan scan DIR --engine spark --spark-master local[N]``: a new Spark session, so
    its start-up (about 10-20 s) is included, as a user pays it.

Each runs under ``/usr/bin/time`` (wall, CPU of the process tree, peak RSS of the largest
process). Both reports are compared figure by figure with ``leak_<rows>.truth.json``; the exit
status is 1 on any mismatch. For sizing a cluster it prints, from the Spark report's
``provenance.engine``: the per-input DuckDB work in CPU seconds summed over the tasks
(rows/s per core) and the bytes of key tables the tasks shipped (bytes per row), which is
what the case-level counting reads and shuffles.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import compare, find_leakscan, load, timed  # noqa: E402


def split(source: Path, files: int, rows: int, out: Path) -> Path:
    """``source`` as ``files`` CSV files of about equal rows, each with the header (once)."""
    done = out / ".complete"
    if done.exists():
        return out
    out.mkdir(parents=True, exist_ok=True)
    per = -(-rows // files)
    with source.open("rb") as f:
        header = f.readline()
        for k in range(files):
            with (out / f"part-{k:03d}.csv").open("wb") as g:
                g.write(header)
                for _ in range(per):
                    line = f.readline()
                    if not line:
                        break
                    g.write(line)
    done.write_text("")
    return out


def bare(directory: Path) -> list[str]:
    code = (
        "import duckdb, sys\n"
        "con = duckdb.connect()\n"
        "p = sys.argv[1] + '/*.csv'\n"
        "cols = [r[0] for r in con.execute(f\"DESCRIBE SELECT * FROM read_csv('{p}', "
        "all_varchar=true)\").fetchall()]\n"
        "q = ', '.join('sum(length(\"' + c.replace('\"', '\"\"') + '\"))' for c in cols)\n"
        "print(con.execute(f\"SELECT count(*), {q} FROM read_csv('{p}', all_varchar=true)\")"
        ".fetchone()[0])\n")
    return [sys.executable, "-c", code, str(directory)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--files", type=int, default=20)
    ap.add_argument("--data", type=Path, default=HERE / "data")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--timeout", type=float, default=7200)
    ap.add_argument("--skip-duckdb", action="store_true", help="only the bare scan and Spark")
    args = ap.parse_args(argv)

    source = args.data / f"leak_{args.rows}.csv"
    truth = json.loads((args.data / f"leak_{args.rows}.truth.json").read_text("utf-8"))
    directory = split(source, args.files, args.rows, args.data / f"leak_{args.rows}_x{args.files}")
    leakscan = find_leakscan(None)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = truth["rows"]
    size = sum(p.stat().st_size for p in directory.glob("*.csv")) / 1e6
    print(f"== {directory.name}: {rows:,} rows in {args.files} files, {size:,.1f} MB; "
          f"master {args.master}; load before {load()}")
    runs = {"bare duckdb": (bare(directory), None)}
    if not args.skip_duckdb:
        runs["leakscan duckdb"] = (leakscan + ["scan", str(directory), "--format", "json", "-q",
                                               "-o", str(args.out / "split.duckdb.json")],
                                   args.out / "split.duckdb.json")
    runs["leakscan spark"] = (leakscan + ["scan", str(directory), "--engine", "spark",
                                          "--spark-master", args.master, "--format", "json",
                                          "-q", "-o", str(args.out / "split.spark.json")],
                              args.out / "split.spark.json")
    results, ok = {}, True
    for name, (cmd, _) in runs.items():
        r = timed(cmd, args.timeout)
        results[name] = r
        # the Spark driver's JVM is not reaped by the Python process that starts it, so
        # /usr/bin/time cannot see its CPU seconds: none are printed for Spark
        cpu = "     n/a" if "spark" in name else f"{r.cpu or 0:8.2f}"
        print(f"  {name:16} {r.seconds:8.2f} s wall {cpu} CPU-s "
              f"{rows / r.seconds:>12,.0f} rows/s  peak RSS {r.rss_mb or 0:,.0f} MB"
              + ("" if r.ok else f"  FAILED: {r.detail[-500:]}"))
        ok = ok and r.ok
    print(f"  load after {load()}")
    base = results["bare duckdb"]
    for name in ("leakscan duckdb", "leakscan spark"):
        r = results.get(name)
        if r and r.ok:
            cpu = "" if "spark" in name else f", CPU {(r.cpu or 0) / (base.cpu or 1):.1f}x"
            print(f"  ratio {name} / bare: wall {r.seconds / base.seconds:.1f}x{cpu}")
    if "leakscan duckdb" in results and results["leakscan duckdb"].ok and results[
            "leakscan spark"].ok:
        d, s = results["leakscan duckdb"], results["leakscan spark"]
        print(f"  ratio spark / duckdb engine: wall {s.seconds / d.seconds:.2f}x")
    for name, (_, path) in runs.items():
        if path is None or not results[name].ok:
            continue
        report = json.loads(path.read_text("utf-8"))
        checked = compare(report, truth)
        bad = [c for c in checked if c[3] != "MATCH"]
        print(f"  {name}: {len(checked) - len(bad)}/{len(checked)} figures match the truth"
              + "".join(f"\n    {c}" for c in bad))
        ok = ok and not bad
        engine = report["provenance"].get("engine", {})
        if engine.get("id") == "spark":
            cpu, wall = engine["task_cpu_seconds"], engine["task_seconds"]
            shipped = engine["key_table_bytes"]
            print(f"  spark tasks: {engine['tasks']} tasks, per-input DuckDB work {wall:.1f} s "
                  f"wall / {cpu:.1f} CPU-s summed: {rows / cpu:,.0f} rows/s per CPU-second; "
                  f"key tables shipped {shipped / 1e6:,.1f} MB ({shipped / rows:.0f} B/row)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
