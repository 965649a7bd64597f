"""Fuzz target (issue 15): attacker-chosen file names, headers and cell values, every output
format. Whatever the input holds, no control, format or bidi character from it reaches the
output unescaped, and leakscan ends with 0, 3 or 4 and a one-line message, never a traceback.

Run longer with ``LEAKSCAN_FUZZ_EXAMPLES=500`` (``--hypothesis-seed`` reproduces a failure).
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leakscan import inert
from leakscan.cli import main

#: Fuzzing every output format (about 30 s): the slow group, a step of .ci/run.
pytestmark = pytest.mark.slow

#: Examples per output format; the suite runs a few, a fuzzing session many
#: (``LEAKSCAN_FUZZ_EXAMPLES=500 pytest tests/test_fuzz_outputs.py``).
EXAMPLES = int(os.environ.get("LEAKSCAN_FUZZ_EXAMPLES", "8"))

#: Hostile text: controls, escape sequences, bidi, zero-width, separators, Markdown syntax,
#: CJK, and the digits of plausible identifiers, mixed.
HOSTILE = st.sampled_from(["\x1b[2J", "\x1b]52;c;aGk=\x07", "\x1b]8;;http://e\x1b\\", "\r",
                           "\n", "\t", "\x00", "\x7f", "\x9b", "\u202e", "\u2066", "\u200b",
                           "\ufeff", "\u2028", "|", "#", "![x](http://e/i.png)", "<b>", "`",
                           "姓名", "手机号", "13800138000", "11010519491231002X", ",", '"'])
TEXT = st.lists(st.one_of(HOSTILE, st.text(max_size=6)), max_size=4).map("".join)
NAME = st.lists(st.one_of(HOSTILE, st.text(min_size=1, max_size=6)), min_size=1,
                max_size=3).map("".join).map(lambda s: s.replace("/", "_").replace("\x00", "_"))


def _layout_removed(text: str) -> str:
    return text.replace("\n", "")


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "html"])
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(name=NAME, header=st.lists(TEXT, min_size=1, max_size=4),
       rows=st.lists(st.lists(TEXT, min_size=1, max_size=4), max_size=6))
def test_no_input_text_reaches_any_output_unescaped(fmt, name, header, rows):
    with tempfile.TemporaryDirectory() as tmp:
        filename = (name + ".csv").encode("utf-8", "surrogatepass")[:200].decode("utf-8",
                                                                             "ignore")
        path = Path(tmp) / (filename.lstrip(".") or "x.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([header, *rows])
        res = CliRunner().invoke(main, ["scan", str(path), "--format", fmt, "--explain",
                                        "--column", f"{header[0]}=none"],
                                 catch_exceptions=True)
        if res.exit_code == 2:  # the --column hint is malformed or matches no column
            assert res.output.startswith("leakscan: --column ")
            assert not inert.has_unsafe(_layout_removed(res.output)), ascii(res.output)
            res = CliRunner().invoke(main, ["scan", str(path), "--format", fmt, "--explain"],
                                     catch_exceptions=True)
        assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
        assert res.exit_code in (0, 3, 4), res.output
        assert "Traceback" not in res.output
        assert not inert.has_unsafe(_layout_removed(res.output)), ascii(res.output)[:2000]
        if fmt == "json" and res.exit_code in (0, 3):
            json.loads(res.stdout)
