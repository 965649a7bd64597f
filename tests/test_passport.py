"""PRC passport numbers: hand-picked cases and SQL/Python agreement on generated values."""

from __future__ import annotations

import random
import string

import pytest
from faker import Faker

from categorizers import passport
from leakscan.registry import default_registry
from leakscan.validation import InvalidComponent, InvalidFormat, InvalidLength

CAT = default_registry().get("passport")
FULL_WIDTH = str.maketrans(string.ascii_letters + string.digits,
                           "".join(chr(ord(c) + 0xFEE0) for c in string.ascii_letters + string.digits))
SPACES = [" ", "  ", "\t", "\u3000", "\xa0", "\u2002", "\n", "\u2028"]


@pytest.mark.parametrize(("value", "normalized", "valid"), [
    ("E12345678", "E12345678", True),
    ("EI1234567", "EI1234567", False),  # I is not used as a series letter
    ("EO1234567", "EO1234567", False),  # nor O
    ("EA1234567", "EA1234567", True),
    ("EZ7654321", "EZ7654321", True),
    ("ea1234567", "EA1234567", True),
    (" e 1234 5678 ", "E12345678", True),
    ("Ｅ１２３４５６７８", "E12345678", True),
    ("ｅ１２３４５６７８", "E12345678", True),
    ("E\u300012345678", "E12345678", True),
    ("G12345678", "G12345678", True),
    ("G1234567", "G1234567", False),
    ("D1234567", "D1234567", True),
    ("S1234567", "S1234567", True),
    ("P1234567", "P1234567", True),
    ("D12345678", "D12345678", False),  # D + 8 digits is not a listed form
    ("DE1234567", "DE1234567", False),
    ("E1234567", "E1234567", False),
    ("E123456789", "E123456789", False),
    ("EA12345678", "EA12345678", False),
    ("EAB123456", "EAB123456", False),
    ("K12345678", "K12345678", False),  # Hong Kong SAR passport: not PRC series
    ("X12345678", "X12345678", False),
    ("14123456", "14123456", False),  # old all-digit series
    ("123", "123", False),
    ("E1234567８", "E12345678", True),
    ("E-12345678", "E-12345678", False),
    ("ß12345678", "ß12345678", False),  # not upper-cased to SS on either side
    ("", None, False),
    ("   ", None, False),
    ("\u3000", None, False),
    (None, None, False),
])
def test_hand_picked(value, normalized, valid, agree):
    assert passport.normalize(value) == normalized
    assert passport.is_valid(value) is valid
    agree(CAT, [value])


@pytest.mark.parametrize(("value", "error"), [
    ("", InvalidFormat), (None, InvalidFormat), ("123", InvalidLength),
    ("E123456789", InvalidLength), ("K12345678", InvalidComponent), ("EI1234567", InvalidFormat),
    ("G1234567X", InvalidFormat), ("D12345678", InvalidFormat),
])
def test_validate_says_why(value, error):
    with pytest.raises(error):
        passport.validate(value)


def test_validate_returns_normalized():
    assert passport.validate(" ea 123 4567 ") == "EA1234567"


def test_mask():
    assert passport.mask("E12345678") == "E1*****78"
    assert passport.mask("D1234567") == "D1****67"


def _candidate(rng: random.Random) -> str:
    """Mostly near-valid numbers: right or wrong series, letter, length."""
    kind = rng.choice("EEEEGGDSPKXHMAeg1")
    if kind in "Ee" and rng.random() < 0.5:
        kind += rng.choice(string.ascii_letters)
    length = rng.choice([6, 7, 7, 8, 8, 8, 9, 10])
    return kind + "".join(rng.choice(string.digits) for _ in range(max(0, length - len(kind) + 1)))


def _dress(rng: random.Random, number: str) -> str:
    style = rng.randrange(5)
    if style == 1:
        number = number.translate(FULL_WIDTH)
    elif style == 2:
        cut = rng.randrange(len(number) + 1)
        number = number[:cut] + rng.choice(SPACES) + number[cut:]
    elif style == 3:
        number = rng.choice(SPACES) + number.lower() + rng.choice(SPACES)
    elif style == 4:
        cut = rng.randrange(len(number) + 1)
        number = number[:cut] + rng.choice("-/.·ｉＩОΕ0Oİıß") + number[cut:]
    return number


def _junk(rng: random.Random, n: int) -> list[str]:
    pool = (string.ascii_letters + string.digits + "ＥＧＤｅｇ０１２３ \t\n\u3000\xa0\u2028\u200b"
            "护照号中国😀\u0301ßſİıΕ")
    return ["".join(rng.choice(pool) for _ in range(rng.randint(0, 14))) for _ in range(n)]


def generated_values(seed: int = 20240602) -> list[str | None]:
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    values: list[str | None] = [None, "", " ", "\u3000", "\t\n"]
    values += [_dress(rng, _candidate(rng)) for _ in range(4000)]
    values += [fake.bothify("E########") for _ in range(300)]
    values += [fake.bothify("E?#######").upper() for _ in range(300)]
    values += [fake.bothify("??#######") for _ in range(300)]
    values += _junk(rng, 1500)
    return values


def test_sql_agrees_with_python_on_generated_values(agree):
    values = generated_values()
    agree(CAT, values)
    valid = sum(passport.is_valid(v) for v in values)
    assert 500 < valid < len(values) - 500
