"""Find identifiers embedded in free text: remarks, messages, addresses with a phone in them.

The engine names no category here: each categorizer that may be found in free text declares
how (``FREE_TEXT``, docs/categorizers.md), and ``search_of`` assembles the search from the
registry. A text cell is cut into *candidates* in three ways, then each candidate goes
through the same categorizer pipeline (SQL) or reference (Python) as a cell of a categorised
column:

- **cuts**: patterns a category declares for candidates of its own (e-mail addresses; Hong
  Kong identity cards with their bracketed check digit), applied in the categories' order,
  each blanked out of the text before the next, so the digits of ``13800138000@qq.com`` are
  not also read as a phone number;
- **grouped numbers** written the way people write them, as the categories' ``layout``s say:
  ``138 0013 8000``, ``86-138-0013-8000``, ``010-12345678``, ``6222 0212 3456 7890``. A
  grouped number that touches a letter or digit is not a candidate (the boundary rule);
- **runs**: maximal runs of ASCII letters and digits (after full-width folding), kept only
  if they have the shape of a category that declares ``runs``. This is the boundary rule: a
  number inside a longer run is not a candidate, so ``订单2024011513800138000`` holds no
  phone number while ``电话13800138000`` does (Han characters, punctuation and spaces are
  boundaries).

Each candidate belongs to at most one category. In the declared ``order`` (e-mail 10,
resident ID 20, Hong Kong ID 25, phone 30, bank card 40), a candidate goes to the first
category whose shape it has *and* whose validation it passes; a candidate that passes none
goes to the first category whose shape it has, as a detected but invalid value. So an
18-digit valid resident ID is never also counted as a card number that happens to pass Luhn.
A category with a ``context`` takes candidates only from a cell that matches it (bank cards:
a cell that speaks of a card or an account). Why each category declares what it does (the
chance rates behind the context rule, why 15-digit legacy IDs are not searched) is in
``docs/classification.md``, "Free text".

``candidates_sql`` and ``resolution_sql`` are the SQL; ``candidates`` and ``embedded`` are the
plain-Python reference, built on the same categorizer references (python-stdnum,
phonenumbers). ``tests/test_freetext.py`` holds the two in agreement on generated texts.

>>> [tok for tok in candidates("电话13800138000，备用 138 0013 8001；订单2024011513800138000")]
['138 0013 8001', '13800138000']
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from leakscan.text import FOLD_WIDTH_SQL, fold_width

from .expressions import CellSpec, apply, layered_select
from .registry import Registry, default_registry
from .sql import MULTI_SEP, quote_literal

# -- what the categorizers declare (``FREE_TEXT``: docs/categorizers.md) --------------------
#: Marks the candidates of a cell with a context (never a character of a candidate): one mark
#: per category that declares a ``context``, ``#`` where the cell matches it, ``!`` where not.
CONTEXT_MARK = "#"
_NO_CONTEXT = "!"
_MARKS = CONTEXT_MARK + _NO_CONTEXT
#: A grouped number with whatever letters and digits touch it; kept only if nothing does.
_TOUCH = "[0-9A-Za-z]*"
RUN_PATTERN = r"[0-9A-Za-z]+"


@dataclass(frozen=True)
class Embedded:
    """A category searched for in free text, as its categorizer's ``FREE_TEXT`` declares it.

    ``shape`` is tested (full match) on the candidate without its context marks, and with its
    spaces and hyphens removed when ``compact``; ``context`` is the place of the category's
    context mark, when it declares a ``context``.
    """

    category: str
    order: int
    shape: str
    compact: bool = False
    context: int | None = None

    @property
    def shape_sql(self) -> str:
        """BOOLEAN template over the raw candidate ``{value}`` (marks included)."""
        bare = _compact_sql(_BARE) if self.compact else _BARE
        test = f"regexp_full_match({bare}, {quote_literal(self.shape)})"
        if self.context is None:
            return test
        return f"substr({{value}}, {self.context + 1}, 1) = '{CONTEXT_MARK}' AND {test}"

    def has_shape(self, token: str) -> bool:
        """Python twin of ``shape_sql``, on a candidate as ``candidates`` gives it."""
        value = token.lstrip(_MARKS)
        if self.context is not None and token[self.context:self.context + 1] != CONTEXT_MARK:
            return False
        return re.fullmatch(self.shape, _compact(value) if self.compact else value) is not None


@dataclass(frozen=True)
class Search:
    """How the cells of a free-text column are cut into candidates, assembled from the
    declarations of the searched categories (in their order):

    - ``worth``: a cheap test on the raw cell that every candidate implies; other cells are
      not cut at all (most text cells, every date);
    - ``cuts``: patterns cutting candidates of their own from the folded text, each blanked
      out before the next cut and before the generic ones (so the digits of
      ``13800138000@qq.com`` are not read again as a phone number);
    - ``layout``: how people group numbers (``138 0013 8000``); a grouped candidate must not
      touch a letter or digit (``GROUPED``);
    - ``run_shape``: a maximal run of letters and digits is a candidate when it has one of
      these shapes (the boundary rule: a number inside a longer run is not a candidate);
    - ``contexts``: per category with a context rule, the pattern the cell must hold.
    """

    embedded: tuple[Embedded, ...]
    worth: str
    cuts: tuple[str, ...]
    layout: str | None
    run_shape: str | None
    contexts: tuple[str, ...]

    @property
    def grouped(self) -> str | None:
        return f"{_TOUCH}(?:{self.layout}){_TOUCH}" if self.layout else None


def _union(patterns) -> str | None:
    patterns = [p for p in patterns if p]
    return "|".join(f"(?:{p})" for p in patterns) if patterns else None


@functools.lru_cache(maxsize=8)
def search_of(registry: Registry) -> Search:
    """The free-text search the registry's categorizers declare (``Categorizer.free_text``)."""
    cats = sorted((c for c in registry if c.free_text), key=lambda c: (c.free_text["order"], c.id))
    decl = [c.free_text for c in cats]
    context_of: dict[str, int] = {}
    for c, d in zip(cats, decl, strict=True):
        if d.get("context"):
            context_of[c.id] = len(context_of)
    embedded = tuple(Embedded(c.id, d["order"], d["shape"], bool(d.get("compact")),
                              context_of.get(c.id)) for c, d in zip(cats, decl, strict=True))
    return Search(
        embedded=embedded,
        worth=_union(d["worth"] for d in decl) or "$^",
        cuts=tuple(d["cut"] for d in decl if d.get("cut")),
        layout=_union(d.get("layout") for d in decl),
        run_shape=_union(d["shape"] for d in decl if d.get("runs")),
        contexts=tuple(d["context"] for c, d in zip(cats, decl, strict=True)
                       if c.id in context_of),
    )


def _compact_sql(v: str) -> str:
    return f"regexp_replace({v}, '[ \\-]', '', 'g')"


def _compact(v: str) -> str:
    return v.replace(" ", "").replace("-", "")


_BARE = f"ltrim({{value}}, {quote_literal(_MARKS)})"  # the candidate without its context marks


def searched(registry: Registry) -> list[Embedded]:
    """The categories searched in free text, in the order a candidate is offered to them."""
    return list(search_of(registry).embedded)


# -- SQL ----------------------------------------------------------------------------------
def candidate_layers(expr: str, name: str, search: Search) -> list[str]:
    """Projection layers (each an ``expr AS col`` over the previous ones) ending in ``name``,
    the cell's list of candidates, NULL when there is none (so that rows without candidates
    group together). The cell is folded once and each cut blanked once."""
    found = f"{name}__l"
    rests = [f"{name}__r{k}" for k in range(len(search.cuts) + 1)]
    worth = f"regexp_matches({expr}, {quote_literal(search.worth)})"
    layers = [f"CASE WHEN {worth} THEN {apply(FOLD_WIDTH_SQL, expr)} END AS {rests[0]}"]
    for k, cut in enumerate(search.cuts):
        layers.append(f"regexp_replace({rests[k]}, {quote_literal(cut)}, ' ', 'g') AS {rests[k + 1]}")
    parts = [f"regexp_extract_all({rests[k]}, {quote_literal(cut)})"
             for k, cut in enumerate(search.cuts)]
    rest = rests[-1]
    if search.layout:
        parts.append(f"list_filter(regexp_extract_all({rest}, {quote_literal(search.grouped)}), "
                     f"lambda x: regexp_full_match(x, {quote_literal(search.layout)}))")
    if search.run_shape:
        parts.append(f"list_filter(regexp_extract_all({rest}, '{RUN_PATTERN}'), "
                     f"lambda x: regexp_full_match(x, {quote_literal(search.run_shape)}))")
    joined = "[]::VARCHAR[]"
    for part in parts:
        joined = f"list_concat({joined}, {part})"
    layers.append(f"{joined} AS {found}")
    if search.contexts:
        matched = [f"regexp_matches({rests[0]}, {quote_literal(c)})" for c in search.contexts]
        marks = " || ".join(f"CASE WHEN {m} THEN '{CONTEXT_MARK}' ELSE '{_NO_CONTEXT}' END"
                            for m in matched)
        layers.append(f"CASE WHEN len({found}) = 0 THEN NULL "
                      f"WHEN {' OR '.join(matched)} "
                      f"THEN list_transform({found}, lambda x: {marks} || x) "
                      f"ELSE {found} END AS {name}")
    else:
        layers.append(f"CASE WHEN len({found}) = 0 THEN NULL ELSE {found} END AS {name}")
    return layers


def with_candidates(source: str, columns: list[tuple[str, str]],
                    registry: Registry | None = None) -> str:
    """``source`` with a candidate list column added for each ``(expr, name)``."""
    search = search_of(registry or default_registry())
    sql = f"SELECT * FROM {source}"
    for step in range(len(candidate_layers("v", "x", search))):
        added = [candidate_layers(expr, name, search)[step] for expr, name in columns]
        sql = f"SELECT *, {', '.join(added)} FROM ({sql}) AS ft{step}"
    drop = [f"{name}__{part}" for _, name in columns
            for part in ["l"] + [f"r{k}" for k in range(len(search.cuts) + 1)]]
    return f"(SELECT * EXCLUDE ({', '.join(drop)}) FROM ({sql}) AS ft) AS ftx"


def list_column(position: int) -> str:
    """The candidate list of column ``position``: a name no input column is likely to have
    (the input's own columns pass through the same projections)."""
    return f"leakscan_x{position}"


def tally_column(kind: str, position: int, category: str) -> str:
    """``xd<j>_<category>`` (candidates) or ``xv<j>_<category>`` (valid) of column ``j``."""
    return f"x{kind}{position}_{category}"


def resolution_sql(pre: str, out: str, positions: list[int], registry: Registry,
                   key_of, *, passthrough: bool = True) -> list[str]:
    """Statements that turn the candidate lists of table ``pre`` into counted values.

    ``pre`` has one row per group (or per data row) with key columns (``key_of(category)``)
    and candidate lists (``list_column``). Each distinct candidate is validated once; each row's valid
    embedded values are merged into its key columns, and per row ``xd<j>_<cat>`` /
    ``xv<j>_<cat>`` count its candidates and valid values. ``out`` has ``pre``'s columns but
    the candidate lists, with the merged keys and those tallies; with ``passthrough=False``
    only the rows that had candidates (``passthrough_sql`` selects the others). Temporary
    tables are named after ``out`` and left for ``samples_sql``; ``cleanup_sql`` drops them.
    """
    cats = searched(registry)
    numbered, toks, vals, found = f"{out}__n", f"{out}__t", f"{out}__v", f"{out}__e"
    lists = [list_column(j) for j in positions]
    any_list = " OR ".join(f"{x} IS NOT NULL" for x in lists)
    # Only rows with candidates are resolved; the others (most rows) pass straight through.
    stmts = [f"CREATE OR REPLACE TEMP TABLE {numbered} AS SELECT row_number() OVER () "
             f"AS leakscan_gid, * FROM {pre} WHERE {any_list}"]
    unnest = " UNION ALL ".join(
        f"SELECT leakscan_gid, {j} AS j, unnest({list_column(j)}) AS tok FROM {numbered}"
        for j in positions)
    stmts.append(f"CREATE OR REPLACE TEMP TABLE {toks} AS {unnest}")
    specs = [CellSpec(f"e{k}", apply(_BARE, "tok"), registry.get(e.category))
             for k, e in enumerate(cats)]
    checked = layered_select(specs, f"(SELECT DISTINCT tok FROM {toks}) AS d", ["tok"])
    shape = [apply(e.shape_sql, "tok") for e in cats]
    first_valid = [f"WHEN {shape[k]} AND e{k}_ok THEN {k}" for k in range(len(cats))]
    first_shape = [f"WHEN {shape[k]} THEN {k}" for k in range(len(cats))]
    pick = f"CASE {' '.join(first_valid + first_shape)} END"
    cat_names = "[" + ", ".join(quote_literal(e.category) for e in cats) + "]"
    norms = "[" + ", ".join(f"e{k}_norm" for k in range(len(cats))) + "]"
    oks = "[" + ", ".join(f"e{k}_ok" for k in range(len(cats))) + "]"
    stmts.append(
        f"CREATE OR REPLACE TEMP TABLE {vals} AS SELECT tok, {cat_names}[k + 1] AS cat, "
        f"CASE WHEN {oks}[k + 1] THEN {norms}[k + 1] END AS norm, {oks}[k + 1] AS ok "
        f"FROM (SELECT *, {pick} AS k FROM ({checked}) AS c) AS p WHERE k IS NOT NULL")
    aggs = []
    for e in cats:
        c = quote_literal(e.category)
        aggs.append(f"list_sort(list_distinct(list(v.norm) FILTER (WHERE v.cat = {c} AND v.ok)))"
                    f" AS e_{e.category}")
        for j in positions:
            aggs.append(f"count(*) FILTER (WHERE t.j = {j} AND v.cat = {c}) "
                        f"AS {tally_column('d', j, e.category)}")
            aggs.append(f"count(*) FILTER (WHERE t.j = {j} AND v.cat = {c} AND v.ok) "
                        f"AS {tally_column('v', j, e.category)}")
    stmts.append(f"CREATE OR REPLACE TEMP TABLE {found} AS SELECT t.leakscan_gid, "
                 f"{', '.join(aggs)} FROM {toks} t JOIN {vals} v USING (tok) "
                 f"GROUP BY t.leakscan_gid")
    keys = [key_of(e.category) for e in cats]
    tally_names = [tally_column(kind, j, e.category) for e in cats for j in positions
                   for kind in ("d", "v")]
    merged = [f"{merge_values(f'n.{k}', f'e.e_{e.category}')} AS {k}"
              for e, k in zip(cats, keys, strict=True)]
    resolved = (f"SELECT n.* EXCLUDE ({', '.join(['leakscan_gid'] + lists + keys)}), "
                f"{', '.join(merged + [f'coalesce(e.{t}, 0) AS {t}' for t in tally_names])} "
                f"FROM {numbered} n LEFT JOIN {found} e USING (leakscan_gid)")
    if passthrough:
        resolved = (f"{passthrough_sql(pre, positions, registry, key_of)} "
                    f"UNION ALL BY NAME {resolved}")
    stmts.append(f"CREATE OR REPLACE TEMP TABLE {out} AS {resolved}")
    stmts += [f"DROP TABLE {numbered}", f"DROP TABLE {found}"]
    return stmts


def passthrough_sql(pre: str, positions: list[int], registry: Registry, key_of) -> str:
    """The rows of ``pre`` without a candidate, shaped like ``resolution_sql``'s output."""
    lists = [list_column(j) for j in positions]
    tallies = [f"0 AS {tally_column(kind, j, e.category)}" for e in searched(registry)
               for j in positions for kind in ("d", "v")]
    return (f"SELECT * EXCLUDE ({', '.join(lists)}), {', '.join(tallies)} FROM {pre} "
            f"WHERE {' AND '.join(f'{x} IS NULL' for x in lists)}")


def merge_values(key: str, values: str) -> str:
    """SQL: a multi-value key (sorted, distinct, ``MULTI_SEP``-joined) with a sorted list of
    further values merged in; NULL when both are empty."""
    sep = quote_literal(MULTI_SEP)
    return (f"CASE WHEN {values} IS NULL OR len({values}) = 0 THEN {key} "
            f"ELSE array_to_string(list_sort(list_distinct(list_concat("
            f"coalesce(string_split({key}, {sep}), []), {values}))), {sep}) END")


def samples_sql(out: str, n: int) -> str:
    """Per (column, category): the first ``n`` distinct valid values, sorted."""
    return (f"SELECT t.j, v.cat, list_sort(list_distinct(list(v.norm) FILTER (WHERE v.ok)))"
            f"[1:{int(n)}] FROM {out}__t t JOIN {out}__v v USING (tok) GROUP BY t.j, v.cat")


def cleanup_sql(out: str) -> list[str]:
    return [f"DROP TABLE IF EXISTS {out}__t", f"DROP TABLE IF EXISTS {out}__v"]


# -- the Python reference -----------------------------------------------------------------
def py_pattern(re2: str) -> str:
    """An RE2 pattern for Python's re, which spells a code point \\uhhhh, not \\x{hhhh}."""
    return re.sub(r"\\x\{([0-9a-f]{4})\}", r"\\u\1", re2)


def candidates(text: str | None, registry: Registry | None = None) -> list[str]:
    """The candidates of one cell, in the SQL's order (cuts, grouped numbers, runs)."""
    search = search_of(registry or default_registry())
    if text is None or not re.search(py_pattern(search.worth), text):
        return []
    folded = rest = fold_width(text)
    found = []
    for cut in search.cuts:
        found += re.findall(cut, rest)
        rest = re.sub(cut, " ", rest)
    if search.layout:
        found += [g for g in re.findall(search.grouped, rest) if re.fullmatch(search.layout, g)]
    if search.run_shape:
        found += [r for r in re.findall(RUN_PATTERN, rest) if re.fullmatch(search.run_shape, r)]
    matched = [re.search(c, folded) is not None for c in search.contexts]
    if found and any(matched):
        marks = "".join(CONTEXT_MARK if m else _NO_CONTEXT for m in matched)
        found = [marks + tok for tok in found]
    return found


def classify_candidate(token: str, registry: Registry) -> tuple[str, str | None, bool] | None:
    """``(category, normalised value or None, valid)`` for one candidate, or None."""
    cats = searched(registry)
    shaped = [e for e in cats if e.has_shape(token)]
    value = token.lstrip(_MARKS)
    for e in shaped:
        if registry.get(e.category).is_valid(value):
            return e.category, registry.get(e.category).normalize(value), True
    return (shaped[0].category, None, False) if shaped else None


def embedded(text: str | None, registry: Registry) -> list[tuple[str, str | None, bool]]:
    """Every candidate of ``text`` as ``(category, normalised, valid)``: the reference."""
    out = []
    for token in candidates(text, registry):
        found = classify_candidate(token, registry)
        if found:
            out.append(found)
    return out
