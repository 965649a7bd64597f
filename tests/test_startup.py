"""Start-up: what ``leakscan`` imports before it reads a byte (issue 17).

A scan of one small file takes about a second, most of it fixed: imports, the categorizer
registry, DuckDB set-up (``benchmarks/RESULTS.md``, "start-up"). These tests are not timed
(timing on a shared machine is noise); they hold the structure that keeps start-up short, in
a fresh interpreter each (``sys.modules`` there, not in pytest's, where other tests have
imported everything): heavy libraries only needed by some formats or outputs are imported
where they are used, and a scan of a small text file does not import pyarrow (its compiled
kernels run row by row: ``kernels.row_wise_pays``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from leakscan import kernels

ROOT = Path(__file__).resolve().parent.parent

#: Imported only by the formats or outputs that need them: Parquet and evidence files
#: (pyarrow, and numpy behind it), workbooks (python_calamine, pandas), 7z archives (py7zr),
#: encoding guesses (charset_normalizer), the progress bar (tqdm), the HTML report, SQL dumps
#: and SQLite files.
HEAVY = ("pyarrow", "numpy", "pandas", "python_calamine", "py7zr", "charset_normalizer",
         "tqdm", "cmarkgfm", "sqlite3", "leakscan.html", "leakscan.inputs.sqldump",
         "leakscan.inputs.sqlite")


def _loaded_after(code: str, *, env: dict | None = None) -> dict:
    """Run ``code`` in a fresh interpreter; the modules of ``HEAVY`` it left imported, and
    what it printed to stdout."""
    probe = (f"import json, sys\n{code}\n"
             f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)), "
             f"file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return {"heavy": json.loads(done.stderr.strip().splitlines()[-1]), "stdout": done.stdout}


def test_importing_the_cli_imports_no_heavy_library():
    assert _loaded_after("import leakscan.cli")["heavy"] == []


def test_importing_the_library_imports_no_heavy_library():
    assert _loaded_after("import leakscan; leakscan.scan; leakscan.Report")["heavy"] == []


def test_a_scan_of_a_small_text_file_imports_no_pyarrow_nor_pandas(tmp_path):
    """``leakscan scan`` of a small TSV: only numpy may come in (DuckDB needs it to register
    the kernels' UDFs), and the report names the kernels it ran as with pyarrow loaded."""
    out = tmp_path / "report.json"
    got = _loaded_after(
        "from leakscan.cli import main\n"
        "try:\n"
        f"    main(['scan', 'sample_data/members_en.tsv', '--format', 'json', '-q', "
        f"'--as-of', '2026-01-01', '-o', {str(out)!r}])\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code")
    allowed = {"numpy"} if kernels.extension() is not None else set()
    assert set(got["heavy"]) <= allowed
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["records"]["unique"] == 196  # sample_data/README.md, the table of inputs
    if kernels.extension() is not None and not kernels.disabled_by_environment():
        assert doc["provenance"]["validation"]["path"] == "kernels"


@pytest.mark.skipif(kernels.extension() is None, reason="leakscan._kernels was not built")
def test_a_small_scan_reports_the_same_row_by_row_as_with_arrow_kernels(tmp_path):
    """The same scan with pyarrow imported beforehand (Arrow UDFs) gives the same bytes but
    for ``generated_at``."""
    reports = []
    for pre in ("", "import pyarrow\n"):
        out = tmp_path / f"r{len(reports)}.json"
        _loaded_after(
            pre + "from leakscan.cli import main\n"
            "try:\n"
            f"    main(['scan', 'sample_data/members_en.tsv', '--format', 'json', '-q', "
            f"'--as-of', '2026-01-01', '-o', {str(out)!r}])\n"
            "except SystemExit as e:\n"
            "    assert not e.code, e.code")
        doc = json.loads(out.read_text(encoding="utf-8"))
        doc.pop("generated_at")
        reports.append(doc)
    assert reports[0] == reports[1]


def test_reference_tables_are_created_when_a_statement_names_them(registry):
    """A scan's connection creates a reference table at the first statement that names it,
    after the tables its builder's query reads, and no other: the same rows as creating
    them all up front (``register_reference_tables``)."""
    import duckdb

    from leakscan.expressions import ReferenceTablesOnDemand, register_reference_tables

    def tables(con) -> set[str]:
        return {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}

    builders = {f"ref_{n}": b for c in registry for n, b in c.reference_tables.items()}
    derived = [n for n, b in builders.items() if isinstance(b()[1], str)]
    assert derived, "no reference table is built by a query: nothing to test here"
    eager = duckdb.connect()
    register_reference_tables(eager, registry)
    for name in derived:
        con = duckdb.connect()
        lazy = ReferenceTablesOnDemand(con, registry)
        assert lazy.execute("SELECT 1").fetchall() == [(1,)]
        assert tables(con) == set()
        got = lazy.sql(f"SELECT * FROM {name} ORDER BY ALL").fetchall()
        assert got == eager.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall()
        reads = {n for n in builders if n in builders[name]()[1]}
        assert tables(con) == {name} | reads
        con.close()
