"""Files per second on many small inputs: the fixed cost of one input (issue 15).

    python3 benchmarks/small_files.py --files 200 --rows 100 [--wide 1000]

Writes FILES CSV files of ROWS rows each (name, resident ID, phone; true counts known by
construction: every row unique and valid, the IDs checked against python-stdnum by ``tests/helpers``) to a temporary directory, scans the directory once
with ``leakscan.scan`` and prints files/s, rows/s, peak RSS and whether the counts match.
``--wide N`` instead writes one CSV of ROWS rows and N columns (one phone column, the rest
free-text noise) and times it, for the column-scaling figure.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402

import leakscan  # noqa: E402
from tests.helpers import han_name, resident_id  # noqa: E402

_EPOCH = datetime.date(1970, 1, 1)


def small_files(folder: Path, files: int, rows: int) -> int:
    for f in range(files):
        with open(folder / f"part{f:05d}.csv", "w", encoding="utf-8", newline="") as out:
            w = csv.writer(out, lineterminator="\n")
            w.writerow(["姓名", "身份证号", "手机号"])
            for r in range(rows):
                k = f * rows + r
                # the sequence code has three digits: vary the birth date every 1,000 rows,
                # so that every ID is valid and distinct (python-stdnum's check digit)
                birth = (_EPOCH + datetime.timedelta(days=k // 1000)).strftime("%Y%m%d")
                w.writerow([han_name(k % 500), resident_id(k % 1000, birth=birth),
                            f"139{k:08d}"])  # 139 block: every number valid (phonenumbers)
    return files * rows


def wide_file(folder: Path, columns: int, rows: int) -> Path:
    path = folder / f"wide_{columns}.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["手机号"] + [f"备注{j}" for j in range(columns - 1)])
        for r in range(rows):
            w.writerow([f"139{r:08d}"] + [f"v{r % 7}{j % 5}" for j in range(columns - 1)])
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--rows", type=int, default=100)
    ap.add_argument("--wide", type=int, default=0, help="columns of one wide file instead")
    ap.add_argument("--memory-limit", default=None)
    a = ap.parse_args()
    print(f"{platform.machine()} {platform.python_version()} duckdb {duckdb.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if a.wide:
            target, truth = wide_file(folder, a.wide, a.rows), {"phone": a.rows}
            label = f"1 file, {a.rows:,} rows x {a.wide:,} columns"
        else:
            total = small_files(folder, a.files, a.rows)
            target, truth = folder, {"phone": total, "cn_resident_id": total}
            label = f"{a.files:,} files x {a.rows:,} rows"
        t = time.perf_counter()
        doc = leakscan.scan([target], memory_limit=a.memory_limit).to_dict()
        took = time.perf_counter() - t
    got = {c: doc["categories"].get(c, {}).get("valid") for c in truth}
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    files = len(doc["inputs"])
    print(f"{label}: {took:.2f} s, {files / took:.1f} files/s, "
          f"{doc['records']['total'] / took:,.0f} rows/s, peak RSS {rss:.0f} MB, "
          f"counts {'match' if got == truth else f'DIFFER {got} != {truth}'}")


if __name__ == "__main__":
    main()
