"""Decide which category, if any, each column holds.

Evidence comes from two places: the header (does it match a categorizer's synonyms?) and a
bounded sample of the column's values (what share of the non-blank values validate?). The
sample is the first ``SAMPLE_ROWS`` rows, read once; the full pass later validates every cell
anyway, so a wrong assignment can only ever count values that pass validation.

A column is assigned only on strong evidence (``docs/classification.md`` gives the rules and
the reasoning behind each threshold); anything in between becomes a warning that tells the
analyst how to decide with ``--column``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from .column_sample import (
    NOTHING,
    SAMPLE_ROWS,
    sample_evidence,
)
from .errors import UsageError
from .header_match import (
    header_matches,
    header_negatives,
    header_tokens,
    normalize_header,
)
from .registry import Registry

#: A header match is confirmed when at least this share of sampled values validates.
HEADER_MIN_SHARE = 0.5
#: Without a header match, a column is assigned on values alone only above this share...
VALUES_MIN_SHARE = 0.9
#: ...and only with at least this many non-blank sampled values.
VALUES_MIN_COUNT = 5
#: A category declaring ``MIN_DISTINCT_SHARE`` is assigned on values alone only when its
#: distinct valid sampled values reach that share of the valid ones, or at least this many
#: (an order table repeats its 300 customers over 2,000 rows: 0.15 distinct, yet people).
DISTINCT_ENOUGH = 50
#: A column is searched as free text (``freetext.py``) when at least this share of its sampled
#: non-blank values read as text: a non-ASCII character, or two words of ASCII letters. A
#: column of codes, numbers or dates (order numbers, UUIDs, amounts, ``2024-01-01 10:00``) is
#: not text and is never searched.
TEXT_MIN_SHARE = 0.5
#: Headers that name free text: such a column is searched whatever its sample holds.
TEXT_HEADERS = ("备注", "附言", "留言", "内容", "消息", "短信", "聊天", "说明", "描述", "摘要",
                "remark", "remarks", "note", "notes", "comment", "comments", "message", "msg",
                "content", "text", "memo", "description", "desc", "bz")



@dataclass
class Assignment:
    """A column's category and the evidence for it (the report's ``columns[]``)."""

    input: str
    column: str
    position: int  # 0-based column index in the input
    category: str
    method: str  # header | values | header+values | override
    confidence: float
    sampled: int = 0  # non-blank values in the sample
    sample_valid: int = 0
    header_synonym: str | None = None
    #: the role other than the record's subject that the header names (``roles.py``), if any
    role: str | None = None
    #: a column holding several categories (``mixed.py``): its categories in declared order,
    #: ``category`` among them; empty for a column of one category
    members: tuple[str, ...] = ()
    #: the companion type column of a mixed column (``证件类型``), if the input has one
    type_column: str | None = None
    #: sampled values that are masked values of the category (left out of its share)
    sample_masked: int = 0


@dataclass
class ColumnEvidence:
    """Everything the decision for one column rested on (``leakscan scan --explain``)."""

    input: str
    column: str
    header_matches: dict[str, str]  # category -> matching synonym
    sample: dict[str, tuple[int, int]]  # category -> (non-blank sampled, valid)
    decision: Assignment | None
    text: tuple[int, int] | None = None  # (non-blank sampled, text-like) for free text
    searched: bool = False  # searched as free text for embedded identifiers
    negatives: dict[str, list[str]] = field(default_factory=dict)  # category -> words hit
    kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)  # category -> VALUE_KINDS
    distinct: dict[str, tuple[int, int, float]] = field(default_factory=dict)
    # category -> (valid, distinct valid, MIN_DISTINCT_SHARE) where the category declares one
    #: mixed-column candidates -> sampled values whose first valid candidate it is (mixed.py)
    mixed: dict[str, int] = field(default_factory=dict)
    masked: dict[str, int] = field(default_factory=dict)  # category -> masked sampled values
    profile: str | None = None  # the layout profile that decided, and how (``profiles.py``)

    def lines(self) -> list[str]:
        head = (f"{self.input} :: {self.column!r} -> "
                + (f"{self.decision.category} ({self.decision.method}, confidence "
                   f"{self.decision.confidence:.2f})" if self.decision else "not assigned"))
        out = [head]
        if self.header_matches:
            out.append("    header matches: " + ", ".join(
                f"{c} (synonym {syn!r})" for c, syn in sorted(self.header_matches.items())))
        else:
            out.append("    header matches: none")
        if self.profile:
            out.append(f"    override: by profile {self.profile}")
        for c, words in sorted(self.negatives.items()):
            out.append(f"    negative words: {c} not matched, the header holds "
                       + ", ".join(repr(w) for w in words))
        shown = [(c, n, ok) for c, (n, ok) in sorted(self.sample.items()) if ok or
                 c in self.header_matches or self.masked.get(c)]
        if shown:
            out.append("    sampled values: " + "; ".join(
                _masked_share_text(c, n, ok, self.masked[c]) if self.masked.get(c) else
                (f"{c} {ok}/{n} " + (f"have its declared shape ({' or '.join(self.kinds[c])})"
                                     if c in self.kinds else "valid") + f" ({ok / n:.0%})")
                if n else f"{c} no values"
                for c, n, ok in shown))
        elif self.sample:
            n = max(v[0] for v in self.sample.values())
            out.append(f"    sampled values: {n} non-blank, none valid for any category "
                       f"recognised by values")
        if self.mixed:
            out.append("    mixed column candidates (first valid, in declared order): "
                       + ", ".join(f"{c} {n}" for c, n in self.mixed.items())
                       + (" -> " + " + ".join(self.decision.members)
                          if self.decision and self.decision.members else " -> not mixed"))
        if self.decision and self.decision.role:
            out.append(f"    role: {self.decision.role!r} (the header names a party other than "
                       f"the record's subject): its values count as items of their own, but "
                       f"the row's attribute values do not attach to them and they link no "
                       f"persons")
        for c, (ok, d, need) in sorted(self.distinct.items()):
            if ok:
                out.append(f"    diversity: {c} {d} distinct of {ok} valid sampled values "
                           f"({d / ok:.0%}; by values alone needs {need:.0%})")
        if self.searched:
            why = (f"{self.text[1]}/{self.text[0]} sampled values read as text"
                   if self.text and self.text[0] else "its header names free text")
            out.append(f"    free text: searched for embedded identifiers ({why})")
        return out


def _masked_share_text(category: str, n: int, ok: int, masked: int) -> str:
    """``--explain``'s share of a column holding masked values: valid of the clear ones.

    >>> _masked_share_text("phone", 100, 40, 60)
    'phone 40/40 clear values valid (100%), 60 of 100 masked'
    """
    clear = n - masked
    share = f" ({ok / clear:.0%})" if clear else ""
    return f"{category} {ok}/{clear} clear values valid{share}, {masked} of {n} masked"


@dataclass
class Classification:
    assignments: list[Assignment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    evidence: list[ColumnEvidence] = field(default_factory=list)
    free_text: list[tuple[int, str]] = field(default_factory=list)  # (position, column)
    #: (position, category) -> the first valid normalised values of the sample, sorted
    #: (``column_sample.sample_evidence``); for every candidate category of a sampled column
    examples: dict[tuple[int, str], list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Override:
    """``--column 'FILE:COLUMN=CATEGORY'``; FILE may be omitted to mean every input."""

    file: str | None
    column: str
    category: str | None  # None for ``=none``
    profile: str | None = None  # the layout profile it comes from and how (``profiles.py``)

    @classmethod
    def parse(cls, text: str, registry: Registry) -> Override:
        left, eq, category = text.rpartition("=")
        if not eq or not left:
            raise UsageError(f"--column {text!r}: expected FILE:COLUMN=CATEGORY or COLUMN=CATEGORY")
        file, colon, column = left.rpartition(":")
        category = category.strip()
        if category.lower() == "none":
            cat = None
        elif category in registry:
            cat = category
        else:
            raise UsageError(f"--column {text!r}: unknown category {category!r}; "
                             f"one of {', '.join(registry.ids())} or none")
        return cls(file if colon and file else None, column, cat)

    def applies_to(self, input_path: str) -> bool:
        if self.file is None:
            return True
        return input_path == self.file or input_path.endswith("/" + self.file.lstrip("./"))

    def text(self) -> str:
        where = f"{self.file}:" if self.file else ""
        return f"{where}{self.column}={self.category or 'none'}"


def sampled_columns(input_path: str, columns: list[str],
                    overrides: list[Override]) -> list[tuple[int, str]]:
    """``(position, name)`` of the columns whose values are sampled: all but the ones an
    override decides."""
    forced = {ov.column for ov in overrides if ov.applies_to(input_path) and ov.column in columns}
    return [(j, c) for j, c in enumerate(columns) if c not in forced]


def classify_input(con: duckdb.DuckDBPyConnection, input_path: str, source_sql: str,
                   columns: list[str], registry: Registry,
                   overrides: list[Override], *, free_text: bool = True,
                   credential: str | None = None, sampled=None) -> Classification:
    """Classify every column of one input from a bounded sample of its rows.

    With ``free_text``, also choose the columns to search for embedded identifiers
    (``is_free_text``): columns left unassigned, or assigned a category whose values are text
    (addresses, messages), whose sample reads as text or whose header names free text.

    ``credential`` names the account column of a credential list: a candidate mixed column of
    the categories that declare ``MIXED["credentials"]`` (``mixed.py``).

    ``sampled``: the sample evidence of the columns ``sampled_columns`` names, when the caller
    computed it already (``column_sample.sample_evidence_many``, several inputs at once).
    """
    result = Classification()
    forced = {}
    for ov in overrides:
        if ov.applies_to(input_path) and ov.column in columns:
            forced[ov.column] = ov
    todo = sampled_columns(input_path, columns, overrides)
    if sampled is None:
        sampled = sample_evidence(con, source_sql, todo, registry, credential) if todo \
            else NOTHING
    evidence, strong, coordinates, text, distinct, hists, masked, result.examples = sampled
    for j, column in enumerate(columns):
        if column in forced:
            ov = forced[column]
            decided = (Assignment(input_path, column, j, ov.category, "override", 1.0)
                       if ov.category else None)
        else:
            decided = _decide_mixed(input_path, j, column, hists.get(j), registry,
                                    column == credential) \
                or _decide(input_path, j, column, evidence.get(j, {}), strong.get(j, {}),
                           registry, result.warnings, distinct.get(j, {}), masked.get(j, {}))
        if decided:
            result.assignments.append(decided)
        ev = evidence.get(j, {})
        result.evidence.append(ColumnEvidence(
            input_path, column, header_matches(column, registry), ev, decided,
            negatives=header_negatives(column, registry),
            profile=forced[column].profile if column in forced else None,
            kinds={c: registry.get(c).value_kinds for c in ev if registry.get(c).value_kinds},
            distinct={c: (strong.get(j, {}).get(c, 0), d, registry.get(c).min_distinct_share)
                      for c, d in distinct.get(j, {}).items()},
            mixed=_mixed_evidence(column, hists.get(j), registry, column == credential),
            masked={c: m for c, m in masked.get(j, {}).items() if m}))
    taken = {a.position for a in result.assignments} | \
        {j for j, c in enumerate(columns) if c in forced}
    for a in _coordinate_pairs(input_path, columns, coordinates, taken, registry):
        result.assignments.append(a)
        ev = next(e for e in result.evidence if e.column == a.column)
        ev.decision = a
    result.assignments.sort(key=lambda a: a.position)
    _attach_type_columns(result.assignments, columns, registry)
    if free_text:
        decided = {a.position: a for a in result.assignments}
        for j, column in todo:
            ev = result.evidence[j]
            ev.text = text.get(j)
            if is_free_text(column, ev.text, decided.get(j), registry):
                ev.searched = True
                result.free_text.append((j, column))
    return result


def is_free_text(column: str, text: tuple[int, int] | None, decided: Assignment | None,
                 registry: Registry) -> bool:
    """Search this column for embedded identifiers? (``TEXT_MIN_SHARE``, ``TEXT_HEADERS``)

    >>> from leakscan.registry import default_registry
    >>> is_free_text("f3", (100, 80), None, default_registry())
    True
    >>> is_free_text("order_no", (100, 0), None, default_registry())
    False
    """
    if decided is not None and not registry.get(decided.category).search_inside:
        return False
    # A header naming an identifier says what the column is, even when too few of its values
    # validate for it to be assigned (a damaged ID column is not free text).
    if any(not registry.get(c).search_inside for c in header_matches(column, registry)):
        return False
    if any(t in TEXT_HEADERS for t in header_tokens(column)) or \
            normalize_header(column) in TEXT_HEADERS:
        return True
    return bool(text and text[0] and text[1] / text[0] >= TEXT_MIN_SHARE)


def _coordinate_pairs(input_path, columns, coordinates, taken, registry):
    """Adjacent unassigned columns holding latitude and longitude (either order).

    Both columns must hold decimal numbers with at least ``COORD_MIN_DECIMALS`` decimals in
    range (latitude within ±90, longitude within ±180) for ``VALUES_MIN_SHARE`` of their
    sampled values; a pair mostly inside China's bounding box gets a higher confidence.
    ``coordinates[j]`` holds column ``j``'s (non-blank, latitude-shaped, longitude-shaped,
    in China's latitudes, in China's longitudes) counts from the sample.
    """
    # the category whose values are positions: the one that declares the coordinate kind
    targets = [c.id for c in registry if "coordinate" in c.value_kinds]
    if len(targets) != 1:
        return []
    target = targets[0]
    free = [j for j in range(len(columns)) if j not in taken and j in coordinates]
    stats = coordinates
    out, used = [], set()
    for a, b in zip(free, free[1:], strict=False):
        if b != a + 1 or a in used:
            continue
        for lat, lon in ((a, b), (b, a)):
            n_lat, lat_ok, _, cn_lat, _ = stats[lat]
            n_lon, _, lon_ok, _, cn_lon = stats[lon]
            if min(n_lat, n_lon) < VALUES_MIN_COUNT:
                continue
            s_lat, s_lon = lat_ok / n_lat, lon_ok / n_lon
            if s_lat >= VALUES_MIN_SHARE and s_lon >= VALUES_MIN_SHARE:
                in_china = min(cn_lat / n_lat, cn_lon / n_lon) >= VALUES_MIN_SHARE
                conf = round(min(s_lat, s_lon) * (1.0 if in_china else 0.8), 4)
                for j, n, ok in ((lat, n_lat, lat_ok), (lon, n_lon, lon_ok)):
                    out.append(Assignment(input_path, columns[j], j, target, "values",
                                          conf, n, ok))
                used |= {a, b}
                break
    return out


def _attach_type_columns(assignments, columns, registry) -> None:
    """Give each mixed column the input's companion type column (``mixed.type_column``)."""
    from . import mixed
    for a in assignments:
        if a.members:
            a.type_column = mixed.type_column(columns, a.members, registry)


def _decide_mixed(input_path, j, column, hist, registry, credential):
    """A mixed assignment (``mixed.decide``) from the column's sampled bit masks, or None."""
    if not hist:
        return None
    from . import mixed
    nonblank, masks, bits = hist
    return mixed.decide(input_path, j, column, nonblank, masks, bits, registry, credential)


def _mixed_evidence(column, hist, registry, credential) -> dict[str, int]:
    """For ``--explain``: each mixed-column candidate's first-valid sampled values."""
    from . import mixed
    cands = mixed.candidates(column, registry, credential)
    if not hist or len(cands) < 2:
        return {}
    return mixed.first_valid(hist[1], hist[2], cands)


def _decide(input_path, j, column, ev, strong, registry, warnings, distinct=None, masked=None):
    """Apply the rules of docs/classification.md to one column's evidence.

    ``masked`` (category -> masked sampled values) is left out of every share: a share is of
    the clear values (docs/classification.md, "Masked values")."""
    distinct = distinct or {}
    masked = masked or {}
    headers = header_matches(column, registry)
    where = f"{input_path} column {column!r}"

    def share(cat_id):
        n, ok = ev.get(cat_id, (0, 0))
        clear = n - masked.get(cat_id, 0)
        return (ok / clear if clear else 0.0), clear, ok

    # 1. An identifying header confirmed by its values.
    confirmed = []
    weak = []
    for cat_id, synonym in headers.items():
        cat = registry.get(cat_id)
        if not cat.identifying and cat.personal:
            continue
        s, n, ok = share(cat_id)
        if (n and s >= HEADER_MIN_SHARE) or (not n and masked.get(cat_id)):
            confirmed.append((s, cat_id, n, ok, synonym))  # (all masked: the shape confirms)
        else:
            weak.append((cat_id, n, ok))
    # 2. Values alone, for categories that can be recognised without a header.
    # Without a header match the evidence must be strong: ``detect`` where a category
    # declares one (a name needs a known surname), otherwise validity.
    by_values = []
    for cat in registry:
        if cat.value_detection and cat.id not in headers:
            n = ev.get(cat.id, (0, 0))[0] - masked.get(cat.id, 0)  # clear values only
            ok = strong.get(cat.id, 0)
            s = ok / n if n else 0.0
            diverse = (cat.id not in distinct or distinct[cat.id] >= DISTINCT_ENOUGH
                       or distinct[cat.id] >= cat.min_distinct_share * ok)
            if n >= VALUES_MIN_COUNT and s >= VALUES_MIN_SHARE and diverse:
                by_values.append((s, cat.id, n, ok))

    if confirmed:
        best = _best(confirmed, f"{where}: ambiguous, header and values fit", warnings)
        if best is None:
            return None
        s, cat_id, n, ok, synonym = best
        return Assignment(input_path, column, j, cat_id, "header+values",
                          round(0.5 + 0.5 * s, 4), n + masked.get(cat_id, 0), ok, synonym,
                          sample_masked=masked.get(cat_id, 0))
    if by_values:
        best = _best(by_values, f"{where}: ambiguous, values fit", warnings)
        if best is None:
            return None
        s, cat_id, n, ok = best
        return Assignment(input_path, column, j, cat_id, "values",
                          round(s * n / (n + VALUES_MIN_COUNT), 4), n + masked.get(cat_id, 0),
                          ok, sample_masked=masked.get(cat_id, 0))
    for cat_id, n, ok in weak:
        if n:
            hidden = (f" ({masked[cat_id]} more masked, not counted in the share)"
                      if masked.get(cat_id) else "")
            warnings.append(
                f"{where}: header suggests {cat_id} but only {ok} of {n} sampled "
                f"{'clear ' if hidden else ''}values ({ok / n:.0%}) are valid{hidden}; not "
                f"assigned (force with --column '{input_path}:{column}={cat_id}')")
        else:
            warnings.append(f"{where}: header suggests {cat_id} but the first {SAMPLE_ROWS:,} "
                            f"rows hold no values; not assigned (force with --column)")
    # 4. An attribute header confirmed by values of the category's declared kinds.
    semantic = []
    for cat_id, synonym in headers.items():
        cat = registry.get(cat_id)
        if cat.identifying or not cat.personal:
            continue
        s, n, ok = share(cat_id)
        if n and s >= HEADER_MIN_SHARE:
            semantic.append(((s, len(synonym)), cat_id, n, ok, synonym))
        else:
            shape = " or ".join(cat.value_kinds) or "valid"
            warnings.append(
                f"{where}: header suggests {cat_id} but "
                + (f"only {ok} of {n} sampled values ({s:.0%}) have its shape ({shape})"
                   if n else f"the first {SAMPLE_ROWS:,} rows hold no values")
                + f"; not assigned (force with --column '{input_path}:{column}={cat_id}')")
    best = _best(semantic, f"{where}: ambiguous header, fits", warnings) if semantic else None
    if best is None:
        return None
    (s, _), cat_id, n, ok, synonym = best
    return Assignment(input_path, column, j, cat_id, "header+values", round(0.5 + 0.5 * s, 4),
                      n, ok, synonym)


def _best(candidates: list[tuple], ambiguous: str, warnings: list[str]) -> tuple | None:
    """The candidate with the strongest evidence (first field, then category id), or None
    with a warning when the two strongest tie: a column is assigned only when one category
    fits better than every other (docs/classification.md)."""
    ranked = sorted(candidates, reverse=True)
    if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
        names = " and ".join(c[1] for c in ranked[:2])
        warnings.append(f"{ambiguous} {names} equally; not assigned (decide with --column)")
        return None
    return ranked[0]
