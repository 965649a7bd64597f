"""The ``leakscan`` command line: a thin click layer over the library.

Results go to stdout (or ``-o FILE``); messages go to stderr. Library errors become one line
and an exit code here, and only here; a traceback is printed only with ``-v``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import tempfile
import traceback
import warnings
from typing import NoReturn

import click
import duckdb

from . import __version__, inert
from . import profiles as profiles_mod
from . import rulesets as rulesets_mod
from .classify import Override
from .errors import ExitCode, LeakscanError, LeakscanWarning, UsageError
from .messages import LANGUAGES, default_language, msg
from .outputs import check_outputs, write_text
from .present import level_label
from .progress import Progress
from .registry import default_registry
from .render import inert_line, render_markdown, render_table
from .scan import DEDUP_CHOICES, ENGINE_CHOICES, HEADER_CHOICES, SCOPE_CHOICES, scan
from .sql import default_memory_limit

FORMATS = ("table", "json", "markdown", "html")

EXIT_CODES_HELP = "\n".join(
    f"  {code.value:>3}  {meaning}"
    for code, meaning in [
        (ExitCode.OK, "scanned; report written (crossing a threshold is not an error)"),
        (ExitCode.INTERNAL, "internal error (a bug: rerun with -v and report it)"),
        (ExitCode.USAGE, "usage error: bad option, missing path, unknown category or ruleset"),
        (ExitCode.PARTIAL, "some inputs unreadable; the report covers the rest and names them"),
        (ExitCode.NOTHING_READABLE, "nothing readable; no report"),
        (ExitCode.NOT_VERIFIED, "verify and sample only: a file changed, is missing, or is not "
                                "in the report"),
        (ExitCode.LEVEL_REACHED, "--fail-on LEVEL: a ruleset reached that level (report written)"),
        (ExitCode.HANGUP, "stopped by SIGHUP; no report, temporary files removed"),
        (ExitCode.INTERRUPTED, "interrupted (Ctrl-C); no report"),
        (ExitCode.TERMINATED, "stopped by SIGTERM; no report, temporary files removed"),
    ]
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             epilog="\b\nExit codes:\n" + EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="leakscan")
def main():
    """Count the personal information in leaked data and assess it against legal thresholds."""
    # numpy, which DuckDB imports to register the compiled kernels' UDFs, starts OpenBLAS with
    # a spinning thread per core: 0.1 s of CPU taken from DuckDB at each start. leakscan does
    # no linear algebra. Set here, not in the library, whose caller's numpy is its own.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _render_html(doc: dict, lang: str) -> str:
    from .html import render_html  # imported for this format only (8 ms of each start)

    return render_html(doc, lang)


def assessment_options(f):
    """The options that change only the assessment (docs/counting.md, Rules 6.4-6.9), kept
    together: --insider, --insider-input, --illegal-income, --lawful-business, --as-of,
    --verification, --confidence."""
    options = [
        click.option("--insider", is_flag=True, help="Every input was obtained while "
                     "performing duties or providing services AND was sold or provided to "
                     "others (Fa Shi [2017] No. 10 Art. 5(1)(8)): thresholds are halved."),
        click.option("--insider-input", "insider_input", multiple=True, metavar="GLOB",
                     help="Like --insider, for the inputs whose path or file name matches "
                     "GLOB only (repeatable): only what was obtained on duty, and sold or "
                     "provided, is held to the halved thresholds."),
        click.option("--illegal-income", metavar="CNY", help="Illegal income in CNY: assessed "
                     "against Fa Shi [2017] No. 10 Art. 5(1)(7) (5,000 serious, 50,000 "
                     "especially serious; halved with --insider)."),
        click.option("--lawful-business", metavar="PROFIT_CNY", help="The information was "
                     "bought or received for lawful business activity (Fa Shi [2017] No. 10 "
                     "Art. 6) and the buyer profited PROFIT_CNY from it: 'other' (tier C) "
                     "information is then serious at CNY 50,000 profit, not at 5,000 items."),
        click.option("--as-of", "as_of", metavar="DATE", help="The reference date (YYYY-MM-DD) "
                     "for birth dates not in the future and ages of minors (default: "
                     "SOURCE_DATE_EPOCH, else today, UTC)."),
        click.option("--verification", metavar="FILE.csv", help="A sample file filled in by "
                     "an examiner (`leakscan sample`): report per tier the genuine share "
                     "with an exact (Clopper-Pearson) interval, the counts at its lower bound "
                     "and the level they reach beside the literal level."),
        click.option("--confidence", metavar="LEVEL", help="Confidence of the "
                     "--verification intervals, two-sided (default 0.95; 0.99 or 99% also "
                     "read)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


@main.command("scan", epilog="\b\nExit codes:\n" + EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Output format (html: one "
              "self-contained page; use with -o). Default: from the extension of -o (.json, "
              ".md, .html, .txt), else table.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here "
              "instead of stdout.")
@click.option("--lang", type=click.Choice(LANGUAGES), default=default_language,
              help="Language of the table, Markdown and HTML reports (JSON keys stay as they "
              "are). Default: from the locale (LC_ALL, LC_MESSAGES, LANG): zh when it names "
              "Chinese, else en; here " + default_language() + ".")
@click.option("--fail-on", metavar="LEVEL", help="Exit with code 6 (after writing the report) "
              "when any ruleset reaches LEVEL or a higher level of it, e.g. serious; a level "
              "id from `leakscan rulesets`.")
@click.option("--dedup", type=click.Choice(DEDUP_CHOICES), default="record", show_default=True,
              help="record: rows with equal normalised values count once; none: every row.")
@click.option("--scope", type=click.Choice(SCOPE_CHOICES), default="case", show_default=True,
              help="case: dedup across all inputs; input: within each input, then add up.")
@click.option("--ruleset", "rulesets", multiple=True, metavar="ID|FILE.toml",
              help="Ruleset to assess against (repeatable). Default: "
              + ", ".join(rulesets_mod.DEFAULT_RULESETS) + ". See `leakscan rulesets`.")
@click.option("--column", "columns", multiple=True, metavar="[FILE:]COLUMN=CATEGORY",
              help="Force a column's category, or =none to ignore it (repeatable).")
@click.option("--profile", "profiles", multiple=True, metavar="ID|FILE.toml",
              help="Read the columns as this layout profile maps them, whatever the header "
              "(repeatable). Shipped profiles are applied by themselves when an input's header "
              "matches their signature. See `leakscan profiles`.")
@click.option("--save-profile", metavar="FILE.toml", help="Write this case's --column "
              "overrides as a layout profile, for --profile FILE.toml on the next dump of "
              "the same layout.")
@click.option("--header", type=click.Choice(HEADER_CHOICES), default="auto", show_default=True,
              help="Whether delimited files have a header row.")
@click.option("--free-text/--no-free-text", default=True, show_default=True,
              help="Search text columns (remarks, messages, addresses) for embedded resident "
              "IDs, phones, bank cards and e-mails.")
@click.option("--kernels/--no-kernels", default=True, show_default=True,
              help="Validate with the compiled kernels where leakscan was built with them; "
              "--no-kernels validates in SQL only (same counts, slower; also "
              "LEAKSCAN_KERNELS=0).")
@click.option("--null-marker", "null_markers", multiple=True, metavar="TEXT",
              help="Also read cells holding TEXT as blank, besides NULL, \\N, None, N/A, -, "
              "无, 暂无... (repeatable; the full list is in the JSON report's options).")
@click.option("--engine", type=click.Choice(ENGINE_CHOICES), default="duckdb",
              show_default=True, help="Where the scan runs: duckdb on this machine, or spark "
              "(per-file work in Spark tasks, counting on Spark SQL; same counts; needs "
              "pyspark and Java 17: pip install 'leakscan[spark]').")
@click.option("--spark-master", metavar="URL", help="With --engine spark: the Spark master "
              "(default: the active session's, else local[2]); spark-submit sets it for you.")
@click.option("--threads", type=click.IntRange(1, 256), help="DuckDB worker threads "
              "(default: all cores).")
@click.option("--memory-limit", metavar="SIZE", help="DuckDB memory limit, e.g. 1GB (default: "
              f"half of this machine's memory, {default_memory_limit()} here); beyond it, work "
              "spills to a temporary directory that is removed.")
@click.option("--encoding", metavar="NAME", help="Read every text input in this encoding "
              "(e.g. gb18030, big5, utf-16) instead of detecting it; any name Python knows.")
@click.option("--include", multiple=True, metavar="GLOB", help="Under directories, scan only "
              "files matching GLOB (path below the directory or file name; repeatable; "
              "case-insensitive where the file system is).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Under directories, skip files "
              "matching GLOB (repeatable; case-insensitive where the file system is). Files "
              "not read are listed in the report's provenance.")
@click.option("--follow-links", is_flag=True, help="Under directories, also read files "
              "reached through symbolic links that point outside the directory (skipped and "
              "named in a warning by default).")
@click.option("--strict", is_flag=True, help="An input with any rejected row or undecodable "
              "byte fails (exit 3 or 4) instead of being scanned without those rows.")
@click.option("--evidence-out", metavar="FILE.parquet|FILE.csv", help="Write one row per "
              "counted record: input, row number, tier, categories, masked values (the file's "
              "SHA-256 is in the report).")
@click.option("--duplicates-out", metavar="FILE.parquet|FILE.csv", help="Write each row "
              "dropped as a duplicate with the row it duplicates.")
@click.option("--unmasked", is_flag=True, help="Evidence files hold full values (a warning "
              "is printed; keep the file as the evidence it is).")
@click.option("--explain", is_flag=True, help="Print, per column, the evidence behind its "
              "category (header match, valid share, sample size, confidence) on stderr.")
@assessment_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, notes or warnings on "
              "stderr; a fatal error is still printed.")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks on errors.")
def scan_command(paths, fmt, output, lang, fail_on, dedup, scope, rulesets, columns, header,
                 threads, memory_limit, evidence_out, duplicates_out, unmasked, explain,
                 quiet, verbose, save_profile, **reading):
    """Scan files or directories (CSV, TSV, TXT, JSON Lines, JSON, Parquet, Excel, .gz, .zip)
    and report what they hold."""
    fmt = pick_format(fmt, output)
    fail_levels = _fail_on_levels(fail_on, rulesets) if fail_on else {}
    options = dict(dedup=dedup, scope=scope, columns=columns, header=header,
                   threads=threads, memory_limit=memory_limit)
    if rulesets:
        options["rulesets"] = rulesets
    options.update(evidence_out=evidence_out, duplicates_out=duplicates_out, unmasked=unmasked)
    # --encoding, --include, --exclude, --strict, --free-text, and the assessment options
    options.update(reading)
    if unmasked and not evidence_out and not quiet:
        click.echo("leakscan: --unmasked only changes --evidence-out; reports stay masked",
                   err=True)
    _catch_termination()
    try:
        check_outputs(list(paths), [("-o", output), ("--evidence-out", evidence_out),
                                    ("--duplicates-out", duplicates_out),
                                    ("--save-profile", save_profile)])
        if save_profile and not columns:
            raise UsageError("--save-profile writes the --column overrides of this scan as a "
                             "profile: give at least one --column")
        progress = Progress(enabled=not quiet and sys.stderr.isatty())
        with warnings.catch_warnings():  # the CLI prints the report's warnings itself
            warnings.simplefilter("ignore", LeakscanWarning)
            report = scan(list(paths), progress=progress, **options)
        if explain:
            for evidence in report.column_evidence:
                click.echo("\n".join(inert.terminal(ln) for ln in evidence.lines()), err=True)
        doc = report.to_dict()
        if unmasked and evidence_out and not quiet:
            click.echo(f"leakscan: WARNING: {inert.terminal(evidence_out)} holds full, "
                       f"unmasked personal information; store and transfer it as evidence", err=True)
        renderers = {"json": lambda: report.to_json(), "table": lambda: render_table(doc, lang),
                     "markdown": lambda: render_markdown(doc, lang),
                     "html": lambda: _render_html(doc, lang)}
        text = renderers[fmt]()
        if save_profile:
            _save_profile(save_profile, report, columns)
            if not quiet:
                click.echo(f"leakscan: the --column overrides were saved as a profile: "
                           f"{inert.terminal(save_profile)} (use --profile "
                           f"{inert.terminal(save_profile)})", err=True)
        if output:
            write_text(output, text)
        else:
            click.echo(text, nl=False)
        if not quiet and (output or fmt != "table"):  # the table on stdout lists them itself
            for w in doc["warnings"]:
                click.echo(f"leakscan: warning: {inert_line(w)}", err=True)
    except KeyboardInterrupt:
        _stopped("report", quiet)
    except LeakscanError as e:
        _library_error(e, verbose, quiet)
    except duckdb.OutOfMemoryException as e:
        if verbose:
            traceback.print_exc()
        first = str(e).splitlines()[0]
        _fail(f"{first}; the memory limit is {memory_limit or default_memory_limit()}: raise "
              f"--memory-limit, or use --threads 1, and make sure the temporary directory "
              f"({tempfile.gettempdir()}) has free disk for spilling", ExitCode.INTERNAL, quiet)
    except OSError as e:
        _os_error(e, quiet)
    except Exception as e:  # noqa: BLE001 - the one place that turns a bug into one line
        _internal_error(e, verbose, quiet)
    reached = [a for a in doc["assessments"] if a["level"] in fail_levels.get(a["ruleset"], ())]
    if report.exit_partial() and not quiet:
        for inp in doc["inputs"]:
            if inp.get("error"):
                click.echo(f"leakscan: {inert_line(inp['path'])}: {inert_line(inp['error'])}",
                           err=True)
    if reached:
        if not quiet:
            for a in reached:
                click.echo("leakscan: " + msg("cli.fail_on", lang, ruleset=a["ruleset"],
                                              level=level_label(a["level_name"], lang), wanted=fail_on,
                                              code=int(ExitCode.LEVEL_REACHED)), err=True)
        sys.exit(ExitCode.LEVEL_REACHED)
    if report.exit_partial():
        sys.exit(ExitCode.PARTIAL)


def _save_profile(path: str, report, columns: tuple[str, ...]) -> None:
    """``--save-profile``: the overrides, with the columns of the first input they applied to
    as the signature (the layout they describe)."""
    import re

    overrides = [Override.parse(t, report.registry) for t in columns]
    seen = next((inp.columns for inp in report.inputs
                 if any(ov.applies_to(inp.path) and ov.column in inp.columns
                        for ov in overrides)), [])
    stem = re.sub(r"[^a-z0-9-]+", "-", os.path.splitext(os.path.basename(path))[0].lower())
    text = profiles_mod.dump(overrides, stem.strip("-")[:64] or "saved", list(seen))
    profiles_mod.parse(text.encode("utf-8"), path, set(report.registry.ids()))  # round trip
    write_text(path, text)


#: -o's extension -> the format it means when --format is not given.
EXTENSIONS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".html": "html",
              ".htm": "html", ".txt": "table"}


def pick_format(fmt: str | None, output: str | None) -> str:
    """``--format``, else the one -o's extension names, else table; a pair that disagrees
    (``--format json -o r.html``) is a usage error rather than a file named for another
    format."""
    implied = EXTENSIONS.get(os.path.splitext(output or "")[1].lower())
    if fmt and implied and fmt != implied:
        raise click.UsageError(msg("cli.format_conflict", "en", fmt=fmt, output=output,
                                   implied=implied))
    return fmt or implied or "table"


def _fail_on_levels(level: str, chosen: tuple[str, ...]) -> dict[str, set[str]]:
    """Ruleset id -> the level ids at or above ``level`` (a ruleset without that level id is
    never reached); a level no chosen ruleset has is a usage error, before the scan."""
    out, known = {}, []
    try:
        loaded = [rulesets_mod.load(r) for r in (chosen or rulesets_mod.DEFAULT_RULESETS)]
    except LeakscanError as e:
        raise click.UsageError(str(e)) from None
    for rs in loaded:
        ids = [lv.id for lv in rs.levels]
        known += ids
        if level in ids:
            out[rs.id] = set(ids[ids.index(level):])
    if not out:
        raise click.UsageError(msg("cli.fail_on_unknown", "en", wanted=level,
                                   levels=", ".join(dict.fromkeys(known))))
    return out


_received: list[int] = []


def _catch_termination() -> None:
    """Make SIGTERM and SIGHUP stop the scan the way Ctrl-C does.

    The handler raises ``KeyboardInterrupt``, so every ``with`` block unwinds: the scan's
    temporary directory (staged plaintext copies of the inputs, DuckDB's spill files) and any
    half-written output are removed, and nothing is left that looks complete. DuckDB notices
    the pending signal while a query runs and stops it (``duckdb.InterruptException``).
    """
    def stop(signum, _frame):
        _received.append(signum)
        for s in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)  # a second signal must not cut the clean-up short
        raise KeyboardInterrupt

    for s in (signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError, OSError):  # not the main thread (embedded use)
            signal.signal(s, stop)


def _stopped(what: str, quiet: bool) -> NoReturn:
    """Ctrl-C, SIGTERM or SIGHUP during a command that writes ``what``: one line, the exit
    code the shell expects (130, or 128 + the signal), nothing written."""
    # A second Ctrl-C (or one DuckDB saw and Python has still pending) must not cut the
    # clean exit short: the process would die of SIGINT instead of exiting 130.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _received:  # SIGTERM or SIGHUP: exit as the shell expects, 128 + the signal
        _fail(f"stopped by {signal.Signals(_received[-1]).name}; no {what} written",
              128 + _received[-1], quiet)
    _fail(f"interrupted; no {what} written", ExitCode.INTERRUPTED, quiet)


def _library_error(e: LeakscanError, verbose: bool, quiet: bool) -> NoReturn:
    """A library error as its one line and exit code (with its traceback under ``-v``)."""
    if verbose:
        traceback.print_exc()
    _fail(str(e), e.exit_code, quiet)


def _os_error(e: OSError, quiet: bool) -> NoReturn:
    """An output that cannot be written (or a file that vanished) as its one line."""
    _fail(f"{e.filename or 'output'}: {e.strerror or e}", ExitCode.USAGE, quiet)


def _internal_error(e: Exception, verbose: bool, quiet: bool) -> NoReturn:
    """A bug as one line and exit 1 (its traceback under ``-v``), never a bare traceback."""
    if verbose:
        traceback.print_exc()
    _fail(f"internal error: {type(e).__name__}: {e} (rerun with -v for the traceback)",
          ExitCode.INTERNAL, quiet)


def _fail(message: str, code: ExitCode | int, quiet: bool = False):
    """A fatal error: one line on stderr, even with -q (a silent failure helps nobody)."""
    click.echo(f"leakscan: {inert_line(message)}", err=True)
    sys.exit(code)


@main.command("categories")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="json: one object per categorizer.")
def categories_command(fmt):
    """List every categorizer: id, legal class, tier, header synonyms and, for attribute
    categories, the kinds of value and the negative header words."""
    if fmt == "json":
        click.echo(json.dumps([{"id": c.id, "title": c.title, "class": c.cls, "tier": c.tier,
                                "identifying": c.identifying, "personal": c.personal,
                                "value_detection": c.value_detection,
                                "header_synonyms": list(c.header_synonyms),
                                "value_kinds": list(c.value_kinds),
                                "negative_words": list(c.negative_words),
                                "links_persons": c.links_persons,
                                "origin": c.origin} for c in default_registry()],
                              ensure_ascii=False, indent=2))
        return
    for cat in default_registry():
        ident = "identifying" if cat.identifying else "attribute"
        how = "header or values" if cat.value_detection else "header"
        click.echo(f"{cat.id}  [{cat.cls}, tier {cat.tier}, {ident}, detected by {how}]  "
                   f"{cat.title}")
        click.echo(f"    synonyms: {', '.join(cat.header_synonyms)}")
        if cat.value_kinds:
            click.echo(f"    values: {' or '.join(cat.value_kinds)}")
        if cat.negative_words:
            click.echo(f"    negative words: {', '.join(cat.negative_words)}")


@main.command("profiles")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="json: one object per profile.")
def profiles_command(fmt):
    """List the shipped layout profiles: id, title, source, signature and column mapping."""
    try:
        shipped = profiles_mod.builtin(set(default_registry().ids()))
    except LeakscanError as e:
        _fail(str(e), e.exit_code)
    if fmt == "json":
        click.echo(json.dumps([{"id": p.id, "title": p.title, "source": p.source,
                                "notes": p.notes, "signature": list(p.signature),
                                "min_share": p.min_share,
                                "columns": {c: v or "none" for c, v in p.columns.items()},
                                "roles": dict(p.roles), "sha256": p.sha256} for p in shipped],
                              ensure_ascii=False, indent=2))
        return
    for p in shipped:
        click.echo(f"{p.id}  {p.title}")
        click.echo(f"    signature: {len(p.signature)} columns ({', '.join(p.signature)}); "
                   f"applied when more than {p.min_share:.0%} of them are present"
                   if p.min_share == profiles_mod.DEFAULT_MIN_SHARE else
                   f"    signature: {len(p.signature)} columns ({', '.join(p.signature)}); "
                   f"applied when at least {p.min_share:.0%} of them are present")
        click.echo("    columns: " + ", ".join(f"{c}={v or 'none'}" for c, v in p.columns.items()))
        if p.roles:
            click.echo("    roles: " + ", ".join(f"{c}={v}" for c, v in p.roles.items()))
        click.echo(f"    source: {' '.join(p.source.split())}")
        if p.notes:
            click.echo(f"    notes: {' '.join(p.notes.split())}")
        click.echo("")


@main.command("rulesets")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="json: one object per ruleset.")
def rulesets_command(fmt):
    """List the built-in rulesets with their thresholds and citations."""
    if fmt == "json":
        click.echo(json.dumps([_ruleset_json(rulesets_mod.load(r))
                               for r in rulesets_mod.builtin_ids()],
                              ensure_ascii=False, indent=2))
        return
    for rid in rulesets_mod.builtin_ids():
        rs = rulesets_mod.load(rid)
        click.echo(f"{rs.id} (version {rs.version}, unit: {rs.unit}, combine: {rs.combine})")
        click.echo(f"  {rs.title}")
        for lv in rs.levels:
            th = ", ".join(f"{t} {n:,}" for t, n in lv.thresholds.items())
            click.echo(f"  {lv.id:<22} {th}")
            if lv.income is not None:
                click.echo(f"  {'':<22} or illegal income CNY {int(lv.income):,}")
        if rs.insider:
            click.echo(f"  insider: thresholds x {rs.insider['factor']}")
        if rs.sensitive_categories:
            click.echo(f"  sensitive: {', '.join(rs.sensitive_categories)}")
        for alt in rs.alternatives:
            click.echo(f"  alternative {alt.id}: {alt.reading}")
        click.echo(f"  citation: {rs.citation}")
        click.echo("")


def _ruleset_json(rs) -> dict:
    return {"id": rs.id, "version": rs.version, "title": rs.title, "unit": rs.unit,
            "combine": rs.combine, "jurisdiction": rs.jurisdiction, "tiers": dict(rs.tiers),
            "levels": [{"id": lv.id, "name": lv.name, "thresholds": dict(lv.thresholds),
                        "income": int(lv.income) if lv.income is not None else None,
                        "basis": dict(lv.basis)} for lv in rs.levels],
            "insider": dict(rs.insider) if rs.insider else None,
            "sensitive_categories": list(rs.sensitive_categories),
            "alternatives": [{"id": a.id, "reading": a.reading, "basis": a.basis}
                             for a in rs.alternatives],
            "citation": rs.citation, "sha256": rs.sha256}


@main.command("verify", epilog="\b\nExit codes:\n"
              "    0  verified: the files are the ones the report counted\n"
              "    5  not verified: a file changed, is missing, or is not in the report\n"
              "    2  usage error: the report or a path cannot be read\n"
              "    1  internal error")
@click.argument("report_path", metavar="REPORT.json", type=click.Path(dir_okay=False))
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-q", "--quiet", is_flag=True, help="No output but a fatal error; the exit "
              "code says it all.")
def verify_command(report_path, paths, quiet):
    """Re-hash PATH... and say whether they are the files REPORT.json counted."""
    from .verify import NOT_VERIFIED, VERIFIED, verify

    try:
        result = verify(report_path, list(paths))
    except LeakscanError as e:
        _fail(str(e), e.exit_code, quiet)
    if not quiet:
        click.echo("\n".join(inert.terminal(ln) for ln in result.lines()))
    sys.exit(VERIFIED if result.ok else NOT_VERIFIED)


@main.command("sample", epilog="\b\nExit codes:\n"
              "    0  the sample file was written\n"
              "    5  PATH... are not the files the report counted (as leakscan verify says),\n"
              "       or they no longer count as the report did\n"
              "    2  usage error: bad option, unreadable report or path\n"
              "    1  internal error")
@click.argument("report_path", metavar="REPORT.json", type=click.Path(dir_okay=False))
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--n", "n", type=int, required=True, metavar="N", help="Records to draw per "
              "tier (A, B and C; all of a tier's records when it has fewer).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="The sample file "
              "(CSV, UTF-8 with BOM). Default: the report's name with .sample.csv.")
@click.option("--seed-from-report", "seed_from_report", is_flag=True, help="Seed the draw "
              "with the report's SHA-256 (the default): the same report and files always "
              "give the same sample.")
@click.option("--seed", metavar="TEXT", help="Seed the draw with TEXT instead (e.g. one "
              "drawn in front of the parties); it is written into the sample file.")
@click.option("--unmasked", is_flag=True, help="Write full values, for the examiner's own "
              "copy (a warning is printed; keep the file as the evidence it is).")
@click.option("--threads", type=click.IntRange(1, 256), help="DuckDB worker threads for the "
              "scan that finds the records again.")
@click.option("--memory-limit", metavar="SIZE", help="DuckDB memory limit for that scan.")
@click.option("-q", "--quiet", is_flag=True, help="No summary, progress bar or warnings on "
              "stderr; a fatal error is still printed.")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks on errors.")
def sample_command(report_path, paths, n, output, seed_from_report, seed, unmasked, threads,
                   memory_limit, quiet, verbose):
    """Draw a reproducible random sample of the records REPORT.json counted, N per tier, into
    a CSV file an examiner fills in (genuine: yes or no); read it back with
    `leakscan scan PATH... --verification FILE`."""
    from .sampling import default_output, draw_sample

    if seed and seed_from_report:
        raise click.UsageError("--seed and --seed-from-report exclude each other")
    output = output or default_output(report_path)
    _catch_termination()
    try:
        progress = Progress(enabled=not quiet and sys.stderr.isatty())
        drawn = draw_sample(report_path, list(paths), n=n, output=output, seed=seed,
                            unmasked=unmasked, progress=progress, threads=threads,
                            memory_limit=memory_limit)
    except KeyboardInterrupt:
        _stopped("sample", quiet)
    except LeakscanError as e:
        _library_error(e, verbose, quiet)
    except OSError as e:
        _os_error(e, quiet)
    except Exception as e:  # noqa: BLE001 - the one place that turns a bug into one line
        _internal_error(e, verbose, quiet)
    if quiet:
        return
    if unmasked:
        click.echo(f"leakscan: WARNING: {inert.terminal(output)} holds full, unmasked personal "
                   f"information; store and transfer it as evidence", err=True)
    per_tier = ", ".join(f"{t} {drawn.drawn[t]:,} of {drawn.population[t]:,}"
                         for t in ("A", "B", "C"))
    click.echo(f"leakscan: sample written to {inert.terminal(output)}: {per_tier} (seed "
               f"{inert.terminal(drawn.seed[:16])}...); fill in genuine (yes/no) for every row, "
               f"then run leakscan scan PATH... --verification {inert.terminal(output)}",
               err=True)
