"""DuckDB's SQL, as leakscan's case-level stages write it, in Spark SQL.

There is one plan: ``count.py``, ``assess.py`` and ``breakdown.py`` write their statements
once, in DuckDB's dialect. sqlglot parses them and writes Spark SQL; where sqlglot's general
translation would change a count, a rule here rewrites the tree first. Each rule is a function
with the reason it exists, and ``tests/test_spark_dialect.py`` probes each on both engines
(the same query, the same answer) and pins the text of every statement a scan of
``sample_data/`` produces, so a sqlglot upgrade that changes the translation shows as a diff.

Statements (``CREATE``, ``DROP``, ``ALTER ... RENAME``) are not translated here: Spark has no
temporary tables, so ``engine.SparkEngine`` materialises them itself and only their queries
pass through ``to_spark``.
"""

from __future__ import annotations

import datetime

import sqlglot
from sqlglot import exp


def _reference_date(tree: exp.Expression, day: datetime.date) -> exp.Expression:
    """``getvariable('leakscan_as_of')`` and ``current_date`` -> the scan's reference date
    as a literal (``asof.py``): Spark has no session variables in its SQL before 4.0 and its
    ``current_date`` is the cluster's clock, which need not be the scan's as-of date."""
    literal = exp.cast(exp.Literal.string(day.isoformat()), exp.DataType.build("DATE"))

    def rule(node):
        if isinstance(node, exp.Anonymous) and node.name.lower() == "getvariable":
            return literal.copy()
        if isinstance(node, exp.CurrentDate):
            return literal.copy()
        return node
    return tree.transform(rule)


def _hash64(node: exp.Expression) -> exp.Expression:
    """``hash(x)`` -> ``xxhash64(x)``: DuckDB's ``hash`` is 64 bits, Spark's is a 32-bit
    Murmur3. Person linking pre-groups values by hash and resolves collisions exactly, so
    either is correct; 32 bits would make collisions (and the exact resolution) frequent at
    a few hundred million values."""
    if isinstance(node, exp.Anonymous) and node.name.lower() == "hash":
        return exp.Anonymous(this="xxhash64", expressions=node.expressions)
    return node


def _numbering(node: exp.Expression) -> exp.Expression:
    """``row_number() OVER ()`` -> ``monotonically_increasing_id()``. DuckDB numbers rows in
    no particular order; Spark refuses a ``row_number`` without ``ORDER BY``, and ordering
    would move every row to one task. leakscan uses these numbers only as distinct ids of
    records and values (person linking takes the least id of a component), never as counts,
    and the engine materialises every table that holds them, so they are fixed once drawn."""
    if (isinstance(node, exp.Window) and isinstance(node.this, exp.RowNumber)
            and not node.args.get("partition_by") and not node.args.get("order")):
        return exp.Anonymous(this="monotonically_increasing_id", expressions=[])
    return node


def _octet_length(node: exp.Expression) -> exp.Expression:
    """``strlen(x)`` (bytes in DuckDB) -> ``octet_length(x)``; Spark's ``length`` counts
    characters."""
    if isinstance(node, exp.Anonymous) and node.name.lower() == "strlen":
        return exp.Anonymous(this="octet_length", expressions=node.expressions)
    return node


def _full_match(node: exp.Expression) -> exp.Expression:
    """``regexp_full_match(x, p)`` -> ``x RLIKE '^(?:p)\\z'``. Java's ``$`` also matches
    before a final line break, RE2's full match does not: ``\\z`` is the end of input."""
    if isinstance(node, exp.RegexpFullMatch) or (
            isinstance(node, exp.Anonymous) and node.name.lower() == "regexp_full_match"):
        args = ([node.this, node.expression] if isinstance(node, exp.RegexpFullMatch)
                else node.expressions)
        pattern = args[1]
        if not isinstance(pattern, exp.Literal):
            raise ValueError("regexp_full_match with a computed pattern has no Spark form")
        anchored = exp.Literal.string(f"^(?:{pattern.this})\\z")
        return exp.RegexpLike(this=args[0], expression=anchored)
    return node


def _element_at(node: exp.Expression) -> exp.Expression:
    """``xs[k]`` (1-based in DuckDB) -> ``element_at(xs, k)``: Spark's ``xs[k]`` is 0-based
    and, under ANSI mode, fails out of range where DuckDB gives NULL; ``element_at`` is
    1-based. (A slice ``xs[a:b]`` is left to sqlglot.)"""
    if (isinstance(node, exp.Bracket) and len(node.expressions) == 1
            and not isinstance(node.expressions[0], exp.Slice)):
        # sqlglot stores a literal index 0-based (DuckDB's xs[2] as 1) but leaves a computed
        # one as written (xs[k] stays xs[k], which in Spark would be off by one); both are
        # probed in tests/test_spark_dialect.py
        index = node.expressions[0]
        one_based = (exp.Literal.number(int(index.this) + 1)
                     if isinstance(index, exp.Literal) and index.is_int else index.copy())
        return exp.Anonymous(this="try_element_at", expressions=[node.this, one_based])
    return node


RULES = (_hash64, _numbering, _octet_length, _full_match, _element_at)


def parse(sql: str) -> exp.Expression:
    """One DuckDB statement as a sqlglot tree."""
    trees = [t for t in sqlglot.parse(sql, read="duckdb") if t is not None]
    if len(trees) != 1:
        raise ValueError(f"expected one statement, got {len(trees)}")
    return trees[0]


def to_spark(tree: exp.Expression | str, reference_date: datetime.date) -> str:
    """A DuckDB query (tree or text) as Spark SQL, with leakscan's rules applied."""
    if isinstance(tree, str):
        tree = parse(tree)
    tree = _reference_date(tree.copy(), reference_date)
    for rule in RULES:
        tree = tree.transform(rule)
    return tree.sql(dialect="spark")
