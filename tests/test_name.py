"""Personal names: hand-picked cases and SQL/Python agreement on generated values."""

from __future__ import annotations

import random
import string

import pytest
from faker import Faker

from categorizers import name
from leakscan.registry import default_registry
from leakscan.validation import InvalidFormat, InvalidLength

CAT = default_registry().get("name")
SPACES = [" ", "  ", "\t", "\u3000", "\xa0", "\u2002", "\n", "\u2028", "\x1f"]
HAN = "张王李赵欧阳买提艾力热合曼古丽娜尔阿卜杜司马诸葛明华国强"
EXT_A = "".join(chr(c) for c in (0x3400, 0x3401, 0x4DB5, 0x4DBF))
DOT, BULLET = "\u00b7", "\u2022"


@pytest.mark.parametrize(("value", "normalized", "valid"), [
    ("张三", "张三", True),
    ("张", "张", False),
    ("买买提·艾力", "买买提·艾力", True),
    ("买买提•艾力", "买买提·艾力", True),  # bullet typed for the middle dot
    ("买买提 · 艾力", "买买提·艾力", True),
    ("阿卜杜热合曼·买买提明", "阿卜杜热合曼·买买提明", True),
    ("·艾力", "·艾力", False),
    ("买买提·", "买买提·", False),
    ("买买提··艾力", "买买提··艾力", False),
    ("买买提.艾力", "买买提.艾力", False),  # full stop is not the separator
    ("一二三四五六七八·一二三四五六七", "一二三四五六七八·一二三四五六七", True),  # 15 Han
    ("一二三四五六七八·一二三四五六七八", "一二三四五六七八·一二三四五六七八", False),  # 16 Han
    ("123", "123", False),
    ("欧阳娜娜", "欧阳娜娜", True),
    ("欧阳娜娜娜", "欧阳娜娜娜", False),
    ("张 三", "张三", True),
    (" 张\u3000三 ", "张三", True),
    ("\u3400三", "\u3400三", True),  # Extension A
    ("\U00020000三", "\U00020000三", False),  # Extension B: outside the accepted ranges
    ("张三1", "张三1", False),
    ("张三Zhang", "张三Zhang", False),
    ("〇三", "〇三", False),  # U+3007 is not a CJK Unified Ideograph
    ("Zhang San", "zhang san", True),
    ("ZHANG  San", "zhang san", True),
    ("Ｚｈａｎｇ　Ｓａｎ", "zhang san", True),
    ("Jean-Luc Picard", "jean-luc picard", True),
    ("Shaquille O'Neal", "shaquille o'neal", True),
    ("Mary Ann Lee Smith", "mary ann lee smith", True),
    ("J Smith", "j smith", True),
    ("Madonna", "madonna", False),
    ("J. Smith", "j. smith", False),
    ("a b c d e", "a b c d e", False),
    ("José García", "josé garcía", False),
    ("-Jean Luc", "-jean luc", False),
    ("Jean- Luc", "jean- luc", False),
    ("Jean--Luc Picard", "jean--luc picard", False),
    ("O' Neal", "o' neal", False),
    ("Abcdefghijklmnopqrst Smith", "abcdefghijklmnopqrst smith", True),  # 20-letter word
    ("Abcdefghijklmnopqrstu Smith", "abcdefghijklmnopqrstu smith", False),  # 21
    ("Abcdefghij Abcdefghij Abcdefghij Abcdefgh", "abcdefghij abcdefghij abcdefghij abcdefgh",
     False),  # 41 characters
    ("user", "user", False),
    ("ſmith Jones", "ſmith jones", False),  # long s is not ASCII
    ("", None, False),
    ("   ", None, False),
    (None, None, False),
])
def test_hand_picked(value, normalized, valid, agree):
    assert name.normalize(value) == normalized
    assert name.is_valid(value) is valid
    agree(CAT, [value])


def test_latin_length_limit():
    forty = "abcdefghij abcdefghij abcdefghij abcdefg"
    assert len(forty) == 40 and name.is_valid(forty)
    assert not name.is_valid(forty + "h")


@pytest.mark.parametrize(("value", "error"), [
    ("", InvalidFormat), (None, InvalidFormat), ("张", InvalidLength), ("欧阳娜娜娜", InvalidLength),
    ("张三1", InvalidFormat), ("买买提··艾力", InvalidFormat), ("Madonna", InvalidFormat),
    ("J. Smith", InvalidFormat), ("Abcdefghijklmnopqrstu Smith", InvalidLength),
    ("一二三四五六七八·一二三四五六七八", InvalidLength),
])
def test_validate_says_why(value, error):
    with pytest.raises(error):
        name.validate(value)


def test_mask():
    assert name.mask("张三") == "张*"
    assert name.mask("欧阳娜娜") == "欧***"
    assert name.mask("买买提·艾力") == "买*****"
    assert name.mask("zhang san") == "z*** s***"
    assert name.mask("jean-luc picard") == "j*** p***"


def test_faker_chinese_names_are_valid():
    fake = Faker("zh_CN")
    fake.seed_instance(11)
    for _ in range(1000):
        value = fake.name()
        assert name.is_valid(value), value


def _han_name(rng: random.Random) -> str:
    pool = HAN + EXT_A
    segments = [
        "".join(rng.choice(pool) for _ in range(rng.randint(0, 9)))
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3]))
    ]
    text = rng.choice([DOT, BULLET, DOT, " · ", "..", "\u30fb"]).join(segments)
    if rng.random() < 0.2:
        cut = rng.randrange(len(text) + 1)
        text = text[:cut] + rng.choice(SPACES + ["1", "a", "(", "\u0301", "〇"]) + text[cut:]
    return text


def _latin_name(rng: random.Random) -> str:
    words = []
    for _ in range(rng.choice([1, 2, 2, 3, 4, 5])):
        word = "".join(rng.choice(string.ascii_letters) for _ in range(rng.randint(0, 22)))
        if word and rng.random() < 0.2:
            cut = rng.randrange(len(word) + 1)
            word = word[:cut] + rng.choice("-'.é1ſK") + word[cut:]
        words.append(word)
    return rng.choice(SPACES).join(words)


def _junk(rng: random.Random, n: int) -> list[str]:
    pool = (string.printable + HAN + EXT_A + "·•・ＡＢｃ０１　\xa0\u2028\u200b😀\u0301ßſİıΣ\U00020000")
    return ["".join(rng.choice(pool) for _ in range(rng.randint(0, 16))) for _ in range(n)]


def generated_values(seed: int = 20240603) -> list[str | None]:
    rng = random.Random(seed)
    zh = Faker("zh_CN")
    zh.seed_instance(seed)
    en = Faker("en_US")
    en.seed_instance(seed)
    values: list[str | None] = [None, "", " ", "\u3000", "\t\n"]
    values += [zh.name() for _ in range(1000)]
    values += [rng.choice(SPACES).join(zh.name()) for _ in range(300)]  # 张 三
    values += [zh.last_name() + DOT + zh.first_name() for _ in range(200)]
    values += [en.name() for _ in range(800)]  # includes 'Dr.', 'MD', 'Jr.'
    values += [en.name().upper() for _ in range(200)]
    values += [_han_name(rng) for _ in range(1500)]
    values += [_latin_name(rng) for _ in range(1500)]
    values += _junk(rng, 1500)
    return values


def test_sql_agrees_with_python_on_generated_values(agree):
    values = generated_values()
    agree(CAT, values)
    valid = sum(name.is_valid(v) for v in values)
    assert 1500 < valid < len(values) - 1500
