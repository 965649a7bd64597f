"""Foreign Permanent Resident ID Card numbers (issue 12, point 3): both forms, SQL = Python.

Truth comes from the generator below, which states the published structure independently of
the module: the 15-character form is 3 Latin letters and 12 digits; the 2023 form is ``9``,
16 digits and an ISO 7064 MOD 11-2 check character (weights 2^(17-i) mod 11, remainder r
mapped to ``(12 - r) % 11``, 10 written ``X``).
"""

from __future__ import annotations

import random
import string

import leakscan
from categorizers import foreign_pr_id as fpr
from leakscan.registry import default_registry
from tests.helpers import resident_id, write_csv

CAT = default_registry().get("foreign_pr_id")


def check_char(body17: str) -> str:
    """MOD 11-2, stated from its definition (not the module's table)."""
    r = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(body17)) % 11
    c = (12 - r) % 11
    return "X" if c == 10 else str(c)


def new_form(rng: random.Random, valid: bool = True) -> str:
    body = "9" + "".join(rng.choice(string.digits) for _ in range(16))
    c = check_char(body)
    if not valid:
        c = rng.choice([x for x in "0123456789X" if x != c])
    return body + c


def old_form(rng: random.Random) -> str:
    return ("".join(rng.choice(string.ascii_uppercase) for _ in range(3))
            + "".join(rng.choice(string.digits) for _ in range(12)))


def spelling(rng: random.Random, v: str) -> str:
    return rng.choice([v, v.lower(), f" {v} ", f"{v[:3]} {v[3:9]} {v[9:]}", f"{v[:6]}-{v[6:]}",
                       "".join(chr(ord(c) + 0xFEE0) for c in v)])


def test_generator_agrees_with_the_published_example_of_mod_11_2():
    # GB 11643's worked example (the same algorithm): 11010519491231002 -> X
    assert check_char("11010519491231002") == "X"


def test_python_matches_the_generator_on_12000_values():
    rng = random.Random(11)
    for k in range(12_000):
        kind = k % 3
        v = new_form(rng, True) if kind == 0 else new_form(rng, False) if kind == 1 \
            else old_form(rng)
        assert fpr.is_valid(spelling(rng, v)) == (kind != 1), v


EDGES = ["ABC123456789012", "AB1234567890123", "ABCD23456789012", "ABC12345678901",
         "ABC1234567890123", "abc123456789012", "ÀBC123456789012", "911010199001011238",
         "911010199001011230", "811010199001011238", "91101019900101123X", "91101019900101123x",
         "9110101990010112", "9" * 18, "", " ", None, "X", "ABC１２３４５６７８９０１２",
         "ABC-1234-5678-9012", "911010 19900101 1238", "9110101990010112388"]


def test_sql_agrees_with_python_on_generated_spellings_and_edge_cases(agree):
    rng = random.Random(5)
    values = []
    for k in range(10_000):
        v = (new_form(rng, rng.random() < 0.6) if k % 2 else old_form(rng))
        values.append(spelling(rng, v))
    agree(CAT, values + EDGES)


def test_spellings_of_one_number_are_one_value():
    forms = ["ABC123456789012", "abc 123456 789012", "ＡＢＣ１２３４５６７８９０１２",
             "ABC-123456789012"]
    assert {fpr.normalize(v) for v in forms} == {"ABC123456789012"}


def test_counted_under_its_header_and_never_on_values_alone(tmp_path):
    rng = random.Random(2)
    ids = [new_form(rng) for _ in range(6)] + [old_form(rng) for _ in range(4)]
    bad = new_form(rng, valid=False)
    rows = [[f"Person{k}", v] for k, v in enumerate(ids)] + [["Bad", bad], ["Blank", ""]]
    by_header = write_csv(tmp_path / "pr.csv", ["name", "永久居留身份证号码"], rows)
    doc = leakscan.scan([str(by_header)]).to_dict()
    col = next(c for c in doc["columns"] if c["column"] == "永久居留身份证号码")
    # 11 non-blank: 10 valid, the wrong check character invalid
    assert (col["category"], col["detected"], col["valid"]) == ("foreign_pr_id", 11, 10)
    assert doc["categories"]["foreign_pr_id"]["tier"] == "C"
    assert ids[0] not in str(doc)
    by_values = write_csv(tmp_path / "f.csv", ["f1", "f2"], rows)
    doc = leakscan.scan([str(by_values)]).to_dict()
    assert "foreign_pr_id" not in {c["category"] for c in doc["columns"]}


def test_a_resident_id_is_never_a_foreign_pr_id():
    # a citizen's number starts with its province code (1-8); the foreigner's with 9
    assert not any(fpr.is_valid(resident_id(k)) for k in range(200))
