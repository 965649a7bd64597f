"""A column may hold several categories (issue 12, point 2): hand-computed counts.

Each cell goes to the first of the column's categories, in declared order (``MIXED``), whose
validation it passes; ``columns[]`` keeps one entry per column, its ``category`` the one most
valid values belong to, and ``also`` lists the others with their counts. Expected numbers
come from how the rows are built (valid resident IDs from python-stdnum's check digit, phones
from the 138 block, passports and permits in their documented series).
"""

from __future__ import annotations

import json
import random

from click.testing import CliRunner
from stdnum.iso7064 import mod_11_2

import leakscan
from leakscan import mixed
from leakscan.cli import main
from leakscan.registry import default_registry
from tests.helpers import broken_id, mobile, resident_id, write_csv

REG = default_registry()


def foreign_pr(k: int) -> str:
    body = f"9{840:03d}{k:013d}"
    return body + mod_11_2.calc_check_digit(body)


def id_rows(with_type: bool) -> list[list[str]]:
    """40 resident IDs, 20 passports, 20 Hong Kong / Macao permits, 20 foreign PR IDs (10 of
    each form), 5 resident IDs with a wrong check digit, 3 blanks."""
    rows = [("身份证", resident_id(k)) for k in range(40)]
    rows += [("护照", f"E{10000000 + k}") for k in range(20)]
    rows += [("港澳通行证", f"{'HM'[k % 2]}{20000000 + k}") for k in range(20)]
    rows += [("外国人永久居留身份证", f"USA{300000000000 + k}") for k in range(10)]
    rows += [("外国人永久居留身份证", foreign_pr(k)) for k in range(10)]
    rows += [("身份证", broken_id(k)) for k in range(100, 105)]
    rows += [("身份证", "")] * 3
    return [[t, v] if with_type else [v] for t, v in rows]


def _column(doc, name):
    return next(c for c in doc["columns"] if c["column"] == name and not c["embedded"])


def test_an_id_column_with_four_kinds_of_id_counts_each(tmp_path):
    for with_type in (False, True):
        header = ["证件类型", "证件号码"] if with_type else ["证件号码"]
        f = write_csv(tmp_path / f"ids{with_type}.csv", header, id_rows(with_type))
        doc = leakscan.scan([str(f)]).to_dict()
        col = _column(doc, "证件号码")
        # 105 non-blank: 40 + 5 broken resident IDs go to the main category (resident IDs)
        assert (col["category"], col["detected"], col["valid"]) == ("cn_resident_id", 45, 40)
        assert col["also"] == [  # declared order
            {"category": "foreign_pr_id", "detected": 20, "valid": 20},
            {"category": "cn_travel_permit", "detected": 20, "valid": 20},
            {"category": "passport", "detected": 20, "valid": 20}]
        cats = doc["categories"]
        assert {c: (cats[c]["detected"], cats[c]["valid"]) for c in
                ("cn_resident_id", "foreign_pr_id", "cn_travel_permit", "passport")} == {
            "cn_resident_id": (45, 40), "foreign_pr_id": (20, 20),
            "cn_travel_permit": (20, 20), "passport": (20, 20)}
        # 108 rows; the 100 with a valid ID are personal information, each its own record
        assert doc["records"] == {"total": 108, "with_personal_info": 100, "duplicates": 0,
                                  "unique": 100}
        assert doc["tiers"]["C"] == 100


def test_before_mixing_the_same_column_counted_nothing(tmp_path):
    # The one-category rules alone: 40 of 105 values (38 %) validate as resident IDs, below
    # the header rule's 50 %: the column is refused (what issue 12 reported: 0 counted).
    f = write_csv(tmp_path / "ids.csv", ["证件号码"], id_rows(False))
    forced = leakscan.scan([str(f)], columns=["证件号码=cn_resident_id"]).to_dict()
    assert _column(forced, "证件号码")["valid"] == 40  # one category: 60 valid IDs dropped
    assert forced["records"]["with_personal_info"] == 40


def test_a_contact_column_of_phones_and_emails(tmp_path):
    rows = [[f"张{chr(0x4E00 + k)}", mobile(k)] for k in range(10)]
    rows += [[f"李{chr(0x4E00 + k)}", f"li{k}@163.com"] for k in range(4)]
    rows += [["王五", "13800"], ["赵六", "无"]]  # a broken number; a null marker (blank)
    f = write_csv(tmp_path / "c.csv", ["姓名", "联系方式"], rows)
    doc = leakscan.scan([str(f)]).to_dict()
    col = _column(doc, "联系方式")
    # 15 non-blank: 10 phones, 4 e-mails, 1 invalid (counted as a detected phone)
    assert (col["category"], col["detected"], col["valid"]) == ("phone", 11, 10)
    assert col["also"] == [{"category": "email", "detected": 4, "valid": 4}]
    assert doc["categories"]["email"]["unique"] == 4
    assert doc["categories"]["phone"]["unique"] == 10


def test_rows_differing_only_in_a_dropped_category_are_not_duplicates(tmp_path):
    # Rows 11 and 12: the same name, different e-mails in the contact column. Assigned as a
    # phone column, the e-mails are dropped and the two rows become one key {name 张三}.
    rows = [[f"张{chr(0x4E00 + k)}", mobile(k)] for k in range(10)]
    rows += [["张三", "zhangsan@163.com"], ["张三", "zs1990@qq.com"],
             ["李四", "lisi@163.com"], ["王五", "wangwu@163.com"]]
    f = write_csv(tmp_path / "c.csv", ["姓名", "联系方式"], rows)
    doc = leakscan.scan([str(f)]).to_dict()
    assert doc["records"]["unique"] == 14 and doc["records"]["duplicates"] == 0
    one = leakscan.scan([str(f)], columns=["联系方式=phone"]).to_dict()
    assert one["records"]["unique"] == 13 and one["records"]["duplicates"] == 1


def test_a_credential_list_of_phones_emails_and_qq_numbers(tmp_path):
    passwords = [f"Pw{k}#s{k * 13}" for k in range(16)]
    accounts = [mobile(k) for k in range(6)] + [f"user{k}@qq.com" for k in range(5)] \
        + [str(10000 + 7919 * k) for k in range(4)] + ["ZhangWei_88"]
    path = tmp_path / "combo.txt"
    path.write_text("".join(f"{a}:{p}\n" for a, p in zip(accounts, passwords, strict=True)),
                    encoding="utf-8")
    res = CliRunner().invoke(main, ["scan", str(path), "--format", "json", "-o",
                                    str(tmp_path / "r.json"), "--explain"],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    text = (tmp_path / "r.json").read_text(encoding="utf-8")
    doc = json.loads(text)
    col = _column(doc, "account")
    assert (col["category"], col["detected"], col["valid"]) == ("phone", 6, 6)
    # QQ numbers and the login name are accounts: 5
    assert col["also"] == [{"category": "email", "detected": 5, "valid": 5},
                           {"category": "account", "detected": 5, "valid": 5}]
    assert doc["records"]["unique"] == 16
    assert "mixed column" in res.output
    assert not any(p in text + res.output for p in passwords)


def test_a_single_category_column_is_not_mixed(tmp_path):
    # a phone column with two e-mails (below 3 values): one category, the e-mails invalid
    rows = [[mobile(k)] for k in range(40)] + [["a@163.com"], ["b@163.com"]]
    f = write_csv(tmp_path / "p.csv", ["联系方式"], rows)
    col = _column(leakscan.scan([str(f)]).to_dict(), "联系方式")
    assert (col["category"], col["detected"], col["valid"], col["also"]) == \
        ("phone", 42, 40, [])


def test_sql_case_chain_agrees_with_the_python_reference(tmp_path):
    rng = random.Random(4)
    pool = ([mobile(k) for k in range(200)] + [f"u{k}@163.com" for k in range(200)]
            + [str(10000 + 31 * k) for k in range(200)] + [f"login_{k}" for k in range(200)]
            + ["13800", "x", "@@", "0123"] * 20)
    values = [rng.choice(pool) for _ in range(3000)]
    members = ["phone", "email", "account"]
    expected = {c: 0 for c in members}
    for v in values:
        hit = mixed.resolve(v, members, REG)
        if hit:
            expected[hit[0]] += 1
    f = write_csv(tmp_path / "u.csv", ["账号"], [[v] for v in values])
    col = _column(leakscan.scan([str(f)], dedup="none").to_dict(), "账号")
    got = {col["category"]: col["valid"]} | {a["category"]: a["valid"] for a in col["also"]}
    assert got == expected


def test_split_names_the_main_category_and_the_others():
    assert mixed.split(("phone", "email"), 10, [3, 5]) == ("email", 7, 5,
                                                           [("phone", 3, 3)])
    assert mixed.split(("phone", "email"), 10, [4, 4]) == ("phone", 6, 4, [("email", 4, 4)])


def test_a_companion_type_column_decides_which_category_a_value_is(tmp_path):
    rows = id_rows(True)
    # a passport number and a permit entered under 身份证 are no resident IDs: invalid
    rows += [["身份证", "E99999999"], ["居民身份证", "H99999999"]]
    # an 8-digit Taiwan permit is a permit under its type, and under no type at all
    rows += [["台胞证", "12345678"], ["", "87654321"]]
    f = write_csv(tmp_path / "typed.csv", ["证件类型", "证件号码"], rows)
    col = _column(leakscan.scan([str(f)]).to_dict(), "证件号码")
    # 109 non-blank: 40 resident IDs; 5 broken and the 2 mistyped ones are invalid
    assert (col["category"], col["detected"], col["valid"]) == ("cn_resident_id", 47, 40)
    assert {a["category"]: a["valid"] for a in col["also"]} == {
        "foreign_pr_id": 20, "cn_travel_permit": 22, "passport": 20}
    # without the type column the two mistyped values count as a passport and a permit
    g = write_csv(tmp_path / "untyped.csv", ["证件号码"], [[r[1]] for r in rows])
    col = _column(leakscan.scan([str(g)]).to_dict(), "证件号码")
    assert (col["detected"], col["valid"]) == (45, 40)
    assert {a["category"]: a["valid"] for a in col["also"]} == {
        "foreign_pr_id": 20, "cn_travel_permit": 23, "passport": 21}


def test_type_words_python_reference_agrees_with_the_sql(tmp_path):
    members = ("cn_resident_id", "foreign_pr_id", "hk_identity_card", "cn_travel_permit",
               "passport")
    cells = ["身份证", "居民身份证", "外国人永久居留身份证", "香港身份证", "港澳居民来往内地通行证",
             "台胞证", "护照", "PASSPORT", "军官证", "", None, "ｐａｓｓｐｏｒｔ", " 护照 "]
    expected = [mixed.named_type(c, members, REG) for c in cells]
    assert expected[:8] == ["cn_resident_id", "cn_resident_id", "foreign_pr_id",
                            "hk_identity_card", "cn_travel_permit", "cn_travel_permit",
                            "passport", "passport"]
    from leakscan.classify import Assignment
    from leakscan.sql import connect

    a = Assignment("x", "证件号码", 0, "passport", "header+values", 1.0, members=members,
                   type_column="证件类型")
    con = connect()
    con.execute("CREATE TABLE t (t0 VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?)", [[c] for c in cells])
    got = [r[0] for r in con.execute(
        f"SELECT {mixed._named_sql(a, REG)} FROM t ORDER BY rowid").fetchall()]
    assert [members[k] if k is not None else None for k in got] == expected


def _contact_file(tmp_path):
    rows = [[f"张{chr(0x4E00 + k)}", mobile(k), "改送" + mobile(50 + k) if k < 2 else ""]
            for k in range(10)]
    rows += [[f"李{chr(0x4E00 + k)}", f"li{k}@163.com", ""] for k in range(4)]
    return write_csv(tmp_path / "c.csv", ["姓名", "联系方式", "备注"], rows)


def test_the_human_formats_show_the_other_categories(tmp_path):
    report = leakscan.scan([str(_contact_file(tmp_path))])
    assert "phone (also email 4)" in report.to_markdown("en")
    assert "phone （另有 email 4）" in report.to_markdown("zh")
    assert "phone (also email 4)" in report.to_html("en")


def test_evidence_and_free_text_runs_count_a_mixed_column_alike(tmp_path):
    # the numbered pass (evidence files) and the free-text merge carry the member tallies
    f = _contact_file(tmp_path)
    plain = leakscan.scan([str(f)]).to_dict()
    numbered = leakscan.scan([str(f)], evidence_out=str(tmp_path / "ev.csv")).to_dict()
    for doc in (plain, numbered):
        col = _column(doc, "联系方式")
        assert (col["category"], col["valid"], col["also"]) == (
            "phone", 10, [{"category": "email", "detected": 4, "valid": 4}])
        # 10 phones in the column and 2 in the remarks; 4 e-mails
        assert doc["categories"]["phone"]["valid"] == 12
        assert doc["categories"]["email"]["unique"] == 4
        assert doc["records"]["unique"] == 14


def test_the_contract_checks_mixed_declarations():
    import types

    import pytest

    from categorizers import account
    from leakscan.errors import RegistryError
    from leakscan.registry import check_contract

    def module_with(**changes):
        m = types.ModuleType("fake")
        m.__dict__.update({k: v for k, v in vars(account).items() if not k.startswith("__")})
        m.__dict__.update(changes)
        return m

    check_contract(module_with())  # the real declaration passes
    for bad in ({"order": "1"}, {"headers": ()}, {"order": 1, "colour": 1},
                {"order": 1, "types": ("",)}, {"order": True}):
        with pytest.raises(RegistryError):
            check_contract(module_with(MIXED=bad))
    attribute = dict(IDENTIFYING=False, VALUE_KINDS=("text",), ROLE_WORDS=())

    def unmasked(m):  # an attribute category declares no masked form either
        m.__dict__.pop("MASKED_SQL", None)
        m.__dict__.pop("is_masked", None)
        return m

    check_contract(unmasked(_without_mixed(module_with(**attribute))))  # control: no MIXED
    with pytest.raises(RegistryError, match="MIXED"):  # only identifiers share a column
        check_contract(unmasked(module_with(**attribute, MIXED={"order": 1})))


def _without_mixed(module):
    del module.MIXED
    return module


def test_every_mixed_order_is_distinct():
    orders = [c.mixed["order"] for c in REG if c.mixed]
    assert len(orders) == len(set(orders)) >= 8
