"""A stray quote that swallowed the rest of a CSV file: detected, re-read, reported exactly.

One unbalanced ``"`` at the start of a field opens a quoted value that a CSV reader keeps
reading, newlines included, until the next quote or the end of the file: one "rejected row"
then hides every line after it. So when DuckDB reports an unterminated quote, the lines of the
file are counted against the rows it produced; if lines are missing, the input is re-read
**line by line**: each line is parsed as CSV on its own, and a line that does not give the
expected number of fields that way is split without quoting (the stray quote is then part of
a value). A line that fits neither way is lost, and named. The report says how many lines the
quote swallowed, how many rows were recovered and how many were lost.

The line-by-line re-read cannot keep a legitimately quoted value that spans lines; it is used
only when lines were demonstrably swallowed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

FIRST_LINES = 5


@dataclass(frozen=True)
class Recovery:
    rows: int  # rows written to the recovered copy
    unquoted: tuple[int, ...]  # lines read without quoting (first few), and how many in all
    unquoted_count: int
    lost: tuple[int, ...]  # line numbers of lines that fit neither way
    lost_count: int


def data_lines(path: str, header: bool) -> int:
    """Non-blank lines of a UTF-8 text file, the header excluded."""
    n = 0
    with open(path, "rb") as f:
        for line in f:
            n += bool(line.strip())
    return max(n - (1 if header else 0), 0)


def recover(path: str, dst_path: str, *, delimiter: str, quote: str, header: bool,
            columns: list[str]) -> Recovery:
    """Write the lines of ``path`` that give ``len(columns)`` fields, one line at a time."""
    width = len(columns)
    rows, unquoted, lost = 0, [], []
    n_unquoted = n_lost = 0
    with open(path, encoding="utf-8", errors="replace", newline="") as src, \
            open(dst_path, "w", encoding="utf-8", newline="") as dst:
        w = csv.writer(dst, lineterminator="\n")
        w.writerow(columns)
        for n, line in enumerate(src, start=1):
            line = line.rstrip("\r\n")
            if (n == 1 and header) or not line.strip():
                continue
            fields = next(csv.reader(io.StringIO(line), delimiter=delimiter, quotechar=quote),
                          [])
            if len(fields) != width:
                fields = line.split(delimiter)
                if len(fields) != width:
                    n_lost += 1
                    if len(lost) < FIRST_LINES:
                        lost.append(n)
                    continue
                n_unquoted += 1
                if len(unquoted) < FIRST_LINES:
                    unquoted.append(n)
            w.writerow(fields)
            rows += 1
    return Recovery(rows, tuple(unquoted), n_unquoted, tuple(lost), n_lost)
