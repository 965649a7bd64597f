"""Run a scan: find inputs, classify their columns, reduce each input in one pass, count.

This is the library entry point behind ``leakscan scan`` and ``leakscan.scan()``. It raises
``LeakscanError`` subclasses and never prints or exits.
"""

from __future__ import annotations

import fnmatch
import os
import tempfile
from dataclasses import dataclass, field

import duckdb

from . import asof, freetext
from . import rulesets as rulesets_mod
from .assess import assess_all
from .classify import SAMPLE_ROWS, Assignment, Override, classify_input, is_known_header
from .count import count_all
from .damage import damage_sql, describe, find_damage, marked_source
from .encodings import check_encoding_name
from .errors import InputError, NothingReadable, UsageError
from .evidence import evidence_format, export_evidence, income_fraction
from .expressions import CellSpec, layered_select, register_reference_tables
from .plan import plan_input
from .progress import Progress
from .readers import Stager
from .registry import Registry, default_registry
from .report import Report
from .sources import Input, discover
from .sql import (
    NOT_INPUT_ERRORS,
    connect,
    first_distinct_sorted,
    input_error_text,
    quote_ident,
    read_parquet_sql,
    read_text_sql,
)

DEDUP_CHOICES = ("record", "none")
SCOPE_CHOICES = ("case", "input")
HEADER_CHOICES = ("auto", "yes", "no")


@dataclass
class ScanOptions:
    """Every option that changes what is read or counted (recorded in the report)."""

    dedup: str = "record"
    scope: str = "case"
    insider: bool = False
    rulesets: tuple[str, ...] = rulesets_mod.DEFAULT_RULESETS
    columns: tuple[str, ...] = ()  # --column overrides, as typed
    header: str = "auto"
    threads: int | None = None
    memory_limit: str | None = None
    encoding: str | None = None  # force this text encoding for every text input
    include: tuple[str, ...] = ()  # globs selecting files under directories
    exclude: tuple[str, ...] = ()
    strict: bool = False  # any rejected row or undecodable byte makes its input fail
    illegal_income: str | None = None  # CNY, Fa Shi [2017] No. 10 Art. 5(1)(7)
    evidence_out: str | None = None  # .parquet or .csv: one row per counted record
    duplicates_out: str | None = None  # .parquet or .csv: each dropped row and its original
    unmasked: bool = False  # evidence files hold full values
    free_text: bool = True  # search text columns for embedded identifiers (freetext.py)
    # assessment options (docs/counting.md, Rules 6.4-6.9)
    insider_input: tuple[str, ...] = ()  # globs: the inputs obtained on duty (Art. 5(1)(8))
    lawful_business: str | None = None  # CNY of profit: Fa Shi [2017] No. 10 Art. 6 applies
    as_of: str | None = None  # the reference date (asof.py); default SOURCE_DATE_EPOCH/clock
    verification: str | None = None  # a filled-in sample file (``leakscan sample``)
    extra: dict = field(default_factory=dict)

    def check(self) -> None:
        for name, value, choices in (("dedup", self.dedup, DEDUP_CHOICES),
                                     ("scope", self.scope, SCOPE_CHOICES),
                                     ("header", self.header, HEADER_CHOICES)):
            if value not in choices:
                raise UsageError(f"--{name} must be one of {', '.join(choices)}, not {value!r}")
        if self.encoding:
            check_encoding_name(self.encoding)
        if self.illegal_income is not None:
            income_fraction(self.illegal_income)
        if self.lawful_business is not None:
            income_fraction(self.lawful_business, "--lawful-business")
        asof.resolve(self.as_of)
        if self.insider and self.insider_input:
            raise UsageError("--insider says every input was obtained on duty; "
                             "--insider-input names some: give one of them")
        for name in ("evidence_out", "duplicates_out"):
            path = getattr(self, name)
            if path is not None and evidence_format(path) is None:
                raise UsageError(f"--{name.replace('_', '-')} {path}: the file name must end "
                                 f"in .parquet or .csv")


def matches_any(path: str, globs: tuple[str, ...]) -> bool:
    """``--insider-input GLOB``: the input's path as reported, or its file name, matches."""
    name = os.path.basename(path)
    return any(fnmatch.fnmatch(path, g) or fnmatch.fnmatch(name, g) for g in globs)


def scan(paths, *, progress: Progress | None = None, **options) -> Report:
    """Scan files or directories and return the report.

    ``options`` are the fields of ``ScanOptions`` (``dedup``, ``scope``, ``insider``,
    ``rulesets``, ``columns``, ``header``, ``threads``, ``memory_limit``).
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    unknown = set(options) - set(ScanOptions.__dataclass_fields__)
    if unknown:
        raise UsageError(f"unknown scan option(s): {', '.join(sorted(unknown))}")
    opts = ScanOptions(**{k: tuple(v) if k in ("rulesets", "columns", "include", "exclude",
                                                "insider_input")
                          else v
                          for k, v in options.items()})
    opts.check()
    return Scanner(opts, progress=progress).run([str(p) for p in paths])


class Scanner:
    def __init__(self, options: ScanOptions, registry: Registry | None = None,
                 progress: Progress | None = None):
        self.options = options
        self.registry = registry or default_registry()
        self.overrides = [Override.parse(t, self.registry) for t in options.columns]
        self.rulesets = [rulesets_mod.load(r) for r in options.rulesets]
        self.warnings: list[str] = []
        self.samples: dict[tuple[str, str], list[str]] = {}
        self._damaged: dict[int, list] = {}  # input index -> damage.Damage, by column
        self.evidence: list = []  # classify.ColumnEvidence, for --explain
        self.progress = progress or Progress(enabled=False)

    def run(self, paths: list[str]) -> Report:
        inputs = discover(paths, include=self.options.include, exclude=self.options.exclude,
                          warnings=self.warnings)
        with tempfile.TemporaryDirectory(prefix="leakscan-") as spill:
            staged = os.path.join(spill, "inputs")
            os.mkdir(staged)
            self.stager = Stager(staged, encoding=self.options.encoding,
                                 strict=self.options.strict, header=self.options.header,
                                 is_known_header=lambda h: is_known_header(h, self.registry))
            inputs = self.stager.expand(inputs, self.warnings)
            con = connect(threads=self.options.threads, memory_limit=self.options.memory_limit)
            con.execute(f"SET temp_directory = '{spill}'")
            self.reference_date = asof.resolve(self.options.as_of)
            try:
                with asof.using(con, self.reference_date[0]):
                    return self._run(con, inputs)
            except duckdb.InterruptException as e:  # DuckDB's form of Ctrl-C
                raise KeyboardInterrupt from e
            except RuntimeError as e:
                if "interrupted" in str(e).lower():
                    raise KeyboardInterrupt from e
                raise
            finally:
                con.close()

    def _run(self, con: duckdb.DuckDBPyConnection, inputs: list[Input]) -> Report:
        register_reference_tables(con, self.registry)
        prepared: list[tuple[Input, list[Assignment]] | None] = []
        for i, inp in enumerate(inputs):
            prepared.append(self._prepare(con, i, inp))
        self._check_overrides_matched(inputs)
        plans = []
        self.progress.begin(con, [inp.bytes for inp in inputs])
        try:
            for i, item in enumerate(prepared):
                if item:
                    self.progress.reducing(i, inputs[i].path)
                plans.append(self._reduce(con, i, *item) if item else None)
        finally:
            self.progress.end()
        if all(p is None for p in plans):
            reasons = "; ".join(f"{inp.path}: {inp.error}" for inp in inputs if inp.error)
            raise NothingReadable(f"nothing readable: {reasons}")
        on_duty = frozenset(i for i, inp in enumerate(inputs) if plans[i] is not None
                            and matches_any(inp.path, self.options.insider_input))
        if self.options.insider_input and not on_duty:
            raise UsageError(f"--insider-input {', '.join(self.options.insider_input)}: "
                             f"matches no input that was read")
        self.on_duty = sorted(inputs[i].path for i in on_duty)
        counts = count_all(con, plans, self.registry, dedup=self.options.dedup,
                           scope=self.options.scope, on_duty=on_duty)
        categories = sorted({c for p in plans if p is not None for c in p.categories})
        income = (income_fraction(self.options.illegal_income)
                  if self.options.illegal_income is not None else None)
        profit = (income_fraction(self.options.lawful_business, "--lawful-business")
                  if self.options.lawful_business is not None else None)
        assessments = assess_all(con, counts, categories, self.registry, self.rulesets,
                                 insider=self.options.insider, illegal_income=income,
                                 on_duty=bool(on_duty), lawful_business_profit=profit)
        verification = None  # verification by sampling is not built yet (notes/issue14.md)
        exported = export_evidence(con, plans, inputs, self.registry, self.options, counts)
        for a in assessments:
            self.warnings.extend(a.notes)
        assignments = [a for item in prepared if item for a in item[1]]
        return Report(options=self.options, inputs=inputs, assignments=assignments,
                      samples=self.samples, counts=counts, assessments=assessments,
                      registry=self.registry, rulesets=self.rulesets,
                      warnings=[w for inp in inputs for w in inp.warnings] + self.warnings,
                      column_evidence=self.evidence, exported=exported,
                      reference_date=self.reference_date, on_duty_inputs=self.on_duty,
                      verification=verification)

    def _source(self, i: int, inp: Input, tag: str) -> str:
        if inp.format == "parquet":
            return marked_source(read_parquet_sql(inp.read_path), self._damaged.get(i, []))
        if not inp.columns:
            return "(SELECT NULL AS empty WHERE false)"
        return marked_source(read_text_sql(inp.read_path, delimiter=inp.delimiter,
                                           quote=inp.quote, header=inp.header,
                                           columns=inp.columns,
                                           rejects_table=f"leakscan_rej_{tag}{i}"),
                             self._damaged.get(i, []))

    def _find_damage(self, con, i: int, inp: Input) -> None:
        """Warn about, and mark, columns a spreadsheet has damaged (``damage.py``)."""
        if not inp.columns:
            return
        row = con.execute(damage_sql(self._source(i, inp, "d"), inp.columns,
                                     SAMPLE_ROWS)).fetchone()
        found = find_damage(row, inp.columns)
        self._damaged[i] = found
        inp.warnings.extend(describe(inp.path, d) for d in found)

    def _prepare(self, con, i: int, inp: Input):
        """Hash, sniff and classify one input; on failure record the error and skip it."""
        try:
            self.stager.stage(inp)
            if inp.format == "parquet":
                inp.columns = [r[0] for r in con.execute(
                    f"DESCRIBE SELECT * FROM {read_parquet_sql(inp.read_path)}").fetchall()]
            self._find_damage(con, i, inp)
            source = self._source(i, inp, "s")
            result = classify_input(con, inp.path, source, inp.columns, self.registry,
                                    self.overrides, free_text=self.options.free_text)
            inp.warnings.extend(result.warnings)
            self.evidence.extend(result.evidence)
            self._collect_samples(con, source, result.assignments)
            return inp, result.assignments, result.free_text
        except duckdb.Error as e:
            if isinstance(e, NOT_INPUT_ERRORS):
                raise
            inp.error = input_error_text(e)
        except InputError as e:  # one input's failure must not stop the others
            inp.error = e.reason
        return None

    def _reduce(self, con, i: int, inp: Input, assignments: list[Assignment],
                free_text: list[tuple[int, str]]):
        """The one full pass over input ``i``."""
        plan = plan_input(i, self._source(i, inp, "f"), assignments, self.registry,
                          rows=bool(self.options.evidence_out or self.options.duplicates_out),
                          free_text=free_text)
        try:
            con.execute(plan.sql)
        except duckdb.Error as e:
            if isinstance(e, NOT_INPUT_ERRORS):
                raise
            if "state machine" in str(e) and self.stager.staged_in_place(inp):
                # Line ends mixed beyond the sniffed sample: read a normalised copy instead.
                self.stager.restage_normalised(inp)
                return self._reduce(con, i, inp, assignments, free_text)
            inp.error = input_error_text(e)
            return None
        if plan.free_text:
            self._collect_embedded_samples(con, inp, plan)
        for stmt in plan.cleanup:  # the free-text work tables, once their samples are read
            con.execute(stmt)
        if inp.format != "parquet" and inp.columns:
            self._note_rejects(con, i, inp)
        if self.options.strict and inp.rows_rejected:
            inp.error = (f"{inp.rows_rejected:,} row(s) rejected and --strict is set "
                         f"(see warnings)")
            return None
        return plan

    def _note_rejects(self, con, i: int, inp: Input) -> None:
        table = f"leakscan_rej_f{i}"
        rows = con.execute(f"SELECT line, any_value(error_type), any_value(error_message) "
                           f"FROM {table} GROUP BY line ORDER BY line").fetchall()
        inp.rows_rejected += len(rows)
        if rows:
            first = ", ".join(str(r[0]) for r in rows[:5])
            inp.warnings.append(f"{inp.path}: {len(rows):,} row(s) could not be parsed and were "
                                f"not counted (lines {first}{', ...' if len(rows) > 5 else ''}:"
                                f" {rows[0][2]})")

    def _collect_samples(self, con, source: str, assignments: list[Assignment]) -> None:
        """Up to three valid normalised values per assigned column, for masked display."""
        if not assignments:
            return
        specs = [CellSpec(f"c{a.position}", quote_ident(a.column), self.registry.get(a.category))
                 for a in assignments]
        inner = layered_select(specs, f"(SELECT * FROM {source} LIMIT {SAMPLE_ROWS}) AS s", [])
        aggs = [first_distinct_sorted(f"c{a.position}_norm", f"c{a.position}_ok", 3)
                for a in assignments]
        row = con.execute(f"SELECT {', '.join(aggs)} FROM ({inner}) AS x").fetchone()
        for a, values in zip(assignments, row, strict=True):
            cat = self.registry.get(a.category)
            self.samples[(a.input, a.column)] = [cat.mask(v) for v in values or []]

    def _collect_embedded_samples(self, con, inp: Input, plan) -> None:
        """Up to three valid values per (free-text column, category), masked."""
        names = dict(plan.free_text)
        for j, cat, values in con.execute(freetext.samples_sql(plan.resolved, 3)).fetchall():
            mask = self.registry.get(cat).mask
            self.samples[(inp.path, names[j], cat)] = [mask(v) for v in values or []]

    def _check_overrides_matched(self, inputs: list[Input]) -> None:
        for ov in self.overrides:
            hits = [inp for inp in inputs if ov.applies_to(inp.path) and ov.column in inp.columns]
            if not hits:
                cands = [inp for inp in inputs if ov.applies_to(inp.path)]
                hint = (f"columns of {cands[0].path}: {', '.join(cands[0].columns)}" if cands
                        else "no input matches " + repr(ov.file))
                raise UsageError(f"--column {ov.text()!r} matches no column ({hint})")
