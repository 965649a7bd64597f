"""Itemised evidence (--evidence-out, --duplicates-out): one row per counted record, row
numbers as a person opening the file counts them, masked values, spreadsheet-safe CSV.

Every expected number is worked out from the rows the test writes; the files are real, the
scan is the real one, and the evidence files are read back with DuckDB / pyarrow / csv.
"""

from __future__ import annotations

import csv
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import leakscan
from leakscan.cli import main
from leakscan.evidence import spreadsheet_safe
from leakscan.registry import default_registry
from tests.helpers import bank_card, han_name, mobile, resident_id, write_csv


def read_evidence(path):
    if str(path).endswith(".parquet"):
        return pq.read_table(path).to_pylist()
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def unquote(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


def _files(tmp_path):
    # one.csv: rows 1 and 3 are the same record; row 4 has no valid identifier.
    one = write_csv(tmp_path / "one.csv", ["姓名", "身份证号", "手机号"], [
        [han_name(1), resident_id(1), mobile(1)],
        [han_name(2), resident_id(2), mobile(2)],
        [han_name(1), resident_id(1), mobile(1)],
        ["", "110105199013010016", ""],
        [han_name(3), resident_id(3), mobile(3)],
    ])
    # two.csv (other column order): its row 2 repeats one.csv row 2; row 3 its own row 1.
    two = write_csv(tmp_path / "two.csv", ["mobile", "name", "银行卡号"], [
        [mobile(7), han_name(7), bank_card(7)],
        [mobile(2), han_name(2), ""],
        [mobile(7), han_name(7), bank_card(7)],
    ])
    return one, two


CASES = [  # (options, expected unique) worked out from _files
    ({}, 5),  # one.csv: 3 unique of 4 PI rows; two.csv: 2 unique (row 2 is not one.csv row 2:
    #           that one has an ID too, so the keys differ)
    ({"scope": "input"}, 5),
    ({"dedup": "none"}, 7),
]


@pytest.mark.parametrize("ext", ["csv", "parquet"])
@pytest.mark.parametrize("options,unique", CASES, ids=["case", "input", "dedup-none"])
def test_evidence_has_one_row_per_counted_record(tmp_path, ext, options, unique):
    out = tmp_path / f"evidence.{ext}"
    doc = leakscan.scan([str(p) for p in _files(tmp_path)], evidence_out=str(out),
                        **options).to_dict()
    assert doc["records"]["unique"] == unique
    rows = read_evidence(out)
    assert len(rows) == doc["records"]["unique"] == doc["evidence"]["evidence"]["rows"]
    assert sum(1 for r in rows if r["tier"] == "A") == doc["tiers"]["A"]


def test_row_numbers_are_data_rows_in_file_order(tmp_path):
    one, two = _files(tmp_path)
    out = tmp_path / "e.csv"
    leakscan.scan([str(one), str(two)], evidence_out=str(out))
    got = [(r["input"], int(r["row"])) for r in read_evidence(out)]
    # one.csv: rows 1, 2, 5 (3 duplicates 1; 4 is not personal information);
    # two.csv: rows 1, 2 (3 duplicates 1).
    assert got == [(str(one), 1), (str(one), 2), (str(one), 5), (str(two), 1), (str(two), 2)]


def test_row_numbers_follow_the_file_in_a_large_input(tmp_path):
    # 30,000 rows, each with its own phone: evidence row k must hold the phone written at k.
    n = 30_000
    f = write_csv(tmp_path / "big.csv", ["序号", "手机号"],
                  [[str(k), f"139{k:08d}"] for k in range(1, n + 1)])
    out = tmp_path / "e.parquet"
    leakscan.scan([str(f)], evidence_out=str(out), unmasked=True)
    t = pq.read_table(out)
    assert t.num_rows == n
    rows, phones = t.column("row").to_pylist(), t.column("phone").to_pylist()
    assert rows == list(range(1, n + 1))
    assert all(p == f"+86139{k:08d}" for k, p in zip(rows, phones, strict=True))


def test_row_numbers_in_parquet_inputs(tmp_path):
    f = tmp_path / "in.parquet"
    pq.write_table(pa.table({"手机号": [mobile(k) for k in range(5)] + [""]}), f)
    out = tmp_path / "e.csv"
    leakscan.scan([str(f)], evidence_out=str(out), unmasked=True)
    assert [(int(r["row"]), unquote(r["phone"])) for r in read_evidence(out)] == \
        [(k + 1, "+86" + mobile(k)) for k in range(5)]


def test_headerless_file_counts_its_first_line_as_row_1(tmp_path):
    f = write_csv(tmp_path / "sms.csv", None, [[mobile(k), resident_id(k)] for k in range(40)])
    out = tmp_path / "e.csv"
    doc = leakscan.scan([str(f)], evidence_out=str(out), unmasked=True).to_dict()
    assert doc["inputs"][0]["dialect"]["header"] is False
    rows = read_evidence(out)
    assert [int(r["row"]) for r in rows] == list(range(1, 41))
    assert unquote(rows[0]["phone"]) == "+86" + mobile(0)


def test_duplicates_out_lists_each_dropped_row_with_the_row_it_duplicates(tmp_path):
    one, two = _files(tmp_path)
    dups = tmp_path / "d.csv"
    doc = leakscan.scan([str(one), str(two)], duplicates_out=str(dups)).to_dict()
    got = [(r["input"], int(r["row"]), r["duplicate_of_input"], int(r["duplicate_of_row"]))
           for r in read_evidence(dups)]
    assert got == [(str(one), 3, str(one), 1), (str(two), 3, str(two), 1)]
    assert len(got) == doc["records"]["duplicates"]


def test_duplicates_across_inputs_point_to_the_first_input(tmp_path):
    a = write_csv(tmp_path / "a.csv", ["姓名", "手机号"], [[han_name(1), mobile(1)]])
    b = write_csv(tmp_path / "b.csv", ["手机号", "姓名"], [[mobile(5), han_name(5)],
                                                          [mobile(1), han_name(1)]])
    dups = tmp_path / "d.parquet"
    doc = leakscan.scan([str(a), str(b)], duplicates_out=str(dups)).to_dict()
    assert read_evidence(dups) == [{"input": str(b), "row": 2, "duplicate_of_input": str(a),
                                    "duplicate_of_row": 1}]
    # scope=input: nothing is a duplicate of a row in another input
    doc = leakscan.scan([str(a), str(b)], duplicates_out=str(dups), scope="input").to_dict()
    assert read_evidence(dups) == [] and doc["records"]["duplicates"] == 0


@pytest.mark.slow
def test_counts_are_the_same_with_and_without_evidence(tmp_path):
    paths = [str(p) for p in _files(tmp_path)]
    for options in ({}, {"scope": "input"}, {"dedup": "none"}):
        plain = leakscan.scan(paths, **options).to_dict()
        with_ev = leakscan.scan(paths, evidence_out=str(tmp_path / "e.csv"),
                                duplicates_out=str(tmp_path / "d.csv"), **options).to_dict()
        for key in ("inputs", "columns", "categories", "records", "tiers", "subjects",
                    "assessments"):
            assert plain[key] == with_ev[key], key


def test_evidence_is_masked_and_spreadsheet_safe(tmp_path):
    one, two = _files(tmp_path)
    out = tmp_path / "e.csv"
    leakscan.scan([str(one), str(two)], evidence_out=str(out))
    text = out.read_text(encoding="utf-8")
    for k in (1, 2, 3, 7):
        assert resident_id(k) not in text and mobile(k) not in text
    assert bank_card(7) not in text
    with open(out, encoding="utf-8", newline="") as f:
        cells = [c for row in csv.reader(f) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    # the phone column is masked by the phone categorizer's mask(), then made safe
    phone = default_registry().get("phone")
    rows = read_evidence(out)
    assert rows[0]["phone"] == spreadsheet_safe(phone.mask("+86" + mobile(1)))


def test_formula_like_cells_are_neutralised():
    for cell in ("=cmd|' /C calc'!A0", "+86 138****8000", "-1", "@SUM(A1)", "\t=1"):
        assert spreadsheet_safe(cell).startswith("'")
    assert spreadsheet_safe("张**") == "张**"


def test_unmasked_writes_full_values_and_warns(tmp_path):
    one, two = _files(tmp_path)
    out = tmp_path / "e.csv"
    res = CliRunner().invoke(main, ["scan", str(one), str(two), "--evidence-out", str(out),
                                    "--unmasked", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert "WARNING" in res.stderr and "unmasked" in res.stderr
    assert resident_id(1) in out.read_text(encoding="utf-8")
    doc = json.loads(res.stdout)
    assert doc["evidence"]["evidence"]["masked"] is False
    assert resident_id(1) not in res.stdout  # the report itself stays masked


def test_evidence_file_name_must_say_its_format(tmp_path):
    f = write_csv(tmp_path / "a.csv", ["手机号"], [[mobile(1)]])
    res = CliRunner().invoke(main, ["scan", str(f), "--evidence-out", str(tmp_path / "e.txt")])
    assert res.exit_code == 2 and ".parquet or .csv" in res.stderr


def test_rows_duckdb_rejects_keep_their_numbers(tmp_path):
    # 30 data rows; rows 5, 12 and 13 have too many fields and are rejected. The others keep
    # the numbers a person opening the file sees.
    bad = {5, 12, 13}
    lines = ["姓名,手机号"]
    for k in range(1, 31):
        lines.append(f"{han_name(k)},{mobile(k)}" + (",x,y" if k in bad else ""))
    f = tmp_path / "rej.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "e.csv"
    doc = leakscan.scan([str(f)], evidence_out=str(out), unmasked=True).to_dict()
    assert doc["inputs"][0]["rows_rejected"] == len(bad)
    got = {int(r["row"]): unquote(r["phone"]) for r in read_evidence(out)}
    assert got == {k: "+86" + mobile(k) for k in range(1, 31) if k not in bad}
