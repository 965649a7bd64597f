"""The sample half of classification: what a bounded sample of each column's values shows.

One query per input reads its first rows (``sample_rows``: fewer, the wider the file) in long
form and runs every candidate category's normalise/validate pipeline over each distinct
(column, value) pair; ``classify.py`` weighs the counts it returns against the header
(``header_match.py``) under the rules of ``docs/classification.md``.
"""

from __future__ import annotations

from leakscan.text import RE2_WHITESPACE, WHITESPACE_CHARS

from .expressions import CellSpec, apply, layered_select
from .header_match import header_matches
from .sql import first_distinct_sorted, long_form

SAMPLE_ROWS = 2000
#: Valid values kept per (column, category) from the sample, for the reports to show masked.
EXAMPLES = 3
#: Wide files are sampled on fewer rows so that the sample stays near this many cells...
SAMPLE_CELLS = 200_000
#: ...but never fewer rows than this, which still bounds a share's error to a few percent.
SAMPLE_MIN_ROWS = 200


def sample_rows(n_columns: int) -> int:
    """Rows to sample for a file of ``n_columns`` columns.

    >>> sample_rows(10), sample_rows(300), sample_rows(5000)
    (2000, 666, 200)
    """
    return max(SAMPLE_MIN_ROWS, min(SAMPLE_ROWS, SAMPLE_CELLS // max(1, n_columns)))


#: A coordinate has a decimal point and at least this many decimals (4 decimals is ~11 m):
#: plain integers, prices and percentages do not look like positions.
COORD_MIN_DECIMALS = 4
#: China's bounding box (latitude, longitude), which raises the confidence of a pair.
CHINA_BOX = ((18.0, 54.0), (73.0, 135.0))
#: SQL: the value reads as text (see ``classify.TEXT_MIN_SHARE``).
_TEXT_LIKE = "regexp_matches({value}, '[^\\x00-\\x7f]|[A-Za-z]{2,}\\s+[A-Za-z]{2,}')"


def nonblank_sql(expr: str) -> str:
    """SQL: the cell holds something other than white space (Python: ``value.strip()``)."""
    # "has a character that is not white space": RE2 stops at the first such character.
    # Most cells start with one: their first code point (ord: -1 for '') decides them
    # without the regular expression (half the cost on the benchmark dump's six columns).
    first = ", ".join(str(ord(c)) for c in WHITESPACE_CHARS)
    return (f"(CASE WHEN {expr} IS NULL THEN false WHEN ord({expr}) NOT IN (-1, {first}) "
            f"THEN true ELSE regexp_matches({expr}, '[^{RE2_WHITESPACE[1:]}') END)")


def _mixed_mask_sql(cats, registry) -> tuple[str | None, dict[str, int]]:
    """SQL for the bit mask of a value's valid mixed-capable categories (the keys of the
    histogram ``mixed.first_valid`` reads), and each category's bit; None when fewer than two
    categories could share a column."""
    bits = {c: b for b, c in enumerate(c for c in cats if registry.get(c).mixed)}
    if len(bits) < 2:
        return None, {}
    return " + ".join(f"CASE WHEN k{cats.index(c)}_ok THEN {1 << b} ELSE 0 END"
                      for c, b in bits.items()), bits


#: Empty sample evidence: the shape ``sample_evidence`` returns for a job with nothing sampled.
NOTHING = ({}, {}, {}, {}, {}, {}, {}, {})


def sample_evidence(con, source_sql, todo, registry, credential=None):
    """Per column, per candidate category: (non-blank, valid) and strong-evidence counts;
    per column the bit masks of the mixed-capable categories each value validates as
    (``mixed.py``); and per (column, candidate category) its first ``EXAMPLES`` valid
    normalised values, sorted (``examples``: what a report shows, masked).

    The first ``SAMPLE_ROWS`` rows are read once and turned into long form (column index,
    value; ``sql.long_form``), so the query holds one normalise/validate pipeline per
    candidate *category* whatever the number of columns: a 300-column export costs about what
    a 3-column one does, instead of one pipeline (and, for resident IDs, one region-table
    join) per cell position. A reading error of the input is raised.
    """
    (got,) = sample_evidence_many(con, [(source_sql, todo, credential)], registry)
    if isinstance(got, BaseException):
        raise got
    return got


def sample_evidence_many(con, jobs, registry, *, catch=(), reraise=(), kernels=frozenset()):
    """``sample_evidence`` for several inputs at once: ``jobs`` are ``(source_sql, todo,
    credential)``; the result has one entry per job, its evidence or, when reading that
    input's sample raised one of ``catch`` (but none of ``reraise``), the exception.
    ``kernels``: the categories whose compiled twin is registered on ``con`` (the same
    values either way: ``tests/test_kernels.py``).

    Why batch: on a small input the evaluation query costs about 0.2 s whatever its size
    (binding and optimising some 20 pipelines, compiling their regular expressions), against
    milliseconds of work; a directory of small files paid it once per file. Here each
    input's sample goes into one long table, ``i`` saying whose, and the pipelines run once
    over all of them; every figure is grouped by ``(i, j)``, so each input's evidence is what
    it would be on its own.
    """
    from . import mixed
    results: list = [NOTHING] * len(jobs)
    own = []  # each job's candidate categories: its evidence speaks of these only
    for _, todo, credential in jobs:
        candidates = {c.id for c in registry if c.value_detection}
        for _, column in todo:
            candidates |= set(header_matches(column, registry))
            candidates |= set(mixed.candidates(column, registry, column == credential))
        own.append(candidates)
    cats = sorted(set().union(*own))
    live = [k for k, (_, todo, _) in enumerate(jobs) if todo]
    if not cats or not live:
        return results
    con.execute("CREATE OR REPLACE TEMP TABLE leakscan_sample_long "
                "(i INTEGER, j INTEGER, v VARCHAR, n BIGINT)")
    sampled = []
    for k in live:
        source_sql, todo, _ = jobs[k]
        n_rows = sample_rows(len(todo))
        # distinct (column, value) pairs with their multiplicity: the pipelines run once per
        # distinct value of a column (a wide export is mostly flags and enumerations), and
        # every count is weighted by ``n`` (``_weighted``); distinct counts need no weight
        first_rows = f"(SELECT * FROM {source_sql} LIMIT {n_rows})"
        try:
            con.execute(f"INSERT INTO leakscan_sample_long SELECT {k}, j, v, count(*) "
                        f"FROM ({long_form(first_rows, todo)}) GROUP BY j, v")
        except catch as e:
            if isinstance(e, reraise):
                raise
            results[k] = e
            continue
        sampled.append(k)
    if not sampled:
        con.execute("DROP TABLE leakscan_sample_long")
        return results
    specs = [CellSpec(f"k{k}", "v", registry.get(cat_id)) for k, cat_id in enumerate(cats)]
    # read through a (no-op) grouping: a hash aggregate's result is scanned by all threads,
    # while a table this small is one row group, read by one (1M-row benchmark: 0.25 s)
    spread = ("(SELECT i, j, v, CAST(sum(n) AS BIGINT) AS n FROM leakscan_sample_long "
              "GROUP BY i, j, v) AS long")
    inner = layered_select(specs, spread, ["i", "j", "n"], kernels)
    aggs = [_weighted(nonblank_sql("k0_raw"))]
    for k, cat_id in enumerate(cats):
        detect_sql = registry.get(cat_id).detect_sql
        strong = (f"k{k}_ok AND coalesce({apply(detect_sql, f'k{k}_norm')}, false)"
                  if detect_sql else f"k{k}_ok")
        aggs += [_weighted(f"k{k}_ok"), _weighted(strong)]
    diverse = [(k, c) for k, c in enumerate(cats) if registry.get(c).min_distinct_share]
    for k, _ in diverse:
        detect_sql = registry.get(cats[k]).detect_sql
        strong = (f"k{k}_ok AND coalesce({apply(detect_sql, f'k{k}_norm')}, false)"
                  if detect_sql else f"k{k}_ok")
        aggs.append(f"count(DISTINCT CASE WHEN {strong} THEN k{k}_norm END)")
    aggs += [_weighted(c) for c in _coordinate_conditions("k0_raw")]
    aggs.append(_weighted(apply(_TEXT_LIKE, "k0_raw")))
    aggs += [_weighted(f"k{k}_masked") for k in range(len(cats))]  # popped second below
    # last, popped first: each category's first three valid values (reports show them
    # masked), so that the scan need not run the assigned pipelines over the sample again
    aggs += [first_distinct_sorted(f"k{k}_norm", f"k{k}_ok", EXAMPLES) for k in range(len(cats))]
    # the pipelines' results are kept for the second query, the mixed-column histogram
    con.execute(f"CREATE OR REPLACE TEMP TABLE leakscan_eval AS {inner}")
    rows = con.execute(f"SELECT i, j, {', '.join(aggs)} FROM leakscan_eval "
                       f"GROUP BY i, j").fetchall()
    mask, bits = _mixed_mask_sql(cats, registry)
    hist_rows = con.execute(f"SELECT i, j, {mask} AS m, sum(n) FROM leakscan_eval "
                            f"WHERE {nonblank_sql('k0_raw')} GROUP BY i, j, m").fetchall() \
        if mask else []
    con.execute("DROP TABLE leakscan_eval")
    con.execute("DROP TABLE leakscan_sample_long")
    per_mask: dict[tuple[int, int], dict[int, int]] = {}
    for i, j, m, n in hist_rows:
        per_mask.setdefault((i, j), {})[m] = int(n)
    by_job: dict[int, list] = {}
    for i, *row in rows:
        by_job.setdefault(i, []).append(row)
    for k in sampled:
        results[k] = _evidence_of(by_job.get(k, []), jobs[k][1], cats, own[k], diverse, bits,
                                  {j: h for (i, j), h in per_mask.items() if i == k}, registry)
    return results


def _evidence_of(rows, todo, cats, own, diverse, bits, per_mask, registry):
    """One input's ``sample_evidence`` from its rows of the ``GROUP BY i, j`` query, over the
    input's own candidate categories ``own`` (``cats`` is the batch's): its figures, and the
    histogram's bit masks renumbered, are what the input alone would have given."""
    own_bits = {c: b for b, c in enumerate(c for c in cats if c in own and c in bits)}
    mask = len(own_bits) >= 2

    def renumber(m: int) -> int:
        return sum(1 << own_bits[c] for c, b in bits.items() if c in own_bits and m >> b & 1)

    hist_of: dict[int, dict[int, int]] = {}
    for j, per in per_mask.items():
        for m, n in per.items():
            mine = hist_of.setdefault(j, {})
            mine[renumber(m)] = mine.get(renumber(m), 0) + n
    evidence: dict[int, dict[str, tuple[int, int]]] = {}
    strong_evidence: dict[int, dict[str, int]] = {}
    coordinates: dict[int, tuple[int, ...]] = {}
    text: dict[int, tuple[int, int]] = {}
    distinct: dict[int, dict[str, int]] = {}
    #: per column: (non-blank, {bit mask of valid mixed-capable categories: values}, bits)
    hists: dict[int, tuple[int, dict[int, int], dict[str, int]]] = {}
    masked: dict[int, dict[str, int]] = {}
    examples: dict[tuple[int, str], list[str]] = {}
    n_coord = len(_coordinate_conditions("x"))
    names = dict(todo)
    for j, nonblank, *counts in rows:
        for cat_id, values in zip(cats, counts[len(counts) - len(cats):], strict=True):
            if cat_id in own:
                examples[(j, cat_id)] = list(values or [])
        del counts[len(counts) - len(cats):]
        masked[j] = {c: m for c, m in zip(cats, counts[len(counts) - len(cats):], strict=True)
                     if c in own}
        del counts[len(counts) - len(cats):]
        if mask:
            hists[j] = (nonblank, hist_of.get(j, {}), own_bits)
        text[j] = (nonblank, counts.pop())
        for i, (_, cat_id) in enumerate(diverse):
            if cat_id in own:
                distinct.setdefault(j, {})[cat_id] = counts[2 * len(cats) + i]
        headers = header_matches(names[j], registry)
        for k, cat_id in enumerate(cats):
            if cat_id in own and (cat_id in headers or registry.get(cat_id).value_detection):
                evidence.setdefault(j, {})[cat_id] = (nonblank, counts[2 * k])
                strong_evidence.setdefault(j, {})[cat_id] = counts[2 * k + 1]
        coordinates[j] = (nonblank, *counts[len(counts) - n_coord:])
    return evidence, strong_evidence, coordinates, text, distinct, hists, masked, examples


def _weighted(condition: str) -> str:
    """SQL: how many sampled cells meet ``condition``, over rows of distinct values each
    standing for ``n`` cells (``count_if`` over the cells themselves)."""
    return f"coalesce(sum(n) FILTER (WHERE {condition}), 0)"


def _coordinate_conditions(x: str) -> list[str]:
    """Conditions: a value shaped like a latitude, a longitude, and inside China's box."""
    pattern = f"-?[0-9]{{1,3}}\\.[0-9]{{{COORD_MIN_DECIMALS},}}"
    num = f"TRY_CAST({x} AS DOUBLE)"
    shaped = f"regexp_full_match(trim({x}), '{pattern}')"
    (lat_lo, lat_hi), (lon_lo, lon_hi) = CHINA_BOX
    return [f"{shaped} AND abs({num}) <= 90",
            f"{shaped} AND abs({num}) <= 180",
            f"{shaped} AND {num} BETWEEN {lat_lo} AND {lat_hi}",
            f"{shaped} AND {num} BETWEEN {lon_lo} AND {lon_hi}"]
