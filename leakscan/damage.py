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
scientific notation and zero-filled IDs loses both, not only the first kind found. Only the
generic kind (numbers in scientific notation or beyond 15 digits) is the engine's own; the
forms one category's values take when damaged are declared by its categorizer (``DAMAGE``),
so a plug-in's damaged values are caught the same way.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .registry import Registry
from .sql import long_form, quote_ident, quote_literal

#: A kind of damage no category owns: numbers a spreadsheet rewrote (its RE2 pattern over the
#: trimmed value, its least share, what the warning says). The kinds that belong to one
#: category (IDs zero-filled, phones without their ``+``) are declared by that categorizer
#: (``DAMAGE``, ``docs/categorizers.md``) and read from the registry (``damage_patterns``).
NUMBER = ("number", r"[+-]?[0-9](\.[0-9]+)?[eE][+]?[0-9]+|[0-9]{16,}\.0+", 0.2,
          "numbers in scientific notation or over 15 digits with a trailing .0")
#: A column is damaged when at least its kind's share of its sampled non-blank values are of
#: one kind, and at least this many.
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
class Pattern:
    """One kind of spreadsheet damage: ``pattern`` (RE2, full match over the trimmed value
    read without an intact float's ``.0``), the least share of a column's sampled non-blank
    values of this kind that makes it damaged, and what the warning says the values are."""

    kind: str
    pattern: str
    min_share: float
    text: str


def damage_patterns(registry: Registry) -> tuple[Pattern, ...]:
    """The generic ``NUMBER`` kind, then each categorizer's declared ``DAMAGE`` patterns in
    the registry's order, each kind named by its category (``<id>#<k>`` from the second
    pattern of one category on)."""
    out = [Pattern(*NUMBER)]
    for cat in registry:
        for k, (pattern, share, text) in enumerate(cat.damage):
            out.append(Pattern(cat.id if k == 0 else f"{cat.id}#{k + 1}", pattern, share, text))
    return tuple(out)


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
    patterns: tuple[Pattern, ...] = ()  # the damage kinds looked for (``damage_patterns``)
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
               markers: tuple[str, ...] = (), *, patterns: tuple[Pattern, ...]) -> str:
    """One query over the first ``limit`` rows, in long form (``sql.long_form``): per column
    index ``j``, its non-blank values (null markers are blank), its null markers, its intact
    float renderings and its values of each damage kind. Columns with no non-blank value in
    the sample give no row."""
    sample = f"(SELECT * FROM {source} LIMIT {int(limit)})"
    long = long_form(sample, list(enumerate(columns)))
    return (f"SELECT j, {', '.join(_damage_aggregates(markers, patterns))} FROM ({long}) AS long "
            f"WHERE v IS NOT NULL GROUP BY j")


def damage_sql_many(inputs: list[tuple[int, str, list[str]]], limit: int,
                    markers: tuple[str, ...] = (), *, patterns: tuple[Pattern, ...]) -> str:
    """``damage_sql`` for several inputs in one query: ``inputs`` are ``(i, source,
    columns)``; each row starts with its input's ``i``. The aggregates (a dozen regular
    expressions, most of a small input's cost) appear once, over the union of the inputs'
    samples in long form, grouped by input and column."""
    longs = " UNION ALL ".join(
        f"SELECT {int(i)} AS i, j, v FROM ("
        f"{long_form(f'(SELECT * FROM {source} LIMIT {int(limit)})', list(enumerate(columns)))}"
        f") AS l{int(i)}" for i, source, columns in inputs)
    return (f"SELECT i, j, {', '.join(_damage_aggregates(markers, patterns))} FROM ({longs}) "
            f"AS long WHERE v IS NOT NULL GROUP BY i, j")


def _damage_aggregates(markers: tuple[str, ...], patterns: tuple[Pattern, ...]) -> list[str]:
    """Per column: non-blank values, null markers, intact float renderings, and the values
    of each damage kind (the columns ``find_rules`` reads)."""
    v = "trim(v)"
    null = _is_null_sql(v, markers)
    aggs = [f"count(NULLIF({v}, '')) FILTER (WHERE NOT {null})",
            f"count(*) FILTER (WHERE {null})",
            f"count(*) FILTER (WHERE regexp_full_match({v}, {quote_literal(FLOAT_RENDERING)}))"]
    for p in patterns:
        aggs.append(f"count(*) FILTER (WHERE regexp_full_match({_unfloat_sql(v)}, "
                    f"{quote_literal(p.pattern)}))")
    return aggs


def find_rules(rows: list[tuple], columns: list[str], markers: tuple[str, ...] = (), *,
               patterns: tuple[Pattern, ...]) -> CellRules:
    """The cell rules of an input, from the result rows of ``damage_sql`` (called with the
    same markers and patterns)."""
    rules = CellRules(markers=markers, patterns=patterns)
    for j, nonblank, nulls, floats, *hits in sorted(rows):
        c = columns[j]
        if nulls:
            rules.nulls[c] = nulls
        if floats:
            rules.floats.append(c)
        kinds = list(zip(patterns, hits, strict=True))
        if any(nonblank and n >= MIN_COUNT and n >= p.min_share * nonblank for p, n in kinds):
            rules.damaged += [Damage(c, p.kind, n, nonblank) for p, n in kinds if n]
    return rules


def find_damage(rows: list[tuple], columns: list[str], *,
                patterns: tuple[Pattern, ...]) -> list[Damage]:
    """The damage kinds found in each damaged column, from the result rows of ``damage_sql``."""
    return find_rules(rows, columns, patterns=patterns).damaged


def describe(path: str, column: str, found: list[Damage],
             patterns: tuple[Pattern, ...]) -> str:
    """The warning for one damaged column, naming every kind found in its sample."""
    texts = {p.kind: p.text for p in patterns}
    parts = "; ".join(f"{d.count:,} of {d.sampled:,} sampled values are {texts[d.kind]}"
                      for d in found)
    return (f"{path}: column {column!r} looks damaged by a spreadsheet ({parts}); such values "
            f"are not counted as valid: re-export the column as text from the original data")


def describe_all(path: str, rules: CellRules) -> list[str]:
    return [describe(path, c, [d for d in rules.damaged if d.column == c], rules.patterns)
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
        pattern = "|".join(f"(?:{p.pattern})" for p in rules.patterns)
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
