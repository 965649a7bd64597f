"""Cells as exports really write them: null markers, float renderings, spreadsheet damage.

Three things are decided here from a bounded sample of each column, before any column is
classified, and applied to every cell of the input by one rewritten relation
(``marked_source``), so that classification and the counting pass see the same cells:

**Null markers.** Databases and their exports write a missing value as a word: ``NULL``, the
``\\N`` of MySQL's ``SELECT ... INTO OUTFILE``, ``None`` (pandas), ``N/A``, ``-``, ``无``... A
cell holding one of the configured markers (``null_markers.toml``, extended with
``--null-marker``) is blank: it is neither found nor failed, so a sparse column is judged on
the values it really holds.

**Float renderings.** pandas and Excel write an integer column that held a blank as floats:
``13800138000.0``. When the digits before ``.0`` are at most 15 (a double holds every integer
of 15 digits exactly) every digit is intact, and the cell is read without its ``.0``.

**Spreadsheet damage.** Excel stores an 18-digit resident ID as a number: it keeps 15
significant digits (``110101199001011000``), drops an ``X`` check digit, shows
``1.10101199001011E+17`` or, beyond 15 digits, a ``.0`` that no longer guarantees the digits;
and it drops the ``+`` or the leading ``0`` of a phone number (``8613800138000``,
``1012345678``). Some of those forms would still pass a check by chance (a zeroed ID passes the
check digit one time in eleven), but none of them is the value that was in the source data.
When a column holds enough of one kind it is damaged, and then its values of *every* kind are
marked, so that they count as found (``detected``) but never as valid: a column mixing
scientific notation and zero-filled IDs loses both, not only the first kind found.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .sql import long_form, quote_ident, quote_literal

#: (kind, RE2 pattern over the trimmed value, what the warning says)
PATTERNS = (
    ("number", r"[+-]?[0-9](\.[0-9]+)?[eE][+]?[0-9]+|[0-9]{16,}\.0+",
     "numbers in scientific notation or over 15 digits with a trailing .0"),
    ("resident_id", r"[1-9][0-9]{14}000|[1-9][0-9]{16}",
     "18-digit numbers ending in 000 or 17-digit numbers (IDs that lost digits or their X)"),
    ("phone", r"861[3-9][0-9]{9}|(10|2[0-9])[0-9]{8}|[3-9][0-9]{9,10}",
     "phone numbers without their leading + or 0"),
)
#: A column is damaged when at least this share of its sampled non-blank values are of one
#: kind...
MIN_SHARE = {"number": 0.2, "resident_id": 0.3, "phone": 0.5}
#: ...and at least this many.
MIN_COUNT = 3
#: Damaged values are read with this prefix: non-blank (so still ``detected``), never valid.
MARK = "#spreadsheet-damaged "
#: An integer written as a float with every digit intact: at most 15 digits, then ``.0``.
FLOAT_RENDERING = r"([0-9]{1,15})\.0+"
NULL_MARKERS_FILE = Path(__file__).with_name("data") / "null_markers.toml"


@functools.cache
def default_null_markers() -> tuple[str, ...]:
    """The null markers of ``data/null_markers.toml`` (compared case-insensitively)."""
    with open(NULL_MARKERS_FILE, "rb") as f:
        data = tomllib.load(f)
    return tuple(m for group in data["marker"] for m in group["values"])


@dataclass(frozen=True)
class Damage:
    column: str
    kind: str
    count: int
    sampled: int


@dataclass
class CellRules:
    """What ``marked_source`` rewrites in one input, decided from its sample."""

    markers: tuple[str, ...] = ()
    damaged: list[Damage] = field(default_factory=list)  # each damaged column's kinds found
    floats: list[str] = field(default_factory=list)  # columns holding intact float renderings
    nulls: dict[str, int] = field(default_factory=dict)  # column -> null markers sampled

    def damaged_columns(self) -> list[str]:
        return list(dict.fromkeys(d.column for d in self.damaged))


def _raw(column: str) -> str:
    return f"trim(CAST({quote_ident(column)} AS VARCHAR))"


def _is_null_sql(v: str, markers: tuple[str, ...]) -> str:
    if not markers:
        return "false"
    return f"lower({v}) IN ({', '.join(quote_literal(m.lower()) for m in markers)})"


def _unfloat_sql(v: str) -> str:
    return f"regexp_replace({v}, {quote_literal('^' + FLOAT_RENDERING + '$')}, '\\1')"


def damage_sql(source: str, columns: list[str], limit: int,
               markers: tuple[str, ...] = ()) -> str:
    """One query over the first ``limit`` rows, in long form (``sql.long_form``): per column
    index ``j``, its non-blank values (null markers are blank), its null markers, its intact
    float renderings and its values of each damage kind. Columns with no non-blank value in
    the sample give no row."""
    v = "trim(v)"
    null = _is_null_sql(v, markers)
    aggs = [f"count(NULLIF({v}, '')) FILTER (WHERE NOT {null})",
            f"count(*) FILTER (WHERE {null})",
            f"count(*) FILTER (WHERE regexp_full_match({v}, {quote_literal(FLOAT_RENDERING)}))"]
    for _, pattern, _ in PATTERNS:
        aggs.append(f"count(*) FILTER (WHERE regexp_full_match({_unfloat_sql(v)}, "
                    f"{quote_literal(pattern)}))")
    sample = f"(SELECT * FROM {source} LIMIT {int(limit)})"
    long = long_form(sample, list(enumerate(columns)))
    return f"SELECT j, {', '.join(aggs)} FROM ({long}) AS long WHERE v IS NOT NULL GROUP BY j"


def find_rules(rows: list[tuple], columns: list[str], markers: tuple[str, ...] = ()) -> CellRules:
    """The cell rules of an input, from the result rows of ``damage_sql``."""
    rules = CellRules(markers=markers)
    for j, nonblank, nulls, floats, *hits in sorted(rows):
        c = columns[j]
        if nulls:
            rules.nulls[c] = nulls
        if floats:
            rules.floats.append(c)
        kinds = [(kind, n) for (kind, _, _), n in zip(PATTERNS, hits, strict=True)]
        if any(nonblank and n >= MIN_COUNT and n >= MIN_SHARE[kind] * nonblank
               for kind, n in kinds):
            rules.damaged += [Damage(c, kind, n, nonblank) for kind, n in kinds if n]
    return rules


def find_damage(rows: list[tuple], columns: list[str]) -> list[Damage]:
    """The damage kinds found in each damaged column, from the result rows of ``damage_sql``."""
    return find_rules(rows, columns).damaged


def describe(path: str, column: str, found: list[Damage]) -> str:
    """The warning for one damaged column, naming every kind found in its sample."""
    texts = {kind: text for kind, _, text in PATTERNS}
    parts = "; ".join(f"{d.count:,} of {d.sampled:,} sampled values are {texts[d.kind]}"
                      for d in found)
    return (f"{path}: column {column!r} looks damaged by a spreadsheet ({parts}); such values "
            f"are not counted as valid: re-export the column as text from the original data")


def describe_all(path: str, rules: CellRules) -> list[str]:
    return [describe(path, c, [d for d in rules.damaged if d.column == c])
            for c in rules.damaged_columns()]


def cell_sql(column: str, rules: CellRules) -> str | None:
    """SQL for one column's cell after the rules, or None when none applies to it."""
    damaged = column in rules.damaged_columns()
    if column not in rules.nulls and column not in rules.floats and not damaged:
        return None
    raw = f"CAST({quote_ident(column)} AS VARCHAR)"
    v = _raw(column)
    out = raw
    if column in rules.floats or damaged:
        out = f"CASE WHEN regexp_full_match({v}, {quote_literal(FLOAT_RENDERING)}) " \
              f"THEN {_unfloat_sql(v)} ELSE {raw} END"
    if damaged:
        pattern = "|".join(f"(?:{p})" for _, p, _ in PATTERNS)
        out = (f"CASE WHEN regexp_full_match({_unfloat_sql(v)}, {quote_literal(pattern)}) "
               f"THEN {quote_literal(MARK)} || {v} ELSE {out} END")
    if column in rules.nulls:
        out = f"CASE WHEN {_is_null_sql(v, rules.markers)} THEN NULL ELSE {out} END"
    return out


def marked_source(source: str, rules: CellRules | None) -> str:
    """``source`` with the cell rules applied: null markers read as NULL, intact float
    renderings without their ``.0``, each damaged column's damaged values prefixed by
    ``MARK``."""
    if rules is None:
        return source
    repl = []
    for column in dict.fromkeys([*rules.nulls, *rules.floats, *rules.damaged_columns()]):
        sql = cell_sql(column, rules)
        if sql:
            repl.append(f"{sql} AS {quote_ident(column)}")
    if not repl:
        return source
    return f"(SELECT * REPLACE ({', '.join(repl)}) FROM {source})"
