"""The ``leakscan`` command line: a thin click layer over the library.

Results go to stdout (or ``-o FILE``); messages go to stderr. Library errors become one line
and an exit code here, and only here; a traceback is printed only with ``-v``.
"""

from __future__ import annotations

import sys
import traceback

import click

from . import __version__
from . import rulesets as rulesets_mod
from .errors import ExitCode, LeakscanError
from .registry import default_registry
from .render import render_markdown, render_table
from .scan import DEDUP_CHOICES, HEADER_CHOICES, SCOPE_CHOICES, scan

EXIT_CODES_HELP = "\n".join(
    f"  {code.value:>3}  {meaning}"
    for code, meaning in [
        (ExitCode.OK, "scanned; report written (crossing a threshold is not an error)"),
        (ExitCode.INTERNAL, "internal error (a bug: rerun with -v and report it)"),
        (ExitCode.USAGE, "usage error: bad option, missing path, unknown category or ruleset"),
        (ExitCode.PARTIAL, "some inputs unreadable; the report covers the rest and names them"),
        (ExitCode.NOTHING_READABLE, "nothing readable; no report"),
        (ExitCode.INTERRUPTED, "interrupted (Ctrl-C); no report"),
    ]
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             epilog="\b\nExit codes:\n" + EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="leakscan")
def main():
    """Count the personal information in leaked data and assess it against legal thresholds."""


@main.command("scan", epilog="\b\nExit codes:\n" + EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]),
              default="table", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here "
              "instead of stdout.")
@click.option("--dedup", type=click.Choice(DEDUP_CHOICES), default="record", show_default=True,
              help="record: rows with equal normalised values count once; none: every row.")
@click.option("--scope", type=click.Choice(SCOPE_CHOICES), default="case", show_default=True,
              help="case: dedup across all inputs; input: within each input, then add up.")
@click.option("--insider", is_flag=True, help="The information was obtained while performing "
              "duties or providing services: thresholds are halved (Fa Shi [2017] No. 10 "
              "Art. 5(1)(8)).")
@click.option("--ruleset", "rulesets", multiple=True, metavar="ID|FILE.toml",
              help="Ruleset to assess against (repeatable). Default: "
              + ", ".join(rulesets_mod.DEFAULT_RULESETS) + ". See `leakscan rulesets`.")
@click.option("--column", "columns", multiple=True, metavar="[FILE:]COLUMN=CATEGORY",
              help="Force a column's category, or =none to ignore it (repeatable).")
@click.option("--header", type=click.Choice(HEADER_CHOICES), default="auto", show_default=True,
              help="Whether delimited files have a header row.")
@click.option("--threads", type=click.IntRange(1, 256), help="DuckDB worker threads "
              "(default: all cores).")
@click.option("--memory-limit", metavar="SIZE", help="DuckDB memory limit, e.g. 1GB (default: "
              "80% of RAM); beyond it, work spills to a temporary directory that is removed.")
@click.option("--explain", is_flag=True, help="Print, per column, the evidence behind its "
              "category (header match, valid share, sample size, confidence) on stderr.")
@click.option("-q", "--quiet", is_flag=True, help="No messages on stderr.")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks on errors.")
def scan_command(paths, fmt, output, dedup, scope, insider, rulesets, columns, header, threads,
                 memory_limit, explain, quiet, verbose):
    """Scan files or directories (CSV, TSV, TXT, Parquet) and report what they hold."""
    options = dict(dedup=dedup, scope=scope, insider=insider, columns=columns, header=header,
                   threads=threads, memory_limit=memory_limit)
    if rulesets:
        options["rulesets"] = rulesets
    try:
        report = scan(list(paths), **options)
        if explain:
            for evidence in report.column_evidence:
                click.echo("\n".join(evidence.lines()), err=True)
        doc = report.to_dict()
        renderers = {"json": lambda: report.to_json(), "table": lambda: render_table(doc),
                     "markdown": lambda: render_markdown(doc)}
        text = renderers[fmt]()
        if output:
            with open(output, "w", encoding="utf-8") as f:
                f.write(text)
        else:
            click.echo(text, nl=False)
    except KeyboardInterrupt:
        _fail("interrupted; no report written", ExitCode.INTERRUPTED, quiet)
    except LeakscanError as e:
        if verbose:
            traceback.print_exc()
        _fail(str(e), e.exit_code, quiet)
    except OSError as e:
        _fail(f"{e.filename or 'output'}: {e.strerror or e}", ExitCode.USAGE, quiet)
    except Exception as e:  # noqa: BLE001 - the one place that turns a bug into one line
        if verbose:
            traceback.print_exc()
        _fail(f"internal error: {type(e).__name__}: {e} (rerun with -v for the traceback)",
              ExitCode.INTERNAL, quiet)
    if report.exit_partial():
        if not quiet:
            for inp in doc["inputs"]:
                if inp.get("error"):
                    click.echo(f"leakscan: {inp['path']}: {inp['error']}", err=True)
        sys.exit(ExitCode.PARTIAL)


def _fail(message: str, code: ExitCode, quiet: bool):
    if not quiet:
        click.echo(f"leakscan: {message}", err=True)
    sys.exit(code)


@main.command("categories")
def categories_command():
    """List every categorizer: id, legal class, tier and header synonyms."""
    for cat in default_registry():
        ident = "identifying" if cat.identifying else "attribute"
        how = "header or values" if cat.value_detection else "header"
        click.echo(f"{cat.id}  [{cat.cls}, tier {cat.tier}, {ident}, detected by {how}]  "
                   f"{cat.title}")
        click.echo(f"    synonyms: {', '.join(cat.header_synonyms)}")


@main.command("rulesets")
def rulesets_command():
    """List the built-in rulesets with their thresholds and citations."""
    for rid in rulesets_mod.builtin_ids():
        rs = rulesets_mod.load(rid)
        click.echo(f"{rs.id} (version {rs.version}, unit: {rs.unit}, combine: {rs.combine})")
        click.echo(f"  {rs.title}")
        for lv in rs.levels:
            th = ", ".join(f"{t} {n:,}" for t, n in lv.thresholds.items())
            click.echo(f"  {lv.id:<22} {th}")
        if rs.insider:
            click.echo(f"  insider: thresholds x {rs.insider['factor']}")
        click.echo(f"  citation: {rs.citation}")
        click.echo("")
