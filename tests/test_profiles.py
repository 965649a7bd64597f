"""Layout profiles (``leakscan/profiles.py``): the 2013 hotel-register layout read by its
signature, a forced profile, the save/load round trip, and broken profile files.

Every expected count comes from the rows the test writes: 100 guests, each with a valid name,
resident ID and phone (``tests/helpers.py``) and a check-in time in ``Version``.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import leakscan
from leakscan import profiles
from leakscan.cli import main
from leakscan.errors import ExitCode
from leakscan.registry import default_registry
from tests.helpers import han_name, mobile, resident_id, write_csv

HOTEL = "cn-hotel-register-2013"
LAYOUT = ["Name", "CardNo", "Descriot", "CtfTp", "CtfId", "Gender", "Birthday", "Address",
          "Zip", "Dirty", "District1", "District2", "District3", "District4", "District5",
          "District6", "FirstNm", "LastNm", "Duty", "Mobile", "Tel", "Fax", "EMail", "Nation",
          "Taste", "Education", "Company", "CTel", "CAddress", "CZip", "Family", "Version",
          "id"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def guest(i: int) -> dict[str, str]:
    """One row of the register: the values a guest's row holds, the rest blank."""
    return {"Name": han_name(i, "王"), "CtfTp": "ID", "CtfId": resident_id(i),
            "Gender": "M" if i % 2 else "F", "Birthday": "19900101",
            "Mobile": mobile(i), "Version": f"2012-{1 + i % 12:02d}-{1 + i % 28:02d} 21:{i % 60:02d}:00",
            "id": str(1000 + i)}


@pytest.fixture
def register(tmp_path):
    rows = [[guest(i).get(c, "") for c in LAYOUT] for i in range(100)]
    return write_csv(tmp_path / "kfinfo.csv", LAYOUT, rows)


def columns(doc):
    return {c["column"]: (c["category"], c["method"]) for c in doc["columns"]}


def test_the_shipped_hotel_register_profile_has_a_source_and_its_signature():
    p = profiles.load(HOTEL, set(default_registry().ids()))
    assert p.signature == tuple(LAYOUT)
    assert "KfInfo.java" in p.source and "issue 12" in p.notes
    assert p.columns["Version"] == "accommodation" and p.columns["CtfTp"] is None


def test_a_file_in_the_hotel_register_layout_is_read_by_its_profile(register):
    """100 guests: Version is the check-in time, so each record is a tier-B stay (without
    the profile they would be 100 tier-C records: see the next test)."""
    res = run("scan", register, "--format", "json", "--explain")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert columns(doc)["Version"] == ("accommodation", "override")
    assert columns(doc)["CtfId"] == ("cn_resident_id", "override")
    assert "CtfTp" not in columns(doc) and "id" not in columns(doc)
    acc = doc["categories"]["accommodation"]
    assert (acc["detected"], acc["valid"]) == (100, 100)
    assert doc["records"]["unique"] == 100
    assert doc["tiers"] == {"A": 0, "B": 100, "C": 0}
    [applied] = doc["options"]["profiles"]
    assert applied["id"] == HOTEL and applied["applied"] == "signature"
    assert applied["inputs"] == [str(register)] and len(applied["sha256"]) == 64
    assert any(f"layout profile '{HOTEL}' applied" in w and "33 of 33" in w
               for w in doc["warnings"])
    assert f"by profile '{HOTEL}'" in res.stderr


def test_a_profile_whose_signature_does_not_match_is_not_applied(tmp_path):
    """Three of the layout's 33 columns are no match: Version is just a column, and the 100
    records are tier C."""
    rows = [[guest(i)[c] for c in ("Name", "Mobile", "Version")] for i in range(100)]
    f = write_csv(tmp_path / "other.csv", ["Name", "Mobile", "Version"], rows)
    doc = leakscan.scan([str(f)]).to_dict()
    assert "Version" not in columns(doc)
    assert doc["options"]["profiles"] == []
    assert doc["tiers"] == {"A": 0, "B": 0, "C": 100}


def test_profile_forces_a_layout_whatever_the_header(tmp_path):
    rows = [[guest(i)[c] for c in ("Name", "Mobile", "Version")] for i in range(100)]
    f = write_csv(tmp_path / "other.csv", ["Name", "Mobile", "Version"], rows)
    doc = leakscan.scan([str(f)], profiles=[HOTEL]).to_dict()
    assert columns(doc)["Version"] == ("accommodation", "override")
    assert doc["options"]["profiles"][0]["applied"] == "forced"
    assert doc["tiers"] == {"A": 0, "B": 100, "C": 0}


def test_a_column_override_wins_over_the_profile(register):
    doc = leakscan.scan([str(register)], columns=["Version=none"]).to_dict()
    assert "Version" not in columns(doc)
    assert doc["tiers"] == {"A": 0, "B": 0, "C": 100}


def test_save_profile_writes_the_overrides_and_profile_reads_them_back(tmp_path):
    """A shop's export whose last column holds check-in times under an opaque name: the
    examiner forces it once, saves the profile, and the next file is read the same way."""
    header = ["客户", "电话", "f7"]
    rows = [[han_name(i, "李"), mobile(i), f"2024-02-{1 + i:02d} 23:10:00"] for i in range(12)]
    first = write_csv(tmp_path / "a.csv", header, rows)
    saved = tmp_path / "shop-layout.toml"
    res = run("scan", first, "--column", "f7=accommodation", "--column", "客户=name",
              "--save-profile", saved, "--format", "json")
    assert res.exit_code == 0, res.output
    p = profiles.load(str(saved), set(default_registry().ids()))
    assert p.id == "shop-layout" and p.signature == tuple(header)
    assert p.columns == {"f7": "accommodation", "客户": "name"}
    second = write_csv(tmp_path / "b.csv", header, rows[:5])
    doc = json.loads(run("scan", second, "--profile", saved, "--format", "json").stdout)
    assert columns(doc)["f7"] == ("accommodation", "override")
    assert doc["tiers"] == {"A": 0, "B": 5, "C": 0}
    assert doc["options"]["profiles"][0]["file"] == str(saved)


def test_save_profile_needs_a_column_override(tmp_path):
    f = write_csv(tmp_path / "a.csv", ["姓名"], [[han_name(1)]])
    res = run("scan", f, "--save-profile", tmp_path / "p.toml")
    assert res.exit_code == ExitCode.USAGE and "--column" in res.stderr
    assert not (tmp_path / "p.toml").exists()


@pytest.mark.parametrize(("text", "says"), [
    ("id = \"x\"\ntitle = [", "not a valid profile"),  # not TOML
    ("id = \"x\"\ntitle = \"t\"\nsource = \"s\"\n[columns]\na = \"name\"", "[signature]"),
    ("id = \"x\"\ntitle = \"t\"\nsource = \"s\"\n[signature]\ncolumns = [\"a\"]\n"
     "[columns]\na = \"shoe_size\"", "unknown category 'shoe_size'"),
    ("id = \"X Y\"\ntitle = \"t\"\nsource = \"s\"\n[signature]\ncolumns = [\"a\"]\n"
     "[columns]\na = \"name\"", "'id'"),
    ("title = \"t\"\nsource = \"s\"", "'id'"),
    (b"\xff\xfe", "not a valid profile"),
])
def test_a_malformed_profile_is_one_line_and_exit_2(tmp_path, text, says):
    bad = tmp_path / "bad.toml"
    if isinstance(text, bytes):
        bad.write_bytes(text)
    else:
        bad.write_text(text, encoding="utf-8")
    f = write_csv(tmp_path / "a.csv", ["姓名"], [[han_name(1)]])
    res = run("scan", f, "--profile", bad)
    assert res.exit_code == ExitCode.USAGE
    assert says in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert "Traceback" not in res.stderr and str(bad) in res.stderr


def test_an_unknown_profile_id_is_a_usage_error(tmp_path):
    f = write_csv(tmp_path / "a.csv", ["姓名"], [[han_name(1)]])
    res = run("scan", f, "--profile", "no-such-layout")
    assert res.exit_code == ExitCode.USAGE and HOTEL in res.stderr


def test_profiles_lists_the_shipped_profiles():
    listed = json.loads(run("profiles", "--format", "json").stdout)
    assert [p["id"] for p in listed] == profiles.builtin_ids() == [HOTEL]
    assert listed[0]["columns"]["Version"] == "accommodation" and listed[0]["source"]
    assert HOTEL in run("profiles").stdout


def test_a_profile_gives_a_role(tmp_path):
    """A clinic's export with opaque headers: the profile says c2 is the treating doctor's
    name. Four visits of four patients with two doctors: the doctors' names are held by the
    role, so the diagnoses stay the patients' (4 tier-B records) and the doctors' names link
    no one (docs/counting.md, rule 2.4)."""
    layout = tmp_path / "clinic.toml"
    layout.write_text('id = "clinic"\ntitle = "A clinic export"\nsource = "the examiner"\n'
                      '[signature]\ncolumns = ["c1", "c2", "c3"]\n'
                      '[columns]\nc1 = "name"\nc2 = "name"\nc3 = "health"\n'
                      '[roles]\nc2 = "医生"\n', encoding="utf-8")
    rows = [[han_name(i, "刘"), han_name(i % 2, "孙"), "高血压"] for i in range(4)]
    f = write_csv(tmp_path / "visits.csv", ["c1", "c2", "c3"], rows)
    doc = leakscan.scan([str(f)], profiles=[str(layout)]).to_dict()
    roles = {c["column"]: c["role"] for c in doc["columns"]}
    assert roles == {"c1": None, "c2": "医生", "c3": None}
    assert doc["tiers"] == {"A": 0, "B": 4, "C": 0}
