"""Find the input files and work out how to read each one.

Reading is DuckDB's job (a stream, every column as text); this module only decides *how*:
which files, which format, which delimiter and quote, whether the first row is a header, and
the column names. Those decisions come from the first bytes of each file, never from loading
it, and are recorded in the report so a second examiner reads the file the same way.

Files are only ever opened for reading.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, UsageError

#: Extensions scanned when a directory is given; a file named explicitly is scanned whatever
#: its extension, as delimited text unless it is Parquet.
TEXT_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".txt": "csv"}
PARQUET_EXTENSIONS = {".parquet", ".parq", ".pq"}
SNIFF_BYTES = 256 * 1024
SNIFF_ROWS = 200
DELIMITERS = (",", "\t", "|", ";")
PARQUET_MAGIC = b"PAR1"


@dataclass
class Input:
    """One input file and how it is read."""

    path: str  # as the user gave it (or dir/relative for files found under a directory)
    real_path: str
    format: str = "csv"
    encoding: str | None = "utf-8"
    delimiter: str = ","
    quote: str = '"'
    header: bool = True
    columns: list[str] = field(default_factory=list)  # names as found (deduplicated)
    sha256: str = ""
    bytes: int = 0
    rows_rejected: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


def discover(paths: list[str]) -> list[Input]:
    """Expand files and directories into inputs, in the order given, directories sorted.

    Hidden files and directories (name starting with a dot) under a directory are skipped;
    a path that does not exist is a usage error.
    """
    found: list[Input] = []
    seen: set[str] = set()
    for given in paths:
        p = Path(given)
        if not p.exists():
            raise UsageError(f"{given}: no such file or directory")
        if p.is_dir():
            for sub in _walk(p):
                rel = os.path.join(given, os.path.relpath(sub, p))
                _add(found, seen, rel, sub)
        else:
            _add(found, seen, given, p)
    if not found:
        raise UsageError(f"no scannable files (extensions {', '.join(_known_extensions())}) "
                         f"under {', '.join(paths)}")
    return found


def _known_extensions() -> list[str]:
    return sorted(set(TEXT_EXTENSIONS) | PARQUET_EXTENSIONS)


def _walk(root: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            if Path(name).suffix.lower() in _known_extensions():
                out.append(Path(dirpath) / name)
    return sorted(out, key=lambda q: q.relative_to(root).parts)


def _add(found: list[Input], seen: set[str], shown: str, real: Path) -> None:
    key = str(real.resolve())
    if key in seen:  # the same file named twice is one input, counted once
        return
    seen.add(key)
    found.append(Input(path=shown, real_path=str(real)))


def fingerprint(inp: Input) -> None:
    """Record the file's size and SHA-256 (streamed, read-only)."""
    h = hashlib.sha256()
    size = 0
    try:
        with open(inp.real_path, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
                size += len(chunk)
    except OSError as e:
        raise InputError(inp.path, f"cannot read: {e.strerror or e}") from None
    inp.sha256, inp.bytes = h.hexdigest(), size


def sniff(inp: Input, *, header: str = "auto", is_known_header=lambda name: False) -> None:
    """Decide format, dialect, header and column names from the file's first bytes."""
    try:
        with open(inp.real_path, "rb") as f:
            head = f.read(SNIFF_BYTES)
            more = bool(f.read(1))
    except OSError as e:
        raise InputError(inp.path, f"cannot read: {e.strerror or e}") from None
    if head[:4] == PARQUET_MAGIC or Path(inp.real_path).suffix.lower() in PARQUET_EXTENSIONS:
        inp.format, inp.encoding = "parquet", None
        return
    inp.format = TEXT_EXTENSIONS.get(Path(inp.real_path).suffix.lower(), "csv")
    text = _decode_utf8(inp, head, truncated=more)
    lines = text.splitlines()
    if more and lines:
        lines = lines[:-1]  # the last line of a cut sample may be incomplete
    lines = [ln for ln in lines if ln.strip()][:SNIFF_ROWS]
    if not lines:
        inp.header, inp.columns = False, []
        inp.warnings.append(f"{inp.path}: empty file, no rows")
        return
    prefer_tab = inp.format == "tsv"
    inp.delimiter = _pick_delimiter(lines, prefer_tab)
    rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=inp.delimiter,
                           quotechar=inp.quote))
    width = max(len(r) for r in rows)
    if header == "yes":
        inp.header = True
    elif header == "no":
        inp.header = False
    else:
        inp.header = looks_like_header(rows, is_known_header)
    if inp.header:
        names = rows[0] + [""] * (width - len(rows[0]))
    else:
        names = [""] * width
    inp.columns = unique_names(names)


def _decode_utf8(inp: Input, head: bytes, *, truncated: bool) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as e:
        if truncated and e.start >= len(head) - 3:  # a character cut by the sample's end
            return head[: e.start].decode("utf-8")
        raise InputError(inp.path, f"is not valid UTF-8 at byte {e.start:,}; other encodings "
                                   f"(GB18030/GBK, UTF-16, Big5) are not supported yet") from None


def _pick_delimiter(lines: list[str], prefer_tab: bool) -> str:
    """The delimiter that splits the sample into the most consistent number (>1) of fields."""
    best, best_score = "\t" if prefer_tab else ",", (-1.0, 0)
    order = ("\t",) + tuple(d for d in DELIMITERS if d != "\t") if prefer_tab else DELIMITERS
    for d in order:
        counts = [len(r) for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=d)]
        if not counts:
            continue
        mode = max(set(counts), key=lambda c: (counts.count(c), c))
        if mode < 2:
            continue
        score = (counts.count(mode) / len(counts), mode)
        if score > best_score:
            best, best_score = d, score
    return best


def looks_like_header(rows: list[list[str]], is_known_header) -> bool:
    """Is the first row a header? Decided from the first row against the rows below it.

    Yes when a cell of the first row is a known header synonym; otherwise yes when some
    column holds digits in most data rows but none in the first row, and no when the first row
    looks like the data (a cell with digits in a column that is mostly digits). With a single
    row and no synonym, there is no evidence of a header: no.
    """
    first, data = rows[0], rows[1:]
    if any(is_known_header(c) for c in first if c.strip()):
        return True
    if not data:
        return False
    digit_columns = 0
    for j, cell in enumerate(first):
        column = [r[j] for r in data if j < len(r) and r[j].strip()]
        if not column:
            continue
        digit_share = sum(any(ch.isdigit() for ch in v) for v in column) / len(column)
        if digit_share >= 0.8:
            if _mostly_digits(cell):
                return False
            digit_columns += 1
    if digit_columns:
        return True
    # No numeric evidence: a header is a row of distinct, non-empty, short labels that
    # do not repeat in the data.
    labels = [c.strip() for c in first]
    values = {c.strip() for r in data for c in r}
    return (all(labels) and len(set(labels)) == len(labels)
            and all(len(c) <= 40 for c in labels) and not (set(labels) & values))


def _mostly_digits(cell: str) -> bool:
    chars = [ch for ch in cell if not ch.isspace()]
    return bool(chars) and sum(ch.isdigit() for ch in chars) * 2 >= len(chars)


def unique_names(names: list[str]) -> list[str]:
    """Column names as found, with blanks named ``column<N>`` and repeats suffixed ``_<k>``.

    >>> unique_names(["姓名", "", "phone", "phone"])
    ['姓名', 'column2', 'phone', 'phone_2']
    """
    out: list[str] = []
    used: set[str] = set()
    for i, raw in enumerate(names, start=1):
        name = raw.strip() or f"column{i}"
        candidate, k = name, 2
        while candidate in used:
            candidate, k = f"{name}_{k}", k + 1
        used.add(candidate)
        out.append(candidate)
    return out
