"""The header vocabulary (``categorizers/data/headers.toml``): every word matches its category
through the real header matcher, and the words of issue 12 work in a real scan.

Expected counts come from the rows each test writes (see ``tests/helpers.py``), never from
the categorizers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import leakscan
from categorizers import _headers
from leakscan.header_match import header_matches
from leakscan.registry import default_registry
from tests.helpers import broken_id, han_name, mobile, resident_id, write_csv

REGISTRY = default_registry()
WORDS = [(g["category"], g["system"], w) for g in _headers.groups() for w in g["words"]]
OVERLAPS = {w: frozenset(o["categories"]) for o in _headers.overlaps() for w in o["words"]}


def test_every_group_names_a_category_a_system_and_a_source():
    for group in _headers.groups():
        assert group["category"] in REGISTRY or group["category"] == _headers.NOT_PERSONAL
        assert group["system"].strip() and group["source"].strip() and group["words"], group


@pytest.mark.parametrize(("category", "system", "word"), WORDS,
                         ids=[f"{c}:{w}" for c, _, w in WORDS])
def test_each_word_matches_its_category_and_no_other_unless_documented(category, system, word):
    found = set(header_matches(word, REGISTRY))
    if category == _headers.NOT_PERSONAL:
        assert found == set(), f"{word!r} ({system}) names no personal information"
        return
    assert category in found, f"{word!r} ({system}) does not match {category}"
    if found != {category}:
        assert found <= OVERLAPS.get(word, frozenset()), \
            f"{word!r} also matches {found - {category}}: document it in an [[overlap]]"


def test_each_overlap_is_real_and_between_identifying_categories_or_values_decide():
    for o in _headers.overlaps():
        assert o["why"].strip()
        for word in o["words"]:
            assert set(header_matches(word, REGISTRY)) == set(o["categories"]), word


def test_the_categorizers_read_their_words_from_the_file():
    for cat in REGISTRY:
        if cat.module.__name__.startswith("categorizers."):
            assert cat.header_synonyms == _headers.synonyms(cat.id), cat.id


def test_the_engine_never_reads_the_vocabulary_file():
    engine = Path(leakscan.__file__).parent
    assert not [p for p in engine.rglob("*.py") if "headers.toml" in p.read_text("utf-8")]


def columns(doc):
    return {c["column"]: (c["category"], c["method"]) for c in doc["columns"]}


def counts(doc, category):
    c = doc["categories"][category]
    return c["detected"], c["valid"], c["unique"]


def test_an_order_export_with_consignee_words(tmp_path):
    """收货人, 收货电话, 证件号码: six orders, the last with a wrong ID check digit; the
    order number labels the order and is no category."""
    rows = [[f"T2024031500{i:04d}", han_name(i, "王"), mobile(i),
             resident_id(i) if i < 5 else broken_id(i)] for i in range(6)]
    f = write_csv(tmp_path / "orders.csv", ["订单编号", "收货人", "收货电话", "证件号码"], rows)
    doc = leakscan.scan([str(f)]).to_dict()
    assert columns(doc) == {"收货人": ("name", "header+values"),
                            "收货电话": ("phone", "header+values"),
                            "证件号码": ("cn_resident_id", "header+values")}
    assert counts(doc, "name") == (6, 6, 6)
    assert counts(doc, "phone") == (6, 6, 6)
    assert counts(doc, "cn_resident_id") == (6, 5, 5)
    assert doc["records"]["unique"] == 6 and doc["tiers"] == {"A": 0, "B": 0, "C": 6}


def test_a_hotel_export_with_contact_and_stay_words(tmp_path):
    """联系人, 联系方式, 开房时间: four stays, one contact written 暂无 (a null marker:
    blank); every stay is accommodation, so every record is tier B."""
    rows = [[han_name(i, "李"), mobile(i) if i != 3 else "暂无", f"2024-03-0{i + 1} 22:15:00"]
            for i in range(4)]
    f = write_csv(tmp_path / "pms.csv", ["联系人", "联系方式", "开房时间"], rows)
    doc = leakscan.scan([str(f)]).to_dict()
    assert columns(doc) == {"联系人": ("name", "header+values"),
                            "联系方式": ("phone", "header+values"),
                            "开房时间": ("accommodation", "header+values")}
    assert counts(doc, "name") == (4, 4, 4)
    assert counts(doc, "phone") == (3, 3, 3)
    assert counts(doc, "accommodation") == (4, 4, 4)
    assert doc["tiers"] == {"A": 0, "B": 4, "C": 0}


def test_a_guest_register_with_check_in_times(tmp_path):
    """入住时间 and 房号 under a register's header: three guests, tier B each."""
    rows = [[han_name(i, "赵"), resident_id(i), f"2024-05-1{i} 14:0{i}:00", f"80{i}"]
            for i in range(3)]
    f = write_csv(tmp_path / "register.csv", ["姓名", "身份证号", "入住时间", "房号"], rows)
    doc = leakscan.scan([str(f)]).to_dict()
    assert columns(doc)["入住时间"] == ("accommodation", "header+values")
    assert counts(doc, "accommodation") == (6, 6, 6)  # 3 times and 3 rooms, all distinct
    assert doc["tiers"] == {"A": 0, "B": 3, "C": 0}


def test_a_waybill_export_with_recipient_words(tmp_path):
    """收件人 and 收件人电话 (which names the recipient and a phone: the values decide):
    five waybills; the waybill number is no category."""
    rows = [[f"SF{1400000000 + i}", han_name(i, "陈"), mobile(i)] for i in range(5)]
    f = write_csv(tmp_path / "waybills.csv", ["运单号", "收件人", "收件人电话"], rows)
    doc = leakscan.scan([str(f)]).to_dict()
    assert columns(doc) == {"收件人": ("name", "header+values"),
                            "收件人电话": ("phone", "header+values")}
    assert counts(doc, "name") == (5, 5, 5) and counts(doc, "phone") == (5, 5, 5)
    assert doc["tiers"] == {"A": 0, "B": 0, "C": 5}


def test_a_clinic_card_number_is_neither_health_nor_a_bank_card(tmp_path):
    """就诊卡号 holds 卡号 and 就诊 but matches no category (health and bank_card negative
    words); the chief complaint (主诉) is health: six visits, tier B each."""
    rows = [[han_name(i, "周"), f"13030411{i:02d}", "头痛两天"] for i in range(6)]
    f = write_csv(tmp_path / "his.csv", ["患者姓名", "就诊卡号", "主诉"], rows)
    doc = leakscan.scan([str(f)]).to_dict()
    assert columns(doc) == {"患者姓名": ("name", "header+values"),
                            "主诉": ("health", "header+values")}
    assert not any("就诊卡号" in w for w in doc["warnings"])
    assert doc["tiers"] == {"A": 0, "B": 6, "C": 0}
