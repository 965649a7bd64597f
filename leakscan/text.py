"""Helpers shared by several categorizers: character folding and masking.

The same table drives the SQL (``translate``) and the Python (``str.translate``) side, so the
two implementations fold characters identically by construction.

>>> fold_width("１３８　００１３－８０００")
'138 0013-8000'
>>> mask_middle("13800138000", 3, 4)
'138****8000'
"""

from __future__ import annotations

import functools
import re
import string

# Full-width ASCII variants U+FF01..U+FF5E map to U+0021..U+007E; U+3000 is the ideographic space.
_FULL = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
_HALF = "".join(chr(c) for c in range(0x21, 0x7F)) + " "
_TABLE = str.maketrans(_FULL, _HALF)


#: The characters ``fold_width`` changes (its table's keys): callers that need the folding as a
#: table (``categorizers/phone.py``) read it here instead of trying all 65,536 BMP characters.
FOLDED_CHARS = _FULL


def fold_width(value: str) -> str:
    """Map full-width ASCII characters and the ideographic space to plain ASCII."""
    return value.translate(_TABLE)


def sql_literal(s: str) -> str:
    """A SQL string literal (categorizers build their SQL with it; user values never go
    through a categorizer's templates)."""
    return "'" + s.replace("'", "''") + "'"


#: SQL template: ``{value}`` with full-width characters folded to ASCII. DuckDB's
#: ``translate`` with a 95-character map costs about 6 µs a cell, so it runs only on cells that
#: hold a full-width character at all (a regex test costing about 0.1 µs): 13x faster on
#: typical data.
FOLD_WIDTH_SQL = (
    "CASE WHEN regexp_matches({value}, '[\\x{3000}\\x{ff01}-\\x{ff5e}]') "
    f"THEN translate({{value}}, {sql_literal(_FULL)}, {sql_literal(_HALF)}) "
    "ELSE {value} END"
)

#: Every character Python's ``str.isspace`` accepts, as an RE2 character class; DuckDB's
#: ``\s`` knows only ASCII white space, so SQL uses this class to match Python exactly.
WHITESPACE_CHARS = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
RE2_WHITESPACE = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE_CHARS) + "]"

#: An ASCII or full-width digit, as an RE2 class: the ``worth`` tests of free-text search
#: (``FREE_TEXT``, docs/categorizers.md) run on the cell before it is folded.
RE2_ANY_DIGIT = "[0-9\\x{ff10}-\\x{ff19}]"
#: A separator people group numbers with, ASCII or full-width (space, hyphen).
RE2_ANY_GROUP_SEP = "[ \\-\\x{3000}\\x{ff0d}]"

#: SQL template: white space runs collapsed to one space, trimmed, blank becomes NULL.
SQUASH_SPACE_SQL = (f"NULLIF(trim(regexp_replace({{value}}, '{RE2_WHITESPACE}+', ' ', 'g')), '')")


def squash_space(value: str) -> str | None:
    """Python twin of ``SQUASH_SPACE_SQL``."""
    return " ".join(value.split()) or None


def validity_of(validate):
    """A module's ``is_valid``, from its ``validate``: whether it returns a (non-empty) value;
    False where it raises (every ``leakscan.validation`` error is a ``ValueError``).

    >>> validity_of(int)("12"), validity_of(int)("x")
    (True, False)
    """
    def is_valid(value: str | None) -> bool:
        try:
            return bool(validate(value))
        except ValueError:
            return False

    is_valid.__doc__ = f"True if ``{validate.__module__}.validate`` accepts the value."
    return is_valid


def mask_middle(value: str, keep_start: int, keep_end: int, fill: str = "*") -> str:
    """Keep ``keep_start`` leading and ``keep_end`` trailing characters, hide the rest.

    Short values are hidden more, never less: at least a third of the characters (and at
    least one) are always masked, so a short value is never printed whole.

    >>> mask_middle("12345", 3, 4)
    '1***5'
    """
    n = len(value)
    hidden = n - keep_start - keep_end
    if hidden < max(1, n // 3):
        keep_start = min(keep_start, n // 4)
        keep_end = min(keep_end, n // 4)
        hidden = n - keep_start - keep_end
    return value[:keep_start] + fill * hidden + value[n - keep_end:] if keep_end else \
        value[:keep_start] + fill * hidden


def mask_middle_sql(value: str, keep_start: int, keep_end: int) -> str:
    """SQL twin of ``mask_middle`` over the SQL expression ``value`` (``*`` as the fill)."""
    n = f"length({value})"
    short = f"({n} - {keep_start} - {keep_end} < greatest(1, {n} // 3))"
    ks = f"(CASE WHEN {short} THEN least({keep_start}, {n} // 4) ELSE {keep_start} END)"
    ke = f"(CASE WHEN {short} THEN least({keep_end}, {n} // 4) ELSE {keep_end} END)"
    return (f"(left({value}, {ks}) || repeat('*', {n} - {ks} - {ke}) || "
            f"CASE WHEN {ke} > 0 THEN right({value}, {ke}) ELSE '' END)")


_UPPER_TABLE = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


def compact_upper_sql(separators: str = "-") -> tuple[str, ...]:
    """SQL steps: fold width, drop white space and ``separators``, upper-case ASCII letters.

    The normalisation of codes written in letters and digits (plates, permits, credit codes);
    ``compact_upper`` is its Python twin. Only ASCII letters change case, on both sides, so
    DuckDB's and Python's Unicode case tables never come into it.
    """
    sep = "".join("\\" + c if c in "-]\\^" else c for c in separators)
    return (
        FOLD_WIDTH_SQL,
        f"NULLIF(regexp_replace({{value}}, '(?:{RE2_WHITESPACE}|[{sep}])+', '', 'g'), '')",
        f"translate({{value}}, '{string.ascii_lowercase}', '{string.ascii_uppercase}')",
    )


def compact_upper(value: str | None, separators: str = "-") -> str | None:
    """Python twin of ``compact_upper_sql``.

    >>> compact_upper(" ｈ1234-5678 ")
    'H12345678'
    """
    if value is None:
        return None
    text = "".join(c for c in fold_width(value) if not c.isspace() and c not in separators)
    return text.translate(_UPPER_TABLE) or None



# -- masked values ----------------------------------------------------------------------
#
# Exports and sellers' samples hide part of an identifier: ``138****8000``,
# ``4108**********9494``, ``6222 **** **** 1234``, ``张**``, ``z***@qq.com``. Such a value
# was there (the cell is not blank) but cannot be validated or told apart from another
# person's, so it is its own state: never valid, never in a record key, left out of the share
# that confirms a column, and counted as ``masked`` (docs/counting.md, Rule 1.7). Each
# identifying categorizer declares its masked forms (``MASKED_SQL`` and ``is_masked``), built
# by ``masked_form`` below from one list of RE2 patterns, so the SQL and the Python twin read
# the same patterns.

#: Characters real exports hide characters with. ``*`` (the full-width ``＊`` folds to it),
#: ``×`` (U+00D7, usual in printed documents: 张××), ``●`` (U+25CF) and ``•`` (U+2022, bank
#: statements). ``#`` is left out: spreadsheet-damaged cells are marked with it
#: (``damage.MARK``) and it numbers things (``#12``). Letters ``x``/``X`` are a mask only where
#: a category says so, since an ID's final ``X`` is its check character.
MASK_CHARS = "*×●•"
#: A run of mask characters in a number: ``*``-like characters, or two or more ``x``/``X``
#: (``138xxxx8000``); a single ``X`` is a resident ID's check character or an extension mark.
RE2_DIGIT_MASK_RUN = "(?:[*×●•]+|[xX]{2,})"


def _python_pattern(pattern: str) -> str:
    """An RE2 pattern as Python's ``re`` reads it (``\\x{4e00}`` is ``\\u4e00`` there)."""
    return re.sub(r"\\x\{([0-9a-fA-F]{1,6})\}",
                  lambda m: f"\\U{int(m.group(1), 16):08x}", pattern)


def _re2_class(chars: str) -> str:
    """An RE2 character class holding ``chars`` and the full-width forms of ASCII ones (the
    gate runs before width is folded)."""
    out = []
    for c in chars:
        forms = [c] + ([chr(ord(c) + 0xFEE0)] if 0x21 <= ord(c) <= 0x7E else [])
        out += [f"\\x{{{ord(f):x}}}" for f in forms]
    return "[" + "".join(out) + "]"


def masked_form(alternatives: tuple[tuple[str, tuple[int, ...]], ...], *, chars: str = MASK_CHARS,
                separators: str = "", strip_prefix: str = ""):
    """``(MASKED_SQL, is_masked)``: the twins that tell a masked value of a category.

    The cell is read raw (the template's ``{value}`` is the cell as read, before the
    category's normalisation, which may drop the mask characters). Only a cell holding one
    of ``chars`` (or its full-width form) is looked at; it is width-folded, its white space and
    ``separators`` removed and a leading ``strip_prefix`` (RE2) taken off, and then it is
    masked when it fully matches one pattern of ``alternatives`` at one of that pattern's
    lengths (in characters, mask characters included; an empty tuple: any length). Patterns
    use only what RE2 and Python's ``re`` read alike (classes, ``{m,n}``, ``(?:...)``, ``|``;
    ``\\x{hhhh}`` for other characters).

    >>> sql, is_masked = masked_form((("1[0-9]*[*]+[0-9]*", (11,)),), separators="-")
    >>> is_masked("138****8000"), is_masked("138-＊＊＊＊-8000"), is_masked("13800138000")
    (True, True, False)
    """
    gate = _re2_class(chars)
    drop = "".join("\\" + c if c in "-]\\^[" else c for c in separators)
    prepared = f"regexp_replace({FOLD_WIDTH_SQL}, '(?:{RE2_WHITESPACE}" + \
        (f"|[{drop}]" if drop else "") + ")+', '', 'g')"
    if strip_prefix:
        prepared = f"regexp_replace({prepared}, '^(?:{strip_prefix})', '')"
    tests = []
    for pattern, lengths in alternatives:
        test = f"regexp_full_match({prepared}, {sql_literal(pattern)})"
        if lengths:  # the length first: it is cheaper than the pattern
            test = f"length({prepared}) IN ({', '.join(str(n) for n in lengths)}) AND {test}"
        tests.append(f"({test})")
    # Only cells holding a mask character are prepared (a few in a column, usually), so the
    # prepared value is simply written out in each test rather than computed once in a
    # layer of its own.
    sql = (f"CASE WHEN regexp_matches({{value}}, '{gate}') THEN "
           f"({' OR '.join(tests)}) ELSE false END")
    seps = set(separators)

    # Compiled at the first call, not here: a scan runs the SQL twin only, and compiling the
    # Python patterns of every categorizer at import cost about 30 ms of each start-up.
    @functools.cache
    def patterns():
        prefix = re.compile("^(?:" + _python_pattern(strip_prefix) + ")") if strip_prefix else None
        return (re.compile(_python_pattern(gate)), prefix,
                [(re.compile(_python_pattern(p)), set(lengths)) for p, lengths in alternatives])

    def is_masked(value: str | None) -> bool:
        """Whether the raw cell ``value`` is a masked value of this category (the Python
        twin of ``MASKED_SQL``)."""
        if value is None:
            return False
        gate_py, prefix, compiled = patterns()
        if not gate_py.search(value):
            return False
        p = "".join(c for c in fold_width(value) if not c.isspace() and c not in seps)
        if prefix is not None:
            p = prefix.sub("", p, count=1)
        return any(rx.fullmatch(p) is not None and (not lengths or len(p) in lengths)
                   for rx, lengths in compiled)

    return sql, is_masked
