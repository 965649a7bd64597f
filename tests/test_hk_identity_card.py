"""Hong Kong identity card: a categorizer added as a module only (issue 11, point 6).

Its SQL agrees with its plain-Python reference; and with no engine change it is found by
header and by values, inside free text, and links persons. Truth comes from the generator
below, which computes check characters from the published algorithm independently of the
module (weights 9..2, A = 10 ... Z = 35, a missing second letter 36, check 11 - sum % 11).
"""

from __future__ import annotations

import random
import string

import pytest

import leakscan
from categorizers import hk_identity_card as hkid
from leakscan import freetext
from leakscan.registry import default_registry
from tests.helpers import mobile, write_csv

REG = default_registry()
CAT = REG.get("hk_identity_card")


def reference_check(body: str) -> str:
    """Independent statement of the algorithm, for the test's truth."""
    vals = [36] if len(body) == 7 else []
    vals += [ord(c) - 55 if c.isalpha() else int(c) for c in body]
    r = sum(v * (9 - k) for k, v in enumerate(vals)) % 11
    return {0: "0", 1: "A"}.get(r, str(11 - r))


def make(rng: random.Random, valid: bool = True, letters: int | None = None) -> str:
    n = letters or rng.choice((1, 1, 1, 2))
    body = "".join(rng.choice(string.ascii_uppercase) for _ in range(n)) + \
        "".join(rng.choice(string.digits) for _ in range(6))
    check = reference_check(body)
    if not valid:
        check = rng.choice([c for c in "0123456789A" if c != check])
    return f"{body}({check})"


def test_published_examples():
    # the worked examples of the algorithm's public statements
    assert [hkid.is_valid(v) for v in ("A123456(3)", "E364912(5)", "D288754(2)")] == [True] * 3
    assert reference_check("A123456") == "3" and reference_check("E364912") == "5"


def test_python_matches_the_generator_on_12000_values():
    rng = random.Random(3)
    for k in range(12_000):
        v = make(rng, valid=k % 3 != 0)
        assert hkid.is_valid(v) == (k % 3 != 0), v


def spellings(rng: random.Random, v: str) -> str:
    body, check = v[:-3], v[-2]
    return rng.choice([v, f"{body}{check}", f"{body} ({check})", v.lower(), f" {v} ",
                       v.replace("(", "（").replace(")", "）"), f"{body}-{check}",
                       "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in v)])


EDGES = ["A123456(3)", "A123456(4)", "A1234563", "a123456(3)", "AB987654(3)", "AB987654(A)",
         "ABC987654(3)", "A12345(3)", "A1234567(3)", "1123456(3)", "A123456()", "A123456(B)",
         "A123456(３)", "Ａ１２３４５６（３）", "", " ", None, "(", "A(", "G123456A", "Z999999(9)",
         "É123456(3)", "A١٢٣٤٥٦(3)", "A123456(3)x", "x", "000000000"]


def test_sql_agrees_with_python_on_generated_spellings_and_edge_cases(agree):
    rng = random.Random(5)
    values = [spellings(rng, make(rng, valid=rng.random() < 0.7)) for _ in range(10_000)]
    agree(CAT, values + EDGES)


def test_normalised_spellings_are_one_value():
    forms = ["A123456(3)", "a123456 (3)", "A1234563", "Ａ１２３４５６（３）", "A123456-3"]
    assert {hkid.normalize(v) for v in forms} == {"A123456(3)"}


def _ids(n: int, seed: int = 9) -> list[str]:
    rng = random.Random(seed)
    return [make(rng) for _ in range(n)]


def test_found_by_header_and_by_values(tmp_path):
    ids = _ids(20)
    by_header = write_csv(tmp_path / "a.csv", ["姓名", "香港身份证号码"],
                          [[f"陈{chr(0x4E00 + k)}", v] for k, v in enumerate(ids)])
    by_values = write_csv(tmp_path / "b.csv", ["f1", "f2"],
                          [[str(k), v.replace("(", "").replace(")", "")]
                           for k, v in enumerate(ids)])
    for f, method in ((by_header, "header+values"), (by_values, "values")):
        doc = leakscan.scan([str(f)]).to_dict()
        col = next(c for c in doc["columns"] if c["category"] == "hk_identity_card")
        assert (col["method"], col["valid"]) == (method, 20)
        assert doc["categories"]["hk_identity_card"]["unique"] == 20
        assert doc["categories"]["hk_identity_card"]["tier"] == "C"
        assert ids[0] not in str(doc)  # samples are masked


def test_found_inside_free_text_and_links_persons(tmp_path):
    a, b = _ids(2, seed=4)
    bad = a[:-2] + ("1" if a[-2] != "1" else "2") + ")"
    rows = [
        [mobile(1), f"客户证件{a}，已核实"],   # valid, bracketed
        [mobile(2), f"证件（{b[:-3]}（{b[-2]}））"],  # full-width brackets, folded
        [mobile(3), f"证件号{bad}"],           # wrong check: detected, not valid
        [mobile(4), f"编号9{a}"],              # touches a digit: no candidate
        [mobile(5), f"客户证件{a}"],            # the same card as row 1
    ]
    f = write_csv(tmp_path / "notes.csv", ["手机号", "备注"], rows)
    doc = leakscan.scan([str(f)]).to_dict()
    col = next(c for c in doc["columns"]
               if c["column"] == "备注" and c["category"] == "hk_identity_card")
    assert (col["detected"], col["valid"], col["embedded"]) == (4, 3, True)
    assert doc["categories"]["hk_identity_card"]["unique"] == 2
    # five distinct phones; rows 1 and 5 share a Hong Kong ID: four persons
    assert doc["records"]["unique"] == 5
    assert doc["subjects"]["estimated"] == 4
    assert "Hong Kong identity card" in doc["subjects"]["method"]


def test_python_reference_of_free_text_finds_the_same(tmp_path):
    a = _ids(1, seed=4)[0]
    found = freetext.embedded(f"客户证件{a}，电话{mobile(1)}", REG)
    assert ("hk_identity_card", a, True) in found
    assert freetext.embedded(f"编号9{a}", REG) == []


@pytest.mark.parametrize("name", ["LINKS_PERSONS", "FREE_TEXT", "ROLE_WORDS"])
def test_declares_its_capabilities(name):
    assert hasattr(hkid, name)
