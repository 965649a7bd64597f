"""Whose row it is (docs/counting.md, rule 2.4): columns held by a role other than the subject.

Every expected number is worked out by hand from the rows each test writes.
"""

from __future__ import annotations

import leakscan
from leakscan.registry import default_registry
from leakscan.roles import role_in
from tests.helpers import mobile, write_csv

DOCTORS = ("王建国", "李秀英")
#: How an unidentified emergency patient is registered in a hospital system.
UNKNOWN = "无名氏"  # a placeholder, not a name (docs/classification.md)


def scan(paths, **kw):
    return leakscan.scan([str(p) for p in paths], **kw).to_dict()


def hospital(tmp_path):
    """Nine admissions: five identified patients (four with a phone) and four unidentified
    ones, each with a diagnosis and the treating doctor's name."""
    rows = [
        ["张一", mobile(1), "高血压", DOCTORS[0]],
        ["张二", mobile(2), "糖尿病", DOCTORS[0]],
        [UNKNOWN, "", "颅脑外伤", DOCTORS[0]],
        [UNKNOWN, "", "多发骨折", DOCTORS[1]],
        [UNKNOWN, "", "颅脑外伤", DOCTORS[0]],
        [UNKNOWN, "", "休克", DOCTORS[0]],
        ["张三", mobile(3), "肺炎", DOCTORS[1]],
        ["张四", "", "胃炎", DOCTORS[1]],
        ["张五", mobile(5), "骨折", DOCTORS[1]],
    ]
    return write_csv(tmp_path / "admissions.csv", ["患者姓名", "手机号", "诊断", "主治医生姓名"],
                     rows)


def test_a_doctors_name_does_not_make_an_unidentified_patients_diagnosis_tier_b(tmp_path):
    doc = scan([hospital(tmp_path)])
    cols = {c["column"]: c for c in doc["columns"]}
    assert cols["主治医生姓名"]["category"] == "name"
    assert cols["主治医生姓名"]["role"] == "主治医生"
    assert cols["患者姓名"]["role"] is None and cols["诊断"]["role"] is None
    # Rows 3-6 hold no identifier of the patient (无名氏 is no name, the phone is blank): each
    # is personal information of the doctor only, and its diagnosis attaches to nobody. Their
    # keys are then {doctor 王建国} (rows 3, 5, 6: one record, two duplicates) and {doctor
    # 李秀英} (row 4). Rows 1, 2, 7, 8, 9 are five distinct patients' records.
    assert doc["records"] == {"total": 9, "with_personal_info": 9, "duplicates": 2, "unique": 7}
    # The five patients' records are tier B (diagnosis); the doctors' two are tier C. Were
    # the doctor's name the patient's, rows 3-6 would add three tier-B records (3 = 5).
    assert doc["tiers"] == {"A": 0, "B": 5, "C": 2}
    assert doc["categories"]["health"]["records"] == 5
    # names: five patients and nine doctor cells are valid; distinct: 5 + 2
    assert doc["categories"]["name"]["valid"] == 5 + 9
    assert doc["categories"]["name"]["unique"] == 7
    assert doc["categories"]["name"]["records"] == 7
    # four distinct patient phones, nobody shares one: seven records, seven persons
    assert doc["subjects"]["estimated"] == 7


def test_a_customer_manager_neither_tiers_nor_links_customers(tmp_path):
    managers = [("王建国", mobile(100)), ("李秀英", mobile(101))]
    rows = [
        ["张一", mobile(1), "5000.00", *managers[0]],
        ["张二", mobile(2), "300.00", *managers[0]],
        ["", "", "800.00", *managers[0]],
        ["张三", mobile(3), "1200.00", *managers[1]],
        ["张四", "", "100.00", *managers[1]],
    ]
    f = write_csv(tmp_path / "crm.csv", ["客户姓名", "客户手机", "账户余额", "客户经理姓名",
                                          "客户经理电话"], rows)
    doc = scan([f])
    roles = {c["column"]: c["role"] for c in doc["columns"]}
    assert roles == {"客户姓名": None, "客户手机": None, "账户余额": None,
                     "客户经理姓名": "客户经理", "客户经理电话": "客户经理"}
    # Row 3 holds only the manager's name and phone: personal information (the manager's),
    # tier C, its balance attached to nobody. Rows 1, 2, 4, 5 are customers with a balance.
    assert doc["records"] == {"total": 5, "with_personal_info": 5, "duplicates": 0, "unique": 5}
    assert doc["tiers"] == {"A": 4, "B": 0, "C": 1}
    assert doc["categories"]["property"]["records"] == 4
    # The managers' phones are shared by three and two rows; were they linking values, rows
    # 1-3 and rows 4-5 would be two persons. Customers' own phones are all distinct: 5.
    assert doc["subjects"]["estimated"] == 5
    # a manager's phone is still a phone: 3 customers' + 5 managers' cells, 3 + 2 distinct
    phone = doc["categories"]["phone"]
    assert (phone["detected"], phone["valid"], phone["unique"]) == (8, 8, 5)
    assert doc["categories"]["name"]["unique"] == 4 + 2


def test_role_values_stay_apart_from_the_subjects_under_scope_input_and_dedup_none(tmp_path):
    f = write_csv(tmp_path / "crm.csv", ["客户姓名", "账户余额", "客户经理姓名"], [
        ["", "10.00", "王建国"], ["", "20.00", "王建国"], ["张一", "30.00", "王建国"]])
    # rows 1-2: {manager 王建国} twice (balances attach to nobody): one record, one duplicate
    doc = scan([f])
    assert doc["records"] == {"total": 3, "with_personal_info": 3, "duplicates": 1, "unique": 2}
    assert doc["tiers"] == {"A": 1, "B": 0, "C": 1}
    doc = scan([f], dedup="none")
    assert doc["tiers"] == {"A": 1, "B": 0, "C": 2}
    doc = scan([f], scope="input")
    assert doc["tiers"] == {"A": 1, "B": 0, "C": 1}


def test_a_role_without_another_subject_is_the_subject(tmp_path):
    f = write_csv(tmp_path / "doctors.csv", ["医生姓名", "医生电话", "账户余额"], [
        ["王建国", mobile(100), "9000.00"], ["李秀英", mobile(101), "8000.00"]])
    doc = scan([f])
    assert {c["role"] for c in doc["columns"]} == {None}
    assert doc["tiers"] == {"A": 2, "B": 0, "C": 0}  # the doctors' own balances
    assert any("no column names another subject" in w for w in doc["warnings"])


def test_role_words_match_as_header_words():
    reg = default_registry()
    name, phone = reg.get("name"), reg.get("phone")
    assert role_in("紧急联系人", name) == "紧急联系人"
    assert role_in("联系人", name) is None  # the contact is the customer
    assert role_in("收货人姓名", name) is None
    assert role_in("门店电话", phone) == "门店"
    assert role_in("emergency_contact_phone", phone) == "emergency contact"
    assert role_in("doctorName", name) == "doctor"
    assert role_in("storehouse_phone", phone) is None  # whole words only
    assert reg.get("health").role_words == ()  # attributes always belong to the subject


def test_explain_names_the_role(tmp_path):
    from click.testing import CliRunner

    from leakscan.cli import main

    out = CliRunner().invoke(main, ["scan", str(hospital(tmp_path)), "--explain",
                                    "-o", str(tmp_path / "r.json")])
    assert "role: '主治医生'" in out.output
