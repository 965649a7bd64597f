"""How fast a SQL dump is staged, against the CSV transcoding path, on the same rows.

Writes ``--rows`` synthetic people (name, phone, resident ID, address, e-mail) three ways in
a temporary directory: a mysqldump file (extended inserts of 1,000 rows, as mysqldump writes
by default), a pg_dump COPY block, and a GB18030 CSV. Then times, on one core:

- ``sqldump.read_dump`` of each dump (parse + write the staged UTF-8 CSV), and
- ``encodings.transcode`` of the GB18030 CSV (decode + write the staged UTF-8 copy), the
  path every non-UTF-8 CSV takes before DuckDB reads it.

MB/s is the input file's size over the wall time, best of ``--repeat`` runs. Small on
purpose (the machine is shared): 200,000 rows is about 20 MB per file.

    python3 benchmarks/sqldump_speed.py --rows 200000
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from leakscan import encodings  # noqa: E402
from leakscan.inputs import sqldump  # noqa: E402


def people(n: int):
    for i in range(n):
        name = "张" + chr(0x4E00 + i % 20000) + ("'s" if i % 50 == 0 else "")
        yield (str(i + 1), name, f"138{i % 100000000:08d}", f"110105199001{i % 1000000:06d}",
               f"北京市朝阳区建国路{i % 999}号院{i % 17}单元", f"user{i}@example.com")


def write_all(d: str, n: int) -> dict[str, str]:
    paths = {k: os.path.join(d, f) for k, f in
             (("mysql", "dump.sql"), ("pg", "pg.sql"), ("csv", "people.gb18030.csv"))}
    with open(paths["mysql"], "w", encoding="utf-8") as f:
        f.write("CREATE TABLE `people` (`id` int, `name` varchar(20), `phone` char(11), "
                "`sfz` char(18), `addr` varchar(99), `email` varchar(64));\n")
        batch = []
        for row in people(n):
            vals = ",".join([row[0]] + ["'" + v.replace("'", "\\'") + "'" for v in row[1:]])
            batch.append(f"({vals})")
            if len(batch) == 1000:
                f.write("INSERT INTO `people` VALUES " + ",".join(batch) + ";\n")
                batch = []
        if batch:
            f.write("INSERT INTO `people` VALUES " + ",".join(batch) + ";\n")
    with open(paths["pg"], "w", encoding="utf-8") as f:
        f.write("-- PostgreSQL database dump\nCOPY public.people (id, name, phone, sfz, addr, "
                "email) FROM stdin;\n")
        f.writelines("\t".join(r) + "\n" for r in people(n))
        f.write("\\.\n")
    with open(paths["csv"], "w", encoding="gb18030", newline="") as f:
        f.write("id,name,phone,sfz,addr,email\n")
        f.writelines(",".join(r) + "\n" for r in people(n))
    return paths


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        paths = write_all(d, args.rows)

        def dump(kind):
            def run():
                with open(paths[kind], encoding="utf-8", newline="") as text:
                    got = sqldump.read_dump(paths[kind], text, d, os.path.join(d, kind))
                assert got.tables[0].rows == args.rows, got
            return run

        def transcode():
            det = encodings.Detected("gb18030")
            with open(paths["csv"], "rb") as src, open(os.path.join(d, "t.csv"), "wb") as dst:
                encodings.transcode(paths["csv"], src, dst, det)

        for label, fn, key in (("mysqldump extended INSERT", dump("mysql"), "mysql"),
                               ("pg_dump COPY", dump("pg"), "pg"),
                               ("GB18030 CSV transcode", transcode, "csv")):
            size = os.path.getsize(paths[key]) / 1e6
            secs = best(fn, args.repeat)
            print(f"{label:28s} {size:7.1f} MB  {secs:6.2f} s  {size / secs:6.1f} MB/s")


if __name__ == "__main__":
    main()
