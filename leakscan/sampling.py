"""Verification by sampling: draw a reproducible sample of counted records, read the
examiner's answers back, and say what the counts are at the lower bound of the genuine share.

Format-valid is not authentic: a resident ID with a correct check digit may belong to nobody.
Fa Shi [2017] No. 10 Art. 11 takes the seized count of a batch as found unless there is
evidence that the information is untrue; the SPC's commentary says the 50- and 500-item
classes should be verified rather than presumed, and courts have accepted a sample checked
for authenticity (docs/counting.md, "Verification by sampling"). This module gives the
examiner that sample and turns the answers into an interval:

1. ``draw_sample`` (``leakscan sample REPORT.json PATH... --n N``): checks with ``verify.py``
   that PATH... are the files the report hashed, scans them again with the report's options
   and ``--evidence-out`` (one row per counted record, ``evidence.py``), and draws, in
   DuckDB, the first ``n`` records of each tier ordered by SHA-256 of (seed, input, row). The
   seed is the report's SHA-256 unless another is given; the same report and files always
   give the same sample. The sample is a CSV file (UTF-8 with BOM, for spreadsheets) with an
   empty ``genuine`` column; its first line records the report, the seed, the scan it
   belongs to and a digest of the drawn rows.
2. ``read_sample``: the filled-in file, every row answered yes or no, checked against its
   own digest.
3. ``verification`` (``leakscan scan PATH... --verification FILE``): per tier the genuine
   share with its exact interval (``interval.py``), the count at the lower bound
   (``floor(count * lower)``), and per items ruleset the level those lowered counts reach,
   computed by the ruleset's own ``assess`` (no second threshold evaluator).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import tempfile
import warnings
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

import duckdb

from . import rulesets as rulesets_mod
from .damage import default_null_markers
from .errors import ExitCode, LeakscanError, LeakscanWarning, UsageError
from .evidence import spreadsheet_safe
from .interval import MAX_SAMPLE, clopper_pearson, confidence_level
from .outputs import check_outputs, replacing
from .sql import quote_literal
from .verify import load_report, verify

TIERS = ("A", "B", "C")
MAGIC = "# leakscan sample v1"
#: The columns every sample file has; the masked values of each category sit between
#: ``categories`` and ``genuine``.
FIXED = ("sample_id", "tier", "input", "row", "categories")
GENUINE_COLUMN = "genuine"
#: What an examiner may write in ``genuine`` (case and surrounding spaces ignored).
ANSWERS = {"yes": True, "y": True, "true": True, "1": True, "是": True,
           "no": False, "n": False, "false": False, "0": False, "否": False}
DEFAULT_CONFIDENCE = Decimal("0.95")
#: A filled-in sample is read whole; nothing leakscan writes comes near this.
MAX_FILE_BYTES = 256 << 20
_SEED = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class NotTheReportsFiles(LeakscanError):
    """``leakscan sample``: PATH... are not the files the report counted, or do not count as
    it did (exit 5, as ``leakscan verify``)."""

    exit_code = ExitCode.NOT_VERIFIED


# -- which scan a sample belongs to ---------------------------------------------------------

def scan_identity(input_hashes: list[str], dedup: str, scope: str, tiers: dict) -> str:
    """What a sample belongs to: the readable inputs' SHA-256 (as a set), the dedup and scope
    that decide what one record is, and the tier counts the strata were drawn from. A scan
    with the same identity counts the same records, so the sample speaks for its tiers."""
    doc = {"inputs": sorted(input_hashes), "dedup": dedup, "scope": scope,
           "tiers": {t: int(tiers.get(t, 0)) for t in TIERS}}
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def report_identity(doc: dict) -> str:
    """``scan_identity`` of a ``leakscan/report/v1`` document."""
    return scan_identity([i["sha256"] for i in doc["inputs"] if not i.get("error")],
                         doc["options"]["dedup"], doc["options"]["scope"], doc["tiers"])


def draw_digest(rows) -> str:
    """SHA-256 over the drawn rows' ``(sample_id, tier, input, row)`` as written: reading the
    file back checks that no row was added, removed or changed."""
    h = hashlib.sha256()
    for sample_id, tier, path, row in rows:
        h.update("\x1f".join((str(sample_id), str(tier), str(path), str(row))).encode())
        h.update(b"\x1e")
    return h.hexdigest()


# -- drawing --------------------------------------------------------------------------------

@dataclass
class DrawnSample:
    """What ``draw_sample`` wrote: per tier the records counted and the records drawn."""

    path: str
    seed: str
    report_sha256: str
    population: dict[str, int]
    drawn: dict[str, int]
    masked: bool


def file_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def rescan_options(doc: dict) -> dict:
    """The ``scan()`` options that reproduce the report's records: how rows are read, what
    one record is, and the reference date that decided which birth dates were valid."""
    o = doc["options"]
    defaults = list(default_null_markers())
    markers = list(o.get("null_markers") or defaults)
    added = (markers[len(defaults):] if markers[:len(defaults)] == defaults
             else [m for m in markers if m not in defaults])
    as_of = (doc.get("reference_date") or {}).get("date") or o.get("as_of")
    out = {"dedup": o["dedup"], "scope": o["scope"], "columns": list(o.get("overrides", [])),
           "header": o.get("header", "auto"), "free_text": o.get("free_text", True),
           "encoding": o.get("encoding"), "strict": bool(o.get("strict", False)),
           "include": list(o.get("include", [])), "exclude": list(o.get("exclude", [])),
           "follow_links": bool(o.get("follow_links", False)), "null_markers": added,
           "as_of": as_of}
    return {k: v for k, v in out.items() if v is not None}


def default_output(report_path: str) -> str:
    """``case.json`` -> ``case.sample.csv``, beside the report."""
    stem = report_path[:-5] if report_path.lower().endswith(".json") else report_path
    return stem + ".sample.csv"


def draw_sample(report_path: str, paths: list[str], *, n: int, output: str,
                seed: str | None = None, unmasked: bool = False, progress=None,
                threads: int | None = None, memory_limit: str | None = None) -> DrawnSample:
    """Write the sample file for ``report_path`` to ``output`` (see the module's docstring)."""
    from .scan import scan

    if not 1 <= n <= MAX_SAMPLE:
        raise UsageError(f"--n must be between 1 and {MAX_SAMPLE:,} (records per tier), "
                         f"not {n}")
    if seed is not None and not _SEED.fullmatch(seed):
        raise UsageError("--seed must be 1 to 128 letters, digits or . _ : - (it is written "
                         "into the sample file's first line)")
    check_outputs(list(paths) + [report_path], [("-o", output)])
    doc = load_report(report_path)
    report_sha = file_sha256(report_path)
    checked = verify(report_path, list(paths))
    if not checked.ok:
        bad = [ln for ln in checked.lines() if not ln.startswith("OK ")]
        raise NotTheReportsFiles(f"{'; '.join(' '.join(b.split()) for b in bad)} "
                                 f"(leakscan verify {report_path} ... shows each file)")
    seed = seed or report_sha
    options = rescan_options(doc)
    with tempfile.TemporaryDirectory(prefix="leakscan-sample-") as tmp:
        evidence = os.path.join(tmp, "records.parquet")
        with warnings.catch_warnings():  # the report's warnings were read when it was made
            warnings.simplefilter("ignore", LeakscanWarning)
            again = scan(list(paths), progress=progress, evidence_out=evidence,
                         unmasked=unmasked, threads=threads, memory_limit=memory_limit,
                         **options)
        now = again.to_dict()
        if report_identity(now) != report_identity(doc):
            raise NotTheReportsFiles(
                f"scanned again with the report's options, the files give tiers "
                f"{_tiers_text(now['tiers'])}, the report {_tiers_text(doc['tiers'])}: "
                f"this leakscan does not count these files as the report did; make the "
                f"sample with the version that made the report ({doc['tool']['version']})")
        names, rows, population = _draw(evidence, seed, n)
    values = [c for c in names if c not in ("input", "row", "tier", "categories", "k")]
    records = []
    for r in rows:
        rec = dict(zip(names, r, strict=True))
        records.append([f"{rec['tier']}-{rec['k']:04d}", rec["tier"],
                        spreadsheet_safe(rec["input"]), str(rec["row"]),
                        spreadsheet_safe(rec["categories"] or "")]
                       + [spreadsheet_safe(rec[c] or "") for c in values] + [""])
    digest = draw_digest((r[0], r[1], r[2], r[3]) for r in records)
    tiers = doc["tiers"]
    head = (f"{MAGIC} report_sha256={report_sha} seed={seed} scan={report_identity(doc)} "
            f"draw={digest} tiers=A:{tiers['A']}/B:{tiers['B']}/C:{tiers['C']} "
            f"dedup={doc['options']['dedup']} scope={doc['options']['scope']} "
            f"values={'unmasked' if unmasked else 'masked'}")
    with replacing(output, option="-o") as target, \
            open(target, "w", encoding="utf-8-sig", newline="") as f:
        f.write(head + "\r\n")
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(list(FIXED) + values + [GENUINE_COLUMN])
        w.writerows(records)
    drawn = {t: sum(1 for r in records if r[1] == t) for t in TIERS}
    return DrawnSample(output, seed, report_sha, population, drawn, not unmasked)


def _draw(evidence: str, seed: str, n: int) -> tuple[list[str], list[tuple], dict]:
    """The first ``n`` records of each tier in the order of SHA-256(seed, input, row), in
    DuckDB; Python receives only the drawn rows and the tier totals."""
    con = duckdb.connect(":memory:")
    try:
        src = f"read_parquet({quote_literal(evidence)})"
        order = ("sha256(concat_ws(chr(31), $seed, input, CAST(\"row\" AS VARCHAR))), "
                 "input, \"row\"")
        cur = con.execute(f"SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY tier "
                          f"ORDER BY {order}) AS k FROM {src}) AS ranked WHERE k <= $n "
                          f"ORDER BY tier, k", {"seed": seed, "n": n})
        names = [d[0] for d in cur.description]
        rows = cur.fetchall()
        population = dict(con.execute(f"SELECT tier, count(*) FROM {src} GROUP BY tier")
                          .fetchall())
    finally:
        con.close()
    return names, rows, {t: int(population.get(t, 0)) for t in TIERS}


def _tiers_text(tiers: dict) -> str:
    return " ".join(f"{t} {int(tiers.get(t, 0)):,}" for t in TIERS)


# -- reading the answers back ---------------------------------------------------------------

@dataclass
class FilledSample:
    """A sample file as the examiner filled it in."""

    path: str
    sha256: str
    header: dict[str, str]
    answers: list[tuple[str, str, bool]] = field(default_factory=list)  # (id, tier, genuine)

    def tally(self) -> dict[str, tuple[int, int]]:
        """Tier -> (sampled, genuine)."""
        out = {}
        for t in TIERS:
            got = [g for _, tier, g in self.answers if tier == t]
            if got:
                out[t] = (len(got), sum(got))
        return out


def parse_answer(text: str) -> bool | None:
    """``yes``/``no`` and their equivalents; ``None`` for an empty cell; ``ValueError`` for
    anything else.

    >>> parse_answer(" 是 "), parse_answer("N"), parse_answer("")
    (True, False, None)
    """
    t = text.strip().lower()
    if not t:
        return None
    if t in ANSWERS:
        return ANSWERS[t]
    raise ValueError(text)


def _decode(path: str, data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030: a spreadsheet saving "CSV" on a Chinese
    system writes the legacy code page."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise UsageError(f"--verification {path}: neither UTF-8 nor GB18030 text; save "
                             f"it as CSV UTF-8") from None


def read_sample(path: str) -> FilledSample:
    """Read a filled-in sample file; every problem is a ``UsageError`` naming the line.

    Every row must be answered: an unanswered record is not evidence either way, and leaving
    it out would let the answered ones stand for a sample that was not drawn.
    """
    where = f"--verification {path}"
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise UsageError(f"{where}: cannot read: {e.strerror or e}") from None
    if len(data) > MAX_FILE_BYTES:
        raise UsageError(f"{where}: larger than {MAX_FILE_BYTES >> 20} MiB; a sample file of "
                         f"at most {MAX_SAMPLE:,} records per tier is far smaller")
    text = _decode(path, data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        first = next(reader, [])
        header = _header(first[0] if first else "", where)
        columns = [c.strip().lower() for c in next(reader, [])]
        missing = [c for c in ("sample_id", "tier", "input", "row", GENUINE_COLUMN)
                   if c not in columns]
        if missing:
            raise UsageError(f"{where}, line 2: no column {', '.join(missing)}; keep the "
                             f"columns leakscan sample wrote")
        at = {c: columns.index(c) for c in ("sample_id", "tier", "input", "row",
                                           GENUINE_COLUMN)}
        out = FilledSample(path, hashlib.sha256(data).hexdigest(), header)
        drawn, seen, unfilled = [], set(), []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue  # a blank line a spreadsheet added
            line = reader.line_num
            cells = row + [""] * (len(columns) - len(row))
            sid, tier = cells[at["sample_id"]].strip(), cells[at["tier"]].strip()
            if tier not in TIERS:
                raise UsageError(f"{where}, line {line}: tier must be A, B or C, not "
                                 f"{tier[:20]!r}")
            if sid in seen:
                raise UsageError(f"{where}, line {line}: sample_id {sid[:20]!r} appears twice")
            seen.add(sid)
            drawn.append((sid, tier, cells[at["input"]], cells[at["row"]].strip()))
            value = cells[at[GENUINE_COLUMN]]
            try:
                answer = parse_answer(value)
            except ValueError:
                raise UsageError(f"{where}, line {line}: genuine must be yes or no (also 是/否, "
                                 f"y/n, true/false, 1/0), not {value.strip()[:20]!r}") from None
            if answer is None:
                unfilled.append(line)
                continue
            out.answers.append((sid, tier, answer))
    except csv.Error as e:
        raise UsageError(f"{where}, line {reader.line_num}: not CSV ({e})") from None
    if unfilled:
        raise UsageError(f"{where}: {len(unfilled):,} sampled record(s) not answered (line "
                         f"{unfilled[0]}{', ...' if len(unfilled) > 1 else ''}); write yes or "
                         f"no in genuine for every row")
    if not drawn:
        raise UsageError(f"{where}: holds no sampled record")
    if draw_digest(drawn) != header["draw"]:
        raise UsageError(f"{where}: its rows are not the ones leakscan sample drew (a row was "
                         f"added, removed or its sample_id, tier, input or row changed)")
    return out


def _header(first: str, where: str) -> dict[str, str]:
    if not first.startswith(MAGIC):
        raise UsageError(f"{where}, line 1: not a leakscan sample file (it must begin with "
                         f"'{MAGIC}')")
    fields = dict(p.split("=", 1) for p in first[len(MAGIC):].split() if "=" in p)
    for key in ("report_sha256", "seed", "scan", "draw"):
        if key not in fields:
            raise UsageError(f"{where}, line 1: the first line lacks {key}=; keep the line "
                             f"leakscan sample wrote")
    return fields


# -- the verification -----------------------------------------------------------------------

def _floor(count: int, share: Decimal) -> int:
    """``floor(count * share)``, exactly (never rounded up to a record the bound does not
    support)."""
    return int((Decimal(count) * share).to_integral_value(rounding=ROUND_FLOOR))


def verification(sample: FilledSample, *, input_hashes: list[str], dedup: str, scope: str,
                 tiers: dict, assessments: list, confidence=None, insider: bool = False,
                 illegal_income=None, lawful_business_profit=None) -> dict:
    """The report's ``verification`` object (docs/report.md) for a scan whose readable
    inputs have ``input_hashes`` and whose literal tier counts are ``tiers``.

    A tier sampled whole (``census``) needs no interval: its genuine count is known, and the
    interval is the share itself (a binomial interval would treat the records checked as a
    sample of an endless process and understate a complete, one-by-one verification).

    A sample of another scan (other files, another dedup or scope, other tier counts) is a
    ``UsageError``: its shares would speak for records this scan did not count.
    """
    where = f"--verification {sample.path}"
    if sample.header["scan"] != scan_identity(input_hashes, dedup, scope, tiers):
        h = sample.header
        differs = []
        if h.get("dedup", dedup) != dedup or h.get("scope", scope) != scope:
            differs.append(f"it was drawn with --dedup {h.get('dedup')} --scope "
                           f"{h.get('scope')}")
        recorded = h.get("tiers", "")
        now = f"A:{tiers['A']}/B:{tiers['B']}/C:{tiers['C']}"
        if recorded and recorded != now:
            differs.append(f"it was drawn from tiers {recorded}, this scan counts {now}")
        if not differs:
            differs.append("the inputs differ from the files its report counted")
        raise UsageError(f"{where}: belongs to another scan (report sha256 "
                         f"{h['report_sha256'][:16]}...): {'; '.join(differs)}")
    level = confidence_level(confidence if confidence is not None else DEFAULT_CONFIDENCE)
    lower_of: dict[str, Decimal] = {}
    out_tiers = {}
    for t, (sampled, genuine) in sample.tally().items():
        count = int(tiers.get(t, 0))
        if sampled > count:
            raise UsageError(f"{where}: {sampled:,} tier-{t} records sampled, but this scan "
                             f"counts {count:,}")
        census = sampled == count
        if census:  # every record of the tier was checked: the share is known, not estimated
            lower = upper = Decimal(genuine) / Decimal(sampled)
        else:
            lower, upper = clopper_pearson(genuine, sampled, level)
        lower_of[t] = lower
        out_tiers[t] = {"count": count, "sampled": sampled, "genuine": genuine,
                        "not_genuine": sampled - genuine, "share": genuine / sampled,
                        "lower": float(lower), "upper": float(upper),
                        "confidence": float(level), "census": census,
                        "count_at_lower_bound": genuine if census else _floor(count, lower)}
    checked, not_applied = [], []
    for a in assessments:
        rs = a.ruleset
        if rs.unit == "persons":
            not_applied.append({"ruleset": rs.id, "reason": "persons"})
            continue
        used = {k: int(v) for k, v in a.counts_used.items()}
        if any(used.get(t, 0) != int(tiers.get(t, 0)) for t in TIERS):
            not_applied.append({"ruleset": rs.id, "reason": "tiers"})
            continue
        lowered = {k: _floor(v, lower_of[k]) if k in lower_of else v for k, v in used.items()}
        duty = None
        if a.insider_counts and not insider:
            duty = {k: _floor(v, lower_of[k]) if k in lower_of else v
                    for k, v in a.insider_counts.items()}
        low = rulesets_mod.assess(rs, lowered, insider=insider, illegal_income=illegal_income,
                                  insider_counts=duty,
                                  lawful_business_profit=lawful_business_profit)
        checked.append({"ruleset": rs.id, "level": a.level, "level_name": a.level_name,
                        "counts_used": used, "counts_at_lower_bound": lowered,
                        "level_at_lower_bound": low.level,
                        "level_name_at_lower_bound": low.level_name,
                        "score_at_lower_bound": round(float(low.score), 6),
                        "score_exact_at_lower_bound": str(low.score),
                        "basis_at_lower_bound": low.basis,
                        "changes_level": low.level != a.level})
    return {"file": sample.path, "sha256": sample.sha256,
            "report_sha256": sample.header["report_sha256"], "seed": sample.header["seed"],
            "confidence": float(level), "method": METHOD.format(pct=_pct(level)),
            "tiers": out_tiers, "assessments": checked, "not_applied": not_applied}


METHOD = ("Per tier, the share of sampled records the examiner found genuine, with its exact "
          "two-sided {pct} % Clopper-Pearson interval; the count at the lower bound is "
          "floor(count x lower) and each items ruleset is assessed again on those counts.")


def _pct(level: Decimal) -> str:
    """``0.95`` -> ``95``, ``0.995`` -> ``99.5``."""
    return format((level * 100).normalize(), "f")
