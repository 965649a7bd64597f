"""Identifiers embedded in free text (leakscan/freetext.py, docs/classification.md).

Three kinds of check: the SQL and the Python reference agree on generated texts, token by
token; the boundary and decoy rules hold on hand-written cells; and a scan counts embedded
values with hand-computed numbers, merged into records like any other value.
"""

from __future__ import annotations

import random

import pytest

import leakscan
from leakscan import freetext, synth
from leakscan.registry import default_registry
from tests.helpers import bank_card, mobile, resident_id, write_csv
from tests.test_hk_identity_card import make as hk_id

# -- SQL and Python agree -------------------------------------------------------------------

FILLERS = ("您好", "电话", "，", "。", " ", "：", "（", "）", "联系人", "备注", "a", "Z", "-", "_",
           "订单", "x", "7", "/", "@", "#", "\n", "手机", "卡号", "身份证", "QQ", " 和 ")


def _values(rng: random.Random) -> list[str]:
    mob = synth.mobile(rng)
    pid = synth.resident_id(rng, valid=rng.random() < 0.7)
    return [
        mob, synth.spell_phone(mob, rng.choice(("plus86", "plus86_spaced", "plus86_dashed",
                                                "spaced", "dashed", "fullwidth"))),
        synth.fixed_line(rng), pid, pid.lower(), synth.to_fullwidth(pid),
        synth.bank_card(rng, rng.choice((16, 17, 18, 19))),
        " ".join(synth.bank_card(rng)[k:k + 4] for k in range(0, 16, 4)),
        synth.email(rng), synth.email(rng).upper(), f"{mob}@qq.com",
        # decoys and near misses
        str(rng.randrange(10**12, 10**13)),  # millisecond timestamp
        f"2024{rng.randrange(10**14):014d}",  # date-prefixed order number
        str(rng.randrange(10**17, 10**18)),  # random 18 digits
        f"{rng.randrange(10**14, 10**15)}",  # IMEI-like 15 digits
        "550e8400-e29b-41d4-a716-446655440000", f"{rng.getrandbits(160):040x}",
        "1" + "".join(str(rng.randrange(10)) for _ in range(rng.choice((9, 10, 11, 12)))),
        "4" + "".join(str(rng.randrange(10)) for _ in range(15)),  # Luhn by chance or not
        mob[:-1], mob + str(rng.randrange(10)), "a" + mob, mob + "b",
        "user@", "@example.com", "a@b", "x.y@z.co", "first.last@sub.domain.cn.",
        hk_id(rng, valid=rng.random() < 0.7), hk_id(rng).replace("(", "（").replace(")", "）"),
        "X" + hk_id(rng), hk_id(rng)[:-3],
    ]


def generated_texts(n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 6)):
            parts.append(rng.choice(FILLERS) if rng.random() < 0.5 else "")
            parts.append(rng.choice(_values(rng)))
            parts.append(rng.choice(FILLERS) if rng.random() < 0.7 else "")
        texts.append("".join(parts))
    return texts + ["", " ", "无", None]


#: every category searched in free text, as the registry declares them (FREE_TEXT)
CATS = tuple(e.category for e in freetext.searched(default_registry()))


def _sql_embedded(con, registry, texts):
    """Per text and category: (candidates, valid, sorted distinct valid values), by the SQL."""
    con.execute("CREATE OR REPLACE TEMP TABLE ft_in (i INTEGER, v VARCHAR)")
    con.executemany("INSERT INTO ft_in VALUES (?, ?)", list(enumerate(texts)))
    keys = ", ".join(f"CAST(NULL AS VARCHAR) AS k_{c}" for c in CATS)
    x0 = freetext.list_column(0)
    con.execute(f"CREATE OR REPLACE TEMP TABLE ft_pre AS SELECT i, {keys}, {x0} "
                f"FROM {freetext.with_candidates('ft_in', [('v', x0)])}")
    for stmt in freetext.resolution_sql("ft_pre", "ft_out", [0], registry, lambda c: f"k_{c}"):
        con.execute(stmt)
    cols = ", ".join(f"xd0_{c}, xv0_{c}, k_{c}" for c in CATS)
    out = {}
    for i, *vals in con.execute(f"SELECT i, {cols} FROM ft_out").fetchall():
        out[i] = {c: (vals[3 * k], vals[3 * k + 1],
                      vals[3 * k + 2].split("\x1f") if vals[3 * k + 2] else [])
                  for k, c in enumerate(CATS)}
    return out


def _py_embedded(text, registry):
    found = freetext.embedded(text, registry)
    return {c: (sum(1 for cat, _, _ in found if cat == c),
                sum(1 for cat, _, ok in found if cat == c and ok),
                sorted({n for cat, n, ok in found if cat == c and ok})) for c in CATS}


def test_sql_and_python_find_the_same_embedded_values(con, registry):
    texts = generated_texts(1500)
    sql = _sql_embedded(con, registry, texts)
    assert len(sql) == len(texts)
    found = 0
    for i, text in enumerate(texts):
        py = _py_embedded(text, registry)
        assert sql[i] == py, (text, sql[i], py)
        found += sum(v for _, v, _ in py.values())
    assert found > 1000  # the generator does put valid identifiers in


def test_sql_and_python_cut_the_same_candidates(con):
    texts = generated_texts(800, seed=5)
    con.execute("CREATE OR REPLACE TEMP TABLE ft_in (i INTEGER, v VARCHAR)")
    con.executemany("INSERT INTO ft_in VALUES (?, ?)", list(enumerate(texts)))
    x0 = freetext.list_column(0)
    got = con.execute(f"SELECT i, {x0} FROM {freetext.with_candidates('ft_in', [('v', x0)])} "
                      f"ORDER BY i").fetchall()
    for i, x in got:
        assert (x or []) == freetext.candidates(texts[i]), texts[i]


# -- boundaries, layouts, decoys (hand-written) ----------------------------------------------

PID = resident_id(7)
CARD = bank_card(3)


@pytest.mark.parametrize(("text", "expected"), [
    # boundaries: Han characters and punctuation separate, letters and digits do not
    ("电话13800138000", [("phone", "+8613800138000")]),
    ("电话:13800138000。", [("phone", "+8613800138000")]),
    ("订单2024011513800138000", []),
    ("a13800138000", []),
    ("13800138000b", []),
    ("138001380001", []),
    # grouped the way people write numbers
    ("手机 138 0013 8000", [("phone", "+8613800138000")]),
    ("手机+86 138-0013-8000", [("phone", "+8613800138000")]),
    ("座机010-62345678转", [("phone", "+861062345678")]),
    ("x138 0013 8000", []),
    ("138 0013 8000y", []),
    # e-mails are taken whole, and their digits are not read again as a phone
    ("邮箱13800138000@qq.com", [("email", "13800138000@qq.com")]),
    ("Mail: Zhang.San@Example.COM.", [("email", "zhang.san@example.com")]),
    # resident IDs: 18 characters with the check digit; legacy 15-digit numbers are not searched
    (f"身份证{PID}", [("cn_resident_id", PID)]),
    (f"身份证{PID[:-1]}{'0' if PID[-1] != '0' else '1'}", []),
    (f"旧证{PID[:6]}{PID[8:17]}", []),
    # cards: scheme prefix, 15-19 digits, Luhn; a valid ID is never also a card
    (f"卡号{CARD}", [("bank_card", CARD)]),
    (f"卡号{' '.join(CARD[k:k + 4] for k in range(0, 16, 4))}", [("bank_card", CARD)]),
    ("卡号9999999999999995", []),  # Luhn-valid, no card scheme starts with 9
    (f"订单{CARD} 已发货", []),  # a card number only counts where the text speaks of a card
    (f"Card no. {CARD}", [("bank_card", CARD)]),
    (f"转账到账户 {CARD}", [("bank_card", CARD)]),
    # decoys
    ("时间戳1700000000000", []),
    ("uuid 550e8400-e29b-41d4-a716-446655440000", []),
    ("sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709", []),
    ("IMEI 356938035643809", []),
    ("邮编100101 SKU-2024-000123", []),
])
def test_hand_written_cells(registry, text, expected):
    got = [(c, n) for c, n, ok in freetext.embedded(text, registry) if ok]
    assert got == expected


def test_full_width_text_is_folded(registry):
    assert freetext.embedded("电话１３８００１３８０００", registry) == [
        ("phone", "+8613800138000", True)]


# -- scans: counts with hand-computed numbers -----------------------------------------------

def scan(paths, **kw):
    return leakscan.scan([str(p) for p in paths], **kw).to_dict()


def test_embedded_values_are_counted_and_merged_into_records(tmp_path):
    p1, p2 = resident_id(1), resident_id(2)
    f = write_csv(tmp_path / "orders.csv", ["姓名", "手机号", "备注", "订单号"], [
        ["张三", mobile(1), f"改送{mobile(2)}，身份证{p1}", "202401010001"],
        ["李四", mobile(3), "已回访", "202401010002"],
        ["王五", "", f"本人电话 {mobile(3)}；卡号{bank_card(1)}", "202401010003"],
        ["赵六", mobile(4), f"邮箱zhao@example.com 备用邮箱 ZHAO@example.com 身份证{p2}",
         "202401010004"],
        ["张三", mobile(1), f"改送{mobile(2)}，身份证{p1}", "202401010001"],
        ["钱七", "", "老客户", "202401010005"],
    ])
    doc = scan([f])
    cols = {(c["column"], c["category"]): c for c in doc["columns"]}
    # 备注: phones mobile(2) twice (rows 1, 5) and mobile(3) once; IDs p1 twice and p2 once;
    # one card; two spellings of one e-mail. 订单号 names a code (号, a negative word of
    # transaction): it is no transaction column, and its codes are not text: not searched.
    assert (cols[("备注", "phone")]["detected"], cols[("备注", "phone")]["valid"]) == (3, 3)
    assert cols[("备注", "cn_resident_id")]["valid"] == 3
    assert cols[("备注", "bank_card")]["valid"] == 1
    assert cols[("备注", "email")]["valid"] == 2
    assert all(c["method"] == "values" and c["embedded"] for k, c in cols.items()
               if k[0] == "备注")
    assert [k for k in cols if k[0] == "订单号"] == []
    assert "6222" in cols[("备注", "bank_card")]["sample"][0]
    assert bank_card(1) not in str(doc)  # samples are masked
    # phone: column 手机号 has 4 valid cells (rows 1, 2, 4, 5), 备注 3: valid 7;
    # distinct phones mobile(1), (2), (3), (4): 4.
    assert doc["categories"]["phone"]["valid"] == 7
    assert doc["categories"]["phone"]["unique"] == 4
    assert doc["categories"]["email"]["unique"] == 1
    assert doc["categories"]["cn_resident_id"]["unique"] == 2
    # Rows 1 and 5 are equal; every row has a name, so 6 personal rows, 5 unique records.
    assert doc["records"] == {"total": 6, "with_personal_info": 6, "duplicates": 1,
                              "unique": 5}
    # Row 3 (王五) holds a card: tier A; the other four unique records hold only an order
    # number, a code (订单号 is no transaction column): tier C.
    assert doc["tiers"] == {"A": 1, "B": 0, "C": 4}
    # Persons: rows 2 (李四) and 3 (王五) share mobile(3): one person. 张三, 赵六, 钱七 and
    # that pair: 4.
    assert doc["subjects"]["estimated"] == 4
    assert doc["categories"]["phone"]["records"] == 4  # rows 1, 2, 3, 4 (after dedup)


def test_no_free_text_option_searches_nothing(tmp_path):
    f = write_csv(tmp_path / "a.csv", ["姓名", "备注"], [
        ["张三", f"电话{mobile(1)}"], ["李四", f"电话{mobile(2)}"]])
    on, off = scan([f]), scan([f], free_text=False)
    assert on["categories"]["phone"]["valid"] == 2
    assert "phone" not in off["categories"]
    assert off["options"]["free_text"] is False
    assert [c["column"] for c in off["columns"]] == ["姓名"]


def test_records_with_only_embedded_identifiers_are_personal_information(tmp_path):
    f = write_csv(tmp_path / "msgs.csv", ["时间", "内容"], [
        ["2024-01-01 10:00", f"请联系{mobile(1)}"],
        ["2024-01-01 10:05", f"请联系{mobile(1)}"],
        ["2024-01-01 10:07", "收到"],
        ["2024-01-01 10:09", f"我的邮箱 a.b@example.com，电话 {mobile(2)}"],
    ])
    doc = scan([f])
    # 3 rows hold an identifier; rows 1 and 2 both reduce to {mobile(1)} and the 时间 column is
    # not categorised, so they are one record.
    assert doc["records"] == {"total": 4, "with_personal_info": 3, "duplicates": 1,
                              "unique": 2}
    assert doc["subjects"]["estimated"] == 2


def test_address_columns_are_searched_too(tmp_path):
    f = write_csv(tmp_path / "a.csv", ["姓名", "地址"], [
        ["张三", f"北京市朝阳区建国路1号 联系人手机{mobile(1)}"],
        ["李四", "上海市浦东新区世纪大道100号"],
    ])
    doc = scan([f])
    cats = [(c["column"], c["category"]) for c in doc["columns"]]
    assert cats == [("姓名", "name"), ("地址", "address"), ("地址", "phone")]
    assert doc["categories"]["phone"]["valid"] == 1


def test_decoy_text_gives_no_personal_information(tmp_path):
    rng = random.Random(3)
    rows = [[f"{rng.choice(('时间戳', '订单', '设备', '运单'))} "
             f"{rng.choice((str(rng.randrange(10**12, 10**13)), str(rng.randrange(10**17, 10**18)), '550e8400-e29b-41d4-a716-446655440000', str(rng.randrange(10**14, 10**15))))}"]
            for _ in range(300)]
    # a random 18-digit number can pass the resident-ID checks, and one starting with 4 may
    # pass Luhn; the rows are drawn so that none does, which the Python reference confirms
    from leakscan.registry import default_registry
    reg = default_registry()
    rows = [r for r in rows if not any(ok for _, _, ok in freetext.embedded(r[0], reg))]
    f = write_csv(tmp_path / "logs.csv", ["说明"], rows)
    doc = scan([f])
    assert doc["records"]["with_personal_info"] == 0
    assert all(c["valid"] == 0 for c in doc["columns"])


def test_evidence_rows_include_embedded_values(tmp_path):
    f = write_csv(tmp_path / "a.csv", ["姓名", "备注"], [
        ["张三", f"电话{mobile(1)}"], ["李四", "无"], ["张三", f"电话{mobile(1)}"]])
    out = tmp_path / "ev.csv"
    dup = tmp_path / "dup.csv"
    doc = scan([f], evidence_out=str(out), duplicates_out=str(dup))
    assert doc["records"]["unique"] == 2
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + 2
    assert "phone" in lines[0] and "138" in lines[1] and mobile(1) not in lines[1]
    dups = dup.read_text(encoding="utf-8").splitlines()[1:]
    assert [d.split(",")[1::2] for d in dups] == [["3", "1"]]


def test_an_embedded_value_makes_a_row_equal_to_one_with_the_value_in_its_own_column(tmp_path):
    f = write_csv(tmp_path / "a.csv", ["姓名", "手机号", "备注"], [
        ["张三", mobile(1), "无"],
        ["张三", "", f"电话{mobile(1)}"],
        ["张三", mobile(1), f"备用 {mobile(1)}"],
        ["李四", mobile(2), "无"],
    ])
    doc = scan([f])
    # After normalisation rows 1-3 are all (张三, {mobile(1)}): one record, two duplicates.
    assert doc["records"] == {"total": 4, "with_personal_info": 4, "duplicates": 2,
                              "unique": 2}
    assert doc["categories"]["phone"] | {"class": None, "tier": None} == {
        "class": None, "tier": None, "detected": 5, "valid": 5, "unique": 2, "records": 2}


def test_a_headerless_text_file_whose_first_cell_names_an_identifier(tmp_path):
    # The first row mentions 电话 (a phone synonym) but holds a number: it is data, not a header.
    f = tmp_path / "msgs.csv"
    f.write_text("".join(f"请回电话{mobile(k)}\n" for k in range(3)), encoding="utf-8")
    doc = scan([f])
    assert doc["inputs"][0]["dialect"]["header"] is False
    assert doc["categories"]["phone"]["valid"] == 3
    assert doc["records"]["with_personal_info"] == 3


def test_input_columns_named_like_leakscan_columns_do_not_collide(tmp_path):
    f = write_csv(tmp_path / "a.csv", ["x1", "备注", "n", "k_phone", "d1"], [
        ["a", f"电话{mobile(1)}", "1", "x", "y"], ["b", f"电话{mobile(2)}", "2", "x", "y"]])
    doc = scan([f])
    assert "error" not in doc["inputs"][0]
    assert doc["categories"]["phone"]["valid"] == 2
