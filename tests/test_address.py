"""Postal addresses: hand-picked cases and SQL/Python agreement on generated values."""

from __future__ import annotations

import random
import string

import pytest
from faker import Faker

from categorizers import address
from leakscan.registry import default_registry
from leakscan.validation import InvalidFormat, InvalidLength

CAT = default_registry().get("address")
SPACES = [" ", "  ", "\t", "\u3000", "\xa0", "\u2002", "\n", "\r\n", "\u2028", "\x1c"]
FILLER = "北京上海朝阳海淀人民建国中山幸福花园大厦东西南北一二三四五六七八九十随便写写不详"


@pytest.mark.parametrize(("value", "normalized", "valid"), [
    ("北京市朝阳区建国路88号", "北京市朝阳区建国路88号", True),
    ("随便写写", "随便写写", False),
    ("随便写写随便写写", "随便写写随便写写", False),  # long enough, but no marker
    ("不详不详不详", "不详不详不详", False),
    ("北京", "北京", False),
    ("北京市朝阳", "北京市朝阳", False),  # 5 characters
    ("北京市朝阳区", "北京市朝阳区", True),
    (" 北京市  朝阳区\n建国路８８号 ", "北京市 朝阳区 建国路88号", True),
    ("内蒙古自治区呼和浩特市", "内蒙古自治区呼和浩特市", True),
    ("上海徐汇漕溪北路", "上海徐汇漕溪北路", True),
    ("幸福花园3栋2单元501室", "幸福花园3栋2单元501室", True),
    ("锡林郭勒盟正蓝旗", "锡林郭勒盟正蓝旗", True),
    ("88 Jianguo Road", "88 Jianguo Road", True),
    ("88 JIANGUO RD.", "88 JIANGUO RD.", True),
    ("88 jianguo rd", "88 jianguo rd", True),
    ("Room 5, Chaoyang District", "Room 5, Chaoyang District", True),
    ("1600 Pennsylvania Avenue NW", "1600 Pennsylvania Avenue NW", True),
    ("12 St.James", "12 St.James", True),
    ("Broadway 55", "Broadway 55", False),  # 'road' inside a word does not count
    ("55 Streetcar", "55 Streetcar", False),
    ("Main Street", "Main Street", False),  # no digit
    ("88 Main ſt", "88 Main ſt", False),  # long s is not 's'
    ("Ｎｏ．８８ Ｊｉａｎｇｕｏ Ｒｏａｄ", "No.88 Jianguo Road", True),
    ("88号", "88号", False),
    ("123456", "123456", False),
    ("北京市朝阳区***", "北京市朝阳区***", False),  # masked: e.g. leakscan's own sample
    ("北京市朝阳区建国路＊＊号", "北京市朝阳区建国路**号", False),
    ("市" * 120, "市" * 120, True),
    ("市" * 121, "市" * 121, False),
    ("", None, False),
    ("   ", None, False),
    ("\u3000\t", None, False),
    (None, None, False),
])
def test_hand_picked(value, normalized, valid, agree):
    assert address.normalize(value) == normalized
    assert address.is_valid(value) is valid
    agree(CAT, [value])


@pytest.mark.parametrize(("value", "error"), [
    ("", InvalidFormat), (None, InvalidFormat), ("北京", InvalidLength), ("市" * 121, InvalidLength),
    ("随便写写随便写写", InvalidFormat), ("Main Street", InvalidFormat),
    ("北京市朝阳区***", InvalidFormat),
])
def test_validate_says_why(value, error):
    with pytest.raises(error):
        address.validate(value)


def test_mask():
    assert address.mask("北京市朝阳区建国路88号") == "北京市朝阳区***"
    assert address.mask("88 Jianguo Road") == "** Jia***"
    assert address.mask("北京市朝阳区") == "北京市***"  # never more than half


def test_faker_chinese_addresses_are_valid():
    fake = Faker("zh_CN")
    fake.seed_instance(13)
    for _ in range(1000):
        value = fake.address()
        assert address.is_valid(value), value


def _chinese(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 6)):
        parts.append("".join(rng.choice(FILLER) for _ in range(rng.randint(0, 4))))
        if rng.random() < 0.5:
            parts.append(rng.choice(address.MARKERS))
        if rng.random() < 0.3:
            parts.append(str(rng.randint(1, 999)))
        if rng.random() < 0.2:
            parts.append(rng.choice(SPACES))
    return "".join(parts)


def _latin(rng: random.Random) -> str:
    words = ["Jianguo", "Main", "5th", "No.8", "Chaoyang", "Apt", "Suite", "Broadway", "Streetcar",
             "Roadster", "ST", "Rd.", "road", "Avenue", "AVE", "Lane", "district", "City",
             "Province", "street", "ſt", "K", "Str", "12", "88,", "#3"]
    return rng.choice(SPACES[:3]).join(rng.choice(words) for _ in range(rng.randint(1, 6)))


def _junk(rng: random.Random, n: int) -> list[str]:
    pool = (string.printable + "**＊" + FILLER + "".join(address.MARKERS) + "０１２３ＲｏａｄＳＴ　\xa0\u2028"
            "\u200b😀\u0301ßſİıK\U00020000")
    return ["".join(rng.choice(pool) for _ in range(rng.randint(0, 30))) for _ in range(n)]


def generated_values(seed: int = 20240604) -> list[str | None]:
    rng = random.Random(seed)
    zh = Faker("zh_CN")
    zh.seed_instance(seed)
    en = Faker("en_US")
    en.seed_instance(seed)
    values: list[str | None] = [None, "", " ", "\u3000", "\t\n"]
    values += [zh.address() for _ in range(1000)]
    values += [zh.street_address() for _ in range(300)]
    values += [zh.city() + zh.district() + "区" for _ in range(200)]
    values += [en.address() for _ in range(800)]
    values += [en.street_address().upper() for _ in range(200)]
    values += [_chinese(rng) for _ in range(1500)]
    values += [_latin(rng) for _ in range(1000)]
    values += _junk(rng, 1500)
    values += ["北京市朝阳区" + "建国路88号" * rng.randint(20, 25) for _ in range(20)]  # near 120
    return values


def test_sql_agrees_with_python_on_generated_values(agree):
    values = generated_values()
    agree(CAT, values)
    valid = sum(address.is_valid(v) for v in values)
    assert 1500 < valid < len(values) - 1500


def test_mask_never_shows_a_digit():
    for value in generated_values():
        if address.is_valid(value):
            masked = address.mask(address.normalize(value))
            assert not any(c.isdigit() for c in masked), masked
            assert len(masked) <= 9
            assert not address.is_valid(masked), masked
