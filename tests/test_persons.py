"""Persons (subjects.estimated) on hand-built linkage chains, and the rulesets that read them.

Each file is built so the number of persons can be counted by hand: records are linked when
they share a normalised resident ID, phone or e-mail, transitively.
"""

from __future__ import annotations

import leakscan
from leakscan import rulesets
from tests.helpers import bank_card, han_name, mobile, resident_id, write_csv

HEADER = ["姓名", "身份证号", "手机号", "邮箱"]


def persons(tmp_path, rows, name="p.csv", **kw):
    f = write_csv(tmp_path / name, HEADER, rows)
    return leakscan.scan([str(f)], **kw).to_dict()


def test_a_shares_an_id_with_b_and_b_a_phone_with_c_one_person(tmp_path):
    doc = persons(tmp_path, [
        ["甲", resident_id(1), mobile(1), ""],   # A
        ["乙", resident_id(1), mobile(2), ""],   # B: A's ID
        ["丙", resident_id(2), mobile(2), ""],   # C: B's phone
    ])
    assert doc["records"]["unique"] == 3
    assert doc["subjects"]["estimated"] == 1


def test_a_long_chain_alternating_id_phone_email_is_one_person(tmp_path):
    # r0 -id- r1 -phone- r2 -email- r3 -id- r4 -phone- r5 ... 12 records, one person; written
    # in reverse so the labels have to travel the whole chain.
    rows = []
    for k in range(12):
        link = k % 3
        rid = resident_id(100 + k // 3)
        rows.append([han_name(k), rid if link in (0, 1) else resident_id(500 + k),
                     mobile(k // 2 + 50), f"p{(k + 1) // 2}@example.com"])
    doc = persons(tmp_path, rows[::-1])
    assert doc["records"]["unique"] == 12
    assert doc["subjects"]["estimated"] == 1


def test_path_of_records_linked_by_alternating_values(tmp_path):
    # record k holds value v_k and v_{k+1} (phone for even k, e-mail for odd): a path graph.
    n = 16
    rows = []
    for k in range(n):
        rows.append([han_name(k), "", mobile(k // 2), f"e{(k + 1) // 2}@example.com"])
    # phones: m0 {0,1}, m1 {2,3}, ...; e-mails: e0 {0}, e1 {1,2}, e2 {3,4}, ...: 0-1-2-...-15
    doc = persons(tmp_path, rows)
    assert doc["records"]["unique"] == n
    assert doc["subjects"]["estimated"] == 1


def test_two_separate_chains_and_loners(tmp_path):
    doc = persons(tmp_path, [
        [han_name(1), resident_id(1), mobile(1), ""],
        [han_name(2), resident_id(1), mobile(2), ""],      # chain 1
        [han_name(3), resident_id(2), mobile(3), "b@example.com"],
        [han_name(4), "", "", "B@Example.com"],            # chain 2 (e-mail, case-folded)
        [han_name(5), "", "", ""],                         # a name alone: one person
        [han_name(6), resident_id(4), "", ""],             # loner
    ])
    assert doc["records"]["unique"] == 6
    assert doc["subjects"]["estimated"] == 4


def test_a_shared_name_alone_does_not_link(tmp_path):
    doc = persons(tmp_path, [["张三", resident_id(1), "", ""], ["张三", resident_id(2), "", ""]])
    assert doc["subjects"]["estimated"] == 2


def test_persons_link_across_inputs_whatever_the_scope(tmp_path):
    a = write_csv(tmp_path / "a.csv", HEADER, [["甲", resident_id(1), mobile(1), ""]])
    b = write_csv(tmp_path / "b.csv", HEADER, [["甲", resident_id(9), mobile(1), ""]])
    for scope in ("case", "input"):
        doc = leakscan.scan([str(a), str(b)], scope=scope).to_dict()
        assert doc["subjects"]["estimated"] == 1, scope


def test_incident_and_cross_border_rulesets_read_persons(tmp_path):
    # 3 records, 2 persons; one person has a bank card (sensitive for cross-border).
    f = write_csv(tmp_path / "p.csv", ["姓名", "身份证号", "手机号", "银行卡号"], [
        ["甲", resident_id(1), mobile(1), bank_card(1)],
        ["甲", resident_id(1), mobile(2), ""],
        ["乙", resident_id(2), mobile(3), ""],
    ])
    doc = leakscan.scan([str(f)], rulesets=["cn-incident-2025", "cn-cross-border-2024",
                                              "us-hipaa-breach"]).to_dict()
    assert doc["subjects"]["estimated"] == 2
    by_id = {a["ruleset"]: a for a in doc["assessments"]}
    assert by_id["cn-incident-2025"]["unit"] == "persons"
    assert by_id["cn-incident-2025"]["counts_used"] == {"persons": 2}
    # no health information: HIPAA counts no individual (us-hipaa-breach reads PHI only)
    assert by_id["us-hipaa-breach"]["counts_used"] == {"sensitive_persons": 0}
    assert by_id["us-hipaa-breach"]["level"] == "none"
    xb = by_id["cn-cross-border-2024"]
    assert xb["counts_used"] == {"sensitive_persons": 1, "persons": 2}
    # one person's sensitive information: the lowest level, by Art. 8 (no lower bound)
    rs = rulesets.load("cn-cross-border-2024")
    assert rs.levels[0].thresholds["sensitive_persons"] <= 1
    assert xb["level"] == rs.levels[0].id
    assert xb["basis"] == rs.levels[0].basis["sensitive_persons"]


def test_a_long_path_is_one_person_in_few_rounds(tmp_path):
    """A path of 200 records (phone, e-mail, phone...), written in reverse so the smallest
    label starts at the far end: one person. Plain label propagation moves a label one step a
    round (about 100 rounds here); with pointer jumping the rounds grow with the logarithm of
    the path's length."""
    n = 200
    rows = [[han_name(k), "", mobile(k // 2), f"e{(k + 1) // 2}@example.com"] for k in range(n)]
    f = write_csv(tmp_path / "path.csv", HEADER, rows[::-1])
    report = leakscan.scan([str(f)])
    assert report.to_dict()["records"]["unique"] == n
    assert report.to_dict()["subjects"]["estimated"] == 1
    assert report.counts.subject_rounds <= 12, report.counts.subject_rounds


def test_minors_under_14_are_read_from_the_declared_birth_date(tmp_path):
    """cn-cross-border-2024 counts a person with a resident ID that makes them younger than 14
    at the reference date (2026-06-30) as a sensitive-information person. By hand: 甲 (born
    2012-07-01, 13, two records linked by the ID) and 丁 (born on the reference date) are
    minors; 乙 (born 2012-06-30) turns 14 that day and is not; 丙 is an adult with a bank card;
    戊's ID is born after the reference date, so it is no valid ID and gives no birth date."""
    f = write_csv(tmp_path / "kids.csv", ["姓名", "身份证号", "手机号", "银行卡号"], [
        ["甲", resident_id(1, birth="20120701"), mobile(1), ""],
        ["甲", resident_id(1, birth="20120701"), mobile(2), ""],
        ["乙", resident_id(2, birth="20120630"), mobile(3), ""],
        ["丙", resident_id(3, birth="19900101"), mobile(4), bank_card(1)],
        ["丁", resident_id(4, birth="20260630"), mobile(5), ""],
        ["戊", resident_id(5, birth="20260701"), mobile(6), ""],
    ])
    doc = leakscan.scan([str(f)], rulesets=["cn-cross-border-2024"],
                        as_of="2026-06-30").to_dict()
    assert doc["categories"]["cn_resident_id"]["valid"] == 5
    assert doc["subjects"]["estimated"] == 5
    xb = doc["assessments"][0]
    assert xb["extra_counts"] == {"minors_under_14": 2}
    # 甲 and 丁 as minors, 丙 by the bank card
    assert xb["counts_used"] == {"sensitive_persons": 3, "persons": 5}
