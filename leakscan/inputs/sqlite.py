"""SQLite database files: every table is an input, named ``app.db!users``.

Detected by the 16-byte header ``SQLite format 3\\0`` (the extension is not trusted: apps
name them ``.db``, ``.sqlite``, ``.dat`` or nothing). Read with the standard library's
``sqlite3`` (DuckDB's sqlite extension would have to be downloaded), opened read-only and
``immutable`` so that no journal or WAL file is ever created next to the evidence. Each
table is written once to a UTF-8 CSV in the scan's temporary directory, in batches, so memory
holds one batch; values are written as SQLite stores them (BLOBs as UTF-8 text when they are
text, else as hex).
"""

from __future__ import annotations

import csv
import sqlite3
import urllib.parse
from dataclasses import dataclass

from ..errors import InputError

MAGIC = b"SQLite format 3\x00"
BATCH = 10_000


@dataclass(frozen=True)
class SqliteTable:
    name: str
    csv_path: str
    columns: tuple[str, ...]
    rows: int


def is_sqlite(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(16) == MAGIC
    except OSError:
        return False


def _connect(path: str, shown: str) -> sqlite3.Connection:
    uri = f"file:{urllib.parse.quote(path)}?mode=ro&immutable=1"
    try:
        con = sqlite3.connect(uri, uri=True)
        con.text_factory = lambda b: b.decode("utf-8", "replace")
        return con
    except sqlite3.Error as e:
        raise InputError(shown, f"is not a readable SQLite database ({e})") from None


def table_names(path: str, shown: str) -> list[str]:
    """The database's tables (not views, not SQLite's own), in the order they were created."""
    con = _connect(path, shown)
    try:
        rows = con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                           "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid").fetchall()
    except sqlite3.Error as e:
        raise InputError(shown, f"is not a readable SQLite database ({e})") from None
    finally:
        con.close()
    return [r[0] for r in rows]


def export_table(path: str, shown: str, table: str, csv_path: str) -> SqliteTable:
    """Write one table to ``csv_path`` with a header row."""
    from ..sources import unique_names

    con = _connect(path, shown)
    try:
        ident = '"' + table.replace('"', '""') + '"'
        cur = con.execute(f"SELECT * FROM {ident}")
        columns = unique_names([d[0] or "" for d in cur.description])
        n = 0
        with open(csv_path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(columns)
            while batch := cur.fetchmany(BATCH):
                w.writerows([_cell(v) for v in row] for row in batch)
                n += len(batch)
        return SqliteTable(table, csv_path, tuple(columns), n)
    except sqlite3.Error as e:
        raise InputError(f"{shown}!{table}", f"cannot read the table ({e})") from None
    finally:
        con.close()


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bytes):
        try:
            return v.decode("utf-8")
        except UnicodeDecodeError:
            return v.hex()
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return str(v)
