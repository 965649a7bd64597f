"""Turn every input into something DuckDB reads: UTF-8 delimited text, or Parquet.

``expand`` opens containers into their inputs (zip members, workbook sheets) from their
directories alone. ``stage`` then, for one input: hashes it, extracts or decompresses it
under the archive caps, works out the format (extension first, then content), detects the
encoding, and, only when DuckDB could not read the original directly (another encoding, a
file that uses lone CR line ends, an archive member, a sheet, JSON), writes one UTF-8 copy in
the scan's temporary directory. Plain UTF-8 files are read in place; nothing is ever written
next to an input.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import archives, encodings, spreadsheets
from .errors import InputError
from .inputs import credentials, nested, unpack  # sqldump, sqlite: where read (15 ms)
from .sources import (
    JSON_EXTENSIONS,
    PARQUET_EXTENSIONS,
    PARQUET_MAGIC,
    SNIFF_BYTES,
    TEXT_EXTENSIONS,
    Input,
    fingerprint,
    looks_binary,
    sniff,
    unique_names,
)

#: Zip members opened as databases by name (a SQLite file is known by its header once out).
SQLITE_SUFFIXES = {".db", ".sqlite", ".sqlite3"}
_TO_FFFD = "leakscan-fffd"
codecs.register_error(_TO_FFFD, lambda e: ("\ufffd".encode() * (e.end - e.start), e.end))

#: JSON records whose keys make up the columns; keys first seen later are reported, not read.
JSON_KEY_SAMPLE = 1000
FIRST_LINES = 5


@dataclass
class Stager:
    """Stages the inputs of one scan into ``workdir`` (the scan's temporary directory)."""

    workdir: str
    encoding: str | None = None  # --encoding
    strict: bool = False
    header: str = "auto"
    is_known_header: Callable[[str], bool] = lambda name: False  # noqa: E731
    #: the categories whose strong value check a cell passes (header and credential sniffing)
    validates: Callable[[str], frozenset] = lambda value: frozenset()  # noqa: E731
    _hashes: dict = field(default_factory=dict)
    _cappers: dict = field(default_factory=dict)
    _members: dict = field(default_factory=dict)  # top-level file -> [members extracted]
    _dumps: dict = field(default_factory=dict)  # (dump file, table) -> staged table
    _n: int = 0

    # -- containers -------------------------------------------------------------------
    def expand(self, inputs: list[Input], warnings: list[str]) -> list[Input]:
        """Replace each container by its inputs, in order: zip members, workbook sheets, SQL
        dump and SQLite tables, and the members of tar and 7z archives, opening archives
        inside archives to ``unpack.MAX_DEPTH`` under caps shared by the whole tree."""
        out: list[Input] = []
        for inp in inputs:
            self._expand_one(inp, warnings, out, depth=0)
        return out

    def _expand_one(self, inp: Input, warnings: list[str], out: list[Input], depth: int) -> None:
        kind = container_kind(inp.real_path)
        if kind is not None and depth > unpack.MAX_DEPTH:
            inp.error = (f"refused: an archive nested deeper than {unpack.MAX_DEPTH} levels "
                         f"(an archive bomb?)")
            out.append(inp)
            return
        try:
            if kind == "zip":
                members, refused = archives.list_zip(inp.real_path, inp.path)
                warnings.extend(refused)
                names = [m.name for m in members]
            elif kind == "sheet":
                names = spreadsheets.sheet_names(inp.real_path, inp.path)
            elif kind == "sql":
                names = self._read_dump(inp)
            elif kind == "sqlite":
                from .inputs import sqlite

                names = sqlite.table_names(inp.real_path, inp.path)
            elif kind in ("tar", "7z", "rar"):
                self._unpack(inp, kind, warnings, out, depth)
                return
            else:
                out.append(inp)
                return
        except InputError as e:
            inp.error = e.reason
            out.append(inp)
            return
        if not names:
            what = {"zip": " (every member refused)", "sheet": " (no sheets)",
                    "sql": " (no CREATE TABLE, INSERT or COPY statements)",
                    "sqlite": " (no tables)"}[kind]
            inp.error = "holds nothing to scan" + what
            out.append(inp)
        for name in names:
            child = Input(path=f"{inp.path}!{name}", real_path=inp.real_path, member=name,
                          container=kind, archive=self._nested_archive(inp, name))
            if kind == "zip" and (container_kind(name) is not None
                                  or Path(name).suffix.lower() in SQLITE_SUFFIXES):
                self._open_nested_member(child, warnings, out, depth)
            else:
                out.append(child)

    def _nested_archive(self, parent: Input, name: str) -> dict | None:
        """For an input inside something that was itself inside an archive: the top-level
        file's identity (``verify`` checks that file), with the member path below it."""
        if not parent.archive:
            return None
        return dict(parent.archive, member=f"{parent.archive['member']}!{name}")

    def _open_nested_member(self, child: Input, warnings, out, depth: int) -> None:
        """A zip member that is itself an archive, workbook or dump: extract it, open it."""
        try:
            self._archive_info(child)
            target = os.path.join(self._tmp(".nested"), os.path.basename(child.member))
            os.makedirs(os.path.dirname(target))
            with open(target, "wb") as dst:
                archives.extract_zip_member(child.real_path, child.archive["path"],
                                            child.member, dst, self._capper(child))
        except InputError as e:
            child.error = e.reason
            out.append(child)
            return
        self._expand_one(Input(path=child.path, real_path=target, archive=child.archive),
                         warnings, out, depth + 1)

    def _unpack(self, inp: Input, kind: str, warnings, out, depth: int) -> None:
        top = inp.path.split("!", 1)[0]
        if inp.archive is None:
            self._hash_file(inp)
            info = {"path": inp.path, "sha256": inp.sha256, "bytes": inp.bytes, "member": ""}
        else:
            info = inp.archive
        counter = self._members.setdefault(top, [0])
        members = unpack.extract_all(inp.real_path, inp.path, kind, self._tmp(".unpacked"),
                                     self._capper(inp), warnings, counter)
        if not members:
            inp.error = "holds nothing to scan (no regular files)"
            out.append(inp)
            return
        for m in members:
            member = f"{info['member']}!{m.name}" if info["member"] else m.name
            child = Input(path=f"{inp.path}!{m.name}", real_path=m.path,
                          archive=dict(info, member=member))
            self._expand_one(child, warnings, out, depth + 1)

    def _read_dump(self, inp: Input) -> list[str]:
        """Stream a SQL dump once into one staged CSV per table; the table names."""
        try:
            with open(inp.real_path, "rb") as f:
                head = f.read(SNIFF_BYTES)
                more = bool(f.read(1))
                det = encodings.detect(inp.path, head, truncated=more, forced=self.encoding)
                f.seek(det.bom)
                text = io.TextIOWrapper(f, encoding=det.encoding, errors="replace", newline="")
                from .inputs import sqldump

                dump = sqldump.read_dump(inp.path, text, self.workdir, self._tmp(".sql"))
        except OSError as e:
            raise InputError(inp.path, f"cannot read: {e.strerror or e}") from None
        for t in dump.tables:
            self._dumps[(inp.real_path, t.name)] = (dump, t, det.encoding)
        if dump.skipped_statements:
            inp.warnings.append(f"{inp.path}: {dump.skipped_statements:,} statement(s) other "
                                f"than CREATE TABLE, INSERT and COPY were skipped")
        return [t.name for t in dump.tables]

    # -- one input --------------------------------------------------------------------
    def stage(self, inp: Input) -> None:
        """Hash the input and leave ``inp`` ready for ``sniff``/DuckDB (or raise InputError)."""
        if inp.error:  # found broken while expanding (or while spooling a stream)
            try:
                self._hash_file(inp)
            except InputError:
                pass  # a stream refused before it was copied has nothing to hash
            raise InputError(inp.path, inp.error)
        if inp.container == "sheet":
            self._stage_sheet(inp)
            return
        if inp.container in ("sql", "sqlite"):
            self._stage_table(inp)
            return
        if inp.container == "zip":
            raw, name = self._extract_member(inp), inp.member
        else:
            self._hash_file(inp)
            name = inp.real_path
            raw = inp.real_path
            if name.lower().endswith(".gz") or _starts_with(raw, b"\x1f\x8b"):
                raw, name = self._gunzip(inp), archives.inner_name(name)
            elif (single := unpack.single_kind(raw)) is not None:
                out = self._tmp(f".{single}")
                with open(out, "wb") as dst:
                    unpack.decompress_single(raw, inp.path, single, dst, self._capper(inp))
                raw, name = out, unpack.inner_name(name)
        self._stage_content(inp, raw, name)

    def _stage_content(self, inp: Input, raw: str, name: str) -> None:
        suffix = Path(name).suffix.lower()
        try:
            with open(raw, "rb") as f:
                head = f.read(SNIFF_BYTES)
                more = bool(f.read(1))
        except OSError as e:
            raise InputError(inp.path, f"cannot read: {e.strerror or e}") from None
        if head[:4] == PARQUET_MAGIC or suffix in PARQUET_EXTENSIONS:
            inp.format, inp.encoding, inp.read_path = "parquet", None, self._readable_name(raw)
            return
        if inp.container == "zip" and container_kind(name) is not None:
            raise InputError(inp.path, "archives and workbooks inside a zip are not opened; "
                                       "extract it and scan the result")
        if looks_binary(raw, head[:8192]):
            raise InputError(inp.path, "is a binary file, not text, JSON, Parquet, a workbook "
                                       "or an archive")
        det = encodings.detect(inp.path, head, truncated=more, forced=self.encoding)
        inp.encoding = det.encoding
        if det.how == "guessed":
            inp.warnings.append(f"{inp.path}: text encoding guessed as {det.encoding}; "
                                f"if names look wrong, rerun with --encoding")
        inp.format = _format_of(suffix, head, det)
        if inp.format in ("json", "jsonl"):
            self._json_to_csv(inp, raw, det)
            return
        if det.encoding != "utf-8" or raw != inp.real_path or _odd_line_ends(head):
            inp.read_path = self._transcode(inp, raw, det)
        else:
            inp.read_path = self._readable_name(raw)
        sniff(inp, header=self.header, is_known_header=self.is_known_header,
              validates=self.validates)
        if inp.credentials is not None:
            self._stage_accounts(inp)

    def _stage_accounts(self, inp: Input) -> None:
        """A credential list: stage a copy holding only the account of each line."""
        out = self._tmp(".accounts.csv")
        with open(inp.read_path, encoding="utf-8", errors="replace", newline="") as src, \
                open(out, "w", encoding="utf-8", newline="") as dst:
            rows, rejected = credentials.write_accounts(src, dst, inp.credentials)
        inp.read_path, inp.delimiter, inp.quote, inp.header = out, ",", '"', True
        inp.warnings.append(f"{inp.path}: a credential list ({inp.credentials.delimiter!r} "
                            f"between account and password): {rows:,} account(s) read; the "
                            f"password column is not read, stored or reported")
        if rejected:
            inp.rows_rejected += len(rejected)
            first = ", ".join(str(n) for n in rejected[:FIRST_LINES])
            inp.warnings.append(f"{inp.path}: {len(rejected):,} line(s) without the "
                                f"delimiter were not counted (lines {first})")

    def restage_normalised(self, inp: Input) -> None:
        """Copy a UTF-8 file read in place to a staged copy with ``\\n`` line ends.

        For a file that mixes line ends beyond the sniffed sample, which DuckDB refuses.
        """
        det = encodings.Detected("utf-8", 0, "utf-8")
        inp.read_path = self._transcode(inp, inp.read_path, det)

    def recovery_path(self) -> str:
        """A new staged file for an input re-read after damage (``inputs.quoting``)."""
        return self._tmp(".recovered.csv")

    def staged_in_place(self, inp: Input) -> bool:
        """Is DuckDB reading the original text file itself (no staged copy yet)?"""
        return (os.path.realpath(inp.read_path) == os.path.realpath(inp.real_path)
                and inp.format != "parquet")

    # -- helpers ----------------------------------------------------------------------
    def _readable_name(self, path: str) -> str:
        """``path``, or a link to it in the work directory when its name is not UTF-8
        (DuckDB takes file names as UTF-8; a dump's name may be GBK bytes)."""
        try:
            path.encode("utf-8")
            return path
        except UnicodeEncodeError:
            link = self._tmp(os.path.splitext(path.encode("utf-8", "replace").decode())[1])
            os.symlink(os.path.abspath(path), link)
            return link

    def _tmp(self, suffix: str) -> str:
        self._n += 1
        return os.path.join(self.workdir, f"input{self._n}{suffix}")

    def _hash_file(self, inp: Input) -> None:
        if inp.real_path in self._hashes:
            inp.sha256, inp.bytes = self._hashes[inp.real_path]
            return
        fingerprint(inp)
        self._hashes[inp.real_path] = (inp.sha256, inp.bytes)

    def _archive_info(self, inp: Input) -> None:
        outer = inp.path.rsplit("!", 1)[0]
        probe = Input(path=outer, real_path=inp.real_path)
        self._hash_file(probe)
        if inp.archive is None:  # else: inside a nested archive, the top file is kept
            inp.archive = {"path": outer, "sha256": probe.sha256, "bytes": probe.bytes,
                           "member": inp.member}

    def _capper(self, inp: Input) -> archives.CappedCopy:
        """One set of caps per top-level file: every level of nesting charges it."""
        top = inp.path.split("!", 1)[0]
        if top not in self._cappers:
            self._cappers[top] = archives.CappedCopy(top)
        return self._cappers[top]

    def _extract_member(self, inp: Input) -> str:
        self._archive_info(inp)
        out = self._tmp(".member")
        with open(out, "wb") as dst:
            inp.sha256 = archives.extract_zip_member(inp.real_path, inp.path.rsplit("!", 1)[0],
                                                     inp.member, dst, self._capper(inp))
        inp.bytes = os.path.getsize(out)
        return out

    def _gunzip(self, inp: Input) -> str:
        out = self._tmp(".gunzipped")
        with open(out, "wb") as dst:
            archives.gunzip(inp.real_path, inp.path, dst, self._capper(inp))
        return out

    def _stage_sheet(self, inp: Input) -> None:
        self._archive_info(inp)
        out = self._tmp(".sheet.csv")
        with open(out, "wb") as dst:
            spreadsheets.export_sheet(inp.real_path, inp.path.rsplit("!", 1)[0], inp.member, dst)
        inp.sha256, inp.bytes = self._hashes[inp.real_path]
        ext = Path(inp.real_path).suffix.lower().lstrip(".")
        inp.format = ext if ext in ("xls", "xlsx", "xlsm", "xlsb", "ods") else "xlsx"
        inp.encoding, inp.read_path = None, out
        sniff(inp, header=self.header, is_known_header=self.is_known_header)

    def _stage_table(self, inp: Input) -> None:
        """A table of a SQL dump (staged while expanding) or of a SQLite file (staged now)."""
        self._archive_info(inp)
        inp.sha256, inp.bytes = self._hashes[inp.real_path]
        if inp.container == "sqlite":
            from .inputs import sqlite

            t = sqlite.export_table(inp.real_path, inp.path.rsplit("!", 1)[0], inp.member,
                                    self._tmp(".sqlite.csv"))
            inp.format, inp.encoding = "sqlite", None
            self._apply_table(inp, t.csv_path, t.columns)
            return
        dump, t, encoding = self._dumps[(inp.real_path, inp.member)]
        inp.format, inp.encoding = f"sql ({dump.dialect})", encoding
        if t.error:
            raise InputError(inp.path, f"not read completely: {t.error}; "
                                       f"{t.rows:,} row(s) before it were not counted")
        self._apply_table(inp, t.csv_path, t.columns)
        if t.rejected:
            inp.rows_rejected += t.rejected
            lines = ", ".join(f"{n:,}" for n in t.reject_lines)
            inp.warnings.append(f"{inp.path}: {t.rejected:,} row(s) whose values do not match "
                                f"the table's {len(t.columns)} column(s) were not counted "
                                f"(statements at lines {lines})")

    @staticmethod
    def _apply_table(inp: Input, csv_path: str, columns) -> None:
        inp.read_path, inp.delimiter, inp.quote, inp.header = csv_path, ",", '"', True
        inp.columns = list(columns)
        if not columns:
            inp.warnings.append(f"{inp.path}: the table has no columns, no rows")

    def _transcode(self, inp: Input, raw: str, det: encodings.Detected) -> str:
        out = self._tmp(".utf8.txt")
        with open(raw, "rb") as src, open(out, "wb") as dst:
            stats = encodings.transcode(inp.path, src, dst, det, strict=self.strict)
        if stats.replaced:
            inp.warnings.append(f"{inp.path}: {stats.replaced:,} byte sequence(s) are not valid "
                                f"{det.encoding} (first near byte {stats.first_bad_byte:,}) "
                                f"and were read as U+FFFD; values holding them do not "
                                f"validate")
        return out

    def _json_to_csv(self, inp: Input, raw: str, det: encodings.Detected) -> None:
        out = self._tmp(".json.csv")
        flat = nested.Flattener()
        with open(raw, "rb") as src:
            src.read(det.bom)
            text = io.TextIOWrapper(src, encoding=det.encoding, errors="replace", newline="")
            if inp.format == "jsonl" and _one_pretty_document(raw, det):
                records = self._whole_document(inp, raw, text)
            else:
                records = (iter_json_lines(text) if inp.format == "jsonl"
                           else iter_json_array(inp.path, text))
            records, wrapper = _unwrap_single(records)
            # a lone surrogate ("\ud800") has no UTF-8 form: written as U+FFFD, so the value
            # is kept (and fails validation) instead of failing the input
            with open(out, "w", encoding="utf-8", errors=_TO_FFFD, newline="") as dst:
                columns, rejected, extra = write_records_csv(records, dst, flat)
        if wrapper is not None:
            inp.warnings.append(f"{inp.path}: one JSON object holding an array of records; "
                                f"each element of {wrapper!r} was read as a record")
        inp.warnings.extend(flat.notes(inp.path))
        inp.read_path, inp.delimiter, inp.quote, inp.header = out, ",", '"', True
        inp.columns = columns
        inp.rows_rejected += len(rejected)
        if rejected:
            first = ", ".join(str(n) for n, _ in rejected[:FIRST_LINES])
            inp.warnings.append(f"{inp.path}: {len(rejected):,} record(s) are not JSON "
                                f"objects and were not counted (lines {first}"
                                f"{', ...' if len(rejected) > FIRST_LINES else ''}: "
                                f"{rejected[0][1]})")
        if extra:
            inp.warnings.append(f"{inp.path}: keys first seen after record {JSON_KEY_SAMPLE:,}"
                                f" or beyond {nested.MAX_COLUMNS:,} columns are not read: "
                                f"{', '.join(sorted(extra)[:10])}")
        if not columns:
            inp.warnings.append(f"{inp.path}: no JSON records")

    def _whole_document(self, inp: Input, raw: str, text):
        """One pretty-printed JSON object: loaded whole (bounded), one record."""
        if os.path.getsize(raw) > nested.MAX_DOCUMENT_BYTES:
            raise InputError(inp.path, f"is one JSON object of more than "
                                       f"{nested.MAX_DOCUMENT_BYTES:,} bytes, not one object "
                                       f"per line; convert it to JSON Lines (jq -c) and scan "
                                       f"that")
        try:
            doc = json.load(text)
        except ValueError as e:
            raise InputError(inp.path, f"is not valid JSON ({getattr(e, 'msg', e)})") from None
        except RecursionError:
            raise InputError(inp.path, "is JSON nested too deeply to read") from None
        return iter([(1, doc, None)])


def container_kind(path: str) -> str | None:
    """What kind of file holds several inputs: "zip", "sheet", "sql" (a dump), "sqlite",
    "tar", "7z" or "rar"; None for a file that is one input. By extension, then content."""
    suffix = Path(path).suffix.lower()
    if suffix in spreadsheets.SPREADSHEET_EXTENSIONS:
        return "sheet"
    if suffix == ".zip":
        return "zip"
    if suffix == ".sql":
        return "sql"
    kind = unpack.archive_kind(path)
    if kind is not None:
        return kind
    if suffix in TEXT_EXTENSIONS or suffix in JSON_EXTENSIONS:
        return None
    try:
        with open(path, "rb") as f:
            magic = f.read(SNIFF_BYTES)
    except OSError:
        return None
    if magic[:4] == b"PK\x03\x04":
        return "zip"
    from .inputs import sqldump, sqlite

    if magic[:16] == sqlite.MAGIC:
        return "sqlite"
    if suffix not in (".gz", ".bz2", ".xz") and sqldump.looks_like_dump(
            magic.decode("utf-8", "replace")):
        return "sql"
    return None


def _starts_with(path: str, magic: bytes) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(len(magic)) == magic
    except OSError:
        return False  # the read error is reported when the input is read


def _format_of(suffix: str, head: bytes, det: encodings.Detected) -> str:
    """csv, tsv, json or jsonl: by extension, except that a ``.json`` file holding one object
    per line is JSON Lines and a file of unknown extension is JSON when it looks like it."""
    if suffix in TEXT_EXTENSIONS:
        return TEXT_EXTENSIONS[suffix]
    sniffed = _json_by_content(head, det)
    if suffix in JSON_EXTENSIONS:
        return "jsonl" if sniffed == "jsonl" else JSON_EXTENSIONS[suffix]
    return sniffed or "csv"


def _odd_line_ends(head: bytes) -> bool:
    """Lone CR line ends, or CRLF and LF mixed: DuckDB refuses both, so the file is copied."""
    without_crlf = head.replace(b"\r\n", b"")
    return b"\r" in without_crlf or (len(without_crlf) < len(head) and b"\n" in without_crlf)


def _json_by_content(head: bytes, det: encodings.Detected) -> str | None:
    text = encodings.decode_sample("", head[:4096], det, truncated=True).lstrip("\ufeff \t\r\n")
    if text.startswith("["):
        return "json"
    if text.startswith("{"):
        return "jsonl"
    return None


# -- JSON ----------------------------------------------------------------------------------
def iter_json_lines(text):
    """``(line_number, object_or_None, reason)`` for each non-blank line of JSON Lines."""
    for n, line in enumerate(text, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as e:
            yield n, None, f"not JSON ({getattr(e, 'msg', e)})"
            continue
        except RecursionError:
            yield n, None, "JSON nested too deeply"
            continue
        yield n, value, None


def iter_json_array(path: str, text, chunk: int = 1 << 20):
    """``(line_number, object_or_None, reason)`` for each element of one top-level array.

    Streams: the text is read in chunks and elements are decoded one at a time, so a
    multi-gigabyte array needs memory for one element, not the whole document.
    """
    decoder = json.JSONDecoder()
    buf, pos, line, eof = "", 0, 1, False

    def fill() -> bool:
        nonlocal buf, pos, eof
        more = text.read(chunk)
        if not more:
            eof = True
            return False
        buf = buf[pos:] + more
        pos = 0
        return True

    def skip_space():
        nonlocal pos, line
        while True:
            while pos < len(buf) and buf[pos] in " \t\r\n\ufeff":
                line += buf[pos] == "\n"
                pos += 1
            if pos < len(buf) or not fill():
                return

    skip_space()
    if pos >= len(buf):
        return  # an empty file: no records
    if buf[pos] != "[":
        raise InputError(path, "is JSON but not an array of objects nor one object per line")
    pos += 1
    while True:
        skip_space()
        if pos >= len(buf):
            yield line, None, "unexpected end of file (unclosed array)"
            return
        if buf[pos] == "]":
            return
        if buf[pos] == ",":
            pos += 1
            continue
        while True:
            try:
                value, end = decoder.raw_decode(buf, pos)
                if end >= len(buf) and not eof and fill():
                    continue  # a number may go on in the next chunk
                break
            except (ValueError, RecursionError) as e:
                if not eof and fill():
                    continue
                yield line, None, f"not JSON ({getattr(e, 'msg', 'nested too deeply')})"
                return
        start_line = line
        line += buf.count("\n", pos, end)
        pos = end
        yield start_line, value, None


def write_records_csv(records, dst, flat: nested.Flattener | None = None
                      ) -> tuple[list[str], list[tuple[int, str]], set[str]]:
    """Write JSON objects, flattened (``inputs.nested``), as CSV with a header; return the
    columns, the rejects and the keys not read (first seen after ``JSON_KEY_SAMPLE`` records
    or beyond ``nested.MAX_COLUMNS`` columns)."""
    flat = flat or nested.Flattener()
    rejected: list[tuple[int, str]] = []
    head: list[dict] = []
    keys: dict[str, None] = {}
    it = iter(records)
    for n, value, reason in it:
        if not isinstance(value, dict):
            rejected.append((n, reason or "not a JSON object"))
            continue
        value = flat.flatten(value)
        head.append(value)
        keys.update(dict.fromkeys(value))
        if len(head) >= JSON_KEY_SAMPLE:
            break
    names = list(keys)
    extra: set[str] = set(names[nested.MAX_COLUMNS:])
    names = names[:nested.MAX_COLUMNS]
    if not names:
        for n, _value, reason in it:
            rejected.append((n, reason or "not a JSON object"))
        return [], rejected, extra
    writer = csv.writer(dst, lineterminator="\n")
    writer.writerow(names)
    known = set(names)

    def emit(obj: dict) -> None:
        writer.writerow([_json_cell(obj.get(k)) for k in names])

    for obj in head:
        emit(obj)
    for n, value, reason in it:
        if not isinstance(value, dict):
            rejected.append((n, reason or "not a JSON object"))
            continue
        value = flat.flatten(value)
        if len(extra) < 100:
            extra.update(k for k in value if k not in known)
        emit(value)
    return unique_names(names), rejected, extra


def _one_pretty_document(raw: str, det: encodings.Detected) -> bool:
    """Does a file that starts with ``{`` hold one object over several lines (pretty-printed)
    rather than one object per line? Yes when its first line alone is not JSON."""
    with open(raw, "rb") as f:
        f.read(det.bom)
        first = b""
        while not first.strip():
            first = f.readline(1 << 20)
            if not first:
                return False
    try:
        json.loads(first.decode(det.encoding, "replace"))
    except ValueError:
        return first.strip().startswith(b"{")
    except RecursionError:
        return False
    return False


def _unwrap_single(records):
    """If the input is a single JSON object holding one array of records, those records."""
    it = iter(records)
    first = next(it, None)
    if first is None:
        return iter(()), None
    second = next(it, None)
    if second is not None:
        return itertools.chain([first, second], it), None
    n, doc, reason = first
    items, key = nested.unwrap(doc) if reason is None else ([doc], None)
    if key is None:
        return iter([first]), None
    return ((n, item, None) for item in items), key


def _json_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
