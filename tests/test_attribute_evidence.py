"""Attribute classes on evidence (issue 11): negative header words, value kinds, name decoys.

Every expected number is hand-computed from what the test plants: ``n`` rows, each with one
valid mobile number (tier C, identifying) and one attribute cell; a row is a tier-A or tier-B
record only when its attribute column is assigned and its value has the declared shape.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import leakscan
from leakscan.cli import main
from leakscan.registry import default_registry
from tests.helpers import han_name, mobile, write_csv

REGISTRY = default_registry()
ATTRIBUTES = [c for c in REGISTRY if c.personal and not c.identifying]
#: A value of each category's first declared kind.
SHAPED = {"coordinate": "116.397128,39.916527", "money": "1234.50",
          "datetime": "2024-01-15 10:22:03", "text": "头孢过敏，高血压二级", "score": "650",
          "duration": "00:03:25", "room": "1203", "blood_type": "AB+"}
N = 10


def scan(tmp_path, header, values, name="t.csv"):
    f = write_csv(tmp_path / name, ["手机号", *header],
                  [[mobile(i), *row] for i, row in enumerate(values)])
    return leakscan.scan([str(f)]).to_dict()


def assigned(doc):
    return {c["column"]: c["category"] for c in doc["columns"] if not c.get("embedded")}


def _synonyms(cat):
    zh = next(s for s in cat.header_synonyms if not s.isascii())
    en = next(s for s in cat.header_synonyms if s.isascii())
    return zh, en


def _negative_header(cat, word):
    zh, en = _synonyms(cat)
    if not word.isascii():
        return zh + word
    if word.startswith("_"):
        return f"{en}{word}"
    if word.endswith("_"):
        return f"{word}{en}"
    return f"{en}_{word}"


CASES = [(c.id, w) for c in ATTRIBUTES for w in c.negative_words]


def test_every_attribute_category_declares_kinds_and_negative_words():
    assert {c.id for c in ATTRIBUTES} == {
        "location", "property", "transaction", "health", "credit", "accommodation",
        "communication_record", "communication_content"}
    for c in ATTRIBUTES:
        assert c.value_kinds and c.negative_words, c.id


@pytest.mark.parametrize("cat_id", [c.id for c in ATTRIBUTES])
def test_a_shaped_column_under_its_synonym_is_assigned(tmp_path, cat_id):
    """Control for the negative words: the same values under the bare synonym count."""
    cat = REGISTRY.get(cat_id)
    value = SHAPED[cat.value_kinds[0]]
    for header in _synonyms(cat):
        doc = scan(tmp_path, [header], [[value]] * N)
        assert assigned(doc) == {"手机号": "phone", header: cat_id}, header
        col = next(c for c in doc["columns"] if c["column"] == header)
        assert (col["method"], col["valid"]) == ("header+values", N)
        assert doc["tiers"][cat.tier] == N


@pytest.mark.parametrize(("cat_id", "word"), CASES, ids=[f"{c}-{w}" for c, w in CASES])
def test_each_negative_word_voids_the_header(tmp_path, cat_id, word):
    """``synonym + negative word``, values of the right shape: not the category, and no row
    is tier A or B (N rows of tier C, from the phone)."""
    cat = REGISTRY.get(cat_id)
    header = _negative_header(cat, word)
    doc = scan(tmp_path, [header], [[SHAPED[cat.value_kinds[0]]]] * N)
    assert assigned(doc).get(header) != cat_id, header
    assert (doc["tiers"]["A"], doc["tiers"]["B"], doc["tiers"]["C"]) == (0, 0, N), header


#: The decoys of issue 11, each with the values such columns hold in real exports.
DECOYS = {
    "定位方式": ["GPS", "基站", "WIFI"], "坐标系": ["WGS-84", "GCJ-02", "BD-09"],
    "定位时间": ["2024-01-15 10:22:03", "2024-01-15 10:27:41"],
    "装备资产编号": ["ZB-2024-0001", "ZB-2024-0002"], "积分余额": ["1200", "350"],
    "话费余额": ["35.20", "8.00"], "支付方式": ["微信", "支付宝", "银行卡"],
    "订单状态": ["已完成", "已取消"], "购买数量": ["1", "2", "3"],
    "就诊卡号": ["JZ20240001", "JZ20240002"], "is_overdue": ["0", "1"],
    "credit_limit": ["50000", "20000"], "store_location": ["北京朝阳门店", "上海徐汇门店"],
    "deposit_type": ["定期", "活期"], "health_check_url": ["https://hc.example/a/1"],
    "sort_order": ["1", "2", "3"], "是否逾期": ["是", "否"], "order_no": ["202401010001"],
    "订单号": ["202401010001", "202401010002"], "会员等级": ["金卡会员", "银卡会员"],
}


def test_decoy_attribute_headers_hold_no_tier_a_or_b(tmp_path):
    headers = list(DECOYS)
    rows = [[DECOYS[h][i % len(DECOYS[h])] for h in headers] for i in range(N)]
    doc = scan(tmp_path, headers, rows)
    assert assigned(doc) == {"手机号": "phone"}
    assert (doc["tiers"]["A"], doc["tiers"]["B"], doc["tiers"]["C"]) == (0, 0, N)
    level = next(a for a in doc["assessments"] if a["ruleset"] == "cn-cl253-1-2017")["level"]
    assert level == "none"


def test_a_timestamp_beside_positions_is_not_a_position(tmp_path):
    rows = [[f"116.{397128 + i}", f"39.{916527 + i}", f"2024-01-15 10:{i:02d}:00"]
            for i in range(N)]
    doc = scan(tmp_path, ["经度", "纬度", "定位时间"], rows)
    assert assigned(doc) == {"手机号": "phone", "经度": "location", "纬度": "location"}
    assert doc["tiers"]["A"] == N


def test_location_values_must_parse_and_be_in_range(tmp_path):
    """6 positions in range, 2 out of range, 2 words: 6 of 10 shaped (60 % >= 50 %):
    assigned, and only the 6 rows with a position are tier A; the other 4 are tier C."""
    values = ["116.397128,39.916527"] * 6 + ["200.123456,39.916527", "116.397128,95.123456",
                                               "GPS", "基站"]
    doc = scan(tmp_path, ["经纬度"], [[v] for v in values])
    col = next(c for c in doc["columns"] if c["column"] == "经纬度")
    assert (col["category"], col["detected"], col["valid"]) == ("location", 10, 6)
    assert (doc["tiers"]["A"], doc["tiers"]["C"]) == (6, 4)


BRANDS = ["李宁", "王老吉", "周大福", "张小泉"]
LEVELS = ["金卡会员", "银卡会员", "钻石会员", "普通会员"]


def test_brand_and_level_columns_are_not_names(tmp_path):
    """40 rows: 4 brands, each 10 times (4/40 = 10 % distinct < 50 %, 4 < 50): not a name
    column on values alone; levels are not names at all. Only the 40 phones count."""
    rows = [[BRANDS[i % 4], LEVELS[i % 4]] for i in range(40)]
    f = write_csv(tmp_path / "pos.csv", ["手机号", "品牌", "等级"],
                  [[mobile(i), *r] for i, r in enumerate(rows)])
    doc = leakscan.scan([str(f)]).to_dict()
    assert assigned(doc) == {"手机号": "phone"}
    assert doc["tiers"] == {"A": 0, "B": 0, "C": 40}
    # Under a name header, the levels fail as values: 0 of 40 valid, not assigned.
    f = write_csv(tmp_path / "lv.csv", ["手机号", "姓名"],
                  [[mobile(i), LEVELS[i % 4]] for i in range(40)])
    doc = leakscan.scan([str(f)]).to_dict()
    assert assigned(doc) == {"手机号": "phone"}


def test_diverse_names_are_still_found_by_values(tmp_path):
    """Control: 40 distinct names without a header are names (40/40 distinct)."""
    f = write_csv(tmp_path / "n.csv", ["手机号", "f2"],
                  [[mobile(i), han_name(i)] for i in range(40)])
    doc = leakscan.scan([str(f)]).to_dict()
    assert assigned(doc) == {"手机号": "phone", "f2": "name"}


def test_hospital_table_with_unidentified_patients(tmp_path):
    """6 named patients and 4 placeholders (无名氏, 张某, 李某某, 王先生), each with a
    diagnosis, no other identifier: 6 valid names of 10 (60 %): the column is a name
    column; only the 6 identified rows are tier-B records, the placeholders' rows none."""
    names = [han_name(i, "陈") for i in range(6)] + ["无名氏", "张某", "李某某", "王先生"]
    f = write_csv(tmp_path / "er.csv", ["姓名", "诊断"],
                  [[n, "急性阑尾炎"] for n in names])
    doc = leakscan.scan([str(f)]).to_dict()
    cols = {c["column"]: c for c in doc["columns"]}
    assert (cols["姓名"]["category"], cols["姓名"]["valid"]) == ("name", 6)
    assert cols["诊断"]["category"] == "health"
    assert doc["tiers"] == {"A": 0, "B": 6, "C": 0}


def test_explain_shows_value_evidence_and_negative_words(tmp_path):
    f = write_csv(tmp_path / "gps.csv", ["手机号", "定位方式", "经纬度"],
                  [[mobile(i), "GPS", "116.397128,39.916527" if i < 8 else "GPS"]
                   for i in range(N)])
    res = CliRunner().invoke(main, ["scan", str(f), "--explain"], catch_exceptions=False)
    out = res.output + (res.stderr if res.stderr_bytes is not None else "")
    assert "negative words: location not matched, the header holds '方式'" in out
    assert "location 8/10 have its declared shape (coordinate) (80%)" in out


def test_categories_lists_value_kinds_and_negative_words():
    out = CliRunner().invoke(main, ["categories"], catch_exceptions=False).output
    block = out[out.index("location  ["):].split("\n")[:4]
    assert "    values: coordinate" in block
    assert any(line.startswith("    negative words: 方式, 类型") for line in block)
