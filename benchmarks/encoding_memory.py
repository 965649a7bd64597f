"""Peak memory and speed of scanning a multi-gigabyte GB18030 CSV (issue 3).

    python3 benchmarks/encoding_memory.py                  # 2 GiB, default memory limit 512MB
    python3 benchmarks/encoding_memory.py --gib 0.2 --memory-limit 256MB

Steps, each in a fresh process under ``/usr/bin/time -v`` (wall seconds and peak RSS):

1. *make*: ``benchmarks/data/leak_gb18030_<size>.csv``: the header and rows of
   ``leak_5000000.csv`` (from ``generate.py``, made if missing) re-encoded to GB18030, the
   rows repeated until the file reaches the size. Repeated rows are duplicates, so the
   number of distinct records stays that of the source dump.
2. *transcode, leakscan*: ``leakscan.encodings.transcode`` (fixed-size chunks) to a
   temporary UTF-8 file: what a scan does first with a GB18030 input.
3. *transcode, pyarrow*: pyarrow's streaming CSV reader with ``encoding="gb18030"``, batches
   read and dropped: the alternative the issue suggested (it would feed DuckDB a
   RecordBatchReader). Measured to pick the faster.
4. *scan*: ``leakscan scan FILE --format json --memory-limit LIMIT``, the whole scan.

Prints one line per step; ``--markdown`` prints the rows for ``RESULTS.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
TIME = "/usr/bin/time"

TRANSCODE_LEAKSCAN = """
import sys
from leakscan.encodings import Detected, transcode
with open(sys.argv[1], "rb") as src, open(sys.argv[2], "wb") as dst:
    s = transcode(sys.argv[1], src, dst, Detected("gb18030"))
print(s.bytes_in, s.bytes_out, s.replaced)
"""

TRANSCODE_PYARROW = """
import sys
import pyarrow.csv as pc
names = open(sys.argv[1], encoding="gb18030").readline().rstrip("\\n").split(",")
reader = pc.open_csv(sys.argv[1], read_options=pc.ReadOptions(encoding="gb18030",
                     block_size=4 << 20), convert_options=pc.ConvertOptions(
                     column_types={n: "string" for n in names}))
rows = 0
for batch in reader:
    rows += batch.num_rows
print(rows)
"""


def make(size: int) -> Path:
    target = DATA / f"leak_gb18030_{size / 2**30:.1f}gib.csv"
    if target.exists() and target.stat().st_size >= size:
        return target
    source = DATA / "leak_5000000.csv"
    if not source.exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--rows", "5000000",
                        "--formats", "csv"], check=True)
    with open(source, encoding="utf-8", newline="") as f:
        header = f.readline()
        body_start = f.tell()
    with open(target, "wb") as out:
        out.write(header.encode("gb18030"))
        written = out.tell()
        while written < size:
            with open(source, encoding="utf-8", newline="") as f:
                f.seek(body_start)
                while (chunk := f.read(4 << 20)) and written < size:
                    data = chunk.encode("gb18030")
                    # stop only at a line end so the file ends with a whole row
                    if written + len(data) >= size and "\n" in chunk:
                        data = chunk[: chunk.rindex("\n") + 1].encode("gb18030")
                        written += out.write(data)
                        break
                    written += out.write(data)
    return target


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """Run ``cmd`` under /usr/bin/time -v: (seconds, peak RSS MB, stdout)."""
    t0 = time.perf_counter()
    proc = subprocess.run([TIME, "-v", *cmd], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - t0
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    if proc.returncode not in (0, 3):
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return seconds, (int(m.group(1)) / 1024 if m else float("nan")), proc.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gib", type=float, default=2.0, help="file size in GiB (default 2)")
    ap.add_argument("--memory-limit", default="512MB", help="leakscan --memory-limit")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--skip", default="", help="comma-separated steps to skip: "
                    "transcode,pyarrow,scan")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    if not os.path.exists(TIME):
        sys.exit("/usr/bin/time is missing: apt-get install -y time")
    skip = set(filter(None, args.skip.split(",")))
    DATA.mkdir(exist_ok=True)
    t0 = time.perf_counter()
    path = make(int(args.gib * 2**30))
    mb = path.stat().st_size / 1e6
    print(f"file: {path} ({mb:,.0f} MB, made or found in {time.perf_counter() - t0:.0f} s)")
    print(f"machine: {os.cpu_count()} CPU, {platform.python_implementation()} "
          f"{platform.python_version()}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="leakscan-bench-") as tmp:
        if "transcode" not in skip:
            s, rss, _ = timed([sys.executable, "-c", TRANSCODE_LEAKSCAN, str(path),
                               os.path.join(tmp, "utf8.csv")])
            os.remove(os.path.join(tmp, "utf8.csv"))
            rows.append(("transcode: leakscan chunked copy to UTF-8", s, rss))
        if "pyarrow" not in skip:
            s, rss, _ = timed([sys.executable, "-c", TRANSCODE_PYARROW, str(path)])
            rows.append(("transcode: pyarrow streaming CSV reader", s, rss))
        if "scan" not in skip:
            out = os.path.join(tmp, "report.json")
            cmd = [sys.executable, "-m", "leakscan", "scan", str(path), "--format", "json",
                   "-o", out, "--quiet", "--memory-limit", args.memory_limit]
            if args.threads:
                cmd += ["--threads", str(args.threads)]
            s, rss, _ = timed(cmd)
            import json

            doc = json.load(open(out, encoding="utf-8"))
            inp = doc["inputs"][0]
            print(f"scan: encoding={inp['encoding']} rows={inp['rows']:,} "
                  f"rejected={inp['rows_rejected']:,} unique={doc['records']['unique']:,}")
            rows.append((f"scan: leakscan scan --memory-limit {args.memory_limit}", s, rss))
    for name, s, rss in rows:
        if args.markdown:
            print(f"| {name} | {mb:,.0f} MB | {s:.1f} s | {mb / s:,.0f} MB/s | {rss:,.0f} MB |")
        else:
            print(f"{name:<50} {s:8.1f} s {mb / s:8.0f} MB/s  peak RSS {rss:8.0f} MB")


if __name__ == "__main__":
    main()
