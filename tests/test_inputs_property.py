"""Whatever bytes arrive, a scan reports or fails with a clear ``LeakscanError``.

Hypothesis writes random bytes and random delimited structures (delimiters, quotes, line
ends, encodings, ragged rows, NULs) to a real file and scans it with the real engine: any
exception other than ``LeakscanError`` is a bug, and so is an error message that does not
name the file or spans several lines.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import leakscan
from leakscan.errors import LeakscanError
from tests.helpers import mobile, resident_id

#: Generated structures by the hundred (about a minute): the slow group, a step of .ci/run.
pytestmark = pytest.mark.slow

#: Each example scans a batch of files at once (a scan has a fixed set-up cost): one input's
#: failure is recorded on that input and must not disturb the others.
BATCH = 6
#: No shrinking: it re-runs whole scans and can take minutes; a failing batch is small anyway.
SETTINGS = settings(max_examples=20, deadline=None,
                    phases=[Phase.explicit, Phase.reuse, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", '"', '""', "\x00", "\r", "\n", "----", ":", "1.10101199001011E+17",
                     "张三", "臺北", "身份证号", "手机号"]),
    st.integers(0, 999).map(resident_id),
    st.integers(0, 9999).map(mobile),
)
rows = st.lists(st.lists(cells, min_size=1, max_size=6), max_size=25)


def _check(files: list[tuple[bytes, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for k, (data, suffix) in enumerate(files):
            paths.append(Path(tmp) / f"input{k}{suffix}")
            paths[-1].write_bytes(data)
        try:
            report = leakscan.scan(paths)
        except LeakscanError as e:
            message = str(e)
            assert "\n" not in message.strip(), message
            assert "input" in message, message  # names the file
            return
        doc = report.to_dict()
        assert len(doc["inputs"]) >= 1
        for inp in doc["inputs"]:
            assert inp["rows"] >= 0 and inp["rows_rejected"] >= 0
            assert "\n" not in inp.get("error", "")
        for path, (data, _) in zip(paths, files, strict=True):
            assert path.read_bytes() == data


suffixes = st.sampled_from([".csv", ".txt", ".dat", ".jsonl", ".json", ".gz", ".zip", ".xlsx"])


@SETTINGS
@given(files=st.lists(st.tuples(st.binary(max_size=3000), suffixes), min_size=BATCH,
                      max_size=BATCH))
def test_random_bytes_report_or_fail_clearly(files):
    _check(files)


table = st.tuples(rows, st.sampled_from([",", "\t", "|", ";", "----", ":"]),
                  st.sampled_from(['"', ""]), st.sampled_from(["\n", "\r\n", "\r"]),
                  st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "big5"]),
                  st.sampled_from([".csv", ".tsv", ".txt"]))


def _render(rows, delimiter, quote, newline, encoding, suffix) -> tuple[bytes, str]:
    lines = [delimiter.join(f"{quote}{c}{quote}" for c in row) for row in rows]
    return newline.join(lines).encode(encoding, errors="replace"), suffix


@SETTINGS
@given(tables=st.lists(table, min_size=BATCH, max_size=BATCH))
def test_random_delimited_structures_report_or_fail_clearly(tables):
    _check([_render(*t) for t in tables])
