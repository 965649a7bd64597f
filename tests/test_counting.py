"""Counting semantics pinned by hand-computed numbers (docs/counting.md, report spec).

Every expected number below is worked out from the rows the test writes; thresholds are read
from the ruleset files, never typed here.
"""

from __future__ import annotations

import pytest

import leakscan
from leakscan import rulesets
from tests.helpers import bank_card, broken_id, han_name, mobile, resident_id, write_csv

CL253 = rulesets.load("cn-cl253-1-2017")
SERIOUS = CL253.levels[0].thresholds  # {"A": 50, "B": 500, "C": 5000} from the TOML file


def scan(paths, **kw):
    return leakscan.scan([str(p) for p in paths], **kw).to_dict()


def assessment(doc, rid="cn-cl253-1-2017"):
    return next(a for a in doc["assessments"] if a["ruleset"] == rid)


def test_same_person_in_different_spellings_is_one_record(tmp_path):
    pid = resident_id(1)
    f = write_csv(tmp_path / "people.csv", ["姓名", "身份证号", "手机号"], [
        ["张三", pid, "13800138000"],
        ["张三", pid.lower() if pid.endswith("X") else pid, "+86 138-0013-8000"],
        ["张 三", " ".join([pid[:6], pid[6:14], pid[14:]]), "１３８００１３８０００"],
        ["张三", pid, "0086 13800138000"],
    ])
    doc = scan([f])
    # 4 rows, all personal information; after normalisation all 4 tuples are
    # (张三, <pid>, +8613800138000): 1 unique record, 3 duplicates.
    assert doc["records"] == {"total": 4, "with_personal_info": 4, "duplicates": 3, "unique": 1}
    assert doc["categories"]["phone"]["unique"] == 1
    assert doc["categories"]["cn_resident_id"]["unique"] == 1
    assert doc["subjects"]["estimated"] == 1


def test_x_check_digit_in_lower_case_is_the_same_id(tmp_path):
    pid = "11010519491231002X"  # python-stdnum's documented valid example
    f = write_csv(tmp_path / "ids.csv", ["身份证号"], [[pid], [pid.lower()]])
    doc = scan([f])
    assert doc["categories"]["cn_resident_id"]["valid"] == 2
    assert doc["records"]["unique"] == 1


def test_invalid_checksums_are_never_counted(tmp_path):
    rows = [[resident_id(i)] for i in range(6)] + [[broken_id(i)] for i in range(10, 14)]
    f = write_csv(tmp_path / "ids.csv", ["身份证号"], rows)
    doc = scan([f])
    cat = doc["categories"]["cn_resident_id"]
    # 10 cells, 6 valid; the 4 broken IDs are neither values nor records.
    assert (cat["detected"], cat["valid"], cat["unique"], cat["records"]) == (10, 6, 6, 6)
    assert doc["records"]["total"] == 10
    assert doc["records"]["with_personal_info"] == 6
    assert doc["tiers"] == {"A": 0, "B": 0, "C": 6}


def test_bank_card_record_is_tier_a_and_phone_only_record_is_tier_c(tmp_path):
    f = write_csv(tmp_path / "mixed.csv", ["姓名", "银行卡号", "手机号"], [
        ["李四", bank_card(1), mobile(1)],
        ["王五", "", mobile(2)],
    ])
    doc = scan([f])
    assert doc["tiers"] == {"A": 1, "B": 0, "C": 1}
    assert doc["categories"]["bank_card"]["records"] == 1
    assert doc["categories"]["phone"]["records"] == 2


def test_attribute_without_identifier_is_not_personal_information(tmp_path):
    # A balance with no valid identifier in the row identifies nobody.
    f = write_csv(tmp_path / "balances.csv", ["银行卡号", "余额"], [
        [bank_card(1), "100.00"],
        ["not-a-card", "200.00"],
    ])
    doc = scan([f])
    assert doc["records"]["with_personal_info"] == 1
    assert doc["categories"]["property"]["valid"] == 2
    assert doc["categories"]["property"]["records"] == 1


def _tier_a_file(tmp_path, n):
    rows = [[han_name(i), bank_card(i), f"{i}.00"] for i in range(n)]
    return write_csv(tmp_path / f"cards_{n}.csv", ["持卡人", "银行卡号", "余额"], rows)


def test_49_tier_a_records_are_not_serious_50_are(tmp_path):
    below = SERIOUS["A"] - 1
    doc = scan([_tier_a_file(tmp_path, below)])
    a = assessment(doc)
    assert doc["tiers"]["A"] == below and a["level"] == "none"
    assert a["score_exact"] == f"{below}/{SERIOUS['A']}"
    doc = scan([_tier_a_file(tmp_path, SERIOUS["A"])])
    a = assessment(doc)
    assert doc["tiers"]["A"] == SERIOUS["A"] and a["level"] == "serious"
    assert "Art. 5(1)(3)" in a["basis"]


def test_mix_below_every_threshold_reaches_serious_by_ratio(tmp_path):
    # 35 tier-A + 100 tier-B + 500 tier-C records: 35/50 + 100/500 + 500/5000 = 1 exactly
    # (0.7 + 0.2 + 0.1, which a floating-point sum gets as 0.9999999999999999).
    a_rows = [[han_name(i, "甲"), resident_id(i), bank_card(i), "", ""] for i in range(35)]
    b_rows = [[han_name(i, "乙"), resident_id(100 + i), "", "如家酒店", "2024-01-01"]
              for i in range(100)]
    c_rows = [[han_name(i, "丙"), resident_id(300 + i), "", "", ""] for i in range(500)]
    f = write_csv(tmp_path / "mix.csv", ["姓名", "身份证号", "银行卡号", "酒店名称", "入住时间"],
                  a_rows + b_rows + c_rows)
    doc = scan([f])
    assert doc["tiers"] == {"A": 35, "B": 100, "C": 500}
    a = assessment(doc)
    assert a["score_exact"] == "1"
    assert a["level"] == "serious"
    assert "Art. 5(1)(6)" in a["basis"]


def test_insider_halves_the_thresholds(tmp_path):
    half = SERIOUS["A"] // 2  # 25
    f = _tier_a_file(tmp_path, half)
    assert assessment(scan([f]))["level"] == "none"
    a = assessment(scan([f], insider=True))
    assert a["level"] == "serious"
    assert a["thresholds"]["serious"]["A"] == half
    assert "Art. 5(1)(8)" in a["basis"]


def _overlapping_files(tmp_path):
    # file1 holds persons 1, 2, 3; file2 holds 2, 3, 4 (same values, other column order).
    one = write_csv(tmp_path / "one.csv", ["姓名", "手机号"],
                    [["张一", mobile(1)], ["张二", mobile(2)], ["张三", mobile(3)]])
    two = write_csv(tmp_path / "two.csv", ["mobile", "name"],
                    [[mobile(2), "张二"], [mobile(3), "张三"], [mobile(4), "张四"]])
    return one, two


def test_scope_case_dedups_across_inputs(tmp_path):
    doc = scan(_overlapping_files(tmp_path), scope="case")
    assert doc["records"] == {"total": 6, "with_personal_info": 6, "duplicates": 2, "unique": 4}
    assert doc["categories"]["phone"]["unique"] == 4


def test_scope_input_counts_each_input_and_adds_up(tmp_path):
    doc = scan(_overlapping_files(tmp_path), scope="input")
    assert doc["records"] == {"total": 6, "with_personal_info": 6, "duplicates": 0, "unique": 6}
    assert doc["categories"]["phone"]["unique"] == 6
    assert doc["subjects"]["estimated"] == 4  # persons are persons, whatever the scope


def test_dedup_none_keeps_every_row(tmp_path):
    f = write_csv(tmp_path / "dups.csv", ["姓名", "手机号"],
                  [["张三", mobile(1)], ["张三", mobile(1)], ["李四", mobile(2)]])
    doc = scan([f], dedup="none")
    assert doc["records"] == {"total": 3, "with_personal_info": 3, "duplicates": 0, "unique": 3}
    doc = scan([f])
    assert doc["records"]["unique"] == 2


def test_two_columns_of_one_category_are_order_insensitive(tmp_path):
    f = write_csv(tmp_path / "phones.csv", ["姓名", "手机", "电话"],
                  [["张三", mobile(1), mobile(2)], ["张三", mobile(2), mobile(1)]])
    doc = scan([f])
    assert doc["records"]["unique"] == 1
    assert doc["categories"]["phone"] == {"class": "contact", "tier": "C", "detected": 4,
                                          "valid": 4, "unique": 2, "records": 1}


def test_unique_values_of_a_category_in_two_columns_are_values_not_keys(tmp_path):
    # Two name columns: the keys are {张三, 李四}, {李四} and {张三}, three distinct keys, but
    # the distinct names are two. Phones (a linking category, counted with the person links)
    # are mobile(1) in both columns of row 1 and mobile(2): two.
    f = write_csv(tmp_path / "names.csv", ["姓名", "联系人姓名", "手机", "电话"], [
        ["张三", "李四", mobile(1), mobile(1)],
        ["李四", "", mobile(2), ""],
        ["张三", "", "", mobile(2)],
    ])
    doc = scan([f])
    assert doc["categories"]["name"]["unique"] == 2
    assert doc["categories"]["name"]["valid"] == 4
    assert doc["categories"]["phone"]["unique"] == 2
    assert doc["records"]["unique"] == 3


def test_persons_link_transitively(tmp_path):
    # r1 and r2 share an ID; r2 and r3 share a phone; r4 is someone else: 2 persons.
    f = write_csv(tmp_path / "chain.csv", ["姓名", "身份证号", "手机号"], [
        ["张三", resident_id(1), mobile(1)],
        ["张三", resident_id(1), mobile(2)],
        ["张叁", resident_id(2), mobile(2)],
        ["李四", resident_id(3), mobile(3)],
    ])
    doc = scan([f])
    assert doc["records"]["unique"] == 4
    assert doc["subjects"]["estimated"] == 2
    # distinct values, one held by two records and two held once each, per linking category
    # (counted from the links: by hash, then by value where a hash is held twice)
    assert doc["categories"]["cn_resident_id"]["unique"] == 3
    assert doc["categories"]["phone"]["unique"] == 3


@pytest.mark.parametrize("override,expected_unique", [("身份证号=none", 2), (None, 3)])
def test_override_none_removes_a_column(tmp_path, override, expected_unique):
    f = write_csv(tmp_path / "o.csv", ["姓名", "身份证号"],
                  [["张三", resident_id(1)], ["张三", resident_id(2)], ["李四", resident_id(3)]])
    doc = scan([f], columns=[override] if override else [])
    assert doc["records"]["unique"] == expected_unique


def test_worked_example_in_docs_counting(tmp_path):
    """The worked example at the end of docs/counting.md, cell for cell."""
    f = write_csv(tmp_path / "leak.csv", ["姓名", "身份证号", "手机号", "银行卡号"], [
        ["张三", "11010519491231002X", "13800138000", ""],
        ["张三", "11010519491231002x", "+86 138 0013 8000", ""],
        ["李四", "110105199001010011", "13800138001", "6222020000000015"],
        ["王五", "", "", ""],
        ["", "110105199013010016", "", ""],
    ])
    doc = scan([f])
    cats = {k: (v["detected"], v["valid"]) for k, v in doc["categories"].items()}
    assert cats == {"cn_resident_id": (4, 2), "phone": (3, 3), "bank_card": (1, 1),
                    "name": (4, 4)}
    assert doc["records"] == {"total": 5, "with_personal_info": 4, "duplicates": 1, "unique": 3}
    assert doc["tiers"] == {"A": 1, "B": 0, "C": 2}
    assert doc["subjects"]["estimated"] == 3
    a = assessment(doc)
    assert (a["level"], a["score_exact"]) == ("none", "51/2500")
    a = assessment(scan([f], insider=True))
    assert (a["level"], a["score_exact"]) == ("none", "51/1250")
