"""Organisation identifiers (unified social credit codes) are recognised and excluded."""

from __future__ import annotations

import random

import leakscan
from categorizers import cn_uscc
from leakscan.registry import default_registry
from tests.helpers import han_name, mobile, write_csv

REG = default_registry()


def uscc_code(rng: random.Random, valid: bool = True) -> str:
    body = "91" + f"{rng.randrange(10**6):06d}" + "".join(rng.choice(cn_uscc.ALPHABET)
                                                          for _ in range(9))
    total = sum(cn_uscc.ALPHABET.index(c) * w for c, w in zip(body, cn_uscc.WEIGHTS,
                                                               strict=True))
    check = cn_uscc.ALPHABET[(31 - total % 31) % 31]
    if not valid:
        check = cn_uscc.ALPHABET[(cn_uscc.ALPHABET.index(check) + 1) % 31]
    return body + check


def test_sql_agrees_with_stdnum_reference(agree):
    rng = random.Random(4)
    values = [uscc_code(rng, valid=rng.random() < 0.7) for _ in range(3000)]
    values += [v.lower() for v in values[:300]] + [v[:9] + " " + v[9:] for v in values[:300]]
    values += ["".join(rng.choice("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(18))
               for _ in range(1000)]
    agree(REG.get("cn_uscc"), values)


def test_known_code():
    assert cn_uscc.is_valid("91110000600037341L")
    assert not cn_uscc.is_valid("91110000600037341M")


def test_codes_are_excluded_from_every_count(tmp_path):
    rng = random.Random(8)
    rows = [[han_name(i), mobile(i), uscc_code(rng)] for i in range(20)]
    with_codes = write_csv(tmp_path / "staff.csv", ["姓名", "手机号", "统一社会信用代码"], rows)
    without = write_csv(tmp_path / "plain.csv", ["姓名", "手机号"], [r[:2] for r in rows])
    a = leakscan.scan([str(with_codes)]).to_dict()
    b = leakscan.scan([str(without)]).to_dict()
    for key in ("records", "tiers", "categories", "subjects"):
        assert a[key] == b[key], key
    assert [(c["column"], c["category"], c["valid"]) for c in a["excluded"]] == \
        [("统一社会信用代码", "cn_uscc", 20)]
    assert all("*" in s for s in a["excluded"][0]["sample"])


def test_code_column_without_header_is_recognised_by_values(tmp_path):
    rng = random.Random(2)
    rows = [[mobile(i), uscc_code(rng)] for i in range(30)]
    doc = leakscan.scan([str(write_csv(tmp_path / "x.csv", None, rows))]).to_dict()
    assert [c["category"] for c in doc["excluded"]] == ["cn_uscc"]
    assert [c["category"] for c in doc["columns"]] == ["phone"]
    assert doc["records"]["unique"] == 30
