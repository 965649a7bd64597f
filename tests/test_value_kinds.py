"""Value kinds of the attribute categories: SQL and Python agree, and each kind accepts and
refuses what docs/classification.md says it does (hand-picked values with known truth)."""

from __future__ import annotations

import random

import pytest

from categorizers._kinds import KIND_SQL, KINDS, has_kind
from leakscan.expressions import apply

SHAPED = {
    "coordinate": ["116.397128", "-33.8688", "39.9165270", "116.397128,39.916527",
                   "39.916527, 116.397128", "116.3971;39.9165", "116.3971 39.9165",
                   "-73.9857/40.7484"],
    "money": ["12.5", "0", "0.50", "¥1,234.50", "$ 99", "1234567", "-15.00", "30元",
              "2.5万元", "RMB 100", "100 cny"],
    "datetime": ["2024-01-15", "2024-01-15 10:22:03", "2024/1/5", "2024.01.05",
                 "2024年1月5日", "2024-01-15T10:22:03+08:00", "2024-01-15 10:22:03.123",
                 "10:22", "10时22分05秒", "2024-01-15T10:22:03Z"],
    "duration": ["00:03:25", "3:25", "125", "125秒", "3分20秒", "2.5 min", "1小时5分",
                 "1小时5分30秒", "45s", "10mins"],
    "text": ["头孢过敏", "高血压二级", "如家酒店", "chronic asthma", "阳性"],
    "score": ["650", "-2", "3.5", "720"],
    "room": ["1203", "A1203", "B-0812", "ab12", "81"],
    "blood_type": ["A", "AB+", "O Rh-", "B型", "ab rh+", "O型"],
}
UNSHAPED = {
    "coordinate": ["GPS", "基站", "WIFI", "WGS-84", "GCJ-02", "2024-01-15 10:22:03", "116",
                   "116.39", "200.123456", "116.397128,95.123456", "1234.56789",
                   "116.397128,,39.916527", "北京市朝阳区"],
    "money": ["ZB-2024-0001", "01", "1.234", "12,34", "1,2345", "2024011512345678",
              "1234567890123", "十元", "¥", "-", "¥¥1"],
    "datetime": ["2024-13-01", "2024-00-10", "2024-01-32", "24:00", "1899-01-01",
                 "20240115", "已完成", "10:60"],
    "duration": ["1234567", "3:60", "abc", "3分60秒", ".5秒", "1:2"],
    "text": ["是", "否", "无", "true", "NO", "N/A", "https://x.example/a", "www.example.com",
             "12345", "A1", "x", "GPS"],
    "score": ["0", "1", "是", "1e5", "abc", "1234567890"],
    "room": ["1", "123456", "-1203", "12-03", "ABC123", "A1B203"],
    "blood_type": ["C", "ABO", "A++", "阳性"],
}


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_accepts_its_shapes_and_refuses_others(kind):
    assert [v for v in SHAPED[kind] if not has_kind(v, kind)] == []
    assert [v for v in UNSHAPED[kind] if has_kind(v, kind)] == []


def _generated(n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    alphabet = "0123456789.,:;/- +年月日时分秒型元万abhmnosrTZ¥$头孢过敏是否ABO"
    out = [v for vs in (*SHAPED.values(), *UNSHAPED.values()) for v in vs]
    for _ in range(n):
        out.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))).strip())
    for _ in range(n // 4):
        a = f"{rng.uniform(-200, 200):.{rng.randint(2, 7)}f}"
        b = f"{rng.uniform(-100, 100):.{rng.randint(2, 7)}f}"
        out += [a, f"{a}{rng.choice([',', ', ', ' ', ';', '/'])}{b}",
                f"{rng.randint(1890, 2110)}-{rng.randint(0, 13)}-{rng.randint(0, 33)} "
                f"{rng.randint(0, 25)}:{rng.randint(0, 61):02d}"]
    return [v for v in out if v]


@pytest.mark.parametrize("kind", KINDS)
def test_sql_agrees_with_python(con, kind):
    values = _generated(3000)
    sql = apply(KIND_SQL[kind], "v")
    got = con.execute(f"SELECT v, coalesce({sql}, false) FROM unnest(?) AS t(v)",
                      [values]).fetchall()
    bad = [(v, s) for v, s in got if s != has_kind(v, kind)]
    assert not bad, bad[:10]
