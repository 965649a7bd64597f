"""Issue 15: hostile inputs and faults. Every input is attacker-written; the examiner's files
are evidence. One test (at least) per item of the issue; inputs are generated here, signals are
real signals sent to a real child process, the full disk is a real 64 KB tmpfs (root only).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from leakscan import inert
from leakscan.cli import main
from tests.helpers import han_name, mobile, resident_id, write_csv

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX files, signals and FIFOs")


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, env=env)


def sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture
def people(tmp_path) -> Path:
    path = tmp_path / "people.csv"
    write_csv(path, ["姓名", "身份证号", "手机号"],
              [[han_name(i), resident_id(i), mobile(i)] for i in range(20)])
    return path


def child(*args, env=None, **kw):
    """``python -m leakscan ...`` in a child process (stdin closed)."""
    return subprocess.Popen([sys.executable, "-m", "leakscan", *map(str, args)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, **(env or {})}, **kw)


# -- data loss: outputs -----------------------------------------------------------------------
@pytest.mark.parametrize("option", ["-o", "--evidence-out", "--duplicates-out"])
def test_an_output_naming_the_input_is_refused_and_the_input_kept(people, option):
    before = sha(people)
    res = run("scan", people, "--format", "json", option, people)
    assert res.exit_code == 2 and "refusing to overwrite evidence" in res.output
    assert sha(people) == before


def test_outputs_are_compared_by_inode_and_resolved_path(people, tmp_path):
    os.link(people, tmp_path / "hard.csv")
    (tmp_path / "soft.csv").symlink_to(people)
    for alias in ("hard.csv", "soft.csv"):
        res = run("scan", people, "--evidence-out", tmp_path / alias)
        assert res.exit_code == 2 and "is the input" in res.output, res.output
    res = run("scan", people, "-o", tmp_path / "x" / ".." / "people.csv")
    assert res.exit_code == 2


def test_an_output_inside_a_scanned_directory_is_refused(people, tmp_path):
    res = run("scan", tmp_path, "-o", tmp_path / "report.json")
    assert res.exit_code == 2 and "inside the scanned directory" in res.output
    assert not (tmp_path / "report.json").exists()


def test_two_outputs_naming_one_file_are_refused(people, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    res = run("scan", people, "--format", "json", "-o", out / "e.csv",
              "--evidence-out", out / "e.csv")
    assert res.exit_code == 2 and "is also -o" in res.output
    res = run("scan", people, "--evidence-out", out / "e.csv", "--duplicates-out",
              out / "e.csv")
    assert res.exit_code == 2 and not (out / "e.csv").exists()


def test_outputs_are_checked_before_anything_is_read(tmp_path):
    """The input is a FIFO nobody writes to: reading it would block forever, so an exit
    within the timeout proves the options and outputs were refused before the scan."""
    fifo = tmp_path / "stream.csv"
    os.mkfifo(fifo)
    cases = [["-o", tmp_path / "missing" / "r.json"], ["-o", tmp_path],
             ["--memory-limit", "lots"], ["--illegal-income", "5,00"],
             ["--evidence-out", "/dev/stdout"]]
    for extra in cases:
        p = child("scan", fifo, *extra)
        out, err = p.communicate(timeout=60)
        assert p.returncode == 2, (extra, err)
        assert b"Traceback" not in err and b".part" not in err
    p = child("scan", fifo, env={"SOURCE_DATE_EPOCH": "9" * 30})
    assert p.wait(timeout=60) == 2


def test_o_dev_stdout_is_written_through(people):
    p = child("scan", people, "--format", "json", "-o", "/dev/stdout")
    out, err = p.communicate(timeout=120)
    assert p.returncode == 0, err
    assert json.loads(out)["records"]["unique"] == 20  # through the pipe, not a new file
    assert not any(Path("/dev").glob(".leakscan-*"))


def test_a_full_device_is_a_clear_error_naming_the_path(people):
    res = run("scan", people, "--format", "json", "-o", "/dev/full")
    assert res.exit_code == 2
    assert "/dev/full: cannot write" in res.output and ".part" not in res.output


@pytest.fixture
def tiny_disk(tmp_path):
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs",
                                            str(mnt)], capture_output=True).returncode:
        pytest.skip("needs root to mount a 64 KB tmpfs")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_evidence_on_a_full_disk_leaves_nothing_and_names_the_file(tmp_path, tiny_disk):
    big = tmp_path / "big.csv"
    write_csv(big, ["身份证号", "手机号"], [[resident_id(i), mobile(i)] for i in range(5000)])
    res = run("scan", big, "--evidence-out", tiny_disk / "evidence.csv", "--unmasked")
    assert res.exit_code == 2, res.output
    assert f"{tiny_disk / 'evidence.csv'}: cannot write: no space left" in res.output
    assert ".part" not in res.output and os.listdir(tiny_disk) == []


def test_evidence_is_renamed_into_place_and_owner_only(people, tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    res = run("scan", people, "--format", "json", "-o", out / "r.json", "--unmasked",
              "--evidence-out", out / "ev.csv", "--duplicates-out", out / "dup.parquet")
    assert res.exit_code == 0, res.output
    assert sorted(os.listdir(out)) == ["dup.parquet", "ev.csv", "r.json"]
    for name in ("ev.csv", "dup.parquet", "r.json"):
        assert stat.S_IMODE(os.stat(out / name).st_mode) & 0o077 == 0, name
    doc = json.loads((out / "r.json").read_text(encoding="utf-8"))
    assert doc["evidence"]["evidence"]["path"] == str(out / "ev.csv")
    assert doc["evidence"]["evidence"]["sha256"] == sha(out / "ev.csv")


# -- signals ----------------------------------------------------------------------------------
@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129),
                                       (signal.SIGINT, 130)])
def test_signals_remove_the_temporary_directory(tmp_path, sig, code):
    """A GBK dump is transcoded to a plaintext UTF-8 copy in the temporary directory; the
    signal arrives while the scan runs, and nothing may be left behind."""
    dump = tmp_path / "dump.csv"
    lines = [f"{han_name(i % 500)},{resident_id(i)},{mobile(i)}\n" for i in range(150_000)]
    dump.write_bytes(("姓名,身份证号,手机号\n" + "".join(lines)).encode("gb18030"))
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    p = child("scan", dump, "--evidence-out", out / "ev.csv", "--threads", "1",
              env={"TMPDIR": str(tmp)})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and p.poll() is None:
        if any(f for d in tmp.glob("leakscan-*/inputs") for f in d.iterdir()):
            break
        time.sleep(0.02)
    assert p.poll() is None, "the scan ended before the signal could be sent"
    time.sleep(0.2)
    p.send_signal(sig)
    _, err = p.communicate(timeout=60)
    assert p.returncode == code, err
    assert b"Traceback" not in err and b"no report written" in err
    assert list(tmp.iterdir()) == [] and list(out.iterdir()) == []


# -- inputs that crashed or hung --------------------------------------------------------------
def test_headers_differing_only_by_case_are_two_columns(tmp_path):
    path = tmp_path / "case.csv"
    write_csv(path, ["Phone", "phone"], [[mobile(i), mobile(i + 100)] for i in range(10)])
    res = run("scan", path, "--format", "json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert [c["column"] for c in doc["columns"]] == ["Phone", "phone_2"]
    assert doc["categories"]["phone"]["valid"] == 20


def test_a_lone_surrogate_in_json_is_one_invalid_value(tmp_path):
    path = tmp_path / "s.json"
    records = [{"name": "\ud800", "phone": mobile(1)}, {"name": "x", "phone": mobile(2)}]
    path.write_text(json.dumps(records), encoding="utf-8")  # ensure_ascii: "\\ud800" escaped
    res = run("scan", path, "--format", "json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["inputs"][0]["rows"] == 2 and doc["categories"]["phone"]["valid"] == 2


def test_a_file_name_that_is_not_utf8_is_read_and_shown_escaped(tmp_path):
    name = os.fsdecode(b"\xb7\xd6\x1b[2J.csv")  # GBK bytes and an escape sequence
    write_csv(tmp_path / name, ["手机号"], [[mobile(i)] for i in range(5)])
    for fmt in ("table", "json", "markdown", "html"):
        res = run("scan", tmp_path / name, "--format", fmt)
        assert res.exit_code == 0, res.output
        assert "\x1b" not in res.output and not inert.has_unsafe(res.output.replace("\n", ""))
    assert "\\xb7\\xd6\\x1b[2J.csv ::" in run("scan", tmp_path / name, "--explain").output


def test_a_symlink_loop_is_an_input_error(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    res = run("scan", tmp_path / "a")
    assert res.exit_code == 4 and "symbolic links" in res.output


def test_a_parquet_column_named_file_row_number_is_an_input_error(tmp_path, people):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"file_row_number": ["1", "2"], "手机号": [mobile(1), mobile(2)]}),
                   tmp_path / "frn.parquet")
    out = tmp_path / "o"
    out.mkdir()
    res = run("scan", tmp_path / "frn.parquet", people, "--evidence-out", out / "e.csv")
    assert res.exit_code == 3 and "file_row_number" in res.output
    assert run("scan", tmp_path / "frn.parquet").exit_code == 0


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_named_as_input_is_refused_at_once(device):
    p = child("scan", device)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 4 and b"device" in err


def test_special_files_and_links_out_of_a_directory_are_skipped(tmp_path, people):
    d = tmp_path / "d"
    d.mkdir()
    write_csv(d / "in.csv", ["手机号"], [[mobile(i)] for i in range(7)])
    os.mkfifo(d / "fifo.csv")
    (d / "outside.csv").symlink_to(people)
    (d / "inside.csv").symlink_to(d / "in.csv")  # inside the tree, and the same file
    os.link(d / "in.csv", d / "hard.csv")
    p = child("scan", d, "--format", "json")
    out, err = p.communicate(timeout=120)
    assert p.returncode == 0, err
    doc = json.loads(out)
    assert [i["path"] for i in doc["inputs"]] == [str(d / "hard.csv")]
    text = " ".join(doc["warnings"])
    assert "fifo.csv" in text and "outside.csv" in text
    followed = json.loads(run("scan", d, "--format", "json", "--follow-links").stdout)
    assert followed["records"]["unique"] == 7 + 20 and followed["options"]["follow_links"]


# -- silent wrong counts ----------------------------------------------------------------------
def test_a_zip_with_two_members_of_one_name_reads_both(tmp_path):
    import warnings
    import zipfile

    path = tmp_path / "twice.zip"
    first = "手机号\n" + "".join(f"{mobile(i)}\n" for i in range(3))
    second = "手机号\n" + "".join(f"{mobile(i)}\n" for i in range(100, 105))
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w") as zf:
        warnings.simplefilter("ignore")  # zipfile warns "Duplicate name", as it should
        zf.writestr("a.csv", first)
        zf.writestr("a.csv", second)
    doc = json.loads(run("scan", path, "--format", "json").stdout)
    assert [i["rows"] for i in doc["inputs"]] == [3, 5]
    assert doc["records"]["unique"] == 8
    assert any("more than one member of this name" in w for w in doc["warnings"])


def test_a_header_line_longer_than_the_sample_is_read(tmp_path):
    """1,000 columns whose header is ~300 KB: longer than the 256 KB sniffed sample."""
    path = tmp_path / "wide_header.csv"
    names = [f"备注字段{'x' * 290}{k}" for k in range(1000)] + ["手机号"]
    write_csv(path, names, [["" for _ in range(1000)] + [mobile(i)] for i in range(4)])
    assert len(path.read_bytes().split(b"\n")[0]) > 256 * 1024
    doc = json.loads(run("scan", path, "--format", "json").stdout)
    assert doc["inputs"][0]["rows"] == 4 and doc["categories"]["phone"]["valid"] == 4
