"""Find identifiers embedded in free text: remarks, messages, addresses with a phone in them.

A text cell is cut into *candidates* by three patterns, then each candidate goes through the
same categorizer pipeline (SQL) or reference (Python) as a cell of a categorised column:

- **e-mail addresses**, matched first and blanked out of the text, so that the digits of
  ``13800138000@qq.com`` are not also read as a phone number;
- **runs**: maximal runs of ASCII letters and digits (after full-width folding). This is the
  boundary rule: a number inside a longer run of digits or letters is not a candidate, so
  ``订单2024011513800138000`` holds no phone number while ``电话13800138000`` does (Han
  characters, punctuation and spaces are boundaries). A run is kept only if it has the shape
  of an 18-character resident ID, a phone number or a card number;
- **grouped numbers** written the way people write them: ``138 0013 8000``,
  ``86-138-0013-8000``, ``010-12345678``, ``6222 0212 3456 7890``. A grouped number that
  touches a letter or digit is not a candidate, by the same boundary rule.

Each candidate belongs to at most one category. In the order of ``EMBEDDED`` (e-mail, resident
ID, phone, bank card), a candidate goes to the first category whose shape it has *and* whose
validation it passes; a candidate that passes none goes to the first category whose shape it
has, as a detected but invalid value. So an 18-digit valid resident ID is never also counted
as a card number that happens to pass Luhn.

Two deliberate limits, both for precision (counts are evidence, and free text has no column
share to protect it, unlike a categorised column):

- 15-digit legacy resident IDs are not searched for in free text: they have no check digit and
  collide with IMEIs and other 15-digit serials.
- Card numbers count only in a cell that speaks of a card or an account (``CARD_CONTEXT``:
  卡, 账号, 账户, card, account...), must start with a card scheme's prefix (UnionPay 62,
  Visa 4, Mastercard 51-55 and 22-27, American Express 34/37, JCB 35) and be 15-19 digits
  long. Without the context rule, a quarter of random 18-digit numbers (order numbers in a
  remark) have a scheme prefix and one in ten of those passes Luhn: 2.6 % would be counted.

``candidates_sql`` and ``resolution_sql`` are the SQL; ``candidates`` and ``embedded`` are the
plain-Python reference, built on the same categorizer references (python-stdnum,
phonenumbers). ``tests/test_freetext.py`` holds the two in agreement on generated texts.

>>> [tok for tok in candidates("电话13800138000，备用 138 0013 8001；订单2024011513800138000")]
['138 0013 8001', '13800138000']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from leakscan.text import FOLD_WIDTH_SQL, fold_width

from .expressions import CellSpec, apply, layered_select
from .registry import Registry
from .sql import MULTI_SEP, quote_literal

# -- the patterns (RE2 in DuckDB and Python's re read them the same way) -------------------
_LOCAL = r"[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
#: An e-mail address (validated afterwards by the ``email`` categorizer).
EMAIL_PATTERN = rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})+"
#: How people group phone and card numbers. ``86 138 0013 8000``; ``0755-12345678``;
#: four groups of four, and an optional short fifth group (19-digit cards).
LAYOUT_PATTERN = (r"(?:86[ \-])?1[0-9]{2}[ \-][0-9]{4}[ \-][0-9]{4}"
                  r"|0[1-9][0-9]{1,2}-[0-9]{7,8}"
                  r"|[0-9]{4}(?:[ \-][0-9]{4}){3}(?:[ \-][0-9]{1,3})?")
#: A grouped number with whatever letters and digits touch it; kept only if nothing does.
GROUPED_PATTERN = rf"[0-9A-Za-z]*(?:{LAYOUT_PATTERN})[0-9A-Za-z]*"
RUN_PATTERN = r"[0-9A-Za-z]+"

#: Shapes, tested on a candidate with its spaces and hyphens removed (resident IDs: as is).
ID_SHAPE = r"[0-9]{17}[0-9Xx]"
PHONE_SHAPE = r"(?:0086|86)?(?:1[0-9]{10}|0[1-9][0-9]{8,10})"
CARD_SHAPE = r"(?:62[0-9]{13,17}|4[0-9]{14,18}|5[1-5][0-9]{13,17}|2[2-7][0-9]{13,17}|3[47][0-9]{13}|35[0-9]{13,17})"
#: A run worth keeping: the shape of at least one category.
RUN_SHAPE = f"{ID_SHAPE}|{PHONE_SHAPE}|{CARD_SHAPE}"
#: A card number counts in free text only in a cell that talks about a card or an account:
#: 16-19 digit order numbers in remarks pass Luhn one time in ten (docs/classification.md).
CARD_CONTEXT = "(?i)卡|账号|帐号|账户|帐户|card|acct|account"
#: Marks the candidates of a cell with a card context (never a character of a candidate).
CONTEXT_MARK = "#"

#: A cell worth cutting at all holds seven digits in a row, a group of three or four digits
#: followed by a separator and four more (``138 0013``, ``6222-0212``), or an at-sign
#: (full-width forms included): most text cells and every date fail this cheap test.
_D = "[0-9\\x{ff10}-\\x{ff19}]"
_WORTH = f"{_D}{{7}}|{_D}{{3,4}}[ \\-\\x{{3000}}\\x{{ff0d}}]{_D}{{4}}|[@\\x{{ff20}}]"
_WORTH_SQL = f"regexp_matches({{value}}, '{_WORTH}')"


def _compact_sql(v: str) -> str:
    return f"regexp_replace({v}, '[ \\-]', '', 'g')"


def _compact(v: str) -> str:
    return v.replace(" ", "").replace("-", "")


@dataclass(frozen=True)
class Embedded:
    """A category searched for in free text, with its candidate shape."""

    category: str
    shape_sql: str  # BOOLEAN template over the raw candidate ``{value}``

    def has_shape(self, token: str) -> bool:
        """Python twin of ``shape_sql``, on a candidate as ``candidates`` gives it."""
        value = token.lstrip(CONTEXT_MARK)
        if self.category == "email":
            return "@" in value
        if self.category == "cn_resident_id":
            return re.fullmatch(ID_SHAPE, value) is not None
        if self.category == "phone":
            return re.fullmatch(PHONE_SHAPE, _compact(value)) is not None
        return token.startswith(CONTEXT_MARK) and \
            re.fullmatch(CARD_SHAPE, _compact(value)) is not None


_BARE = f"ltrim({{value}}, '{CONTEXT_MARK}')"  # the candidate without its context mark

#: Searched categories, in the order a candidate is offered to them.
EMBEDDED = (
    Embedded("email", f"contains({_BARE}, '@')"),
    Embedded("cn_resident_id", f"regexp_full_match({_BARE}, '{ID_SHAPE}')"),
    Embedded("phone", f"regexp_full_match({_compact_sql(_BARE)}, '{PHONE_SHAPE}')"),
    Embedded("bank_card", f"starts_with({{value}}, '{CONTEXT_MARK}') AND "
                          f"regexp_full_match({_compact_sql(_BARE)}, '{CARD_SHAPE}')"),
)


def searched(registry: Registry) -> list[Embedded]:
    """The embedded categories this registry has (all four in the default one)."""
    return [e for e in EMBEDDED if e.category in registry]


# -- SQL ----------------------------------------------------------------------------------
def candidate_layers(expr: str, name: str) -> list[str]:
    """Projection layers (each an ``expr AS col`` over the previous ones) ending in ``name``,
    the cell's list of candidates, NULL when there is none (so that rows without candidates
    group together). The cell is folded once and the e-mails blanked once."""
    folded, rest, found = f"{name}__f", f"{name}__r", f"{name}__l"
    worth = apply(_WORTH_SQL, expr)
    return [
        f"CASE WHEN {worth} THEN {apply(FOLD_WIDTH_SQL, expr)} END AS {folded}",
        f"regexp_replace({folded}, '{EMAIL_PATTERN}', ' ', 'g') AS {rest}",
        f"list_concat(regexp_extract_all({folded}, '{EMAIL_PATTERN}'), "
        f"list_filter(regexp_extract_all({rest}, '{GROUPED_PATTERN}'), "
        f"lambda x: regexp_full_match(x, '{LAYOUT_PATTERN}')), "
        f"list_filter(regexp_extract_all({rest}, '{RUN_PATTERN}'), "
        f"lambda x: regexp_full_match(x, '{RUN_SHAPE}'))) AS {found}",
        f"CASE WHEN len({found}) = 0 THEN NULL "
        f"WHEN regexp_matches({folded}, '{CARD_CONTEXT}') "
        f"THEN list_transform({found}, lambda x: '{CONTEXT_MARK}' || x) "
        f"ELSE {found} END AS {name}",
    ]


def with_candidates(source: str, columns: list[tuple[str, str]]) -> str:
    """``source`` with a candidate list column added for each ``(expr, name)``."""
    sql = f"SELECT * FROM {source}"
    for step in range(len(candidate_layers("v", "x"))):
        added = [candidate_layers(expr, name)[step] for expr, name in columns]
        sql = f"SELECT *, {', '.join(added)} FROM ({sql}) AS ft{step}"
    drop = [f"{name}__{part}" for _, name in columns for part in "frl"]
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
_EMAIL_RE = re.compile(EMAIL_PATTERN)
_GROUPED_RE = re.compile(GROUPED_PATTERN)
_LAYOUT_RE = re.compile(LAYOUT_PATTERN)
_RUN_RE = re.compile(RUN_PATTERN)
_RUN_SHAPE_RE = re.compile(RUN_SHAPE)
_CARD_CONTEXT_RE = re.compile(CARD_CONTEXT)
#: The same pattern for Python's re, which spells a code point \uhhhh rather than \x{hhhh}.
_WORTH_RE = re.compile(re.sub(r"\\x\{([0-9a-f]{4})\}", r"\\u\1", _WORTH))


def candidates(text: str | None) -> list[str]:
    """The candidates of one cell, in the SQL's order (e-mails, grouped numbers, runs)."""
    if text is None or not _WORTH_RE.search(text):
        return []
    folded = fold_width(text)
    rest = _EMAIL_RE.sub(" ", folded)
    found = (_EMAIL_RE.findall(folded)
             + [g for g in _GROUPED_RE.findall(rest) if _LAYOUT_RE.fullmatch(g)]
             + [r for r in _RUN_RE.findall(rest) if _RUN_SHAPE_RE.fullmatch(r)])
    if _CARD_CONTEXT_RE.search(folded):
        found = [CONTEXT_MARK + tok for tok in found]
    return found


def classify_candidate(token: str, registry: Registry) -> tuple[str, str | None, bool] | None:
    """``(category, normalised value or None, valid)`` for one candidate, or None."""
    cats = searched(registry)
    shaped = [e for e in cats if e.has_shape(token)]
    value = token.lstrip(CONTEXT_MARK)
    for e in shaped:
        if registry.get(e.category).is_valid(value):
            return e.category, registry.get(e.category).normalize(value), True
    return (shaped[0].category, None, False) if shaped else None


def embedded(text: str | None, registry: Registry) -> list[tuple[str, str | None, bool]]:
    """Every candidate of ``text`` as ``(category, normalised, valid)``: the reference."""
    out = []
    for token in candidates(text):
        found = classify_candidate(token, registry)
        if found:
            out.append(found)
    return out
