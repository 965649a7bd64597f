"""Render text that came from an input inert, for a terminal, for Markdown and for JSON.

Every file name, zip member, sheet name, JSON key, header and cell value was written by an
attacker. Printed as it is, ``ESC[2J`` clears the examiner's screen, an OSC 52 sequence writes
their clipboard, OSC 8 hides a link behind innocent text, a carriage return overwrites the
line before it and a right-to-left override shows ``exe.txt`` as ``txt.exe``; in Markdown, a
newline or a ``|`` in a column name ends the table and lets the file add headings, links and
remote images to the report. So every input-derived text goes through this module on its way
out, and only this module decides what is escaped:

- ``terminal(text)``: control characters (C0, DEL, C1), format characters (bidi overrides
  and isolates, zero-width spaces and joiners, the BOM, tag characters), line and paragraph
  separators and lone surrogates are shown *visibly* as Python-style escapes (``\\x1b``,
  ``\\r``, ``\\u202e``), so the examiner sees that they are there. A byte of a file name that
  is not UTF-8 (which Python carries as a surrogate U+DC80..U+DCFF) is shown as that byte,
  ``\\xff``, the way ``ls -b`` shows it. Everything else, CJK included, is left alone.
- ``markdown(text)``: ``terminal`` first (so a newline can never start a heading or end a
  table row), then a backslash before every character that Markdown or GFM reads as
  structure: ``\\ ` * _ { } [ ] < > ( ) # ! | ~ & $``, the ``:`` of ``scheme://`` and the dot
  of ``www.`` (GFM autolinks), and a leading ``-``, ``+``, ``=`` or ``1.`` (list markers).
  CommonMark renders a backslash-escaped ASCII punctuation character as the character itself,
  so the text reads the same and holds no structure.
- ``json_text(text)``: JSON output stays exact (the data is evidence) but is made safe to
  ``cat``: the same characters become ``\\uXXXX`` escapes, which every JSON parser reads back
  as the original characters (``json.dumps`` already escapes C0 but not DEL, C1, bidi
  controls, and writes a lone surrogate raw, which no UTF-8 encoder accepts).

``document(doc, escape)`` applies an escape to every string value of a report dictionary, so
a renderer cannot forget a field.
"""

from __future__ import annotations

import re

#: Characters never printed as they are: Unicode categories Cc (controls), Cf (format), Zl,
#: Zp (line and paragraph separators) and Cs (surrogates). Listed as ranges so the check is
#: one regular expression; ``tests/test_inert.py`` holds the list equal to ``unicodedata``.
_UNSAFE_RANGES = (
    (0x00, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD), (0x600, 0x605), (0x61C, 0x61C), (0x6DD, 0x6DD),
    (0x70F, 0x70F), (0x890, 0x891), (0x8E2, 0x8E2), (0x180E, 0x180E), (0x200B, 0x200F),
    (0x2028, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F), (0xD800, 0xDFFF), (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)


def _char_class(ranges) -> str:
    def esc(cp: int) -> str:
        return f"\\x{cp:02x}" if cp < 0x100 else (f"\\u{cp:04x}" if cp < 0x10000
                                                   else f"\\U{cp:08x}")
    return "".join(esc(a) if a == b else f"{esc(a)}-{esc(b)}" for a, b in ranges)


UNSAFE = re.compile(f"[{_char_class(_UNSAFE_RANGES)}]")
#: In JSON text, C0 controls inside strings are already escaped by ``json.dumps``; the tab,
#: newline and carriage return left are the document's own layout.
_JSON_UNSAFE = re.compile(f"[{_char_class(((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F)) + _UNSAFE_RANGES[1:])}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _visible(match: re.Match) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    cp = ord(ch)
    if 0xDC80 <= cp <= 0xDCFF:  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{cp - 0xDC00:02x}"
    if cp < 0x100:
        return f"\\x{cp:02x}"
    return f"\\u{cp:04x}" if cp < 0x10000 else f"\\U{cp:08x}"


def terminal(text) -> str:
    """``text`` with every character that could act on a terminal shown as an escape.

    >>> terminal("a\\x1b[2Jb\\rc\\u202ed")
    'a\\\\x1b[2Jb\\\\rc\\\\u202ed'
    >>> print(terminal("姓名\\tphone\\x9b"))
    姓名\\tphone\\x9b
    >>> print(terminal("caf\\udce9.csv"))  # the file name's byte 0xE9 was not UTF-8
    caf\\xe9.csv
    """
    text = str(text)
    return UNSAFE.sub(_visible, text) if UNSAFE.search(text) else text


#: Markdown punctuation escaped wherever it appears.
_MD_ALWAYS = re.compile(r"[\\`*_{}\[\]<>()#!|~&$]")
#: Structure that only some positions give: autolinks and a leading list or setext marker.
_MD_AUTOLINK = re.compile(r":(?=//)|(?<=[wW][wW][wW])\.")
_MD_LEADING = re.compile(r"^(?:[-+=]|\d+(?=[.)]))")


def markdown(text) -> str:
    """``text`` as inert Markdown: visible escapes for controls, no structure of its own.

    >>> print(markdown("phone|x\\n# Owned ![](http://evil/x.png)"))
    phone\\|x\\\\n\\# Owned \\!\\[\\]\\(http\\://evil/x.png\\)
    >>> print(markdown("- 1. www.example.com"))
    \\- 1. www\\.example.com
    >>> markdown("姓名"), markdown("users.csv")
    ('姓名', 'users.csv')
    """
    text = _MD_ALWAYS.sub(lambda m: "\\" + m.group(), terminal(text))
    text = _MD_AUTOLINK.sub(lambda m: "\\" + m.group(), text)
    m = _MD_LEADING.match(text)
    if m:
        if m.group()[0].isdigit():  # "1." or "1)" would start an ordered list
            end = m.end()
            text = text[:end] + "\\" + text[end:]
        else:
            text = "\\" + text
    return text


def json_text(text: str) -> str:
    """JSON text with every unsafe character (see ``UNSAFE``) written as a ``\\u`` escape,
    except the tab, newline and carriage return of its layout (``json.dumps`` has escaped
    those inside strings).

    Lossless: a JSON parser reads the escapes back as the same characters.

    >>> import json
    >>> s = json.dumps({"k": "a\\x9b\\u202eb\\udcff"}, ensure_ascii=False)
    >>> safe = json_text(s)
    >>> safe
    '{"k": "a\\\\u009b\\\\u202eb\\\\udcff"}'
    >>> json.loads(safe) == json.loads(s)
    True
    """
    def escape(m: re.Match) -> str:
        cp = ord(m.group())
        if cp < 0x10000:
            return f"\\u{cp:04x}"
        cp -= 0x10000  # outside the BMP: a UTF-16 surrogate pair, as JSON spells it
        return f"\\u{0xD800 + (cp >> 10):04x}\\u{0xDC00 + (cp & 0x3FF):04x}"

    return _JSON_UNSAFE.sub(escape, text) if _JSON_UNSAFE.search(text) else text


def document(obj, escape):
    """A copy of ``obj`` (dicts, lists, tuples of strings and numbers) with ``escape``
    applied to every string value. Dictionary keys are the report's own field names and
    category ids, which renderers look up, so they are left as they are.

    >>> document({"path": ["x\\x1b", 1, None], "n": {"k": "a\\rb"}}, terminal)
    {'path': ['x\\\\x1b', 1, None], 'n': {'k': 'a\\\\rb'}}
    """
    if isinstance(obj, str):
        return escape(obj)
    if isinstance(obj, dict):
        return {k: document(v, escape) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return type(obj)(document(v, escape) for v in obj)
    return obj


def has_unsafe(text: str) -> bool:
    """Does ``text`` hold a character that ``terminal`` would escape?

    >>> has_unsafe("姓名"), has_unsafe("a\\x1bb")
    (False, True)
    """
    return bool(UNSAFE.search(text))
