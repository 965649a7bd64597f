"""Columns damaged by a spreadsheet, found from the sampled values.

Chinese exports often pass through Excel, which stores an 18-digit resident ID as a number:
it keeps 15 significant digits (``110101199001011000``), drops an ``X`` check digit, shows
``1.10101199001011E+17`` or appends ``.0`` on the way out; and it drops the ``+`` or the
leading ``0`` of a phone number (``8613800138000``, ``1012345678``). Some of those forms would
still pass a check by chance (a zeroed ID passes the check digit one time in eleven; a phone
without its trunk zero is still a valid national number), but none of them is the value that
was in the source data. So when a column holds enough of them, it is reported as damaged and
its damaged values are marked so that they count as found (``detected``) but never as valid.
"""

from __future__ import annotations

from dataclasses import dataclass

from .sql import quote_ident, quote_literal

#: (kind, RE2 pattern over the trimmed value, what the warning says)
PATTERNS = (
    ("number", r"[+-]?[0-9](\.[0-9]+)?[eE][+]?[0-9]+|[0-9]{6,}\.0+",
     "numbers in scientific notation or with a trailing .0"),
    ("resident_id", r"[1-9][0-9]{14}000|[1-9][0-9]{16}",
     "18-digit numbers ending in 000 or 17-digit numbers (IDs that lost digits or their X)"),
    ("phone", r"861[3-9][0-9]{9}|(10|2[0-9])[0-9]{8}|[3-9][0-9]{9,10}",
     "phone numbers without their leading + or 0"),
)
#: A column is damaged when at least this share of its sampled non-blank values are...
MIN_SHARE = {"number": 0.2, "resident_id": 0.3, "phone": 0.5}
#: ...and at least this many.
MIN_COUNT = 3
#: Damaged values are read with this prefix: non-blank (so still ``detected``), never valid.
MARK = "#spreadsheet-damaged "


@dataclass(frozen=True)
class Damage:
    column: str
    kind: str
    count: int
    sampled: int


def damage_sql(source: str, columns: list[str], limit: int) -> str:
    """One query over the first ``limit`` rows: per column, non-blank and per-kind counts."""
    aggs = []
    for c in columns:
        v = f"trim(CAST({quote_ident(c)} AS VARCHAR))"
        aggs.append(f"count(NULLIF({v}, ''))")
        for _, pattern, _ in PATTERNS:
            aggs.append(f"count(*) FILTER (WHERE regexp_full_match({v}, "
                        f"{quote_literal(pattern)}))")
    return f"SELECT {', '.join(aggs)} FROM (SELECT * FROM {source} LIMIT {int(limit)}) AS s"


def find_damage(row: tuple, columns: list[str]) -> list[Damage]:
    """The damaged columns, from the result row of ``damage_sql``."""
    out = []
    width = 1 + len(PATTERNS)
    for j, c in enumerate(columns):
        nonblank, *hits = row[j * width:(j + 1) * width]
        for (kind, _, _), n in zip(PATTERNS, hits, strict=True):
            if nonblank and n >= MIN_COUNT and n >= MIN_SHARE[kind] * nonblank:
                out.append(Damage(c, kind, n, nonblank))
                break
    return out


def describe(path: str, d: Damage) -> str:
    what = next(text for kind, _, text in PATTERNS if kind == d.kind)
    return (f"{path}: column {d.column!r} looks damaged by a spreadsheet ({d.count:,} of "
            f"{d.sampled:,} sampled values are {what}); such values are not counted as valid: "
            f"re-export the column as text from the original data")


def marked_source(source: str, damaged: list[Damage]) -> str:
    """``source`` with each damaged column's damaged values prefixed by ``MARK``."""
    if not damaged:
        return source
    repl = []
    for d in damaged:
        col = quote_ident(d.column)
        pattern = next(p for kind, p, _ in PATTERNS if kind == d.kind)
        v = f"trim(CAST({col} AS VARCHAR))"
        repl.append(f"CASE WHEN regexp_full_match({v}, {quote_literal(pattern)}) "
                    f"THEN {quote_literal(MARK)} || {v} ELSE CAST({col} AS VARCHAR) END AS {col}")
    return f"(SELECT * REPLACE ({', '.join(repl)}) FROM {source})"
