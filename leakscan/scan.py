"""Run a scan: find inputs, classify their columns, reduce each input in one pass, count.

This is the library entry point behind ``leakscan scan`` and ``leakscan.scan()``. It raises
``LeakscanError`` subclasses and never prints or exits.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import re
import tempfile
import warnings
from dataclasses import dataclass, field

import duckdb

from . import asof, freetext, profiles
from . import rulesets as rulesets_mod
from .assess import assess_all
from .breakdown import header_only_categories, header_only_levels, input_breakdown
from .classify import Assignment, Override, classify_input, sampled_columns
from .column_sample import SAMPLE_ROWS, sample_evidence_many, sample_rows
from .count import count_all
from .damage import (
    CellRules,
    damage_patterns,
    damage_sql,
    damage_sql_many,
    default_null_markers,
    describe_all,
    find_rules,
    marked_source,
)
from .encodings import check_encoding_name
from .engine import DuckDBEngine
from .errors import InputError, LeakscanWarning, NothingReadable, UsageError
from .evidence import evidence_format, export_evidence, income_fraction
from .expressions import CellSpec, ReferenceTablesOnDemand, layered_select
from .header_match import is_known_header
from .inputs import parquet_nested, quoting
from .inputs.headers import strong_validator
from .interval import confidence_level
from .kernels import Kernels, row_wise_pays
from .outputs import check_outputs
from .plan import BatchPart, plan_input
from .progress import Progress
from .readers import Stager
from .registry import Registry, default_registry
from .report import Report, generated_at
from .roles import assign_roles
from .sampling import read_sample, verification
from .sources import Input, discover
from .sql import (
    NOT_INPUT_ERRORS,
    connect,
    first_distinct_sorted,
    input_error_text,
    quote_ident,
    quote_literal,
    read_parquet_sql,
    read_text_sql,
)

DEDUP_CHOICES = ("record", "none")
SCOPE_CHOICES = ("case", "input")
HEADER_CHOICES = ("auto", "yes", "no")
ENGINE_CHOICES = ("duckdb", "spark")


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
    kernels: bool = True  # compiled validation where built (kernels.py); False: SQL only
    # assessment options (docs/counting.md, Rules 6.4-6.9)
    insider_input: tuple[str, ...] = ()  # globs: the inputs obtained on duty (Art. 5(1)(8))
    lawful_business: str | None = None  # CNY of profit: Fa Shi [2017] No. 10 Art. 6 applies
    as_of: str | None = None  # the reference date (asof.py); default SOURCE_DATE_EPOCH/clock
    follow_links: bool = False  # follow symbolic links that leave a scanned directory
    null_markers: tuple[str, ...] = ()  # --null-marker: more cells that mean "no value"
    verification: str | None = None  # a filled-in sample file (``leakscan sample``)
    confidence: str | None = None  # of the sampling intervals (default 0.95; sampling.py)
    profiles: tuple[str, ...] = ()  # --profile: layout profiles forced (ids or files)
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
        generated_at()  # a SOURCE_DATE_EPOCH no clock can show is refused now, not at the end
        asof.resolve(self.as_of)
        if self.insider and self.insider_input:
            raise UsageError("--insider says every input was obtained on duty; "
                             "--insider-input names some: give one of them")
        if self.memory_limit is not None:
            check_memory_limit(self.memory_limit)
        if self.confidence is not None:
            if not self.verification:
                raise UsageError("--confidence applies to --verification only; give the "
                                 "filled-in sample file too")
            try:
                confidence_level(self.confidence)
            except ValueError as e:
                raise UsageError(f"--confidence must be {e}") from None
        for name in ("evidence_out", "duplicates_out"):
            path = getattr(self, name)
            if path is not None and evidence_format(path) is None:
                raise UsageError(f"--{name.replace('_', '-')} {path}: the file name must end "
                                 f"in .parquet or .csv")


def matches_any(path: str, globs: tuple[str, ...]) -> bool:
    """``--insider-input GLOB``: the input's path as reported, or its file name, matches."""
    name = os.path.basename(path)
    return any(fnmatch.fnmatch(path, g) or fnmatch.fnmatch(name, g) for g in globs)


def _size(path) -> int:
    try:
        return os.path.getsize(path)
    except (OSError, TypeError):
        return 0


def check_memory_limit(text: str) -> None:
    """``--memory-limit``: a size DuckDB accepts (``1GB``, ``512MiB``), refused before the scan.

    DuckDB itself decides, on a throwaway connection, so leakscan and DuckDB never disagree.
    """
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"SET memory_limit = {quote_literal(str(text))}")
    except duckdb.Error:
        raise UsageError(f"--memory-limit must be a size such as 1GB or 512MB, "
                         f"not {text!r}") from None
    finally:
        con.close()


def scan(paths, *, progress: Progress | None = None, engine: str = "duckdb", spark=None,
         spark_master: str | None = None, **options) -> Report:
    """Scan files or directories and return the report.

    ``options`` are the fields of ``ScanOptions`` (``dedup``, ``scope``, ``insider``,
    ``rulesets``, ``columns``, ``header``, ``threads``, ``memory_limit``).
    ``engine="spark"`` runs the scan on Apache Spark (``docs/scale-out.md``): on the session
    ``spark`` (a Databricks notebook's ``spark``), else the active one, else a new one on
    ``spark_master`` (default ``local[2]``). The counts are the same on either engine.
    """
    if engine not in ENGINE_CHOICES:
        raise UsageError(f"--engine must be one of {', '.join(ENGINE_CHOICES)}, not {engine!r}")
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    unknown = set(options) - set(ScanOptions.__dataclass_fields__)
    if unknown:
        raise UsageError(f"unknown scan option(s): {', '.join(sorted(unknown))}")
    opts = ScanOptions(**{k: tuple(v) if k in ("rulesets", "columns", "include", "exclude",
                                                "insider_input",
                                                "null_markers")
                          else v
                          for k, v in options.items()})
    opts.check()
    paths = [str(p) for p in paths]
    check_outputs(paths, [("--evidence-out", opts.evidence_out),
                          ("--duplicates-out", opts.duplicates_out)])
    if engine == "spark":
        try:
            from .spark import run as spark_run
        except ImportError as e:
            raise UsageError(f"--engine spark needs pyspark and sqlglot ({e}): pip install "
                             f"'leakscan[spark]'") from None
        spark_run.check(opts, paths)  # refused before a JVM is started for nothing
        try:
            session = spark or spark_run.session(spark_master)
        except ImportError as e:
            raise UsageError(f"--engine spark needs pyspark ({e}): pip install "
                             f"'leakscan[spark]'") from None
        except Exception as e:  # pyspark's words for a missing or wrong Java
            first = (str(e).strip().splitlines() or [type(e).__name__])[0][:200]
            raise UsageError(f"--engine spark: Spark could not start ({first}); it needs "
                             f"Java 17 or newer") from None
        report = spark_run.run(Scanner(opts, progress=progress), paths, session)
    else:
        report = Scanner(opts, progress=progress).run(paths)
    for w in report.warnings:
        warnings.warn(api_words(w), LeakscanWarning, stacklevel=2)
    return report


#: Command-line flags as a Python caller writes them, for warnings issued by ``scan()``.
_API_FLAGS = {"--no-free-text": "free_text=False", "--strict": "strict=True",
              "--insider": "insider=True", "--unmasked": "unmasked=True"}
#: Flags that take a value and the keyword that takes a list of such values.
_API_VALUED = {"--column": "columns", "--ruleset": "rulesets", "--include": "include",
               "--exclude": "exclude", "--profile": "profiles"}


def api_words(message: str) -> str:
    """A warning in the words of the Python API: ``--encoding gb18030`` reads
    ``encoding='gb18030'``, ``--column 'f1=phone'`` reads ``columns=['f1=phone']``."""
    def word(m: re.Match) -> str:
        flag, value = m.group(1), m.group(2)
        if flag in _API_FLAGS:
            return _API_FLAGS[flag] + (value or "")
        name = _API_VALUED.get(flag, flag[2:].replace("-", "_"))
        if value is None:  # the option named, not given: its keyword
            return name
        v = value.strip().strip("'\"")
        return f"{name}=[{v!r}]" if flag in _API_VALUED else f"{name}={v!r}"

    # a value is quoted, or holds a character a word of prose does not (gb18030, 1GB, *.csv)
    value = r"( '[^']*'| (?=[\w.:/=*-]*[\d.:/=*])[\w.:/=*-]+)?"
    return re.sub(r"(?<![\w-])(--[a-z][a-z-]*)" + value, word, message)


class Scanner:
    def __init__(self, options: ScanOptions, registry: Registry | None = None,
                 progress: Progress | None = None):
        self.options = options
        self.registry = registry or default_registry()
        self.overrides = [Override.parse(t, self.registry) for t in options.columns]
        known = set(self.registry.ids())
        self.profiles_forced = [profiles.load(r, known) for r in options.profiles]
        forced = {p.id for p in self.profiles_forced}
        self.profiles_shipped = [p for p in profiles.builtin(known) if p.id not in forced]
        self.profiles_applied: dict[str, dict] = {}  # profile id -> the report's entry
        self.rulesets = [rulesets_mod.load(r) for r in options.rulesets]
        # read before the scan, so a badly filled-in sample costs no scan
        self.sample = read_sample(options.verification) if options.verification else None
        self.warnings: list[str] = []
        self.not_read: list[dict] = []  # files under a directory that are not inputs, and why
        self.samples: dict[tuple[str, str], list[str]] = {}
        self._cells: dict[int, CellRules] = {}  # input index -> its null/float/damage rules
        self.null_markers = default_null_markers() + tuple(options.null_markers)
        self.damage_patterns = damage_patterns(self.registry)  # generic, then declared
        self.evidence: list = []  # classify.ColumnEvidence, for --explain
        self.progress = progress or Progress(enabled=False)
        self._recovered: dict[int, tuple | None] = {}  # inputs re-read after a stray quote
        self._classify_warnings: dict[int, list[str]] = {}
        self._flat: dict[int, parquet_nested.Flattening | None] = {}  # nested Parquet columns
        self.kernels: Kernels | None = None  # compiled kernels, registered as inputs need them
        self._compiled: frozenset[str] = frozenset()  # kernel categories on the connection
        self.validation: dict | None = None  # a Spark scan's tasks' kernel status
        self.engine_provenance: dict = {"id": "duckdb"}  # the report's provenance.engine

    def run(self, paths: list[str]) -> Report:
        with tempfile.TemporaryDirectory(prefix="leakscan-") as spill:
            inputs = self.stage_inputs(self.discover(paths, spill), spill)
            return self.connected(spill, lambda con: self._run(con, inputs))

    def discover(self, paths: list[str], spill: str) -> list[Input]:
        """The inputs under ``paths`` (directories walked, standard input spooled into
        ``spill``), before archives and workbooks are expanded (``stage_inputs``)."""
        staged = os.path.join(spill, "inputs")
        os.makedirs(staged, exist_ok=True)
        return discover(paths, include=self.options.include, exclude=self.options.exclude,
                        warnings=self.warnings, spool_dir=staged,
                        follow_links=self.options.follow_links, not_read=self.not_read)

    def stage_inputs(self, inputs: list[Input], spill: str) -> list[Input]:
        """``inputs`` with archives and workbooks expanded into files under ``spill``."""
        staged = os.path.join(spill, "inputs")
        os.makedirs(staged, exist_ok=True)
        self.stager = Stager(staged, encoding=self.options.encoding,
                             strict=self.options.strict, header=self.options.header,
                             is_known_header=lambda h: is_known_header(h, self.registry),
                             validates=strong_validator(self.registry))
        return self.stager.expand(inputs, self.warnings)

    def connected(self, spill: str, work):
        """``work(con)`` on a new DuckDB connection that spills into ``spill`` and reads the
        scan's reference date; DuckDB's and a kernel's forms of Ctrl-C become
        ``KeyboardInterrupt``."""
        con = connect(threads=self.options.threads, memory_limit=self.options.memory_limit)
        con.execute(f"SET temp_directory = {quote_literal(spill)}")
        self.reference_date = asof.resolve(self.options.as_of)
        try:
            with asof.using(con, self.reference_date[0]):
                return work(con)
        except duckdb.InterruptException as e:  # DuckDB's form of Ctrl-C
            raise KeyboardInterrupt from e
        except duckdb.InvalidInputException as e:
            # Ctrl-C (or the SIGTERM/SIGHUP handler's KeyboardInterrupt) raised inside a
            # compiled kernel's Python UDF reaches us wrapped by DuckDB
            if _UDF_INTERRUPT in str(e):
                raise KeyboardInterrupt from e
            raise
        except RuntimeError as e:
            if "interrupted" in str(e).lower():
                raise KeyboardInterrupt from e
            raise
        finally:
            con.close()

    def open_connection(self, con, inputs: list[Input]):
        """A new connection made ready for ``inputs``: reference tables created when a
        statement first names one, compiled kernels registered. Returns the connection to
        use (a ``ReferenceTablesOnDemand`` around ``con``)."""
        con = ReferenceTablesOnDemand(con, self.registry)  # created when a statement names one
        self.kernels = Kernels(self.registry, enabled=self.options.kernels)
        self._compiled = self.kernels.register(  # the sample evaluation runs them too
            con, row_wise=row_wise_pays(inputs))
        return con

    def _run(self, con: duckdb.DuckDBPyConnection, inputs: list[Input]) -> Report:
        con = self.open_connection(con, inputs)
        self.progress.begin(con, [inp.bytes or _size(inp.real_path) for inp in inputs])
        try:
            return self._stages(con, inputs)
        finally:
            self.progress.end()

    def _stages(self, con: duckdb.DuckDBPyConnection, inputs: list[Input]) -> Report:
        """Prepare every input, reduce each in one pass, then count and assess (the progress
        bar's three stages)."""
        prepared, plans = self.prepare_and_reduce(con, inputs)
        self.progress.counting()
        return self.count_and_report(DuckDBEngine(con), inputs, prepared, plans)

    def prepare_and_reduce(self, con, inputs: list[Input], *,
                           check_overrides: bool = True) -> tuple[list, list]:
        """Every input prepared (``_prepare_all``) and reduced (``_reduce_all``) on ``con``:
        the per-input half of a scan, which a Spark task runs for its inputs (there the
        driver checks ``--column`` against all inputs: ``check_overrides`` off)."""
        prepared = self._prepare_all(con, inputs)
        if check_overrides:
            self.check_overrides_matched(inputs)
        self.progress.resize([inp.bytes for inp in inputs])  # as hashed (archives expanded)
        return prepared, self._reduce_all(con, inputs, prepared)

    def count_and_report(self, con, inputs: list[Input], prepared: list, plans: list) -> Report:
        """The case-level half of a scan on the engine ``con`` (``engine.py``): count over
        the inputs' key tables, assess, and build the report."""
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
        checked = None
        if self.sample is not None:
            checked = verification(
                self.sample, input_hashes=[inp.sha256 for inp in inputs if not inp.error],
                dedup=self.options.dedup, scope=self.options.scope, tiers=dict(counts.tiers),
                assessments=assessments, confidence=self.options.confidence,
                insider=self.options.insider, illegal_income=income,
                lawful_business_profit=profit)
        exported = export_evidence(con, plans, inputs, self.registry, self.options, counts)
        per_input = input_breakdown(con, plans, self.registry, dedup=self.options.dedup,
                                    counts=counts)
        for a in assessments:
            self.warnings.extend(a.notes)
        prepared = [self._recovered.get(k) or item for k, item in enumerate(prepared)]
        assignments = [a for item in prepared if item for a in item[1]]
        header_only = header_only_levels(
            con, categories, self.registry, self.rulesets,
            header_only_categories(assignments, inputs, self.registry), insider=self.options.insider,
            illegal_income=income)
        return Report(options=self.options, inputs=inputs, assignments=assignments,
                      samples=self.samples, counts=counts, assessments=assessments,
                      registry=self.registry, rulesets=self.rulesets,
                      warnings=[w for inp in inputs for w in inp.warnings] + self.warnings,
                      column_evidence=self.evidence, exported=exported,
                      reference_date=self.reference_date, on_duty_inputs=self.on_duty,
                      per_input=per_input,
                      header_only=header_only, not_read=self.not_read,
                      verification=checked,
                      profiles=list(self.profiles_applied.values()),
                      validation=self.kernels.status() if self.kernels else self.validation,
                      engine=self.engine_provenance)

    def _source(self, i: int, inp: Input, tag: str) -> str:
        if inp.format == "parquet":
            flat = parquet_nested.render(read_parquet_sql(inp.read_path), self._flat.get(i))
            return marked_source(flat, self._cells.get(i))
        if not inp.columns:
            return "(SELECT NULL AS empty WHERE false)"
        return marked_source(read_text_sql(inp.read_path, delimiter=inp.delimiter,
                                           quote=inp.quote, header=inp.header,
                                           columns=inp.columns,
                                           rejects_table=f"leakscan_rej_{tag}{i}"),
                             self._cells.get(i))

    def _find_damage_many(self, con, staged: list[tuple[int, Input]]) -> None:
        """``_find_damage`` for several inputs on one query (``damage.damage_sql_many``);
        when it fails, each input on its own, so that an unreadable input fails alone."""
        todo = [(i, inp) for i, inp in staged if inp.columns]
        if len(todo) < 2:
            for i, inp in todo:
                self._guarded(self._find_damage, con, i, inp)
            return
        try:
            rows = con.execute(damage_sql_many(
                [(i, self._source(i, inp, "d"), inp.columns) for i, inp in todo],
                SAMPLE_ROWS, self.null_markers, patterns=self.damage_patterns)).fetchall()
        except duckdb.Error as e:
            if _not_the_input(e):
                raise
            for i, inp in todo:
                self._guarded(self._find_damage, con, i, inp)
            return
        by_input: dict[int, list] = {}
        for i, *row in rows:
            by_input.setdefault(i, []).append(tuple(row))
        for i, inp in todo:
            self._set_rules(i, inp, by_input.get(i, []))

    def _guarded(self, step, con, i: int, inp: Input) -> None:
        """Run ``step(con, i, inp)``; an input error is recorded on the input."""
        try:
            step(con, i, inp)
        except (duckdb.Error, InputError) as e:
            self._failed(inp, e)

    def _set_rules(self, i: int, inp: Input, rows: list) -> None:
        rules = find_rules(rows, inp.columns, self.null_markers, patterns=self.damage_patterns)
        self._cells[i] = rules
        inp.warnings.extend(describe_all(inp.path, rules))

    def _find_damage(self, con, i: int, inp: Input) -> None:
        """Decide the input's cell rules (``damage.py``): null markers read as blank, intact
        float renderings read without ``.0``, columns a spreadsheet damaged warned about and
        marked."""
        if not inp.columns:
            return
        rows = con.execute(damage_sql(self._source(i, inp, "d"), inp.columns,
                                      SAMPLE_ROWS, self.null_markers,
                                      patterns=self.damage_patterns)).fetchall()
        self._set_rules(i, inp, rows)

    def _prepare_all(self, con, inputs: list[Input]) -> list:
        """Hash, sniff and classify every input; per input ``(input, assignments, free-text
        columns)``, or None when it failed (its error recorded).

        Inputs are staged one by one, then classified in batches of up to ``BATCH_CELLS``
        sampled cells: the sample evaluation runs once per batch
        (``column_sample.sample_evidence_many``), since on small inputs its fixed cost (about
        0.2 s) is nearly all of it. Each input's evidence and decisions are its own."""
        prepared: list = [None] * len(inputs)
        batch: list[int] = []
        cells = 0
        for i, inp in enumerate(inputs):
            self.progress.preparing(i, inp.path)
            if not self._stage(con, i, inp):
                continue
            batch.append(i)
            cells += sample_rows(len(inp.columns)) * len(inp.columns)
            if cells >= BATCH_CELLS:
                self._classify_batch(con, inputs, batch, prepared)
                batch, cells = [], 0
        if batch:
            self._classify_batch(con, inputs, batch, prepared)
        return prepared

    def _stage(self, con, i: int, inp: Input) -> bool:
        """Hash and sniff one input (Parquet: plan its nested columns); False (the input's
        error recorded) when it cannot be read."""
        try:
            self.stager.stage(inp)
            if inp.format == "parquet":
                self._flat[i] = flat = parquet_nested.plan(con, inp.read_path,
                                                           read_parquet_sql(inp.read_path))
                if flat is not None:
                    inp.warnings.append(f"{inp.path}: nested column(s) "
                                        f"{', '.join(flat.nested)} flattened to "
                                        f"{len(flat.leaves):,} column(s)")
                    inp.warnings.extend(f"{inp.path}: {n}" for n in flat.notes)
                inp.columns = [r[0] for r in con.execute(
                    f"DESCRIBE SELECT * FROM {self._source(i, inp, 'p')}").fetchall()]
                if ((self.options.evidence_out or self.options.duplicates_out)
                        and any(c.lower() == "file_row_number" for c in inp.columns)):
                    raise InputError(inp.path, "has a column named file_row_number, the name "
                                     "DuckDB gives the row numbers evidence files need; "
                                     "rename the column, or scan without --evidence-out and "
                                     "--duplicates-out")
            return True
        except (duckdb.Error, InputError) as e:
            self._failed(inp, e)
        return False

    def _classify_batch(self, con, inputs: list[Input], staged: list[int],
                        prepared: list) -> None:
        """Decide the cell rules of a batch of staged inputs on one damage query, then
        classify them on one sample evaluation (``_prepare_all``)."""
        self._find_damage_many(con, [(i, inputs[i]) for i in staged])
        batch = []
        for i in staged:
            inp = inputs[i]
            if inp.error:
                continue
            overrides = self._profile_overrides(inp)[0] + self.overrides
            batch.append(_Staged(i, inp, self._source(i, inp, "s"),
                                 sampled_columns(inp.path, inp.columns, overrides),
                                 _credential_column(inp)))
        evidence = sample_evidence_many(
            con, [(job.source, job.todo, job.credential) for job in batch], self.registry,
            catch=(duckdb.Error,), reraise=NOT_INPUT_ERRORS, kernels=self._compiled)
        for job, sampled in zip(batch, evidence, strict=True):
            inp = job.input
            try:
                if isinstance(sampled, BaseException):
                    raise sampled
                result, notes = self._classify(con, inp, job.source, sampled)
                inp.warnings.extend(notes)
                self._classify_warnings[job.i] = notes  # dropped again if the input is re-read
                self.evidence.extend(result.evidence)
                self._collect_samples(con, job.source, result.assignments, result.examples)
                prepared[job.i] = (inp, result.assignments, result.free_text)
            except (duckdb.Error, InputError) as e:
                self._failed(inp, e)

    @staticmethod
    def _failed(inp: Input, e: Exception) -> None:
        """Record why an input could not be read; re-raise what is no input's fault."""
        if isinstance(e, InputError):  # one input's failure must not stop the others
            inp.error = e.reason
        elif _not_the_input(e):
            raise e
        else:
            inp.error = input_error_text(e)

    def _reduce_all(self, con, inputs: list[Input], prepared: list) -> list:
        """Every prepared input's one full pass; per input its plan, or None.

        Small inputs that read alike (``_batch_key``: the same columns and assignments, no
        free-text search, no numbered rows) are reduced ``BATCH_INPUTS`` at a time in one
        statement (``_reduce_batch``): on small inputs the statement's fixed cost (binding the
        pipelines, compiling their regular expressions) is most of the work."""
        plans: list = [None] * len(inputs)
        groups: dict = {}
        for i, item in enumerate(prepared):
            key = self._batch_key(inputs[i], item)
            if key is not None:
                groups.setdefault(key, []).append(i)
        batched = {}
        for members in groups.values():
            chunk, size = [], 0
            for i in members + [None]:
                full = i is None or len(chunk) == BATCH_INPUTS \
                    or size + (inputs[i].bytes or 0) > BATCH_BYTES
                if full and chunk:
                    if len(chunk) > 1:
                        batched[chunk[0]] = chunk
                    chunk, size = [], 0
                if i is not None:
                    chunk.append(i)
                    size += inputs[i].bytes or 0
        done: set[int] = set()
        for i, item in enumerate(prepared):
            if item is None or i in done:
                continue
            chunk = batched.get(i, [i])
            done.update(chunk)
            for k in chunk:
                self.progress.reducing(k, inputs[k].path)
            if len(chunk) > 1 and self._reduce_batch(con, chunk, inputs, prepared, plans):
                continue
            for k in chunk:  # alone; a failed batch's inputs each on their own
                plans[k] = self._reduce(con, k, *prepared[k])
        return plans

    def _batch_key(self, inp: Input, item):
        """What inputs reduced in one statement must share; None when this one is reduced
        alone (Parquet, free-text search, numbered rows for evidence files, no column, over
        ``BATCH_INPUT_BYTES``)."""
        if (item is None or inp.format == "parquet" or not inp.columns or item[2]
                or not item[1] or self.options.evidence_out or self.options.duplicates_out
                or not inp.bytes or inp.bytes > BATCH_INPUT_BYTES):
            return None
        return (tuple(inp.columns), tuple(
            (a.column, a.position, a.category, a.role, tuple(a.members or ()), a.type_column)
            for a in item[1]))

    def _reduce_batch(self, con, chunk: list[int], inputs: list[Input], prepared: list,
                      plans: list) -> bool:
        """Reduce the inputs ``chunk`` (one ``_batch_key``) in one statement over the union of
        their sources, grouped by input first, each input's key table a view of its part;
        then each input's own checks (rejected rows, stray quotes, ``--strict``).
        False, with nothing left behind, when the statement fails: the caller then reduces
        each input alone, so that an unreadable input fails alone."""
        first = chunk[0]
        union = " UNION ALL ".join(
            f"SELECT {i} AS {_BATCH_COLUMN}, * FROM {self._source(i, inputs[i], 'f')}"
            for i in chunk)
        table = f"leakscan_batch_{first}"
        assignments = prepared[first][1]
        plan = plan_input(first, f"({union}) AS batched", assignments, self.registry,
                          batch=_BATCH_COLUMN, table=table,
                          kernels=self.kernels.use({m for a in assignments
                                                    for m in (a.category, *a.members)}))
        try:
            con.execute(plan.sql)
        except duckdb.Error as e:
            if _not_the_input(e):
                raise
            con.execute(f"DROP TABLE IF EXISTS {table}")
            for i in chunk:
                self._drop_work_tables(con, i)
            return False
        for i in chunk:
            # a view, not a copy: a thousand small tables cost DuckDB a block each
            own = f"leakscan_keys_{i}"
            con.execute(f"CREATE TEMP VIEW {own} AS SELECT * EXCLUDE ({_BATCH_COLUMN}) "
                        f"FROM {table} WHERE {_BATCH_COLUMN} = {i}")
            plans[i] = dataclasses.replace(plan, table=own, assignments=list(prepared[i][1]),
                                           sql="", view=True,
                                           batch=BatchPart(table, _BATCH_COLUMN, i))
        for i in chunk:
            plans[i] = self._after_reduce(con, i, inputs[i], plans[i])
        return True

    def _reduce(self, con, i: int, inp: Input, assignments: list[Assignment],
                free_text: list[tuple[int, str]]):
        """The one full pass over input ``i``."""
        plan = plan_input(i, self._source(i, inp, "f"), assignments, self.registry,
                          rows=bool(self.options.evidence_out or self.options.duplicates_out),
                          free_text=free_text,
                          kernels=self.kernels.use({m for a in assignments
                                                    for m in (a.category, *a.members)}))
        try:
            con.execute(plan.sql)
        except duckdb.Error as e:
            if _not_the_input(e):
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
        return self._after_reduce(con, i, inp, plan)

    def _after_reduce(self, con, i: int, inp: Input, plan):
        """Input ``i``'s checks once its pass ran: rows rejected, lines a stray quote
        swallowed (then read again, line by line), ``--strict``. Its plan, or None."""
        if inp.format != "parquet" and inp.columns:
            rejects = self._note_rejects(con, i, inp)
            # DuckDB's parallel reader rejects the row of an unterminated quote; its serial
            # reader (the numbered read of evidence runs) drops the rest silently, so there
            # the lines are always counted.
            numbered = bool(self.options.evidence_out or self.options.duplicates_out)
            if (inp.quote and i not in self._recovered
                    and (numbered or any(r[1] == "UNQUOTED VALUE" for r in rejects))):
                swallowed = self._swallowed_lines(con, i, inp, len(rejects))
                if swallowed:
                    self._drop_work_tables(con, i)
                    return self._recover_quoting(con, i, inp, swallowed)
        if self.options.strict and inp.rows_rejected:
            inp.error = (f"{inp.rows_rejected:,} row(s) rejected and --strict is set "
                         f"(see warnings)")
            return None
        return plan

    def _swallowed_lines(self, con, i: int, inp: Input, rejected: int) -> int:
        """Lines of the file that became neither a row nor a rejected row (a stray quote)."""
        produced = con.execute(f"SELECT count(*) FROM {self._source(i, inp, 'q')}").fetchone()[0]
        return max(quoting.data_lines(inp.read_path, inp.header) - produced - rejected, 0)

    @staticmethod
    def _drop_work_tables(con, i: int) -> None:
        """Drop what the pass over input ``i`` created, before it is read again."""
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name IN "
            "(SELECT unnest([?, ?, ?]) UNION ALL SELECT table_name FROM duckdb_tables() "
            "WHERE starts_with(table_name, ?))",
            [f"leakscan_keys_{i}", f"leakscan_rows_{i}", f"leakscan_raw_{i}",
             f"leakscan_keys_{i}__"]).fetchall()]
        names += [f"leakscan_rej_{tag}{i}{scan}" for tag in "dsfq" for scan in ("", "_scan")]
        for name in names:
            con.execute(f"DROP TABLE IF EXISTS {quote_ident(name)}")
        # a batched input's key table is a view of its batch's (``_reduce_batch``)
        for (view,) in con.execute("SELECT view_name FROM duckdb_views() WHERE temporary "
                                   "AND view_name = ?", [f"leakscan_keys_{i}"]).fetchall():
            con.execute(f"DROP VIEW {quote_ident(view)}")

    def _recover_quoting(self, con, i: int, inp: Input, swallowed: int):
        """Re-read an input line by line (``inputs.quoting``), classify it again, reduce it."""
        first = (inp.warnings.pop() if inp.rows_rejected  # the swallowed read's "could not
                 else "no row rejected")  # be parsed" warning
        stale = self._classify_warnings.pop(i, [])
        inp.warnings = [w for w in inp.warnings if w not in stale]
        out = self.stager.recovery_path()
        got = quoting.recover(inp.read_path, out, delimiter=inp.delimiter, quote=inp.quote,
                              header=inp.header, columns=inp.columns)
        inp.read_path, inp.delimiter, inp.quote, inp.header = out, ",", '"', True
        inp.rows_rejected = got.lost_count
        lost = (f"; {got.lost_count:,} line(s) lost, fitting neither way (lines "
                f"{', '.join(map(str, got.lost))}{', ...' if got.lost_count > 5 else ''})"
                if got.lost_count else "; no line lost")
        unq = (f", {got.unquoted_count:,} of them split without quoting (lines "
               f"{', '.join(map(str, got.unquoted))}{', ...' if got.unquoted_count > 5 else ''})"
               if got.unquoted_count else "")
        inp.warnings.append(f"{inp.path}: an unterminated quote hid {swallowed:,} line(s) "
                            f"({first.split(': ', 1)[-1]}); the file "
                            f"was re-read line by line: {got.rows:,} row(s) read{unq}{lost}")
        self.evidence = [e for e in self.evidence if e.input != inp.path]
        self._recovered[i] = None
        self._cells.pop(i, None)
        self._find_damage(con, i, inp)
        source = self._source(i, inp, "s")
        result, notes = self._classify(con, inp, source)
        inp.warnings.extend(notes)
        self.evidence.extend(result.evidence)
        self._collect_samples(con, source, result.assignments, result.examples)
        self._recovered[i] = (inp, result.assignments, result.free_text)
        return self._reduce(con, i, inp, result.assignments, result.free_text)

    def _classify(self, con, inp: Input, source: str, sampled=None):
        """Classify one input's columns under the layout profiles that apply to it and the
        ``--column`` overrides; set the roles. Returns the classification and its notes.
        ``sampled``: its sample evidence, when a batch computed it (``_classify_batch``)."""
        overrides, notes, roles = self._profile_overrides(inp)
        result = classify_input(con, inp.path, source, inp.columns, self.registry,
                                overrides + self.overrides, free_text=self.options.free_text,
                                credential=_credential_column(inp), sampled=sampled)
        notes = notes + result.warnings + [
            f"{inp.path}: {note}"
            for note in assign_roles(result.assignments, inp.columns, self.registry)]
        by_profile = {e.column for e in result.evidence if e.profile}  # not a --column's
        for a in result.assignments:
            if a.column in roles and a.column in by_profile:
                a.role = roles[a.column]
        return result, notes

    def _profile_overrides(self, inp: Input):
        """The overrides of the profiles forced with ``--profile`` and of the shipped
        profiles whose signature this input's header matches (``profiles.py``); the notes
        saying so; the roles the profiles give."""
        chosen = [(p, "forced") for p in self.profiles_forced]
        chosen += [(p, "signature") for p in self.profiles_shipped if p.matches(inp.columns)]
        overrides, notes, roles = [], [], {}
        for p, why in chosen:
            entry = self.profiles_applied.setdefault(p.id, {
                "id": p.id, "title": p.title, "source": p.source, "file": p.file,
                "sha256": p.sha256, "applied": why, "inputs": []})
            if inp.path not in entry["inputs"]:
                entry["inputs"].append(inp.path)
            have, total = p.present(inp.columns)
            how = ("forced with --profile" if why == "forced" else
                   f"its header matches the profile's signature ({have} of {total} columns)")
            mapped = []
            for name, cat in p.columns.items():
                column = p.column_in(inp.columns, name)
                if column is not None and column not in {o.column for o in overrides}:
                    overrides.append(Override(inp.path, column, cat, f"{p.id!r} ({how})"))
                    mapped.append(f"{column}={cat or 'none'}")
                    if name in p.roles:
                        roles[column] = p.roles[name]
            notes.append(f"{inp.path}: layout profile {p.id!r} applied, {how}: "
                         f"{', '.join(mapped) or 'no column of it here'} (its source: "
                         f"`leakscan profiles`; --column overrides a column)")
        return overrides, notes, roles

    def _note_rejects(self, con, i: int, inp: Input) -> list:
        table = f"leakscan_rej_f{i}"
        rows = con.execute(f"SELECT line, any_value(error_type), any_value(error_message) "
                           f"FROM {table} GROUP BY line ORDER BY line").fetchall()
        inp.rows_rejected += len(rows)
        if rows:
            first = ", ".join(str(r[0]) for r in rows[:5])
            inp.warnings.append(f"{inp.path}: {len(rows):,} row(s) could not be parsed and were "
                                f"not counted (lines {first}{', ...' if len(rows) > 5 else ''}:"
                                f" {rows[0][2]})")
        return rows

    def _collect_samples(self, con, source: str, assignments: list[Assignment],
                         examples: dict[tuple[int, str], list[str]]) -> None:
        """Up to three valid normalised values per assigned column, for masked display.

        Classification already ran every candidate category over the sample and kept its first
        valid values (``examples``); only columns whose category was no candidate there (an
        override, a coordinate pair) are read again here: the query runs the categories'
        whole pipelines, about 0.1 s for a small input, most of it fixed cost."""
        for a in assignments:
            if (a.position, a.category) in examples:
                cat = self.registry.get(a.category)
                self.samples[(a.input, a.column)] = [cat.mask(v)
                                                     for v in examples[(a.position, a.category)]]
        assignments = [a for a in assignments if (a.position, a.category) not in examples]
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

    def check_overrides_matched(self, inputs: list[Input]) -> None:
        for ov in self.overrides:
            hits = [inp for inp in inputs if ov.applies_to(inp.path) and ov.column in inp.columns]
            if not hits:
                cands = [inp for inp in inputs if ov.applies_to(inp.path)]
                hint = (f"columns of {cands[0].path}: {', '.join(cands[0].columns)}" if cands
                        else "no input matches " + repr(ov.file))
                raise UsageError(f"--column {ov.text()!r} matches no column ({hint})")


#: How DuckDB words a KeyboardInterrupt raised inside a Python UDF (``kernels.py``).
_UDF_INTERRUPT = "Python exception occurred while executing the UDF: KeyboardInterrupt"
def _not_the_input(e: Exception) -> bool:
    """Is this DuckDB error no input's fault (a bug, the memory limit, Ctrl-C: re-raised)
    rather than an input that cannot be read (recorded on the input)?"""
    return isinstance(e, NOT_INPUT_ERRORS) or _UDF_INTERRUPT in str(e)


#: Sampled cells (at most) per batch of inputs classified on one sample evaluation.
BATCH_CELLS = 2_000_000
#: Inputs (at most) reduced in one statement (``Scanner._reduce_all``): the statement grows by
#: one reader call per input.
BATCH_INPUTS = 64
#: Only small inputs are reduced in batches, and a batch holds at most ``BATCH_BYTES``: the
#: batch's key table is split with one scan of it per input, and a large input gains nothing
#: from sharing a statement's fixed cost.
BATCH_INPUT_BYTES = 4 << 20
BATCH_BYTES = 64 << 20
_BATCH_COLUMN = "leakscan_input"


@dataclass(frozen=True)
class _Staged:
    """An input staged and ready to classify (``Scanner._stage``)."""

    i: int
    input: Input
    source: str  # the SQL relation its sample is read from
    todo: list[tuple[int, str]]  # the columns to sample (``classify.sampled_columns``)
    credential: str | None  # a credential list's account column


def _credential_column(inp: Input) -> str | None:
    """The account column of a credential list (its only staged column), else None: a
    candidate mixed column of phones, e-mail addresses and accounts (``mixed.py``)."""
    return inp.credentials.account_name if getattr(inp, "credentials", None) else None
