"""Inputs as they really arrive (issue 3): the nasty-file corpus, archives, errors, exit codes.

The corpus is generated at test time by ``tests/corpus/make_corpus.py``; each file carries its
expected outcome. One scan of the whole corpus directory checks every readable case; the
failure cases each get their own scan because they decide the exit code.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile

import pytest
from click.testing import CliRunner

import leakscan
from leakscan import archives
from leakscan.cli import main
from leakscan.errors import ExitCode, LeakscanError, UsageError
from tests.corpus.make_corpus import (
    SCAN_WARNINGS,
    delimited,
    make_broken_zip,
    make_corpus,
    make_zip_bomb,
    people,
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    cases = make_corpus(root)
    before = {p: _state(p) for p in root.rglob("*") if p.is_file()}
    report = leakscan.scan([str(root)])
    return root, cases, report.to_dict(), before


def _state(path):
    st = os.stat(path)
    return hashlib.sha256(path.read_bytes()).hexdigest(), st.st_mtime_ns, st.st_size


def _inputs(root, doc):
    return {os.path.relpath(i["path"], root): i for i in doc["inputs"]}


@pytest.mark.slow
def test_every_corpus_file_is_an_input_with_its_expected_outcome(corpus):
    root, cases, doc, _ = corpus
    inputs = _inputs(root, doc)
    valid_ids = {}
    for c in doc["columns"]:
        if c["category"] == "cn_resident_id":
            key = os.path.relpath(c["input"], root)
            valid_ids[key] = valid_ids.get(key, 0) + c["valid"]
    problems = []
    for case in cases:
        got = inputs.get(case.path)
        if got is None:
            problems.append(f"{case.path}: not an input")
            continue
        want = {"rows": case.rows, "rows_rejected": case.rows_rejected,
                "encoding": case.encoding, "format": case.format, "error": case.error}
        have = {k: got.get(k) for k in want}
        if have != want:
            problems.append(f"{case.path}: {have} != {want}")
        if case.valid_ids is not None and valid_ids.get(case.path, 0) != case.valid_ids:
            problems.append(f"{case.path}: {valid_ids.get(case.path, 0)} valid IDs, "
                            f"expected {case.valid_ids}")
        if case.warning and not any(case.warning in w and case.path.split("!")[0] in w
                                    for w in doc["warnings"]):
            problems.append(f"{case.path}: no warning containing {case.warning!r}")
        if "archive" in case.extra:
            assert got["archive"]["path"].endswith(case.extra["archive"])
            assert len(got["archive"]["sha256"]) == 64
    assert not problems, "\n".join(problems)


def test_scan_wide_warnings_and_nothing_else_is_an_input(corpus):
    root, cases, doc, _ = corpus
    for needle in SCAN_WARNINGS:
        assert any(needle in w for w in doc["warnings"]), needle
    assert set(_inputs(root, doc)) == {c.path for c in cases}


def test_the_same_people_in_every_format_are_one_set_of_records(corpus):
    # Every well-formed file holds the same 20 people: across the case they deduplicate.
    _, _, doc, _ = corpus
    assert doc["categories"]["cn_resident_id"]["unique"] == 20


def test_inputs_are_never_modified(corpus):
    root, _, _, before = corpus
    after = {p: _state(p) for p in root.rglob("*") if p.is_file()}
    assert after == before  # same bytes, same mtime, and no file written next to them


def _scan_cli(*args):
    return CliRunner().invoke(main, ["scan", *[str(a) for a in args]])


def test_forced_encoding_is_used_and_reported(tmp_path):
    f = tmp_path / "gbk.csv"
    f.write_bytes(delimited(people()).encode("gbk"))
    doc = leakscan.scan([f], encoding="GBK").to_dict()
    assert doc["inputs"][0]["encoding"] == "gbk"
    assert doc["categories"]["cn_resident_id"]["valid"] == 20
    assert not any("guessed" in w for w in doc["warnings"])


def test_unknown_encoding_name_is_a_usage_error(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text(delimited(people()), encoding="utf-8")
    res = _scan_cli(f, "--encoding", "klingon")
    assert res.exit_code == ExitCode.USAGE and "--encoding 'klingon'" in res.output


def test_undecodable_bytes_are_replaced_counted_and_strict_fails(tmp_path):
    f = tmp_path / "damaged_gbk.csv"
    raw = delimited(people(200)).encode("gb18030")
    cut = raw.index(b"\n", 3000)
    f.write_bytes(raw[:cut] + b"\x81" + raw[cut:])  # a lead byte without its trail byte
    doc = leakscan.scan([f]).to_dict()
    assert doc["inputs"][0]["encoding"] == "gb18030"
    assert any("not valid gb18030" in w for w in doc["warnings"])
    res = _scan_cli(f, "--strict")
    assert res.exit_code == ExitCode.NOTHING_READABLE
    assert "not valid gb18030 at byte" in res.output and "--strict" in res.output


def test_strict_turns_rejected_rows_into_a_failure(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(delimited(people()), encoding="utf-8")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(delimited(people()) + "a,b,c,d,e\n", encoding="utf-8")
    out = tmp_path / "r.json"
    res = _scan_cli(good, ragged, "--strict", "--format", "json", "-o", out)
    assert res.exit_code == ExitCode.PARTIAL, res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert "--strict" in doc["inputs"][1]["error"] and "error" not in doc["inputs"][0]
    assert _scan_cli(ragged).exit_code == ExitCode.OK


def test_include_and_exclude_select_files_under_directories(tmp_path):
    for name in ("a.csv", "b.csv", "sub/c.csv", "notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(delimited(people()), encoding="utf-8")
    doc = leakscan.scan([tmp_path], include=["*.csv"], exclude=["sub/*"]).to_dict()
    assert [os.path.relpath(i["path"], tmp_path) for i in doc["inputs"]] == ["a.csv", "b.csv"]
    with pytest.raises(LeakscanError, match="no scannable files"):
        leakscan.scan([tmp_path], include=["*.xlsx"])


def test_zip_bomb_is_refused_and_the_rest_is_scanned(tmp_path):
    bomb = make_zip_bomb(tmp_path / "bomb.zip")
    good = tmp_path / "good.csv"
    good.write_text(delimited(people()), encoding="utf-8")
    out = tmp_path / "r.json"
    res = _scan_cli(good, bomb, "--format", "json", "-o", out)
    assert res.exit_code == ExitCode.PARTIAL
    doc = json.loads(out.read_text(encoding="utf-8"))
    member = doc["inputs"][1]
    assert member["path"].endswith("bomb.zip!bomb.csv") and "zip bomb" in member["error"]
    assert doc["records"]["unique"] == 20


def test_total_decompressed_bytes_are_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(archives, "MAX_DECOMPRESSED_BYTES", 2000)
    z = tmp_path / "two.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.csv", delimited(people()))
        zf.writestr("b.csv", delimited(people(60, 100)))
    doc = leakscan.scan([z]).to_dict()
    a, b = doc["inputs"]
    assert "error" not in a and "size cap" in b["error"]


BROKEN = [
    (lambda p: make_broken_zip(p / "broken.zip"), "not a readable zip archive"),
    (lambda p: _write(p / "truncated.parquet", b"PAR1" + os.urandom(300)), "truncated.parquet"),
    (lambda p: _write(p / "noise.csv", os.urandom(4000)), "cannot tell the text encoding"),
    (lambda p: _write(p / "broken.xlsx", b"PK\x03\x04" + os.urandom(500)),
     "not a readable workbook"),
    (lambda p: _write(p / "photo.csv", b"\x89PNG\r\n\x1a\n" + os.urandom(500)), "binary file"),
    (lambda p: _write(p / "bad.csv.gz", b"\x1f\x8b\x08\x00" + os.urandom(200)),
     "not a readable gzip file"),
]


def test_unreadable_inputs_are_named_with_their_reason_in_one_line_exit_4(tmp_path):
    # One scan for all of them (a scan has ~2 s of fixed cost); the CLI's stderr/stdout
    # split for a lone unreadable file is tested in test_cli.py.
    paths = [make(tmp_path) for make, _ in BROKEN]
    res = _scan_cli(*paths)
    assert res.exit_code == ExitCode.NOTHING_READABLE, res.output
    assert res.output.count("\n") == 1 and "Traceback" not in res.output
    for path, (_, needle) in zip(paths, BROKEN, strict=True):
        assert path.name in res.output and needle in res.output, needle


def test_unreadable_inputs_beside_a_good_one_exit_3_with_errors_in_the_report(tmp_path):
    paths = [make(tmp_path) for make, _ in BROKEN]
    good = tmp_path / "good.csv"
    good.write_text(delimited(people()), encoding="utf-8")
    out = tmp_path / "r.json"
    res = _scan_cli(good, *paths, "--format", "json", "-o", out)
    assert res.exit_code == ExitCode.PARTIAL
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert "error" not in doc["inputs"][0] and doc["records"]["unique"] == 20
    errors = [i.get("error", "") for i in doc["inputs"][1:]]
    assert all(errors) and all("\n" not in e for e in errors)
    assert len(res.output.strip().splitlines()) == len(BROKEN)  # one stderr line each


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file whatever its mode")
def test_permission_denied_names_the_file(tmp_path):
    f = tmp_path / "secret.csv"
    f.write_text(delimited(people()), encoding="utf-8")
    f.chmod(0)
    res = _scan_cli(f)
    assert res.exit_code == ExitCode.NOTHING_READABLE and "secret.csv" in res.output


def test_directory_with_nothing_readable_says_so(tmp_path):
    (tmp_path / ".hidden.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "blob.bin").write_bytes(b"\x7fELF" + bytes(100))
    res = _scan_cli(tmp_path)
    assert res.exit_code == ExitCode.NOTHING_READABLE
    assert "no scannable files" in res.output and res.output.count("\n") == 1


def test_missing_path_is_a_usage_error():
    with pytest.raises(UsageError, match="no such file or directory"):
        leakscan.scan(["/nonexistent/leak.csv"])


def test_json_array_streams_elements_across_chunks(tmp_path):
    import io

    from leakscan.readers import iter_json_array
    text = json.dumps([{"n": i, "s": "x" * (i % 7)} for i in range(500)] + [5])
    got = list(iter_json_array("x.json", io.StringIO(text), chunk=7))
    assert [v["n"] for _, v, _ in got[:-1]] == list(range(500))
    assert got[-1][1] == 5  # not an object: the writer rejects it with its line


@pytest.mark.parametrize("encoding", ["gb18030", "big5", "utf-16-le", "utf-8"])
def test_transcoding_is_exact_across_chunk_boundaries(encoding):
    import io

    from leakscan.encodings import detect, transcode

    text = "".join(f"陳大文{i},臺北市\r\n" if i % 2 else f"陳{i}\r" for i in range(400))
    raw = text.encode(encoding)
    det = detect("x", raw[:5000], truncated=True)
    assert det.encoding == encoding
    for chunk in (1, 7, 4096):  # boundaries inside characters and between \r and \n
        out = io.BytesIO()
        stats = transcode("x", io.BytesIO(raw), out, det, chunk=chunk)
        assert out.getvalue().decode("utf-8") == text.replace("\r\n", "\n").replace("\r", "\n")
        assert stats.replaced == 0


def test_unreadable_file_under_a_directory_is_named_and_the_rest_scanned(tmp_path):
    # A dangling link fails to open for every user, root included (unlike a chmod 000 file).
    (tmp_path / "good.csv").write_text(delimited(people()), encoding="utf-8")
    (tmp_path / "gone.csv").symlink_to(tmp_path / "deleted-before-the-scan.csv")
    doc = leakscan.scan([tmp_path], strict=True, encoding="utf-8").to_dict()
    gone = next(i for i in doc["inputs"] if i["path"].endswith("gone.csv"))
    assert gone["error"].startswith("cannot read: No such file or directory")
    assert doc["records"]["unique"] == 20
    assert doc["options"]["strict"] is True and doc["options"]["encoding"] == "utf-8"
