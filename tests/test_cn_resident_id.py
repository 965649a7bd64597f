"""cn_resident_id: SQL and Python agree on generated numbers; edge cases; the region table."""

from __future__ import annotations

import datetime
import random

import pytest
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric

import categorizers.cn_resident_id as cnid
from leakscan.registry import default_registry
from leakscan.validation import InvalidChecksum, InvalidComponent, InvalidFormat

CAT = default_registry().get("cn_resident_id")
TODAY = datetime.date.today()
FULL_WIDTH = str.maketrans("0123456789xX", "０１２３４５６７８９ｘＸ")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def check_char(body: str) -> str:
    """GB 11643 check character of 17 digits, computed here independently of stdnum."""
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def with_check(body: str) -> str:
    return body + check_char(body)


def wrong_check(body: str, rng: random.Random) -> str:
    return body + rng.choice([c for c in "0123456789X" if c != check_char(body)])


INTERVALS = cnid.region_intervals()


# intervals that contain a plausible birth year (1900 to this year)
BIRTH_INTERVALS = [(code, first, last) for code, first, last in INTERVALS
                   if max(first, 1900) <= min(last, TODAY.year)]


def random_body(rng: random.Random) -> str:
    """17 digits: a known region code, a birth date in a year the code existed, a sequence."""
    code, first, last = rng.choice(BIRTH_INTERVALS)
    year = rng.randint(max(first, 1900), min(last, TODAY.year))
    day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(366))
    day = min(day, datetime.date(year, 12, 31), TODAY)
    return code + day.strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def spaced(value: str, rng: random.Random) -> str:
    """Insert white space and '-' separators at random positions, and around the value."""
    seps = [" ", "  ", "\t", "\u3000", "\xa0", "\u2009", "-", " - ", "\n"]
    out = [rng.choice(["", " ", "\t", "\u3000"])]
    for ch in value:
        out.append(ch)
        if rng.random() < 0.2:
            out.append(rng.choice(seps))
    out.append(rng.choice(["", " ", "\n"]))
    return "".join(out)


@pytest.fixture(scope="module")
def rng():
    return random.Random(11643)


# -- SQL and Python agree on thousands of generated values ----------------------------------


def test_agree_on_valid_numbers(agree, rng):
    values = [with_check(random_body(rng)) for _ in range(1500)]
    assert sum(CAT.is_valid(v) for v in values) == len(values)
    agree(CAT, values)


def test_agree_on_wrong_check_characters(agree, rng):
    values = [wrong_check(random_body(rng), rng) for _ in range(1000)]
    assert not any(CAT.is_valid(v) for v in values)
    agree(CAT, values)


def test_agree_on_legacy_15_digit_numbers(agree, rng):
    values = []
    for _ in range(1000):
        body = random_body(rng)
        values.append(body[:6] + body[8:])  # drop the century
    values += [digits(rng, 15) for _ in range(500)]
    assert all(CAT.normalize(v) is not None and len(CAT.normalize(v)) == 18 for v in values)
    agree(CAT, values)


def test_agree_on_lowercase_x_spaces_and_full_width(agree, rng):
    values = []
    while len(values) < 1500:
        number = with_check(random_body(rng))
        kind = len(values) % 5
        # half of them end in X; the legacy ones are born in the 1900s
        while (len(values) % 2 and not number.endswith("X")) or \
                (kind == 4 and number[6:8] != "19"):
            number = with_check(random_body(rng))
        if kind == 0:
            values.append(number.lower())
        elif kind == 1:
            values.append(spaced(number, rng))
        elif kind == 2:
            values.append(number.translate(FULL_WIDTH))
        elif kind == 3:
            values.append(spaced(number.lower().translate(FULL_WIDTH), rng))
        else:
            values.append(spaced(number[:6] + number[8:17], rng))  # spaced legacy number
    assert all(CAT.is_valid(v) for v in values)
    agree(CAT, values)


def test_agree_on_random_digit_strings(agree, rng):
    values = [digits(rng, 18) for _ in range(1500)]
    values += [digits(rng, 17) + "X" for _ in range(300)]
    values += [digits(rng, rng.choice([14, 16, 17, 19, 20])) for _ in range(1000)]
    values += [digits(rng, 17) + rng.choice("xXaA*") for _ in range(300)]
    agree(CAT, values)


def test_agree_on_dates_and_regions_near_the_limits(agree, rng):
    """Codes with a limited validity, at their boundary years; and impossible dates."""
    limited = [i for i in INTERVALS if i[1:] != (cnid.FIRST_YEAR, cnid.LAST_YEAR)]
    values = []
    for code, first, last in rng.sample(limited, 400):
        for year in (first - 1, first, last, last + 1):
            if 1 <= year <= 9999:
                values.append(with_check(f"{code}{year:04d}0615{rng.randrange(1000):03d}"))
    for _ in range(500):
        code = rng.choice(INTERVALS)[0]
        date = f"{rng.randint(0, 9999):04d}{rng.randint(0, 13):02d}{rng.randint(0, 32):02d}"
        values.append(with_check(code + date + digits(rng, 3)))
    for delta in (-1, 0, 1, 366):
        day = TODAY + datetime.timedelta(days=delta)
        values.append(with_check("110101" + day.strftime("%Y%m%d") + "123"))
    assert len(values) > 1000
    agree(CAT, values)


# -- hand-picked edge cases ------------------------------------------------------------------

# 15-digit legacy number 110101 900307 123 (东城区, born 1990-03-07, sequence 123) becomes
# 110101 19900307 123 + check. By hand: digits 1 1 0 1 0 1 1 9 9 0 0 3 0 7 1 2 3 times
# weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 = 7+9+0+5+0+4+2+9+54+0+0+27+0+35+8+8+6 = 174;
# 174 mod 11 = 9, and position 9 of "10X98765432" is "3": 110101199003071233.
LEGACY = "110101900307123"
LEGACY_18 = "110101199003071233"

CASES = [
    # (raw value, normalised, valid)
    ("11010119900307125X", "11010119900307125X", True),  # check character X
    ("11010119900307125x", "11010119900307125X", True),  # lower-case x
    (with_check("11010120000229123"), with_check("11010120000229123"), True),  # 2000 leap
    (with_check("11010119990229123"), with_check("11010119990229123"), False),  # 1999 not
    (with_check("11010119000229123"), with_check("11010119000229123"), False),  # 1900 not
    (with_check("11010119900431123"), with_check("11010119900431123"), False),  # 31 April
    (with_check("11010119901301123"), with_check("11010119901301123"), False),  # month 13
    (with_check("11010119900100123"), with_check("11010119900100123"), False),  # day 0
    (with_check("11010100000101123"), with_check("11010100000101123"), False),  # year 0000
    (with_check("99999919900307123"), with_check("99999919900307123"), False),  # no region
    (with_check("11030019900307123"), with_check("11030019900307123"), False),  # no county
    (with_check("11010319900307123"), with_check("11010319900307123"), True),  # 崇文区 1990
    (with_check("11010320100307123"), with_check("11010320100307123"), True),  # its last year
    (with_check("11010320110307123"), with_check("11010320110307123"), False),  # abolished
    (with_check("11010320120307123"), with_check("11010320120307123"), False),
    (LEGACY, LEGACY_18, True),
    ("110101-900307-123", LEGACY_18, True),
    ("１１０１０１１９９００３０７１２５Ｘ", "11010119900307125X", True),  # full width
    ("１１０１０１　１９９００３０７　１２５ｘ", "11010119900307125X", True),
    (" 110101 19900307 125X\t", "11010119900307125X", True),
    ("110101199003071250", "110101199003071250", False),  # wrong check digit
    ("1101011990030712X5", None, False),  # X not last
    ("11010119900307125", None, False),  # 17 digits
    ("1101011990030712512", None, False),  # 19 digits
    ("11010119900307125X.", None, False),
    ("", None, False),
    ("   ", None, False),
    ("\u3000\t", None, False),
    (None, None, False),
]


@pytest.mark.parametrize(("raw", "norm", "valid"), CASES)
def test_edge_cases(raw, norm, valid, agree):
    assert CAT.normalize(raw) == norm
    assert CAT.is_valid(raw) is valid
    agree(CAT, [raw])


def test_legacy_conversion_matches_stdnum():
    assert ric.calc_check_digit(LEGACY_18) == "3"
    assert ric.is_valid(LEGACY_18)


def test_region_validity_years_match_stdnum():
    assert ric.get_birth_place(with_check("11010319900307123"))["county"] == "崇文区"
    assert ric.get_birth_place(with_check("11010320100307123"))["county"] == "崇文区"
    with pytest.raises(stdnum_exceptions.InvalidComponent):
        ric.get_birth_place(with_check("11010320110307123"))
    with pytest.raises(stdnum_exceptions.InvalidComponent):
        ric.get_birth_place(with_check("11010320120307123"))
    # the python-stdnum bug the module works around: a known province, an unknown county
    with pytest.raises(KeyError):
        ric.get_birth_place(with_check("11030019900307123"))


def test_future_birth_dates_are_invalid(agree):
    today = with_check("110101" + TODAY.strftime("%Y%m%d") + "123")
    tomorrow = with_check(
        "110101" + (TODAY + datetime.timedelta(days=1)).strftime("%Y%m%d") + "123")
    assert CAT.is_valid(today)
    assert not CAT.is_valid(tomorrow)
    assert not CAT.is_valid(with_check("11010120990101123"))
    agree(CAT, [today, tomorrow, with_check("11010120990101123")])


def test_validate_raises_typed_errors():
    assert cnid.validate(" 11010119900307125x ") == "11010119900307125X"
    with pytest.raises(InvalidFormat):
        cnid.validate("not a number")
    with pytest.raises(InvalidFormat):
        cnid.validate(None)
    with pytest.raises(InvalidChecksum):
        cnid.validate("110101199003071250")
    with pytest.raises(InvalidComponent):
        cnid.validate(with_check("11010119900431123"))
    with pytest.raises(InvalidComponent):
        cnid.validate(with_check("11030019900307123"))
    with pytest.raises(InvalidComponent):
        cnid.validate(with_check("11010120990101123"))


def test_mask():
    assert cnid.mask("11010119900307125X") == "110***********125X"
    assert CAT.mask(LEGACY_18) == "110***********1233"


def test_python_reference_never_raises():
    junk = [None, "", "\x00", "😀" * 18, "１" * 15, "x" * 18, "X" * 18, "-" * 40,
            "0" * 18, "0" * 15, "9" * 18, "\U0001d7ce" * 18, "١" * 18, "１２３" + "\x00" * 15]
    for value in junk:
        assert isinstance(cnid.is_valid(value), bool)
    # Unicode digits (Arabic-Indic, mathematical) are not digits of an ID number
    assert cnid.normalize("١" * 18) is None


# -- the region reference table ------------------------------------------------------------


def test_reference_table_is_large_and_loaded(con):
    assert len(INTERVALS) > 5000
    assert len({code for code, _, _ in INTERVALS}) > 5000
    assert con.execute("SELECT count(*) FROM ref_cn_region").fetchone()[0] == len(INTERVALS)
    assert all(len(code) == 6 and code.isdigit() and first <= last
               for code, first, last in INTERVALS)


def _stdnum_accepts(code: str, year: int) -> bool:
    number = with_check(f"{code}{year:04d}0101001")
    try:
        ric.get_birth_place(number)
    except stdnum_exceptions.InvalidComponent:
        return False
    except KeyError:  # stdnum bug: known province, unknown county
        return False
    return True


def _table_accepts(code: str, year: int) -> bool:
    return any(c == code and first <= year <= last for c, first, last in INTERVALS)


def test_reference_table_agrees_with_stdnum(rng):
    codes = sorted({code for code, _, _ in INTERVALS})
    provinces = sorted({code[:2] for code in codes})
    pairs = []
    for _ in range(1500):  # known codes, random years
        pairs.append((rng.choice(codes), rng.randint(1, 9999)))
    for _ in range(1500):  # known codes, plausible birth years
        pairs.append((rng.choice(codes), rng.randint(1900, TODAY.year)))
    for _ in range(500):  # known province, random county (mostly unknown)
        pairs.append((rng.choice(provinces) + f"{rng.randrange(10000):04d}", 1990))
    for _ in range(500):  # anything
        pairs.append((f"{rng.randrange(10**6):06d}", rng.randint(1900, 2030)))
    for code, first, last in rng.sample(INTERVALS, 500):  # boundaries of intervals
        pairs += [(code, y) for y in (first - 1, first, last, last + 1) if 1 <= y <= 9999]
    by_code: dict[str, list[tuple[int, int]]] = {}
    for code, first, last in INTERVALS:
        by_code.setdefault(code, []).append((first, last))
    bad = [(code, year) for code, year in pairs
           if any(f <= year <= t for f, t in by_code.get(code, [])) != _stdnum_accepts(code, year)]
    assert not bad, bad[:10]
    assert _table_accepts("110103", 2010) and not _table_accepts("110103", 2011)


def test_shipped_region_file_is_the_derivation_from_the_installed_stdnum():
    """The stamped file is read only when it was derived from this very stdnum data."""
    shipped = cnid.read_region_file(cnid._REGION_FILE, cnid.stdnum_region_digest())
    if shipped is None:
        pytest.skip("python-stdnum's cn/loc.dat differs from the one the file was derived "
                    "from: scans derive the table (regenerate with "
                    "categorizers/data/make_cn_region_intervals.py)")
    assert shipped == cnid.derive_region_intervals() == INTERVALS


def test_region_file_with_another_stamp_or_none_is_not_read(tmp_path):
    path = tmp_path / "regions.tsv"
    assert cnid.write_region_file(path) == len(INTERVALS)
    assert cnid.read_region_file(path, cnid.stdnum_region_digest()) == INTERVALS
    assert cnid.read_region_file(path, "0" * 64) is None  # another stdnum's data
    assert cnid.read_region_file(tmp_path / "missing.tsv", cnid.stdnum_region_digest()) is None


def test_region_year_table_built_in_sql_equals_python_keys(con):
    got = [tuple(r) for r in con.execute("SELECT k, since FROM ref_cn_region_year ORDER BY k"
                                          ).fetchall()]
    assert got == cnid.region_year_keys()


def _with_check(body: str) -> str:
    from stdnum.cn import ric as stdnum_ric
    return body + stdnum_ric.calc_check_digit(body + "?")


def test_region_code_created_after_the_birth_year_is_valid(agree):
    # 110112 (北京市通州区) is in python-stdnum's data from 1997 on; 110110 only until 1986
    # (read from the data here, not typed as an assumption)
    assert cnid.region_existed("110112", 1997, 1997) and not cnid.region_existed(
        "110112", 1950, 1996)
    assert not cnid.region_existed("110110", 1987, TODAY.year)
    born_1970_in_new_county = _with_check("110112" + "19700315" + "123")
    born_1990_in_abolished = _with_check("110110" + "19900315" + "123")
    born_1980_in_abolished = _with_check("110110" + "19800315" + "123")
    assert cnid.is_valid(born_1970_in_new_county)  # issued after 1997, when 110112 existed
    assert not cnid.is_valid(born_1990_in_abolished)  # the code was gone before the birth
    assert cnid.is_valid(born_1980_in_abolished)  # existed from birth until 1986
    agree(CAT, [born_1970_in_new_county, born_1990_in_abolished, born_1980_in_abolished])


def test_region_rule_counts_numbers_issued_after_a_county_got_its_code(tmp_path):
    import leakscan
    from tests.helpers import write_csv

    rows = [[_with_check("110112" + f"19{60 + i}0101" + f"{i:03d}")] for i in range(6)]
    rows += [[_with_check("110110" + "19900101" + f"{i:03d}")] for i in range(2)]
    doc = leakscan.scan([str(write_csv(tmp_path / "ids.csv", ["身份证号"], rows))]).to_dict()
    # 6 born 1960-1965 with a code created in 1997: valid; 2 with a code gone in 1986: not
    assert doc["categories"]["cn_resident_id"]["detected"] == 8
    assert doc["categories"]["cn_resident_id"]["valid"] == 6
