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
    ("378282246310005", "378282246310005", True),  # the American Express test number
    ("4111111111111111111"[:17], "41111111111111111", False),  # Visa issues 16 or 19 digits
    ("8986011234567890128", "8986011234567890128", False),  # a SIM ICCID (Luhn-valid)
    ("6000123456789012", "6000123456789012", False),  # a loyalty range (Luhn-valid)
    ("8100123456789017", "8100123456789017", True),  # UnionPay's 81 range
    ("3530111333300000", "3530111333300000", True),  # JCB test number
    ("5555555555554444", "5555555555554444", True),  # Mastercard test number
    ("2223000048400011", "2223000048400011", True),  # Mastercard 2-series test number
    ("6011111111111117", "6011111111111117", True),  # Discover test number
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
    for number in ("8986011234567890128", "6000123456789012", "8100123456789017",
                   "3530111333300000", "5555555555554444", "2223000048400011",
                   "6011111111111117", "378282246310005"):
        assert luhn.is_valid(number), number


def _in_published_range(number: str) -> bool:
    """Reference: the IIN and length in one of the ranges of ``data/card_iin_ranges.tsv``,
    read here with the csv module, independently of ``bank_card.scheme_of``."""
    import csv

    with open(bank_card.IIN_FILE, encoding="utf-8") as f:
        rows = [r for r in csv.reader(f, delimiter="\t") if r and not r[0].startswith("#")]
    for lo, hi, lengths, _ in rows:
        allowed = set()
        for part in lengths.split(","):
            a, _, b = part.partition("-")
            allowed |= set(range(int(a), int(b or a) + 1))
        if int(lo) <= int(number[:6]) <= int(hi) and len(number) in allowed:
            return True
    return False


def test_iccid_and_loyalty_columns_are_not_bank_cards(tmp_path):
    """Hand-computed: 20 Luhn-valid ICCIDs (89 86 ...) and 20 Luhn-valid loyalty numbers
    (6000 ...) under a 卡号 header, or under a neutral one (``f2``: on values alone): 0 valid
    bank cards, the column is not assigned, and the file holds no tier-A record; a column of
    20 UnionPay cards is assigned and counted."""
    import leakscan
    from tests.helpers import write_csv

    def luhn_complete(body: str) -> str:
        return body + luhn.calc_check_digit(body)

    iccids = [luhn_complete(f"898601{i:012d}") for i in range(20)]
    loyalty = [luhn_complete(f"600012{i:09d}") for i in range(20)]
    cards = [luhn_complete(f"622202{i:012d}") for i in range(20)]
    assert all(luhn.is_valid(n) for n in iccids + loyalty + cards)
    for header, values in (("SIM卡号", iccids), ("会员卡号", loyalty), ("卡号", iccids),
                           ("卡号", loyalty), ("f2", iccids), ("f2", loyalty)):
        f = write_csv(tmp_path / "c.csv", ["手机号", header],
                      [[f"138{i:08d}", v] for i, v in enumerate(values)])
        doc = leakscan.scan([str(f)]).to_dict()
        assert [c for c in doc["columns"] if c["category"] == "bank_card"] == [], header
        assert (doc["tiers"]["A"], doc["tiers"]["B"], doc["tiers"]["C"]) == (0, 0, 20), header
    f = write_csv(tmp_path / "u.csv", ["手机号", "卡号"],
                  [[f"138{i:08d}", v] for i, v in enumerate(cards)])
    doc = leakscan.scan([str(f)]).to_dict()
    assert doc["tiers"]["A"] == 20
    assert [(c["column"], c["valid"]) for c in doc["columns"]
            if c["category"] == "bank_card"] == [("卡号", 20)]


@pytest.mark.parametrize(("value", "error"), [
    ("", InvalidFormat), (None, InvalidFormat), ("6222-abcd", InvalidFormat),
    ("62220212345678", InvalidLength), ("62220212345678901234", InvalidLength),
    ("8986011234567890128", InvalidComponent), ("6000123456789012", InvalidComponent),
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
    assert bank_card.is_valid(number) == (number[0] != "0" and luhn.is_valid(number)
                                          and _in_published_range(number))


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
    # Both sides of every range's edges, at every length from 14 to 20, Luhn-completed.
    for lo, hi, _, _ in bank_card.IIN_RANGES:
        for iin in (lo - 1, lo, hi, hi + 1):
            for length in range(14, 21):
                body = f"{iin:06d}" + "".join(rng.choice("0123456789")
                                              for _ in range(length - 7))
                values.append(body + luhn.calc_check_digit(body))
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
    # About one in ten random numbers passes Luhn, times the share of (IIN, length) pairs that
    # a scheme issues (first digit 1-9, lengths 16-19 equally often).
    in_range = sum(sum(1 for n in range(16, 20) if n in lengths) * (hi - lo + 1)
                   for lo, hi, lengths, _ in bank_card.IIN_RANGES) / (4 * 900_000)
    expected = 1_000_000 * in_range / 10
    assert 0.9 * expected < valid < 1.1 * expected
    print(f"bank_card: 1,000,000 values normalised and validated in {elapsed:.2f}s")
    assert elapsed < 10, f"{elapsed:.2f}s for 1,000,000 values"
    sample = con.execute("SELECT c_raw, c_ok FROM (" + sql + ") USING SAMPLE 2000 ROWS").fetchall()
    assert all(ok == bank_card.is_valid(v) for v, ok in sample)
