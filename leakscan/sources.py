"""Find the input files and work out how to read each one.

Reading is DuckDB's job (a stream, every column as text); this module only decides *how*:
which files, which format, which delimiter and quote, whether the first row is a header, and
the column names. Those decisions come from the first bytes of each file, never from loading
it, and are recorded in the report so a second examiner reads the file the same way.
Encodings, archives, workbooks and JSON are turned into something DuckDB reads by
``readers.py``; by the time ``sniff`` runs, ``Input.read_path`` is UTF-8 text or Parquet.

Files are only ever opened for reading.
"""

from __future__ import annotations

import csv
import fnmatch
import hashlib
import io
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from leakscan.text import fold_width

from .errors import InputError, NothingReadable, UsageError
from .inputs import credentials
from .inputs.spool import STDIN_NAME, special_kind, spool_path, spool_stdin

#: Extensions scanned when a directory is given. Other files under a directory are scanned
#: when their first bytes look like text; a file named explicitly is always tried.
TEXT_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".txt": "csv"}
JSON_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}
PARQUET_EXTENSIONS = {".parquet", ".parq", ".pq"}
CONTAINER_EXTENSIONS = {".gz", ".zip", ".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".sql", ".db",
                        ".sqlite", ".sqlite3", ".tar", ".tgz", ".tbz2", ".txz", ".bz2", ".xz",
                        ".7z", ".rar"}
#: Under a directory, files of these types are not read unless --include selects them:
#: documentation and code (a README.md, a script) that travel with a dump are not data.
NOT_DATA_EXTENSIONS = {".md", ".rst", ".py", ".sh", ".bat", ".ps1", ".js", ".html", ".htm",
                       ".css", ".yml", ".yaml", ".toml", ".ini", ".cfg"}
SNIFF_BYTES = 256 * 1024
SNIFF_ROWS = 200
#: The longest line read, as DuckDB's ``max_line_size`` (``sql.read_csv_sql``).
LONGEST_LINE = 64 << 20
#: Tried in this order; a tie goes to the earlier one. ``----`` and ``:`` are the unquoted
#: line formats of credential and "social engineering" dumps (``a----b----c``, ``a:b``).
DELIMITERS = (",", "\t", "|", ";", "----", ":")
UNQUOTED_DELIMITERS = ("----", ":")
CONSISTENT_SHARE = 0.8
PARQUET_MAGIC = b"PAR1"

csv.field_size_limit(1 << 30)  # sniffing must not trip over a megabyte field


@dataclass
class Input:
    """One input file and how it is read."""

    path: str  # as the user gave it (or dir/relative for files found under a directory)
    real_path: str  # the file on disk (for a zip member or a sheet: the archive or workbook)
    read_path: str = ""  # what DuckDB reads: real_path, or a staged UTF-8/extracted copy
    member: str | None = None  # zip member or sheet name, when the input is inside a file
    container: str | None = None  # "zip" or "sheet" when ``member`` is set
    archive: dict | None = None  # for the report: the containing file's path and sha256
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
    #: a credential list (``inputs.credentials.Layout``): only its account column is read
    credentials: object | None = None

    def __post_init__(self):
        self.read_path = self.read_path or self.real_path

    def report_extras(self) -> dict:
        """Report fields beyond the v1 minimum: where an archive member or sheet came from,
        and for a credential list that its password column was not read."""
        out = {"archive": dict(self.archive)} if self.archive else {}
        if self.credentials is not None:
            out["credentials"] = {"delimiter": self.credentials.delimiter,
                                  "account_column": self.credentials.account_name,
                                  "password_column": "not read"}
        return out


def discover(paths: list[str], *, include: tuple[str, ...] = (), exclude: tuple[str, ...] = (),
             warnings: list[str] | None = None, spool_dir: str | None = None,
             follow_links: bool = False,
             not_read: list[dict] | None = None) -> list[Input]:
    """Expand files and directories into inputs, in the order given, directories sorted.

    Under a directory: hidden files and directories (name starting with a dot) are skipped,
    documentation and code (``NOT_DATA_EXTENSIONS``) are not read unless ``include`` is
    given, files of unknown extension are kept only if their first bytes look like text, and
    ``include``/``exclude`` globs (matched against the path below the directory and against
    the file name) select files; skipped files are named in ``warnings``. A file named
    explicitly is always an input. ``-`` (standard input) and named pipes are copied whole
    into ``spool_dir`` first (``inputs.spool``); devices are refused. A path that does not
    exist is a usage error; directories with nothing to scan in them are "nothing readable".

    Under a directory, special files (pipes, sockets, devices) are skipped, since reading one
    could block forever; a symbolic link is followed only when its target lies inside the
    directory, unless ``follow_links`` (``--follow-links``); each is named in ``warnings``.
    A broken link or a link loop is an input that cannot be read (its error says why). Hard links, and links to a file already found,
    are one input (the same device and inode). ``not_read`` receives every file under
    a directory that is not an input, with the reason (``hidden``, ``binary``, ``not_data``,
    ``excluded``, ``not_included``), for the report's provenance.
    """
    found: list[Input] = []
    seen: set[str] = set()
    skipped: dict[str, list[str]] = {"hidden": [], "binary": [], "special (pipe, socket, device)": [],
                                     "linked-outside (--follow-links reads them)": []}
    for given in paths:
        if given == "-" or special_kind(given):
            found.append(_spooled(given, spool_dir, len(found)))
            continue
        p = Path(given)
        if not p.exists() and not os.path.islink(given):  # a broken link: the input's error
            raise UsageError(f"{given}: no such file or directory")
        if p.is_dir():
            fold = bool(include or exclude) and folds_case(p)
            for sub in _walk(p, skipped, follow_links=follow_links):
                rel_below = os.path.relpath(sub, p)
                shown = os.path.join(given, rel_below)
                why = _unselected(rel_below, include, exclude, fold=fold)
                if why:
                    skipped.setdefault(why, []).append(shown)
                    continue
                suffix = Path(sub).suffix.lower()
                if suffix in NOT_DATA_EXTENSIONS and not include:
                    # documentation and code beside a dump: not data
                    skipped.setdefault("not_data", []).append(shown)
                    continue
                if suffix not in _known_extensions() and looks_binary(str(sub)):
                    skipped["binary"].append(shown)
                    continue
                _add(found, seen, os.path.join(given, rel_below), sub)
        else:
            _add(found, seen, given, p)
    if not_read is not None:
        not_read.extend({"path": name, "reason": NOT_READ_REASONS.get(kind, kind)}
                        for kind, names in skipped.items() for name in names)
    if warnings is not None:
        for kind, names in skipped.items():
            if names and kind not in ("not_data", "excluded", "not_included"):
                more = f", ... ({len(names):,} in all)" if len(names) > 5 else ""
                warnings.append(f"skipped {len(names):,} {kind} file(s): "
                                f"{', '.join(names[:5])}{more}")
    if not found:
        raise NothingReadable(f"no scannable files under {', '.join(paths)} (extensions "
                         f"{', '.join(_known_extensions())}, or text); check --include/--exclude")
    return found


def _spooled(given: str, spool_dir: str | None, k: int) -> Input:
    """An input for ``-`` or a special file: its spooled copy, or its error."""
    shown = STDIN_NAME if given == "-" else given
    if spool_dir is None:
        raise UsageError(f"{shown}: standard input and pipes can only be scanned, not verified "
                         f"(save the stream to a file)")
    inp = Input(path=shown, real_path=os.path.join(spool_dir, f"spool{k}"))
    try:
        if given != "-" and special_kind(given) == "device":
            raise InputError(shown, "is a device, not a file; refused")
        got = spool_stdin(inp.real_path) if given == "-" else spool_path(shown, given,
                                                                         inp.real_path)
    except InputError as e:
        inp.error = e.reason
        return inp
    inp.sha256, inp.bytes = got.sha256, got.bytes
    return inp


def _known_extensions() -> list[str]:
    return sorted(set(TEXT_EXTENSIONS) | set(JSON_EXTENSIONS) | PARQUET_EXTENSIONS
                  | CONTAINER_EXTENSIONS)


#: The reason code ``not_read`` gives each kind of skipped file (provenance in the report).
NOT_READ_REASONS = {"special (pipe, socket, device)": "special",
                    "linked-outside (--follow-links reads them)": "linked_outside"}


def folds_case(root: Path) -> bool:
    """Whether the file system holding ``root`` ignores case (Windows; macOS by default): the
    same path with its letters' case swapped names the same file. ``fnmatch.fnmatch`` folds
    case on Windows only (``os.path.normcase``), so the file system itself is asked."""
    p = Path(os.path.abspath(root))
    alt = Path(str(p).swapcase())
    if alt == p:  # no letter to swap: the platform's habit
        return sys.platform in ("win32", "darwin")
    try:
        return alt.exists() and os.path.samefile(p, alt)
    except OSError:
        return False


def _unselected(rel: str, include: tuple[str, ...], exclude: tuple[str, ...], *,
                fold: bool = False) -> str | None:
    """Why ``rel`` is not selected (``not_included``, ``excluded``), or None. With ``fold``
    (a case-insensitive file system), ``*.CSV`` matches ``a.csv`` as the file system would."""
    name = os.path.basename(rel)

    def hit(pattern: str) -> bool:
        if fold:
            return (fnmatch.fnmatchcase(rel.lower(), pattern.lower())
                    or fnmatch.fnmatchcase(name.lower(), pattern.lower()))
        return fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(name, pattern)

    if include and not any(hit(g) for g in include):
        return "not_included"
    return "excluded" if any(hit(g) for g in exclude) else None


def _walk(root: Path, skipped: dict[str, list[str]], *, follow_links: bool = False
          ) -> list[Path]:
    """Regular files under ``root`` (see ``discover`` for what is skipped and why).

    ``os.walk`` does not descend into linked directories, so a link can never make the walk
    loop; a file reached through a link is kept only if it resolves inside ``root``.
    """
    out = []
    inside = os.path.realpath(root).rstrip(os.sep) + os.sep
    for dirpath, dirnames, filenames in os.walk(root):
        for d in sorted(dirnames):
            if d.startswith("."):
                skipped["hidden"].append(os.path.join(dirpath, d) + "/")
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                skipped["hidden"].append(os.path.join(dirpath, name))
                continue
            full = os.path.join(dirpath, name)
            why = _not_a_plain_file(full, inside, follow_links)
            if why:
                skipped[why].append(full)
                continue
            out.append(Path(full))
    return sorted(out, key=lambda q: q.relative_to(root).parts)


#: First bytes of binary formats leakscan does not read.
BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"\x7fELF", b"7z\xbc\xaf",
                b"Rar!", b"SQLite format 3\x00", b"MZ", b"\xca\xfe\xba\xbe", b"BZh")


def looks_binary(path: str, head: bytes | None = None) -> bool:
    """Do the first bytes look like a binary file rather than text?

    Yes for known binary signatures, and for many NUL bytes that are not UTF-16's pattern of
    one NUL in every other byte; a few NULs in text (a damaged export) are not enough.
    """
    if head is None:
        try:
            with open(path, "rb") as f:
                head = f.read(8192)
        except OSError:
            return False  # the read error is reported when the input is read
    if head.startswith(BINARY_MAGIC):
        return True
    if head.startswith((b"PK\x03\x04", b"\x1f\x8b", PARQUET_MAGIC)):
        return False
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return False
    nuls = head.count(0)
    if not head or nuls * 10 < len(head):
        return False
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return min(even, odd) * 4 > nuls  # NULs on both sides: not UTF-16


def _not_a_plain_file(path: str, inside: str, follow_links: bool) -> str | None:
    """Why a directory entry is not read (a ``skipped`` kind), or None to read it.

    A broken link or a link loop is kept: it fails to open and is reported as that input's
    error, like any unreadable file.
    """
    if (os.path.islink(path) and not follow_links
            and not os.path.realpath(path).startswith(inside)):
        return "linked-outside (--follow-links reads them)"
    try:
        st = os.stat(path)  # follows links
    except OSError:
        return None
    return None if stat.S_ISREG(st.st_mode) else "special (pipe, socket, device)"


def _add(found: list[Input], seen: set, shown: str, real: Path) -> None:
    try:
        st = real.stat()
        key = (st.st_dev, st.st_ino)  # hard links and symlinks to one file: one input
    except OSError:
        key = os.path.realpath(real)  # a broken link or a loop: read, and fail, once
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


def sniff(inp: Input, *, header: str = "auto", is_known_header=lambda name: False,
          validates=lambda value: frozenset()) -> None:
    """Decide dialect, header and column names from the first bytes of ``inp.read_path``.

    The file is UTF-8 text by now (``readers.stage`` transcodes anything else).
    """
    try:
        with open(inp.read_path, "rb") as f:
            head = f.read(SNIFF_BYTES)
            # a wide file's header can be longer than the sample: read on until the header
            # and one row are whole (up to DuckDB's own line limit), or the file "is empty"
            while len(head) < LONGEST_LINE and head.count(b"\n") < 2:
                chunk = f.read(SNIFF_BYTES)
                if not chunk:
                    break
                head += chunk
            more = bool(f.read(1))
    except OSError as e:
        raise InputError(inp.path, f"cannot read: {e.strerror or e}") from None
    text = _decode_utf8(inp, head, truncated=more)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if more and lines:
        lines = lines[:-1]  # the last line of a cut sample may be incomplete
    lines = [ln for ln in lines if ln.strip()][:SNIFF_ROWS]
    if not lines:
        inp.header, inp.columns = False, []
        inp.warnings.append(f"{inp.path}: empty file, no rows")
        return
    prefer_tab = inp.format == "tsv"
    inp.delimiter = _pick_delimiter(lines, prefer_tab)
    if inp.delimiter in UNQUOTED_DELIMITERS:
        inp.quote = ""
    layout = credentials.detect(lines, inp.delimiter, validates)
    if layout is not None:  # staged as its account column alone (readers._stage_accounts)
        if header != "auto":
            layout = credentials.Layout(layout.delimiter, header == "yes",
                                        layout.account_name if header == "yes"
                                        else credentials.ACCOUNT_COLUMN)
        inp.credentials, inp.header, inp.quote = layout, layout.header, ""
        inp.columns = [layout.account_name]
        return
    rows = split_lines(lines, inp.delimiter, inp.quote)
    if header == "yes":
        inp.header = True
    elif header == "no":
        inp.header = False
    else:
        inp.header = looks_like_header(rows, is_known_header, validates)
    width = _usual_width(rows[1:] if inp.header and len(rows) > 1 else rows)
    if inp.header:
        names = rows[0][:width] + [""] * (width - len(rows[0]))
    else:
        names = [""] * width
    inp.columns = unique_names(names)


def _usual_width(rows: list[list[str]]) -> int:
    """The most common number of fields (the larger on a tie): ragged rows are rejected
    against it, rather than every good row against the widest bad one."""
    counts = [len(r) for r in rows]
    return max(set(counts), key=lambda c: (counts.count(c), c))


def _decode_utf8(inp: Input, head: bytes, *, truncated: bool) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as e:
        if truncated and e.start >= len(head) - 3:  # a character cut by the sample's end
            return head[: e.start].decode("utf-8")
        return head[: e.start].decode("utf-8") + head[e.start:].decode("utf-8", "replace")


def _pick_delimiter(lines: list[str], prefer_tab: bool) -> str:
    """The delimiter that splits the sample into the most consistent number (>1) of fields.

    ``:`` and ``----`` are tried only when no CSV delimiter does well: a comma file whose
    values hold clock times must stay a comma file.
    """
    best, best_score = "\t" if prefer_tab else ",", (-1.0, 0)
    order = ("\t",) + tuple(d for d in DELIMITERS if d != "\t") if prefer_tab else DELIMITERS
    for d in order:
        if d in UNQUOTED_DELIMITERS and best_score[0] >= CONSISTENT_SHARE:
            break  # dump styles only when no CSV delimiter splits the lines consistently
        counts = [len(r) for r in split_lines(lines, d, "" if d in UNQUOTED_DELIMITERS else '"')]
        if not counts:
            continue
        mode = max(set(counts), key=lambda c: (counts.count(c), c))
        if mode < 2:
            continue
        score = (counts.count(mode) / len(counts), mode)
        if score > best_score:
            best, best_score = d, score
    return best


def split_lines(lines: list[str], delimiter: str, quote: str) -> list[list[str]]:
    """Fields of each line, as DuckDB will split them (no quoting when ``quote`` is empty).

    >>> split_lines(["a----b----c", "x:y"], "----", "")
    [['a', 'b', 'c'], ['x:y']]
    """
    if len(delimiter) > 1 or not quote:
        return [ln.split(delimiter) for ln in lines]
    return list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter, quotechar=quote))


def looks_like_header(rows: list[list[str]], is_known_header,
                      validates=lambda value: frozenset()) -> bool:
    """Is the first row a header? Decided from the first row against the rows below it.

    No when a first-row cell validates as an identifier (``validates`` gives the categories
    whose strong value check it passes) in a column where at least half of the other cells
    validate as the same category: a resident ID above resident IDs is data, whatever
    header synonym another cell holds (a hotel called ``如家酒店(北京国贸店)`` contains
    ``酒店``). Otherwise yes when a cell of the first row is a label (``_looks_like_label``) that is a known header
    synonym; otherwise yes when some
    column holds digits in most data rows but none in the first row, and no when the first row
    looks like the data (a cell with digits in a column that is mostly digits). With a single
    row and no synonym, there is no evidence of a header: no.
    """
    first, data = rows[0], rows[1:]
    if data and _validates_like_data(first, data, validates):
        return False
    if any(is_known_header(c) for c in first if c.strip() and _looks_like_label(c)):
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
            if _looks_numeric(cell) or _DATA_IN_CELL.search(cell):
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


def _validates_like_data(first: list[str], data: list[list[str]], validates) -> bool:
    for j, cell in enumerate(first):
        cats = validates(cell.strip()) if cell.strip() else frozenset()
        if not cats:
            continue
        column = [r[j].strip() for r in data if j < len(r) and r[j].strip()]
        if not column:
            continue
        for cat in cats:
            if sum(cat in validates(v) for v in column) * 2 >= len(column):
                return True
    return False


_DATA_IN_CELL = re.compile(r"[0-9]{5}|@")


def _looks_like_label(cell: str) -> bool:
    """Could this cell be a column name? Not when it is long or holds a number or an e-mail:
    ``请回电话13800138000`` contains the synonym ``电话`` but is a value of free text.

    >>> _looks_like_label("手机号2"), _looks_like_label("请回电话13800138000")
    (True, False)
    """
    return len(cell.strip()) <= 32 and not _DATA_IN_CELL.search(cell)


#: A value, not a label: digits with number punctuation, an optional ID check letter X, or
#: a spreadsheet's scientific notation. ``c0``, ``phone1`` and ``手机号`` are labels.
_NUMERIC = re.compile(r"[+(]?[0-9\s\-+().,/:]*[0-9][0-9\s\-+().,/:]*(?:[xX]|[eE][+-]?[0-9]+)?")


def _looks_numeric(cell: str) -> bool:
    """Does a first-row cell look like a value of a digit column rather than its name?

    >>> [_looks_numeric(c) for c in ("13800138000", "+86 138-0013-8000", "11010519491231002x",
    ...                              "1.10101199001011E+17", "c0", "phone1", "手机号")]
    [True, True, True, True, False, False, False]
    """
    return bool(_NUMERIC.fullmatch(fold_width(cell).strip()))


def unique_names(names: list[str]) -> list[str]:
    """Column names as found, with blanks named ``column<N>`` and repeats suffixed ``_<k>``.

    Names are compared ignoring case, as DuckDB compares them: ``Phone,phone`` are two columns.

    >>> unique_names(["姓名", "", "phone", "phone", "Phone"])
    ['姓名', 'column2', 'phone', 'phone_2', 'Phone_3']
    """
    out: list[str] = []
    used: set[str] = set()
    for i, raw in enumerate(names, start=1):
        name = raw.strip() or f"column{i}"
        candidate, k = name, 2
        while candidate.lower() in used:
            candidate, k = f"{name}_{k}", k + 1
        used.add(candidate.lower())
        out.append(candidate)
    return out
