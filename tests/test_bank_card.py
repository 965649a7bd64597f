"""Bank card numbers: hand-picked cases, SQL/Python agreement on generated values, speed."""

from __future__ import annotations

import random
import time

import pytest
from faker import Faker
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from categorizers import bank_card
from leakscan.expressions import CellSpec, layered_select
from leakscan.registry import default_registry
from leakscan.validation import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

CAT = default_registry().get("bank_card")
FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")
SPACES = [" ", "  ", "\t", "\u3000", "\xa0", "\u2002", "\n"]

VALID_16 = "6222021234567894"
VALID_19 = "6228480012345678903"


def _changed_last(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


@pytest.mark.parametrize(("value", "normalized", "valid"), [
    (VALID_16, VALID_16, True),
    (_changed_last(VALID_16), _changed_last(VALID_16), False),
    (VALID_19, VALID_19, True),
    (_changed_last(VALID_19), _changed_last(VALID_19), False),
    ("4111111111111111", "4111111111111111", True),  # the well-known Visa test number
    ("4111 1111 1111 1111", "4111111111111111", True),
    ("4111-1111-1111-1111", "4111111111111111", True),
    (" 6222 0212-3456 7894\t", VALID_16, True),
    ("６２２２０２１２３４５６７８９４", VALID_16, True),
    ("６２２２　０２１２－３４５６　７８９４", VALID_16, True),
    ("378282246310005", "378282246310005", False),  # Amex, 15 digits: valid PAN, not accepted
    ("62220212345678", "62220212345678", False),  # 14 digits
    ("62284800123456789038", "62284800123456789038", False),  # 20 digits (Luhn-valid)
    ("0000000000000000", "0000000000000000", False),  # Luhn-valid, but MII 0
    ("0622202123456782", "0622202123456782", False),
    ("6.22202E+18", None, False),
    ("6222O21234567894", None, False),  # letter O for zero
    ("６２２２abc", None, False),
    ("٦٢٢٢٠٢١٢٣٤٥٦٧٨٩٤", None, False),  # Arabic-Indic digits are not folded
    ("--", None, False),
    ("", None, False),
    ("   ", None, False),
    (None, None, False),
])
def test_hand_picked(value, normalized, valid, agree):
    assert bank_card.normalize(value) == normalized
    assert bank_card.is_valid(value) is valid
    agree(CAT, [value])


def test_fixtures_are_what_they_claim():
    assert luhn.is_valid(VALID_16) and len(VALID_16) == 16
    assert luhn.is_valid(VALID_19) and len(VALID_19) == 19
    assert luhn.is_valid("62284800123456789038")
    assert luhn.is_valid("0622202123456782")


@pytest.mark.parametrize(("value", "error"), [
    ("", InvalidFormat), (None, InvalidFormat), ("6222-abcd", InvalidFormat),
    ("622202123456789", InvalidLength), ("62220212345678901234", InvalidLength),
    ("0000000000000000", InvalidComponent), (_changed_last(VALID_16), InvalidChecksum),
])
def test_validate_says_why(value, error):
    with pytest.raises(error):
        bank_card.validate(value)


def test_validate_returns_normalized():
    assert bank_card.validate("6228 4800 1234 5678 903") == VALID_19


def test_mask():
    assert bank_card.mask(VALID_19) == "6228***********8903"
    assert bank_card.mask(VALID_16) == "6222********7894"


@given(st.text(alphabet="0123456789", min_size=16, max_size=19))
def test_python_reference_is_stdnum_luhn(number):
    assert bank_card.is_valid(number) == (number[0] != "0" and luhn.is_valid(number))


def _luhn_number(rng: random.Random, length: int, valid: bool) -> str:
    body = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(length - 2))
    check = int(luhn.calc_check_digit(body))
    if not valid:
        check = (check + rng.randint(1, 9)) % 10
    return body + str(check)


def _dress(rng: random.Random, number: str) -> str:
    """Write a number the ways leaks do: grouped, dashed, full-width, padded."""
    style = rng.randrange(6)
    if style == 1:
        number = " ".join(number[i:i + 4] for i in range(0, len(number), 4))
    elif style == 2:
        number = "-".join(number[i:i + 4] for i in range(0, len(number), 4))
    elif style == 3:
        number = number.translate(FULL_WIDTH)
    elif style == 4:
        number = rng.choice(SPACES) + number + rng.choice(SPACES)
    elif style == 5:
        cut = rng.randrange(len(number))
        number = number[:cut] + rng.choice(SPACES + ["-", "－", "x", ".", "/"]) + number[cut:]
    return number


def _junk(rng: random.Random, n: int) -> list[str]:
    pool = ("0123456789０１２３４５６７８９٣²-－ .xX+E\t\n\u3000\xa0\u2028\u200b"
            "中国银行卡号😀\u0301ßſ")
    return ["".join(rng.choice(pool) for _ in range(rng.randint(0, 24))) for _ in range(n)]


def generated_values(seed: int = 20240601) -> list[str | None]:
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    values: list[str | None] = [None, "", " ", "\u3000", "\t\n"]
    values += [fake.credit_card_number() for _ in range(1000)]
    for _ in range(3000):
        number = _luhn_number(rng, rng.randint(12, 20), valid=rng.random() < 0.5)
        values.append(_dress(rng, number))
    values += _junk(rng, 1500)
    return values


def test_sql_agrees_with_python_on_generated_values(agree):
    values = generated_values()
    agree(CAT, values)
    # The generator really exercises both outcomes.
    valid = sum(bank_card.is_valid(v) for v in values)
    assert 1000 < valid < len(values) - 1000


def test_faker_cards_of_accepted_length_validate():
    fake = Faker("zh_CN")
    fake.seed_instance(7)
    for _ in range(500):
        number = fake.credit_card_number()
        if 16 <= len(number) <= 19:
            assert bank_card.is_valid(number), number


def test_sql_luhn_is_fast(con):
    """One million 16-19 digit numbers validate in about a second (generous bound here)."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE bank_card_speed AS
        SELECT substr(CAST(CAST(floor(random() * 9e17) + 1e17 AS BIGINT) AS VARCHAR)
                      || CAST(CAST(floor(random() * 9e9) AS BIGINT) AS VARCHAR), 1,
                      16 + CAST(i % 4 AS INTEGER)) AS v
        FROM range(1000000) AS t(i)
    """)
    sql = layered_select([CellSpec("c", "v", CAT)], "bank_card_speed", [])
    start = time.perf_counter()
    total, valid = con.execute(f"SELECT count(*), count(*) FILTER (WHERE c_ok) FROM ({sql})").fetchone()
    elapsed = time.perf_counter() - start
    assert total == 1_000_000
    assert 90_000 < valid < 110_000  # about one in ten random numbers passes Luhn
    print(f"bank_card: 1,000,000 values normalised and validated in {elapsed:.2f}s")
    assert elapsed < 10, f"{elapsed:.2f}s for 1,000,000 values"
    sample = con.execute("SELECT c_raw, c_ok FROM (" + sql + ") USING SAMPLE 2000 ROWS").fetchall()
    assert all(ok == bank_card.is_valid(v) for v, ok in sample)
