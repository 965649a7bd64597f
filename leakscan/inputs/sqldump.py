"""SQL dumps: every table of a mysqldump, pg_dump or generic ``INSERT`` file becomes an input.

A dump can be tens of gigabytes, so it is streamed: the text is read in chunks, each
statement is recognised from its first words, and the rows of ``INSERT ... VALUES (...),
(...);`` and of PostgreSQL ``COPY ... FROM stdin;`` blocks are written, table by table, to
UTF-8 CSV files in the scan's temporary directory. Memory holds one chunk and the longest
row, never a statement or a table.

No SQL parser library fits: sqlglot and sqlparse build a tree of a whole statement (a
mysqldump extended insert is one megabyte-long statement per thousand rows, and the tree costs
far more than the text), and neither streams. So the tokens a dump uses are matched with
regular expressions over the buffer, one row at a time:

- strings ``'...'`` with MySQL backslash escapes (``\\'`` ``\\\\`` ``\\n`` ``\\0`` ``\\Z``) or, in a
  PostgreSQL dump (``standard_conforming_strings``), with only ``''`` doubling (``E'...'``
  still takes backslashes); prefixes ``_binary``, ``_utf8mb4``, ``N``;
- ``NULL`` (an empty cell), numbers and bare words as written, hex ``0x...`` and ``X'...'``
  (decoded when the bytes are UTF-8 text, kept as written otherwise);
- ``CREATE TABLE`` gives the column names; an ``INSERT`` column list maps its values onto
  them; without either, the columns are ``column1``, ``column2``...
- ``COPY t (a, b) FROM stdin;`` blocks: tab-separated lines up to ``\\.``, ``\\N`` for NULL,
  backslash escapes.

Anything else (``SET``, ``LOCK TABLES``, ``ALTER``...) is skipped. A row whose number of values
is not the table's is rejected and counted; a dump that ends inside a statement is an error
for that table (it was not read completely).
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field

from ..errors import InputError

CHUNK_CHARS = 4 << 20
#: A row (one ``(...)`` tuple or one COPY line) longer than this is refused as damage.
MAX_ROW_CHARS = 64 << 20
#: A statement head (``INSERT INTO t (cols...) VALUES``, a ``CREATE TABLE``) at most this long.
MAX_HEAD_CHARS = 16 << 20
FIRST_LINES = 5

#: What the start of a file must hold to be read as a SQL dump when its name does not say so.
SNIFF = re.compile(r"^\s*(?:--[^\n]*\n\s*|/\*.*?\*/;?\s*|SET [^\n]*\n\s*)*"
                   r"(?:CREATE\s+TABLE|INSERT\s+INTO|DROP\s+TABLE|LOCK\s+TABLES|COPY\s)",
                   re.I | re.S)
_PG_MARK = re.compile(r"PostgreSQL database dump|standard_conforming_strings\s*=\s*'?on",
                      re.I)

_IDENT = r'(?:`(?:[^`]|``)+`|"(?:[^"]|"")+"|\[[^\]]+\]|[\w$]+)'
_NAME = rf"{_IDENT}(?:\s*\.\s*{_IDENT})*"
_HEAD = re.compile(
    rf"(?P<create>CREATE\s+(?:TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?P<cname>{_NAME})"
    rf"\s*\()"
    rf"|(?P<insert>(?:INSERT|REPLACE)\s+(?:(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE)\s+)*"
    rf"(?:INTO\s+)?(?P<iname>{_NAME})\s*(?:\((?P<icols>[^()]*)\)\s*)?VALUES?\s*)"
    rf"|(?P<copy>COPY\s+(?P<pname>{_NAME})\s*(?:\((?P<pcols>[^()]*)\)\s*)?FROM\s+stdin\s*;[^\n]*\n)",
    re.I)
_SPACE_AND_COMMENTS = re.compile(r"(?:\s+|--[^\n]*(?:\n|\Z)|#[^\n]*(?:\n|\Z)|/\*.*?\*/)*", re.S)
_BARE_FIELD = r"[^,'()]*?"
_DEF_SKIP = {"PRIMARY", "KEY", "UNIQUE", "INDEX", "CONSTRAINT", "FOREIGN", "CHECK", "FULLTEXT",
             "SPATIAL", "EXCLUDE", "LIKE", "PERIOD"}
_MYSQL_ESCAPES = {"0": "\0", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a", "b": "\b"}
_COPY_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v"}
_BACKSLASH = re.compile(r"\\(.)", re.S)
_COPY_BACKSLASH = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|(.))", re.S)


class _Dialect:
    """The regular expressions of one string syntax (MySQL backslashes or standard SQL)."""

    def __init__(self, backslashes: bool):
        self.backslashes = backslashes
        plain = r"'(?:[^'\\]|\\.)*'" if backslashes else r"'[^']*'"
        estr = r"[Ee]'(?:[^'\\]|\\.)*'"
        quoted = f"(?:{estr}|{plain})"
        self.row = re.compile(rf"\(((?:{quoted}|[^'()])*)\)", re.S)
        body = r"(?:[^'\\]|\\.|'')*" if backslashes else r"(?:[^']|'')*"
        self.field = re.compile(
            rf"\s*(?:(?P<e>[Ee])'(?P<es>(?:[^'\\]|\\.|'')*)'"
            rf"|(?:_binary|_utf8mb4|_utf8|_latin1|N)?\s*'(?P<s>{body})'"
            rf"|(?P<null>NULL)\s*(?=,)"
            rf"|0x(?P<hex>[0-9A-Fa-f]*)\s*(?=,)"
            rf"|[Xx]'(?P<xhex>[0-9A-Fa-f]*)'"
            rf"|(?P<bare>{_BARE_FIELD}))\s*,", re.S | re.I)
        # The fast path: one findall per row. Groups: quoted text, NULL, bare word. A row it
        # cannot take whole (hex, E'' strings, prefixes it skips) goes through ``field``.
        self.fast = re.compile(rf"\s*(?:'({body})'|(NULL)|([^,'()]*?))\s*,", re.S)


@dataclass(frozen=True)
class Table:
    """One table of a dump, as staged: its CSV, its columns, what was rejected."""

    name: str
    csv_path: str
    columns: tuple[str, ...]
    rows: int
    rejected: int
    reject_lines: tuple[int, ...]  # first line numbers of rejected rows' statements
    error: str | None = None  # the table could not be read completely


@dataclass(frozen=True)
class Dump:
    dialect: str  # "mysql" or "postgresql"
    tables: tuple[Table, ...]
    skipped_statements: int  # statements that are not CREATE TABLE / INSERT / COPY


def looks_like_dump(head: str) -> bool:
    """Does this text start like a SQL dump (comments and SETs, then DDL or an INSERT)?"""
    return bool(SNIFF.match(head))


@dataclass
class _Writer:
    name: str
    csv_path: str
    columns: list[str] = field(default_factory=list)
    rows: int = 0
    rejected: int = 0
    reject_lines: list[int] = field(default_factory=list)
    error: str | None = None
    _file: object = None
    _csv: object = None

    def open(self):
        if self._csv is None:
            new = not os.path.exists(self.csv_path)
            self._file = open(self.csv_path, "a", encoding="utf-8", newline="")
            self._csv = csv.writer(self._file, lineterminator="\n")
            if new:
                self._csv.writerow(self.columns)
        return self._csv

    def close(self):
        if self._file is not None:
            self._file.close()
        self._file = self._csv = None

    def reject(self, line: int, n: int = 1):
        self.rejected += n
        if len(self.reject_lines) < FIRST_LINES and line not in self.reject_lines:
            self.reject_lines.append(line)

    def frozen(self) -> Table:
        return Table(self.name, self.csv_path, tuple(self.columns), self.rows, self.rejected,
                     tuple(self.reject_lines), self.error)


class _Parser:
    def __init__(self, shown: str, text, workdir: str, prefix: str, head: str):
        self.shown, self.text, self.workdir, self.prefix = shown, text, workdir, prefix
        self.buf, self.pos, self.eof, self.line = "", 0, False, 1
        self.postgres = bool(_PG_MARK.search(head)) or "\nCOPY " in head
        self.dialect = _Dialect(backslashes=not self.postgres)
        self.estring = _Dialect(backslashes=True)
        self.tables: dict[str, _Writer] = {}
        self.current: _Writer | None = None
        self.skipped = 0

    # -- buffer ---------------------------------------------------------------------------
    def fill(self) -> bool:
        if self.eof:
            return False
        more = self.text.read(CHUNK_CHARS)
        if not more:
            self.eof = True
            return False
        self.line += self.buf.count("\n", 0, self.pos)
        self.buf = self.buf[self.pos:] + more
        self.pos = 0
        return True

    def ensure(self, n: int) -> None:
        while len(self.buf) - self.pos < n and self.fill():
            pass

    def line_at(self, pos: int) -> int:
        return self.line + self.buf.count("\n", 0, pos)

    # -- statements -----------------------------------------------------------------------
    def run(self) -> Dump:
        try:
            while True:
                self.ensure(1 << 16)
                m = _SPACE_AND_COMMENTS.match(self.buf, self.pos)
                self.pos = m.end()
                if self.pos >= len(self.buf):
                    self.ensure(1 << 16)
                    if self.pos >= len(self.buf):
                        break
                    continue
                head = self._head()
                if head is None:
                    self._skip_statement()
                elif head.group("create"):
                    self._create(head)
                elif head.group("insert"):
                    self._insert(head)
                else:
                    self._copy(head)
        finally:
            for w in self.tables.values():
                w.close()
        return Dump("postgresql" if self.postgres else "mysql",
                    tuple(w.frozen() for w in self.tables.values()), self.skipped)

    def _head(self):
        size = 1 << 16
        while True:
            m = _HEAD.match(self.buf, self.pos)
            if m or self.eof or len(self.buf) - self.pos >= min(size, MAX_HEAD_CHARS):
                if m and m.end() == len(self.buf) and not self.eof:
                    self.fill()
                    continue
                return m
            size *= 4
            self.ensure(size)

    def _writer(self, raw_name: str, line: int) -> _Writer:
        name = table_name(raw_name)
        w = self.tables.get(name)
        if w is None:
            w = _Writer(name, os.path.join(self.workdir,
                                           f"{self.prefix}.table{len(self.tables) + 1}.csv"))
            self.tables[name] = w
        if self.current is not w and self.current is not None:
            self.current.close()
        self.current = w
        return w

    def _statement_text(self) -> str:
        """The rest of the current statement, up to its ``;`` outside quotes (bounded)."""
        start = self.pos
        q = None
        i = self.pos
        while True:
            if i >= len(self.buf):
                if not self.fill():
                    break
                i -= start - self.pos if start != self.pos else 0
                start = self.pos
                continue
            c = self.buf[i]
            if q:
                if c == "\\" and self.dialect.backslashes and q == "'":
                    i += 2
                    continue
                if c == q:
                    q = None
            elif c in "'\"`":
                q = c
            elif c == ";":
                i += 1
                break
            i += 1
            if i - start > MAX_HEAD_CHARS:
                raise InputError(self.shown, f"a statement near line {self.line_at(start):,} "
                                             f"is longer than {MAX_HEAD_CHARS:,} characters")
        text = self.buf[start:i]
        self.pos = i
        return text

    def _skip_statement(self) -> None:
        self.skipped += 1
        self._statement_text()

    def _create(self, m) -> None:
        line = self.line_at(self.pos)
        self.pos = m.start()
        text = self._statement_text()
        body = text[text.index("(") + 1:]
        columns = []
        for part in _top_level_split(body):
            part = part.strip()
            if not part:
                continue
            word = re.match(_IDENT, part)
            if not word or word.group(0).upper() in _DEF_SKIP:
                continue
            columns.append(unquote_ident(word.group(0)))
        w = self._writer(m.group("cname"), line)
        if not w.columns:
            w.columns = unique(columns)
        w.open()

    def _insert(self, m) -> None:
        start_line = self.line_at(m.start())
        w = self._writer(m.group("iname"), start_line)
        names = ([unquote_ident(c.strip()) for c in m.group("icols").split(",")]
                 if m.group("icols") else None)
        self.pos = m.end()
        order = None
        d = self.dialect
        while True:
            self.ensure(1 << 16)
            self.pos = _SPACE_AND_COMMENTS.match(self.buf, self.pos).end()
            if self.pos >= len(self.buf):
                w.error = (f"the dump ends inside an INSERT into {w.name} begun at line "
                           f"{start_line:,} (truncated?)")
                return
            c = self.buf[self.pos]
            if c == ",":
                self.pos += 1
                continue
            if c == ";":
                self.pos += 1
                return
            if c != "(":  # ON DUPLICATE KEY UPDATE ..., RETURNING ...: not values
                self._statement_text()
                return
            row = self._tuple(d)
            if row is None:
                w.error = (f"the dump ends inside a row of an INSERT into {w.name} begun at "
                           f"line {start_line:,} (truncated?)")
                return
            values = _fields(row, d, self.estring)
            if not w.columns:
                w.columns = unique(names or [""] * len(values)) if values else []
                w.open()
            if order is None:
                order = _order(names, w.columns)
            if values is None or len(values) != (len(order) if order else len(w.columns)):
                w.reject(start_line)
                continue
            if order:
                out = [""] * len(w.columns)
                for k, v in zip(order, values, strict=True):
                    if k is not None:
                        out[k] = v
                values = out
            w.open().writerow(values)
            w.rows += 1

    def _tuple(self, d: _Dialect) -> str | None:
        """The inside of the ``(...)`` at ``pos``; None if the dump ends inside it.

        A row the plain-values expression cannot match (a value with parentheses, such as a
        function call) is found by counting parentheses and comes back marked unsplittable.
        """
        while True:
            m = d.row.match(self.buf, self.pos)
            if m:
                self.pos = m.end()
                return m.group(1)
            end = _balanced_end(self.buf, self.pos, d.backslashes)
            if end is not None:
                inner = self.buf[self.pos + 1:end]
                self.pos = end + 1
                return "\x00" + inner
            if len(self.buf) - self.pos > MAX_ROW_CHARS:
                raise InputError(self.shown, f"a row near line {self.line_at(self.pos):,} is "
                                             f"longer than {MAX_ROW_CHARS:,} characters")
            if not self.fill():
                return None

    def _copy(self, m) -> None:
        start_line = self.line_at(m.start())
        w = self._writer(m.group("pname"), start_line)
        names = ([unquote_ident(c.strip()) for c in m.group("pcols").split(",")]
                 if m.group("pcols") else None)
        self.pos = m.end()
        if not w.columns and names:
            w.columns = unique(names)
        order = _order(names, w.columns) if names else None
        out = w.open() if w.columns else None
        line_no = self.line_at(self.pos)
        while True:
            nl = self.buf.find("\n", self.pos)
            while nl < 0:
                if len(self.buf) - self.pos > MAX_ROW_CHARS:
                    raise InputError(self.shown, f"a COPY line near line {line_no:,} is longer "
                                                 f"than {MAX_ROW_CHARS:,} characters")
                if not self.fill():
                    break
                nl = self.buf.find("\n", self.pos)
            if nl < 0:
                rest = self.buf[self.pos:]
                self.pos = len(self.buf)
                if rest.strip() != "\\.":
                    w.error = (f"the dump ends inside the COPY block of {w.name} begun at line "
                               f"{start_line:,} (no closing \\. line; truncated?)")
                return
            text = self.buf[self.pos:nl].rstrip("\r")
            self.pos = nl + 1
            line_no += 1
            if text == "\\.":
                return
            fields = text.split("\t")
            if "\\" in text:
                fields = [_copy_unescape(f) for f in fields]
            if not w.columns:
                w.columns = unique([""] * len(fields))
                out = w.open()
            width = len(order) if order else len(w.columns)
            if len(fields) != width:
                w.reject(line_no - 1)
                continue
            if order:
                row = [""] * len(w.columns)
                for k, v in zip(order, fields, strict=True):
                    if k is not None:
                        row[k] = v
                fields = row
            out.writerow(fields)
            w.rows += 1


def _fields(inner: str, d: _Dialect, estring: _Dialect) -> list[str] | None:
    """The values of one tuple, or None when they do not split into plain values."""
    if inner.startswith("\x00"):
        return None
    text = inner + ","
    found = d.fast.findall(text)
    # findall skips what no alternative matches: only a prefix before a string (``_binary``,
    # ``N``), which is right to drop, unless the literal is one _SLOW_LITERAL finds.
    if found and not _SLOW_LITERAL.search(inner) \
            and not any(b[:2] in ("0x", "0X") for _s, _n, b in found):
        out = []
        for s, null, bare in found:
            if s:
                if d.backslashes and "\\" in s:
                    s = _BACKSLASH.sub(_mysql_char, s)
                out.append(s.replace("''", "'") if "''" in s else s)
            elif null or not bare:
                out.append("")
            else:
                b = bare.strip()
                out.append("" if b.upper() == "NULL" else b)
        return out
    out = []
    pos = 0
    match = d.field.match
    while pos < len(text):
        m = match(text, pos)
        if m is None:
            return None
        pos = m.end()
        s = m.group("s")
        if s is not None:
            if d.backslashes and "\\" in s:
                s = _BACKSLASH.sub(_mysql_char, s)
            out.append(s.replace("''", "'") if "''" in s else s)
        elif m.group("e") is not None:
            s = m.group("es")
            s = _BACKSLASH.sub(_mysql_char, s) if "\\" in s else s
            out.append(s.replace("''", "'"))
        elif m.group("null") is not None:
            out.append("")
        elif m.group("hex") is not None or m.group("xhex") is not None:
            h = m.group("hex") if m.group("hex") is not None else m.group("xhex")
            out.append(_hex_text(h, m.group(0)))
        else:
            bare = m.group("bare").strip()
            out.append("" if bare.upper() == "NULL" else bare)
    return out


#: Literals the fast path would misread (``X'41'`` hex, ``E'...'`` escapes): such a row goes
#: through the field-by-field expression. Text inside a string can trigger it too (slower,
#: still right).
_SLOW_LITERAL = re.compile(r"(?<![\w'\\])[XxEe]'")


def _mysql_char(m) -> str:
    c = m.group(1)
    return _MYSQL_ESCAPES.get(c, c)


def _copy_unescape(value: str) -> str:
    if value == "\\N":
        return ""

    def one(m):
        if m.group(1):
            return chr(int(m.group(1), 8))
        if m.group(2):
            return chr(int(m.group(2), 16))
        c = m.group(3)
        return _COPY_ESCAPES.get(c, c)

    return _COPY_BACKSLASH.sub(one, value)


def _hex_text(h: str, written: str) -> str:
    """A hex literal's bytes as text when they are UTF-8 text, else the literal as written."""
    try:
        text = bytes.fromhex(h if len(h) % 2 == 0 else "0" + h).decode("utf-8")
    except ValueError:
        return written.strip().rstrip(",").strip()
    if any(ord(c) < 32 and c not in "\t\n\r" for c in text):
        return written.strip().rstrip(",").strip()
    return text


def _order(names: list[str] | None, columns: list[str]) -> list[int | None] | None:
    """For an ``INSERT (a, b)`` list: the table position of each value (None: unknown)."""
    if not names or names == columns:
        return None
    index = {c: k for k, c in enumerate(columns)}
    return [index.get(n) for n in names]


def _balanced_end(buf: str, start: int, backslashes: bool) -> int | None:
    """Index of the ``)`` closing the ``(`` at ``start``, honouring quotes; None if unseen."""
    depth, i, q = 0, start, False
    while i < len(buf):
        c = buf[i]
        if q:
            if c == "\\" and backslashes:
                i += 2
                continue
            if c == "'":
                q = False
        elif c == "'":
            q = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _top_level_split(body: str) -> list[str]:
    """``CREATE TABLE`` definitions: split at commas outside parentheses and quotes."""
    parts, depth, cur, q = [], 0, [], None
    for c in body:
        if q:
            cur.append(c)
            if c == q:
                q = None
            continue
        if c in "'\"`":
            q = c
        elif c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                parts.append("".join(cur))
                return parts
            depth -= 1
        elif c == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(c)
    parts.append("".join(cur))
    return parts


def unquote_ident(name: str) -> str:
    """```a``b``` -> ``a`b``, ``"x"`` -> ``x``, ``[y]`` -> ``y``."""
    name = name.strip()
    if len(name) >= 2 and name[0] == name[-1] and name[0] in "`\"":
        return name[1:-1].replace(name[0] * 2, name[0])
    if len(name) >= 2 and name[0] == "[" and name[-1] == "]":
        return name[1:-1]
    return name


def table_name(raw: str) -> str:
    """A table's name as shown in ``dump.sql!name``: quotes removed, schema kept.

    >>> table_name('`users`'), table_name('"public"."users"')
    ('users', 'public.users')
    """
    return ".".join(unquote_ident(p.group(0)) for p in re.finditer(_IDENT, raw))


def unique(names: list[str]) -> list[str]:
    from ..sources import unique_names

    return unique_names(names)


def read_dump(shown: str, text, workdir: str, prefix: str) -> Dump:
    """Stream the dump text ``text`` (a text file object) into one CSV per table."""
    head = text.read(1 << 16)
    parser = _Parser(shown, text, workdir, prefix, head)
    parser.buf = head
    return parser.run()
