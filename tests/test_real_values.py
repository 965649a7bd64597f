"""Values as real exports write them (issue 12): null markers, float renderings, every kind of
spreadsheet damage in a column. Expected numbers are worked out from the rows written.
"""

from __future__ import annotations

import leakscan
from leakscan.damage import default_null_markers
from tests.helpers import bank_card, mobile, resident_id, write_csv


def scan(paths, **kw):
    return leakscan.scan([str(p) for p in paths], **kw).to_dict()


def test_thirty_percent_filled_null_marker_column_counts_every_valid_value(tmp_path):
    # 100 rows; rows 0,1,2 of every 10 hold a valid card (30 cards), the rest MySQL's \N.
    rows = [[f"u{i}", bank_card(i) if i % 10 < 3 else "\\N"] for i in range(100)]
    doc = scan([write_csv(tmp_path / "cards.csv", ["uid", "银行卡号"], rows)])
    # \N is blank: 30 non-blank sampled values, all valid (100 %), the header is confirmed.
    assert doc["categories"]["bank_card"] == {**doc["categories"]["bank_card"],
                                              "detected": 30, "valid": 30, "unique": 30}
    assert doc["records"]["with_personal_info"] == 30
    col = next(c for c in doc["columns"] if c["column"] == "银行卡号")
    assert col["detected"] == 30


def test_every_default_null_marker_is_blank(tmp_path):
    markers = default_null_markers()
    assert {"NULL", "\\N", "None", "N/A", "-", "/", "无", "暂无"} <= set(markers)
    # one valid phone per row, 4 of them, then every marker once (case folded for some)
    rows = [[mobile(i)] for i in range(4)] + [[m.lower() if i % 2 else m]
                                              for i, m in enumerate(markers)]
    doc = scan([write_csv(tmp_path / "p.csv", ["手机号"], rows)])
    assert doc["categories"]["phone"]["detected"] == 4
    assert doc["categories"]["phone"]["valid"] == 4


def test_null_marker_option_adds_a_marker(tmp_path):
    rows = [[mobile(i)] for i in range(3)] + [["未提供"]] * 7
    f = write_csv(tmp_path / "p.csv", ["手机号"], rows)
    # without the option 未提供 is a failed value: 3 of 10 valid, below the 50 % header rule
    assert "phone" not in scan([f])["categories"]
    doc = scan([f], null_markers=["未提供"])
    assert doc["categories"]["phone"]["detected"] == 3
    assert doc["options"]["null_markers"][-1] == "未提供"
    assert doc["options"]["null_markers"][:-1] == list(default_null_markers())


def test_float_rendering_with_intact_digits_is_the_integer(tmp_path):
    rows = [["13800138000.0"], ["13800138001.0"], ["13800138002"], ["13800138003.00"]]
    doc = scan([write_csv(tmp_path / "p.csv", ["手机号"], rows)])
    assert doc["categories"]["phone"]["valid"] == 4
    assert doc["categories"]["phone"]["unique"] == 4
    assert not any("damaged" in w for w in doc["warnings"])


def test_column_mixing_scientific_notation_and_zero_filled_ids(tmp_path):
    good = [resident_id(i) for i in range(10)]
    # zero-filled: the first 15 digits then 000; pick ones whose check digit happens to be 0
    # ... no: any 18-digit value ending in 000 is marked, whatever its check digit says.
    zeroed = [resident_id(i)[:15] + "000" for i in range(100, 104)]
    sci = ["1.10105199001E+17", "1.10105199002E+17", "1.10105199003E+17", "1.10105199004E+17"]
    rows = [[v] for v in good + zeroed + sci]
    doc = scan([write_csv(tmp_path / "ids.csv", ["身份证号"], rows)])
    # 18 non-blank; 4 sci (22 %, >= 20 %: damaged) and 4 zero-filled (22 %, < 30 % alone):
    # both kinds are marked, so exactly the 10 clear IDs are valid.
    assert doc["categories"]["cn_resident_id"]["detected"] == 18
    assert doc["categories"]["cn_resident_id"]["valid"] == 10
    warning = next(w for w in doc["warnings"] if "damaged by a spreadsheet" in w)
    assert "scientific notation" in warning and "ending in 000" in warning


def test_zero_filled_id_passing_its_check_digit_is_not_counted(tmp_path):
    from stdnum.cn import ric
    # find zero-filled values that happen to pass the check digit (about 1 in 11)
    lucky = []
    for seq in range(1000):
        v = resident_id(seq)[:15] + "000"
        if ric.is_valid(v):
            lucky.append(v)
        if len(lucky) == 3:
            break
    assert len(lucky) == 3
    rows = [[resident_id(i)] for i in range(6)] + [[v] for v in lucky] + \
        [["1.10105199001E+17"]] * 3
    doc = scan([write_csv(tmp_path / "ids.csv", ["身份证号"], rows)])
    # 12 non-blank: 3 sci (25 %: damaged), so the 3 lucky zero-filled IDs are marked too
    assert doc["categories"]["cn_resident_id"]["valid"] == 6


def test_two_extensions_of_one_line_are_one_phone(tmp_path):
    rows = [["李雷", "010-62345678-801"], ["韩梅梅", "010-62345678转802"],
            ["王五", "010 6234 5678 ext. 803"], ["赵六", "13800138000"]]
    doc = scan([write_csv(tmp_path / "c.csv", ["姓名", "电话"], rows)])
    # 4 phone values, all valid; the three extensions are one line: 2 distinct phones
    assert doc["categories"]["phone"]["valid"] == 4
    assert doc["categories"]["phone"]["unique"] == 2
    # the names differ, so the rows are 4 records; persons link on the shared line: 2
    assert doc["records"]["unique"] == 4
