"""Mainland China telephone numbers: the SQL mirror of phonenumbers agrees with phonenumbers."""

from __future__ import annotations

import random

import phonenumbers
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from categorizers import phone
from leakscan.registry import default_registry
from leakscan.text import fold_width
from leakscan.validation import InvalidComponent, InvalidFormat, InvalidLength

PHONE = default_registry().get("phone")
PERSONAL = {PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE,
            PhoneNumberType.FIXED_LINE_OR_MOBILE}
_TO_FULL = str.maketrans("0123456789+-()", "０１２３４５６７８９＋－（）")


def kind(nsn: str):
    """phonenumbers' verdict on a national significant number: the type, or None if invalid."""
    number = phonenumbers.parse("+86" + nsn)
    return phonenumbers.number_type(number) if phonenumbers.is_valid_number(number) else None


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def random_nsns(rng: random.Random, count: int, lengths=(7, 8, 9, 10, 11, 12)) -> list[str]:
    return [rng.choice("123456789") + digits(rng, rng.choice(lengths) - 1) for _ in range(count)]


def area_split(nsn: str) -> tuple[str, str]:
    """A plausible area code / subscriber split (a spelling, not a claim about the number)."""
    cut = 2 if nsn[:1] == "2" or nsn[:2] == "10" else 3
    return nsn[:cut], nsn[cut:]


def spellings(nsn: str, rng: random.Random) -> list[str]:
    """The ways a leak writes one national number."""
    area, rest = area_split(nsn)
    groups = f"{nsn[:3]} {nsn[3:7]} {nsn[7:]}".strip()
    out = [
        nsn, "+86" + nsn, "+86 " + groups, "+86-" + groups.replace(" ", "-"), "0086" + nsn,
        "0086 " + groups, "86" + nsn, "86 " + groups, "0" + nsn, f"0{area}-{rest}",
        f"(0{area}){rest}", f"(0{area}) {rest[:4]} {rest[4:]}", f"+86 (0){area} {rest}",
        f"+86 {area} {rest}", nsn[:3] + "." + nsn[3:7] + "." + nsn[7:], "17951" + nsn,
        "12593" + nsn, "86 0" + nsn, " " + nsn + " ", "\t+86\u3000" + nsn,
        f"（0{area}）{rest}", f"{area}—{rest}",
    ]
    out += [fold_width(s).translate(_TO_FULL) for s in out[:8]]
    out.append("".join(c + rng.choice(["", " ", "-", ".", "\u00a0"]) for c in "+86" + nsn))
    return out


# --------------------------------------------------------------------------------------------
# explicit cases


@pytest.mark.parametrize("value, expected", [
    ("+86 138-0013-8000", "+8613800138000"),
    ("008613800138000", "+8613800138000"),
    ("8613800138000", "+8613800138000"),
    ("13800138000", "+8613800138000"),
    ("１３８００１３８０００", "+8613800138000"),
    ("＋８６　１３８ ００１３ ８０００", "+8613800138000"),
    ("(+86) 138.0013.8000", "+8613800138000"),
    ("010-12345678", "+861012345678"),
    ("(010)12345678", "+861012345678"),
    ("+86 10 1234 5678", "+861012345678"),
    ("+86 (0)10 1234 5678", "+861012345678"),
    ("(0755)12345678", "+8675512345678"),
    ("0755-1234-5678", "+8675512345678"),
    ("86 0755 12345678", "+8675512345678"),
    ("17951 13800138000", "+8613800138000"),  # IP-dialling carrier code, from the metadata
    # extensions: the line without its extension (docs/counting.md)
    ("138 0013 8000 ext 12", "+8613800138000"),
    ("010-62345678-801", "+861062345678"),
    ("010-62345678转801", "+861062345678"),
    ("010-62345678 转 801", "+861062345678"),
    ("010-62345678 ext. 801", "+861062345678"),
    ("010-62345678 EXT.801", "+861062345678"),
    ("(010)62345678 x801", "+861062345678"),
    ("0755 8234 5678#12", "+8675582345678"),
    ("0755-82345678分机1234", "+8675582345678"),
    ("０１０－６２３４５６７８－８０１", "+861062345678"),
    ("0755-1234-5678", "+8675512345678"),  # 4-digit groups, not a subscriber number + ext
])
def test_valid_examples(value, expected, agree):
    assert phone.validate(value) == expected
    assert phone.normalize(value) == expected
    assert phone.is_valid(value)
    agree(PHONE, [value])


@pytest.mark.parametrize("value, error", [
    (None, InvalidFormat), ("", InvalidFormat), ("   ", InvalidFormat), ("\u3000", InvalidFormat),
    ("abc", InvalidFormat), ("138-0013-800O", InvalidFormat), ("138 0013 8000 ext", InvalidFormat),
    ("ext 12", InvalidFormat),
    ("12345", InvalidLength), ("+86 12345", InvalidLength), ("1" * 21, InvalidLength),
    ("+86 138001380001234567", InvalidLength),  # phonenumbers: too long after the 86
    ("12012345678", InvalidComponent),  # 11 digits, unassigned range
    ("10012345678", InvalidComponent),
    ("4008123123", InvalidComponent),  # shared cost (400)
    ("400-812-3123", InvalidComponent),
    ("8008101234", InvalidComponent),  # toll free (800)
    ("16812345", InvalidComponent),  # premium rate
    ("+852 9123 4567", InvalidComponent),  # Hong Kong
    ("+1 202 555 0123", InvalidComponent),
    ("00852 9123 4567", InvalidComponent),
    ("0000 1380 0138 000", InvalidComponent),
    ("17912001234", InvalidComponent),  # phonenumbers reads 1791200 as an IDD: rejected by both
])
def test_invalid_examples(value, error, agree):
    with pytest.raises(error):
        phone.validate(value)
    assert not phone.is_valid(value)
    agree(PHONE, [value])


@pytest.mark.parametrize(("value", "expected"), [
    # hand-written: a landline needs its trunk 0 or +86 (docs/counting.md rule 1.8)
    ("3355257057", None),  # a QQ number phonenumbers would read as area code 335
    ("1012345678", None),  # Beijing written without its 0
    ("2755761411", None),
    ("75512345678", None),  # Shenzhen without its 0
    ("010-12345678", "+861012345678"),
    ("0335-5257057", "+863355257057"),
    ("+86 10 1234 5678", "+861012345678"),
    ("861012345678", "+861012345678"),  # a country code without its +
    ("13800138000", "+8613800138000"),  # a mobile may be written bare
])
def test_a_bare_landline_is_not_a_phone(agree, value, expected):
    if expected is None:  # phonenumbers alone would call it a valid landline
        assert kind(value) == PhoneNumberType.FIXED_LINE
    assert phone.normalize(value) == expected
    assert phone.is_valid(value) is (expected is not None)
    agree(PHONE, [value])


def test_unassigned_and_service_ranges_are_invalid_per_phonenumbers():
    assert kind("12012345678") is None and kind("10012345678") is None
    assert kind("4008123123") == PhoneNumberType.SHARED_COST
    assert kind("8008101234") == PhoneNumberType.TOLL_FREE
    assert kind("13800138000") == PhoneNumberType.MOBILE
    assert kind("1012345678") == PhoneNumberType.FIXED_LINE


def test_invalid_numbers_of_accepted_shape_still_normalise():
    assert phone.normalize("4008123123") == "+864008123123"
    assert phone.normalize("120 1234 5678") == "+8612012345678"
    assert phone.normalize("+852 9123 4567") is None
    assert phone.normalize("12345") is None


def test_mask():
    assert phone.mask("+8613800138000") == "+86 138****8000"
    assert phone.mask("+861012345678") == "+86 101***5678"
    assert phone.mask("+8675512345678") == "+86 755****5678"
    assert PHONE.mask("+8613800138000") != "+8613800138000"


def test_declared_contract():
    assert (PHONE.id, PHONE.cls, PHONE.tier) == ("phone", "contact", "C")
    assert PHONE.identifying and PHONE.value_detection
    assert PHONE.title == "Mainland China telephone number (手机/固定电话)"
    for word in ("手机号", "联系电话", "座机", "msisdn", "mobile_no", "phone"):
        assert word in PHONE.header_synonyms
    assert "号码" not in PHONE.header_synonyms


def test_patterns_come_from_the_metadata_and_compile_in_duckdb(con):
    meta = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    sql = " ".join(phone.NORMALIZE_SQL) + phone.VALIDATE_SQL
    for name in ("general_desc", "fixed_line", "mobile", "toll_free", "premium_rate",
                 "shared_cost"):
        assert getattr(meta, name).national_number_pattern in sql, name
    assert meta.national_prefix_for_parsing in sql
    assert meta.international_prefix in sql
    # every step and the validity test run in DuckDB (RE2: no look-around, no back-references)
    for step in phone.NORMALIZE_SQL:
        con.execute(f"SELECT {step.replace('{value}', chr(39) + '8613800138000' + chr(39))}")
    con.execute(f"SELECT {phone.VALIDATE_SQL.replace('{value}', chr(39) + '+8613800138000' + chr(39))}")


# --------------------------------------------------------------------------------------------
# generated values: SQL and Python agree on every one


def test_mobiles_in_many_spellings(agree):
    rng = random.Random(20240611)
    nsns = ["1" + rng.choice("3456789") + digits(rng, 9) for _ in range(400)]
    nsns += [phonenumbers.format_number(
        phonenumbers.example_number_for_type("CN", PhoneNumberType.MOBILE),
        PhoneNumberFormat.E164)[3:]]
    valid = [n for n in nsns if kind(n) in PERSONAL]
    assert len(valid) > 150, "the generator should hit assigned mobile ranges often"
    values = [s for n in nsns for s in spellings(n, rng)]
    agree(PHONE, values)
    for n in valid:  # unambiguous spellings normalise to the same E.164 as phonenumbers
        for s in ("+86" + n, "0086 " + n, "+86 " + n[:3] + "-" + n[3:], n.translate(_TO_FULL)):
            assert phone.validate(s) == "+86" + n, s


def test_fixed_lines_in_many_spellings(agree):
    rng = random.Random(7)
    nsns = ["10" + digits(rng, 8) for _ in range(100)]
    nsns += random_nsns(rng, 350, lengths=(9, 10, 11))
    nsns += [phonenumbers.format_number(
        phonenumbers.example_number_for_type("CN", PhoneNumberType.FIXED_LINE),
        PhoneNumberFormat.E164)[3:]]
    fixed = [n for n in nsns if kind(n) == PhoneNumberType.FIXED_LINE]
    assert len(fixed) > 150
    agree(PHONE, [s for n in nsns for s in spellings(n, rng)])
    for n in fixed:
        area, rest = area_split(n)
        assert phone.validate("+86" + n) == "+86" + n
        assert phone.is_valid(f"0{area}-{rest}") == phone.is_valid(f"(0{area}){rest}")


def test_extension_spellings_agree(agree):
    rng = random.Random(12)
    values = []
    for _ in range(400):
        line = rng.choice(["010-6234", "0755-8234", "021 5", "(020)8", "1380013", "+86 10 6"]) \
            + digits(rng, rng.randint(2, 5))
        ext = digits(rng, rng.randint(0, 7))
        sep = rng.choice(["-", "转", " 转 ", "ext.", " ext ", "x", "#", "分机", "－", " - ", ""])
        values.append(line + sep + ext)
    agree(PHONE, values)


def test_random_digit_strings(agree):
    rng = random.Random(11)
    values = [digits(rng, rng.randint(7, 13)) for _ in range(3000)]
    values += [rng.choice(["+86", "0086", "86", "0", "+", "00", "+852", "17951", "1791200"])
               + digits(rng, rng.randint(5, 14)) for _ in range(3000)]
    agree(PHONE, values)
    # and the Python reference never calls valid what phonenumbers does not
    for v in values:
        if phone.is_valid(v):
            number = phonenumbers.parse(phone.normalize(v))
            assert phonenumbers.number_type(number) in PERSONAL


def test_service_numbers_are_invalid(agree):
    rng = random.Random(3)
    values = ["400" + digits(rng, 7) for _ in range(300)]
    values += ["800" + digits(rng, 7) for _ in range(300)]
    values += ["16" + rng.choice("08") + digits(rng, 5) for _ in range(100)]
    values += ["95" + digits(rng, rng.randint(3, 9)) for _ in range(100)]
    spelled = [s for v in values for s in (v, "+86" + v, "0" + v, f"{v[:3]}-{v[3:6]}-{v[6:]}")]
    agree(PHONE, spelled)
    for v in values[:600]:
        assert not phone.is_valid(v), v
        assert kind(v) not in PERSONAL


def test_other_countries_are_invalid(agree):
    values = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS - {"CN"}):
        for kind_ in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE):
            example = phonenumbers.example_number_for_type(region, kind_)
            if example is None:
                continue
            e164 = phonenumbers.format_number(example, PhoneNumberFormat.E164)
            intl = phonenumbers.format_number(example, PhoneNumberFormat.INTERNATIONAL)
            values += [e164, intl, "00" + e164[1:], e164.translate(_TO_FULL)]
    assert len(values) > 500
    agree(PHONE, values)
    assert not any(phone.is_valid(v) for v in values)


def test_prefix_collisions(agree):
    """Stacked prefixes exercise every branch of phonenumbers' country-code and trunk stripping."""
    rng = random.Random(5)
    pieces = ["86", "0", "00", "17951", "12593", "11808", "179", "1790100", "", "8686"]
    tails = random_nsns(rng, 400) + ["13800138000", "1012345678", "75512345678", "12345678"]
    values = []
    for _ in range(4000):
        head = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 3)))
        lead = rng.choice(["", "", "+", "+86", "0086"])
        values.append(lead + head + rng.choice(tails)[: rng.randint(5, 12)])
    agree(PHONE, values)


_ALPHABET = "0123456789" * 4 + "+-. ()\t\u3000\u00a0０１８６＋－（）—xX中"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=_ALPHABET, max_size=26), min_size=1, max_size=200))
def test_fuzzed_spellings(agree, values):
    agree(PHONE, values)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(
    st.tuples(st.sampled_from(["", "+86", "0086", "86", "0", "+", "17951", "8686", "+860"]),
              st.text(alphabet="0123456789", min_size=5, max_size=18)).map("".join),
    min_size=1, max_size=200))
def test_fuzzed_prefixed_digits(agree, values):
    agree(PHONE, values)


def test_folded_chars_are_every_character_fold_width_changes():
    """phone.py builds its SQL fold table from ``FOLDED_CHARS`` instead of trying every BMP
    character at import (0.11 s of start-up); the two must be the same set."""
    from leakscan.text import FOLDED_CHARS

    changed = {c for c in map(chr, range(0x10000)) if fold_width(c) != c}
    assert changed == set(FOLDED_CHARS)
