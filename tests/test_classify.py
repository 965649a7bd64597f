"""Column classification and header detection (docs/classification.md)."""

from __future__ import annotations

import pytest

import leakscan
from leakscan.classify import HEADER_MIN_SHARE, VALUES_MIN_SHARE
from leakscan.column_sample import nonblank_sql
from leakscan.header_match import header_matches, synonym_matches
from leakscan.registry import default_registry
from leakscan.text import WHITESPACE_CHARS
from tests.helpers import broken_id, han_name, mobile, resident_id, write_csv


def columns(doc):
    return {c["column"]: (c["category"], c["method"]) for c in doc["columns"]}


def test_ascii_synonyms_match_whole_words_only():
    assert synonym_matches("home_tel", "tel")
    assert synonym_matches("homeTel", "tel")
    assert not synonym_matches("hotel", "tel")
    assert not synonym_matches("hotel_name", "tel")
    assert synonym_matches("Mobile No.", "mobile")


def test_chinese_synonyms_match_inside_longer_headers():
    matches = header_matches("联系人手机号码", default_registry())
    assert "phone" in matches


def test_nonblank_sql_agrees_with_python_strip(con):
    values = ["", " ", "a", " a ", None] + list(WHITESPACE_CHARS) + \
        [w + "x" + w for w in WHITESPACE_CHARS] + [WHITESPACE_CHARS]
    con.execute("CREATE OR REPLACE TEMP TABLE nb (i INTEGER, v VARCHAR)")
    con.executemany("INSERT INTO nb VALUES (?, ?)", list(enumerate(values)))
    got = [r[0] for r in con.execute(f"SELECT {nonblank_sql('v')} FROM nb ORDER BY i").fetchall()]
    assert got == [v is not None and v.strip() != "" for v in values]


def test_headerless_file_is_detected_and_classified_by_values(tmp_path):
    rows = [[mobile(i), resident_id(i), "你好"] for i in range(20)]
    f = write_csv(tmp_path / "nohead.csv", None, rows)
    doc = leakscan.scan([str(f)]).to_dict()
    assert doc["inputs"][0]["dialect"]["header"] is False
    assert doc["records"]["total"] == 20  # the first row is data, not a header
    assert columns(doc) == {"column1": ("phone", "values"),
                            "column2": ("cn_resident_id", "values")}


def test_header_option_forces_the_reading(tmp_path):
    f = write_csv(tmp_path / "h.csv", None, [[mobile(i)] for i in range(10)])
    doc = leakscan.scan([str(f)], header="yes").to_dict()
    assert doc["records"]["total"] == 9


def test_header_confirmed_by_half_the_values(tmp_path):
    # 10 of 20 valid: exactly the documented minimum share -> assigned.
    assert HEADER_MIN_SHARE == 0.5
    rows = [[resident_id(i)] for i in range(10)] + [[broken_id(i)] for i in range(10, 20)]
    doc = leakscan.scan([str(write_csv(tmp_path / "a.csv", ["身份证号"], rows))]).to_dict()
    assert columns(doc) == {"身份证号": ("cn_resident_id", "header+values")}
    assert doc["columns"][0]["confidence"] == 0.75


def test_header_not_confirmed_by_values_is_a_warning(tmp_path):
    rows = [[resident_id(i)] for i in range(9)] + [[broken_id(i)] for i in range(10, 21)]
    doc = leakscan.scan([str(write_csv(tmp_path / "a.csv", ["身份证号"], rows))]).to_dict()
    assert doc["columns"] == []
    assert any("header suggests cn_resident_id but only 9 of 20" in w for w in doc["warnings"])
    assert doc["records"]["with_personal_info"] == 0


def test_values_alone_need_a_high_share(tmp_path):
    # No header match ("code"): 18 of 20 valid is 90% -> assigned; 17 of 20 is not.
    assert VALUES_MIN_SHARE == 0.9
    for valid, assigned in ((18, True), (17, False)):
        rows = [[resident_id(i)] for i in range(valid)] + \
            [[broken_id(i)] for i in range(100, 120 - valid)]
        f = write_csv(tmp_path / f"v{valid}.csv", ["code"], rows)
        doc = leakscan.scan([str(f)]).to_dict()
        assert bool(doc["columns"]) is assigned, valid


def test_identifying_header_beats_an_attribute_header(tmp_path):
    f = write_csv(tmp_path / "h.csv", ["入住人姓名", "入住时间"],
                  [[han_name(i), "2024-05-01 14:00"] for i in range(5)])
    doc = leakscan.scan([str(f)]).to_dict()
    assert columns(doc) == {"入住人姓名": ("name", "header+values"),
                            "入住时间": ("accommodation", "header+values")}
    assert doc["tiers"] == {"A": 0, "B": 5, "C": 0}


def test_values_beat_an_attribute_header(tmp_path):
    f = write_csv(tmp_path / "cdr.csv", ["主叫号码", "通话时长"],
                  [[mobile(i), "35"] for i in range(6)])
    doc = leakscan.scan([str(f)]).to_dict()
    assert columns(doc) == {"主叫号码": ("phone", "values"),
                            "通话时长": ("communication_record", "header+values")}
    assert doc["tiers"]["B"] == 6


def test_ambiguous_attribute_header_is_a_warning(tmp_path):
    f = write_csv(tmp_path / "amb.csv", ["姓名", "消费余额"], [[han_name(1), "12.5"]])
    doc = leakscan.scan([str(f)]).to_dict()
    assert "消费余额" not in columns(doc)
    assert any("ambiguous header" in w and "消费余额" in w for w in doc["warnings"])


def test_names_without_a_header_need_a_known_surname(tmp_path):
    names = [han_name(i, s) for i, s in enumerate("王李张刘陈杨黄赵吴周" * 2)]
    words = ["北京大学", "苹果手机", "上海", "深圳", "数据中心", "东方明珠", "长城", "黄山",
             "西湖", "故宫", "天坛", "颐和园", "外滩", "南京路", "鼓浪屿", "洱海", "丽江", "桂林",
             "三亚", "拉萨"]
    f = write_csv(tmp_path / "nohead.csv", None,
                  [[n, w, mobile(i)] for i, (n, w) in enumerate(zip(names, words, strict=True))])
    doc = leakscan.scan([str(f)]).to_dict()
    assert columns(doc) == {"column1": ("name", "values"), "column3": ("phone", "values")}


def test_detect_sql_agrees_with_python(con, registry):
    from leakscan.expressions import CellSpec, apply, layered_select

    values = ["王小明", "北京大学", "张先生", "欧阳娜娜", "买买提·艾力", "zhang san", "", None,
              "王", "王小明明明", "Ｗａｎｇ", "司马相如", "上官婉儿", "张 三"]
    for cat in registry:
        if not cat.detect_sql:
            continue
        con.execute("CREATE OR REPLACE TEMP TABLE dv (i INTEGER, v VARCHAR)")
        con.executemany("INSERT INTO dv VALUES (?, ?)", list(enumerate(values)))
        inner = layered_select([CellSpec("c", "v", cat)], "dv", ["i"])
        got = [bool(r[0]) for r in con.execute(
            f"SELECT c_ok AND coalesce({apply(cat.detect_sql, 'c_norm')}, false) "
            f"FROM ({inner}) ORDER BY i").fetchall()]
        assert got == [cat.detect(v) for v in values], cat.id


def test_latitude_longitude_pair_is_found_by_values(tmp_path):
    rows = [[han_name(i), mobile(i), f"{39.9 + i / 1000:.6f}", f"{116.3 + i / 1000:.6f}", "12.50"]
            for i in range(30)]
    f = write_csv(tmp_path / "gps.csv", None, rows)
    doc = leakscan.scan([str(f)]).to_dict()
    assert columns(doc) == {"column1": ("name", "values"), "column2": ("phone", "values"),
                            "column3": ("location", "values"), "column4": ("location", "values")}
    assert doc["tiers"] == {"A": 30, "B": 0, "C": 0}  # trajectory makes each record tier A


def test_prices_and_integers_are_not_coordinates(tmp_path):
    rows = [[mobile(i), f"{i}.50", str(100 + i)] for i in range(30)]
    doc = leakscan.scan([str(write_csv(tmp_path / "p.csv", None, rows))]).to_dict()
    assert columns(doc) == {"column1": ("phone", "values")}


def test_short_alphanumeric_header_over_digit_columns_is_a_header(tmp_path):
    f = write_csv(tmp_path / "w.csv", ["c0", "c1"], [[mobile(i), resident_id(i)] for i in range(8)])
    doc = leakscan.scan([str(f)]).to_dict()
    assert doc["inputs"][0]["dialect"]["header"] is True
    assert doc["records"]["total"] == 8
    assert columns(doc) == {"c0": ("phone", "values"), "c1": ("cn_resident_id", "values")}


def _header_matches_by_the_rule(header, registry):
    """The definition of a header match, synonym by synonym (``synonym_matches``,
    ``negative_hits``), without the per-category screen ``header_matches`` uses."""
    from leakscan.header_match import negative_hits, synonym_matches

    found = {}
    for cat in registry:
        hits = [s for s in cat.header_synonyms if synonym_matches(header, s)]
        if hits and not negative_hits(header, cat.negative_words):
            found[cat.id] = max(hits, key=len)
    return found


@pytest.mark.parametrize("uncompiled", [0, 10**9], ids=["compiled", "substrings"])
def test_header_screen_matches_exactly_what_the_rule_matches(uncompiled, monkeypatch):
    """The per-category screens of headers (for wide files: 400 columns took 2.3 s of header
    matching without them), as substring tests (the first headers of a process) and as
    regular expressions (the rest), accept exactly the headers some synonym matches: 3,000
    headers built from every synonym and negative word, joined with separators, case
    changes and junk."""
    import random

    from leakscan import header_match
    from leakscan.header_match import (
        header_matches,
        header_negatives,
        negative_hits,
        synonym_matches,
    )

    monkeypatch.setattr(header_match, "SCREENED_UNCOMPILED", uncompiled)
    monkeypatch.setattr(header_match, "_screened", {})
    header_match._header_matches.cache_clear()
    reg = default_registry()
    words = [s for c in reg for s in c.header_synonyms] + \
        [w.strip("_") for c in reg for w in c.negative_words]
    junk = ["", "号", "码", "no", "Name", "ID", "2", "客户", "x", "PhoneNumber", "Ｔｅｌ", "hotel"]
    rng = random.Random(7)
    for _ in range(3_000):
        parts = [rng.choice(words) if rng.random() < 0.6 else rng.choice(junk)
                 for _ in range(rng.randint(1, 3))]
        header = rng.choice(["", "_", " ", "-", "."]).join(parts)
        header = header.upper() if rng.random() < 0.3 else header
        assert header_matches(header, reg) == _header_matches_by_the_rule(header, reg), header
        negatives = {c.id: h for c in reg
                     if any(synonym_matches(header, s) for s in c.header_synonyms)
                     and (h := negative_hits(header, c.negative_words))}
        assert header_negatives(header, reg) == negatives, header


def test_a_wide_file_is_sampled_in_long_form(tmp_path):
    """300 columns (one phone column, the rest repeated codes): the phone column is found
    with every value valid; the sample query's size does not grow with the columns' count
    of aggregates (``sql.long_form``), which the damage check shares."""
    from leakscan.damage import damage_patterns, damage_sql

    rows = [[mobile(i)] + [f"v{i % 7}{j % 5}" for j in range(299)] for i in range(40)]
    f = write_csv(tmp_path / "wide.csv", ["手机号"] + [f"f{j}" for j in range(299)], rows)
    doc = leakscan.scan(str(f)).to_dict()
    assert doc["categories"]["phone"]["valid"] == 40
    assert [c["column"] for c in doc["columns"]] == ["手机号"]
    patterns = damage_patterns(default_registry())
    assert len(damage_sql("t", [f"c{j}" for j in range(300)], 10, patterns=patterns)) < \
        len(damage_sql("t", ["c0"], 10, patterns=patterns)) + 300 * 40
