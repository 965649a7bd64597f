"""leakscan.inert: no text from an input acts on a terminal or gives a Markdown file structure.

The Markdown checks render with cmark-gfm (GitHub's own parser, tables and autolinks on), so
"holds no structure" is decided by the renderer the report will be read in, not by us.
"""

from __future__ import annotations

import html
import json
import re
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leakscan import inert

cmarkgfm = pytest.importorskip("cmarkgfm")

UNSAFE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def test_unsafe_set_is_exactly_the_unicode_categories():
    """The hand-written ranges hold every Cc, Cf, Zl, Zp and Cs character of this Python's
    Unicode database (a newer Unicode adding a format character fails here until the list is
    updated), and nothing else that is assigned (newer format characters, unassigned in an
    older Python, may be listed)."""
    missing, extra = [], []
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        want = unicodedata.category(ch) in UNSAFE_CATEGORIES
        if want != bool(inert.UNSAFE.match(ch)):
            if want or unicodedata.category(ch) != "Cn":
                (missing if want else extra).append(hex(cp))
    assert not missing and not extra, (missing[:10], extra[:10])


@pytest.mark.parametrize("attack, shown", [
    ("\x1b[2J", "\\x1b[2J"),                                  # clear screen
    ("\x1b]52;c;b3duZWQ=\x07", "\\x1b]52;c;b3duZWQ=\\x07"),   # OSC 52 clipboard write
    ("\x1b]8;;http://evil\x1b\\x\x1b]8;;\x1b\\",             # OSC 8 hidden link
     "\\x1b]8;;http://evil\\x1b\\x\\x1b]8;;\\x1b\\"),
    ("ok\rFAKE", "ok\\rFAKE"),                                # carriage return overwrite
    ("a\nb", "a\\nb"),
    ("\x9b2J", "\\x9b2J"),                                    # C1 CSI
    ("\x7f", "\\x7f"),
    ("evil\u202etxt.exe", "evil\\u202etxt.exe"),              # right-to-left override
    ("\u2066x\u2069", "\\u2066x\\u2069"),
    ("姓\u200b名", "姓\\u200b名"),                             # zero-width space
    ("\ufeffphone", "\\ufeffphone"),
    ("a\u2028b", "a\\u2028b"),
    ("tag\U000e0041", "tag\\U000e0041"),
    ("caf\udce9.csv", "caf\\xe9.csv"),                        # not-UTF-8 byte of a file name
    ("lone\ud800", "lone\\ud800"),
    ("姓名 phone 電話 13800138000", "姓名 phone 電話 13800138000"),
])
def test_terminal_shows_controls_visibly(attack, shown):
    assert inert.terminal(attack) == shown
    assert not inert.has_unsafe(inert.terminal(attack))


def _gfm(text: str) -> str:
    from cmarkgfm.cmark import Options
    return cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)


ATTACKS = [
    "col|umn", "x\n# Heading", "x\n\n| a | b |\n|---|---|", "[link](http://evil)",
    "![img](http://evil/p.png)", "<img src=http://evil/p.png>", "<script>alert(1)</script>",
    "http://evil.example/x", "www.evil.example", "`code`", "**bold** _em_ ~~del~~",
    "- list", "+ list", "1. list", "2) list", "> quote", "&lt;b&gt;", "a\\|b", "trailing\\",
    "$x^2$", "[ref]: http://evil", "x\r\n===", "\x1b[2J\u202e", "姓名", "=HYPERLINK(\"x\")",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_markdown_cell_holds_no_structure(attack):
    """One table of one row of two cells, whatever the text; no link, image, heading, list,
    raw HTML or emphasis; and the cell reads back as the terminal-escaped text."""
    cell = inert.markdown(attack)
    doc = f"| a | b |\n|---|---|\n| {cell} | z |\n\n- {cell}\n"
    out = _gfm(doc)
    for tag in ("<a ", "<img", "<h1", "<h2", "<script", "<strong", "<em", "<del", "<code",
                "<blockquote", "<ol", "<hr"):
        assert tag not in out, (attack, out)
    assert out.count("<table>") == 1 and out.count("<tr>") == 2, out
    assert out.count("<td>") == 2, out
    first = re.search(r"<td>(.*?)</td>", out, re.S).group(1)
    assert html.unescape(first) == inert.terminal(attack), out
    assert out.count("<ul>") == 1 and out.count("<li>") == 1, out


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_markdown_any_text_is_one_cell(text):
    out = _gfm(f"| a |\n|---|\n| {inert.markdown(text)} |\n")
    assert out.count("<td>") == 1 and "<a " not in out and "<img" not in out, out
    first = re.search(r"<td>(.*?)</td>", out, re.S).group(1)
    assert html.unescape(first) == inert.terminal(text).strip(" ")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_terminal_and_json_never_pass_an_unsafe_character(text):
    assert not inert.has_unsafe(inert.terminal(text))
    dumped = json.dumps({text: [text]}, ensure_ascii=False)
    safe = inert.json_text(dumped)
    assert not inert.has_unsafe(safe)
    assert json.loads(safe) == {text: [text]}
    safe.encode("utf-8")  # a lone surrogate would raise here


def test_document_escapes_every_string_value():
    doc = {"inputs": [{"path": "a\x1b.csv", "rows": 3}], "k": ("x\n", 1.5, None, True)}
    assert inert.document(doc, inert.terminal) == {
        "inputs": [{"path": "a\\x1b.csv", "rows": 3}], "k": ("x\\n", 1.5, None, True)}
