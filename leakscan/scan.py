"""Run a scan: find inputs, classify their columns, reduce each input in one pass, count.

This is the library entry point behind ``leakscan scan`` and ``leakscan.scan()``. It raises
``LeakscanError`` subclasses and never prints or exits.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field

import duckdb

from . import rulesets as rulesets_mod
from .classify import SAMPLE_ROWS, Assignment, Override, classify_input, is_known_header
from .count import count_all
from .errors import InputError, NothingReadable, UsageError
from .expressions import CellSpec, layered_select, register_reference_tables
from .plan import plan_input
from .registry import Registry, default_registry
from .report import Report
from .sources import Input, discover, fingerprint, sniff
from .sql import (
    BUG_ERRORS,
    connect,
    first_distinct_sorted,
    input_error_text,
    quote_ident,
    read_csv_sql,
    read_parquet_sql,
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
    extra: dict = field(default_factory=dict)

    def check(self) -> None:
        for name, value, choices in (("dedup", self.dedup, DEDUP_CHOICES),
                                     ("scope", self.scope, SCOPE_CHOICES),
                                     ("header", self.header, HEADER_CHOICES)):
            if value not in choices:
                raise UsageError(f"--{name} must be one of {', '.join(choices)}, not {value!r}")


def scan(paths, **options) -> Report:
    """Scan files or directories and return the report.

    ``options`` are the fields of ``ScanOptions`` (``dedup``, ``scope``, ``insider``,
    ``rulesets``, ``columns``, ``header``, ``threads``, ``memory_limit``).
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    unknown = set(options) - set(ScanOptions.__dataclass_fields__)
    if unknown:
        raise UsageError(f"unknown scan option(s): {', '.join(sorted(unknown))}")
    opts = ScanOptions(**{k: tuple(v) if k in ("rulesets", "columns") else v
                          for k, v in options.items()})
    opts.check()
    return Scanner(opts).run([str(p) for p in paths])


class Scanner:
    def __init__(self, options: ScanOptions, registry: Registry | None = None):
        self.options = options
        self.registry = registry or default_registry()
        self.overrides = [Override.parse(t, self.registry) for t in options.columns]
        self.rulesets = [rulesets_mod.load(r) for r in options.rulesets]
        self.warnings: list[str] = []
        self.samples: dict[tuple[str, str], list[str]] = {}
        self.evidence: list = []  # classify.ColumnEvidence, for --explain

    def run(self, paths: list[str]) -> Report:
        inputs = discover(paths)
        with tempfile.TemporaryDirectory(prefix="leakscan-") as spill:
            con = connect(threads=self.options.threads, memory_limit=self.options.memory_limit)
            con.execute(f"SET temp_directory = '{spill}'")
            try:
                return self._run(con, inputs)
            finally:
                con.close()

    def _run(self, con: duckdb.DuckDBPyConnection, inputs: list[Input]) -> Report:
        register_reference_tables(con, self.registry)
        prepared: list[tuple[Input, list[Assignment]] | None] = []
        for i, inp in enumerate(inputs):
            prepared.append(self._prepare(con, i, inp))
        self._check_overrides_matched(inputs)
        plans = []
        for i, item in enumerate(prepared):
            plans.append(self._reduce(con, i, *item) if item else None)
        if all(p is None for p in plans):
            reasons = "; ".join(f"{inp.path}: {inp.error}" for inp in inputs if inp.error)
            raise NothingReadable(f"nothing readable: {reasons}")
        counts = count_all(con, plans, self.registry, dedup=self.options.dedup,
                           scope=self.options.scope)
        assessments = [rulesets_mod.assess(rs, counts.tiers, insider=self.options.insider)
                       for rs in self.rulesets]
        for a in assessments:
            self.warnings.extend(a.notes)
        assignments = [a for item in prepared if item for a in item[1]]
        return Report(options=self.options, inputs=inputs, assignments=assignments,
                      samples=self.samples, counts=counts, assessments=assessments,
                      registry=self.registry, rulesets=self.rulesets,
                      warnings=[w for inp in inputs for w in inp.warnings] + self.warnings,
                      column_evidence=self.evidence)

    def _source(self, i: int, inp: Input, tag: str) -> str:
        if inp.format == "parquet":
            return read_parquet_sql(inp.real_path)
        if not inp.columns:
            return "(SELECT NULL AS empty WHERE false)"
        return read_csv_sql(inp.real_path, delimiter=inp.delimiter, quote=inp.quote,
                            header=inp.header, columns=inp.columns,
                            rejects_table=f"leakscan_rej_{tag}{i}")

    def _prepare(self, con, i: int, inp: Input):
        """Hash, sniff and classify one input; on failure record the error and skip it."""
        try:
            fingerprint(inp)
            sniff(inp, header=self.options.header,
                  is_known_header=lambda h: is_known_header(h, self.registry))
            if inp.format == "parquet":
                inp.columns = [r[0] for r in con.execute(
                    f"DESCRIBE SELECT * FROM {read_parquet_sql(inp.real_path)}").fetchall()]
            source = self._source(i, inp, "s")
            result = classify_input(con, inp.path, source, inp.columns, self.registry,
                                    self.overrides)
            inp.warnings.extend(result.warnings)
            self.evidence.extend(result.evidence)
            self._collect_samples(con, source, result.assignments)
            return inp, result.assignments
        except duckdb.Error as e:
            if isinstance(e, BUG_ERRORS):
                raise
            inp.error = input_error_text(e)
        except InputError as e:  # one input's failure must not stop the others
            inp.error = e.reason
        return None

    def _reduce(self, con, i: int, inp: Input, assignments: list[Assignment]):
        """The one full pass over input ``i``."""
        plan = plan_input(i, self._source(i, inp, "f"), assignments, self.registry)
        try:
            con.execute(plan.sql)
        except duckdb.Error as e:
            if isinstance(e, BUG_ERRORS):
                raise
            inp.error = input_error_text(e)
            return None
        if inp.format != "parquet" and inp.columns:
            self._note_rejects(con, i, inp)
        return plan

    def _note_rejects(self, con, i: int, inp: Input) -> None:
        table = f"leakscan_rej_f{i}"
        rows = con.execute(f"SELECT line, any_value(error_type), any_value(error_message) "
                           f"FROM {table} GROUP BY line ORDER BY line").fetchall()
        inp.rows_rejected = len(rows)
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

    def _check_overrides_matched(self, inputs: list[Input]) -> None:
        for ov in self.overrides:
            hits = [inp for inp in inputs if ov.applies_to(inp.path) and ov.column in inp.columns]
            if not hits:
                cands = [inp for inp in inputs if ov.applies_to(inp.path)]
                hint = (f"columns of {cands[0].path}: {', '.join(cands[0].columns)}" if cands
                        else "no input matches " + repr(ov.file))
                raise UsageError(f"--column {ov.text()!r} matches no column ({hint})")
