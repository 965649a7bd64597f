"""The compiled kernels (``leakscan._kernels`` through ``leakscan.kernels``): the third twin.

A kernel must give what the categorizer's SQL and its Python reference give, on every input:
here on more than 10,000 generated card numbers whose validity is known by construction
(issuer ranges read from the data file as a card scheme publishes them, check digits computed
with python-stdnum), written as exports write them (grouped, dashed, full width), and on edge
cases (NULL, empty, non-ASCII, very long cells, embedded NULs). The Arrow plumbing is checked
on its own (``large_string``, sliced and chunked arrays, arrays without a validity bitmap)
and so is the refusal of buffers too short for what they claim. Finally a scan with kernels
and one without (``LEAKSCAN_KERNELS=0`` or ``kernels=False``) give the same report, apart
from ``provenance.validation``, which says which path ran.

CI runs this file once more with ``LEAKSCAN_KERNELS=0``: the scans then both take the SQL
path, and the direct kernel tests still hold the C twin to the others.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from stdnum import luhn

from leakscan import kernels
from leakscan.expressions import evaluate, register_reference_tables
from leakscan.scan import scan

ROOT = Path(__file__).resolve().parent.parent
IIN_FILE = ROOT / "categorizers" / "data" / "card_iin_ranges.tsv"

needs_extension = pytest.mark.skipif(kernels.extension() is None,
                                     reason="leakscan._kernels was not built (no compiler)")


def _ranges() -> list[tuple[int, int, set[int]]]:
    """The card schemes' IIN ranges and lengths, read from the data file directly."""
    out = []
    for line in IIN_FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        lo, hi, lengths, _ = line.split("\t")
        allowed: set[int] = set()
        for part in lengths.split(","):
            a, _, b = part.partition("-")
            allowed |= set(range(int(a), int(b or a) + 1))
        out.append((int(lo), int(hi), allowed))
    return out


RANGES = _ranges()


def _in_a_range(iin: int, length: int) -> bool:
    return any(lo <= iin <= hi and length in lengths for lo, hi, lengths in RANGES)


def _card(rng: random.Random, iin: int, length: int, good: bool) -> str:
    body = f"{iin:06d}" + "".join(rng.choice("0123456789") for _ in range(length - 7))
    check = int(luhn.calc_check_digit(body))
    return body + str(check if good else (check + rng.randint(1, 9)) % 10)


def generated_cards(n: int, seed: int = 17) -> list[tuple[str, bool]]:
    """``n`` normalised card numbers with their validity by construction: valid ones in
    every range at each length it issues, and invalid ones (wrong check digit; an IIN or a
    length no scheme issues with a correct check digit; a leading 0)."""
    rng = random.Random(seed)
    out: list[tuple[str, bool]] = []
    while len(out) < n:
        lo, hi, lengths = rng.choice(RANGES)
        iin, length = rng.randint(lo, hi), rng.choice(sorted(lengths))
        kind = rng.randrange(5)
        if kind <= 1:
            out.append((_card(rng, iin, length, True), True))
        elif kind == 2:
            out.append((_card(rng, iin, length, False), False))
        elif kind == 3:  # any IIN and length 13-20, correct check digit: valid iff in a range
            iin, length = rng.randint(100000, 999999), rng.randint(13, 20)
            out.append((_card(rng, iin, length, True), 15 <= length <= 19
                        and _in_a_range(iin, length)))
        else:  # a leading zero: no payment card
            out.append(("0" + _card(rng, iin, length, True)[1:], False))
    return out


def written(number: str, rng: random.Random) -> str:
    """A card number as an export writes it: plain, in groups of four, dashed, full width."""
    style = rng.randrange(4)
    if style == 1:
        return " ".join(number[i:i + 4] for i in range(0, len(number), 4))
    if style == 2:
        return "-".join(number[i:i + 4] for i in range(0, len(number), 4))
    if style == 3:
        return number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    return number


EDGE = [None, "", " ", "0", "6", "\x00", "6222021234567894\x00", "\x006222021234567894",
        "6222021234567894" * 100, "9" * 100_000, "６２２２０２１２３４５６７８９４",
        "6222 0212 3456 7894", "6222-0212-3456-7894", "6222\u30000212\u300034567894",
        "62220212345678９4", "622202123456789４", "卡号6222021234567894", "6222021234567894a",
        "+6222021234567894", "-6222021234567894", "6.22202E+18", "6222021234567894.0",
        "٦٢٢٢٠٢١٢٣٤٥٦٧٨٩٤",  # Arabic-Indic digits: not ASCII digits
        "378282246310005", "371449635398431", "4111111111111111", "4111111111111111111",
        "5555555555554444", "2223003122003222", "3530111333300000", "6011111111111117",
        "8986011234567890123", "6222021234567895", "000000000000000", "62" + "0" * 17,
        "\ud7ff", "é" * 20, "\U0001f600" * 5, "6222021234567894 ", "\t6222021234567894\n"]


@pytest.fixture(scope="module")
def bank_card(registry):
    return registry.get("bank_card")


@pytest.fixture(scope="module")
def kcon(registry):
    """A connection with the reference tables and, where built, the kernels registered."""
    con = duckdb.connect()
    register_reference_tables(con, registry)
    status = kernels.register(con, registry, enabled=True)
    yield con, status
    con.close()


@needs_extension
def test_the_kernel_agrees_with_construction_sql_and_python(bank_card, kcon, con):
    """C, SQL and Python on 12,000 normalised card numbers of known validity."""
    cards = generated_cards(12_000)
    values = [v for v, _ in cards]
    expected = [ok for _, ok in cards]
    assert 4_000 < sum(expected) < 8_000  # both kinds well represented
    c = kernels.run(bank_card.kernel, values)
    sql = [ok for _, ok in evaluate(con, bank_card, values)]
    py = [bank_card.is_valid(v) for v in values]
    assert c == expected
    assert sql == expected
    assert py == expected


@needs_extension
def test_a_scan_pass_with_the_kernel_equals_the_sql_pass(bank_card, kcon, con):
    """Raw cells as exports write them, and the edge cases, through ``layered_select``:
    normalised value and validity the same with the kernel as with ``VALIDATE_SQL``."""
    kc, status = kcon
    if kernels.disabled_by_environment():
        pytest.skip("LEAKSCAN_KERNELS=0: no kernel is registered")
    assert "bank_card" in status["kernels"]
    rng = random.Random(5)
    raw = [written(v, rng) for v, _ in generated_cards(10_500, seed=29)] + EDGE
    with_kernel = evaluate(kc, bank_card, raw, kernels.active(status))
    without = evaluate(con, bank_card, raw)
    assert with_kernel == without
    assert [ok for _, ok in without] == [bank_card.is_valid(v) for v in raw]
    assert sum(ok for _, ok in without) > 4_000


@needs_extension
def test_edge_values_straight_into_the_kernel(bank_card):
    """Values no normalisation would pass on (NULs, spaces, non-ASCII digits, huge cells):
    only an ASCII digit string can be valid, and none of these makes the kernel fail."""
    got = kernels.run(bank_card.kernel, EDGE)
    ascii_digits = [v is not None and v.isascii() and v.isdigit() for v in EDGE]
    expected = [ok and bank_card.is_valid(v) for v, ok in zip(EDGE, ascii_digits, strict=True)]
    assert got == expected
    # the schemes' published test cards, and 62 followed by 17 zeros (UnionPay, Luhn sum 10)
    assert {v for v, ok in zip(EDGE, got, strict=True) if ok} == {
        "378282246310005", "371449635398431", "4111111111111111", "5555555555554444",
        "2223003122003222", "3530111333300000", "6011111111111117", "62" + "0" * 17}


@needs_extension
@pytest.mark.parametrize("kind", ["string", "large_string"])
def test_arrow_layouts(bank_card, kind):
    """Both offset widths, a sliced array (non-zero offset), a chunked array, an array
    without a validity bitmap and one whose cells are all empty (no data buffer)."""
    table = bank_card.kernel["table"]()
    udf = kernels.validate_udf(getattr(kernels.extension(), bank_card.kernel["function"]),
                               table)
    typ = getattr(pa, kind)()
    values = ["6222021234567894", None, "6222021234567895", "378282246310005", ""] * 7
    truth = [v == "6222021234567894" or v == "378282246310005" for v in values]
    arr = pa.array(values, typ)
    assert udf(arr).to_pylist() == truth
    assert udf(arr.slice(3, 20)).to_pylist() == truth[3:23]
    chunked = pa.chunked_array([arr.slice(0, 9), arr.slice(9, 0), arr.slice(9)])
    assert udf(chunked).to_pylist() == truth
    dense = pa.array(["4111111111111111", "4111111111111112"], typ)
    assert dense.buffers()[0] is None
    assert udf(dense).to_pylist() == [True, False]
    assert udf(pa.array(["", ""], typ)).to_pylist() == [False, False]
    assert udf(pa.array([], typ)).to_pylist() == []
    assert udf(pa.array([None] * 3, typ)).to_pylist() == [False] * 3


@needs_extension
def test_buffers_too_short_are_refused_not_read(bank_card):
    """The C side checks every length it is told against the buffers it is given."""
    fn = getattr(kernels.extension(), bank_card.kernel["function"])
    table = bank_card.kernel["table"]()
    arr = pa.array(["6222021234567894"] * 9)
    _, offsets, data = arr.buffers()
    with pytest.raises(ValueError, match="offsets"):
        fn(table, None, offsets, data, 0, 10, False, bytearray(2))
    with pytest.raises(ValueError, match="output"):
        fn(table, None, offsets, data, 0, 9, False, bytearray(1))
    with pytest.raises(ValueError, match="validity"):
        fn(table, b"\xff", offsets, data, 0, 9, False, bytearray(2))
    with pytest.raises(ValueError, match="table"):
        fn(table[12:] + table[:12], None, offsets, data, 0, 9, False, bytearray(2))
    with pytest.raises(ValueError, match="table"):
        fn(b"\x00" * 5, None, offsets, data, 0, 9, False, bytearray(2))
    with pytest.raises(ValueError):
        fn(table, None, offsets, data, -1, 9, False, bytearray(2))
    out = bytearray(2)  # offsets beyond the data: that cell is not valid, nothing is read
    fn(table, None, offsets, data[:40], 0, 9, False, out)
    assert out == bytearray([0b11, 0])


def test_the_environment_and_the_option_disable_the_kernels(registry, monkeypatch):
    con = duckdb.connect()
    assert kernels.register(con, registry, enabled=False) == {
        "path": "sql", "kernels": [], "reason": "disabled"}
    monkeypatch.setenv(kernels.ENV, "0")
    assert kernels.register(con, registry)["reason"] == "disabled"
    monkeypatch.setenv(kernels.ENV, "1")
    status = kernels.register(con, registry)
    if kernels.extension() is None:
        assert status == {"path": "sql", "kernels": [], "reason": "not_built"}
    else:
        assert status["path"] == "kernels" and "bank_card" in status["kernels"]


def _report(paths, **options) -> dict:
    return json.loads(scan(paths, **options).to_json())


def _without_validation(doc: dict) -> dict:
    doc = json.loads(json.dumps(doc))
    doc["provenance"].pop("validation")
    doc.pop("generated_at", None)
    return doc


@pytest.fixture(scope="module")
def generated_dump(tmp_path_factory):
    """A 3,000-row dump of the benchmark generator (bank cards, IDs, phones, order-number
    decoys), written as the benchmark writes it."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("dump")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--rows", "3000",
                    "--out", str(out), "--formats", "csv", "--threads", "1"], check=True,
                   capture_output=True)
    return out / "leak_3000.csv"


@pytest.mark.parametrize("which", ["sample_data", "generated"])
def test_the_report_is_the_same_with_and_without_kernels(which, generated_dump, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    paths = [str(ROOT / "sample_data")] if which == "sample_data" else [str(generated_dump)]
    fast = _report(paths, threads=2)
    slow = _report(paths, threads=2, kernels=False)
    assert _without_validation(fast) == _without_validation(slow)
    assert slow["provenance"]["validation"] == {"path": "sql", "kernels": [],
                                                "reason": "disabled"}
    if kernels.extension() is not None and not kernels.disabled_by_environment():
        assert fast["provenance"]["validation"]["path"] == "kernels"
        assert "bank_card" in fast["provenance"]["validation"]["kernels"]
    else:
        assert fast["provenance"]["validation"]["path"] == "sql"
    assert fast["categories"]["bank_card"]["valid"] > 0


@pytest.mark.parametrize("kernel, error", [
    ({"function": "luhn_iin", "replaces": "validate"}, "keys"),
    ({"function": "luhn iin", "replaces": "validate", "table": bytes}, "identifier"),
    ({"function": "luhn_iin", "replaces": "normalise", "table": bytes}, "replaces"),
    ({"function": "luhn_iin", "replaces": "validate", "table": b""}, "callable"),
    ({"function": "luhn_iin", "replaces": "validate", "validates": "luhn_iin",
      "table": bytes}, "keys"),  # only a normalising kernel names a validation
    ({"function": "luhn_iin", "replaces": "normalize", "steps": 1, "validates": "luhn iin",
      "table": bytes}, "identifier"),
    ({"function": "luhn_iin", "replaces": "normalize", "steps": 99, "table": bytes}, "steps"),
    ({"function": "luhn_iin", "replaces": "normalize", "steps": 0, "table": bytes}, "steps"),
])
def test_the_registry_checks_a_kernel_declaration(kernel, error):
    import types

    from categorizers import bank_card as real
    from leakscan.errors import RegistryError
    from leakscan.registry import check_contract

    fake = types.ModuleType("fake_card")
    fake.__dict__.update({k: v for k, v in vars(real).items() if not k.startswith("__")})
    fake.KERNEL = kernel
    with pytest.raises(RegistryError, match=error):
        check_contract(fake)
    fake.KERNEL, fake.ID = dict(real.KERNEL), "bank-card"
    with pytest.raises(RegistryError, match="identifier"):
        check_contract(fake)


# -- phone: the kernel of every normalisation step (for the cells it decides) and of the
#    validation; the metadata's patterns as automata (categorizers/_dfa.py)

MOBILE_PREFIXES = ("130", "135", "138", "139", "150", "152", "159", "166", "170", "176", "177",
                   "180", "186", "189", "191", "199", "147", "162", "145", "100", "120", "112")
AREA_CODES = ("10", "20", "21", "22", "23", "24", "25", "27", "28", "29", "311", "351", "371",
              "411", "431", "451", "531", "571", "591", "731", "755", "757", "769", "898", "999")


def phone_cells(n: int, seed: int = 41) -> list[str]:
    """Cells of a phone column as exports write them: mobiles bare, grouped, dashed, with
    +86 / 0086 / 86 / (+86); fixed lines with the trunk 0, dashes, brackets, spaces and
    extensions; and junk over the same alphabet (digits, +, separators, x, #, letters)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        kind = rng.randrange(10)
        if kind < 5:
            d = rng.choice(MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))
            groups = [d[:3], d[3:7], d[7:]]
            sep = rng.choice(["", " ", "-", ".", "  "])
            prefix = rng.choice(["", "", "+86", "+86 ", "0086", "86", "(+86)", "+86-"])
            out.append(prefix + sep.join(groups))
        elif kind < 8:
            area = rng.choice(AREA_CODES)
            sub = rng.choice("23456789") + "".join(rng.choice("0123456789")
                                                   for _ in range(rng.choice((6, 7))))
            form = rng.randrange(6)
            cell = (f"0{area}-{sub}" if form == 0 else f"(0{area}){sub}" if form == 1 else
                    f"0{area} {sub[:4]} {sub[4:]}" if form == 2 else f"+86 {area} {sub}"
                    if form == 3 else f"0{area}{sub}" if form == 4 else f"{area}{sub}")
            if rng.random() < 0.2:
                cell += rng.choice(["-", " - ", "-", "转", " ext.", "x", "#"]) + str(
                    rng.randint(1, 99999))
            out.append(cell)
        else:
            alphabet = "0123456789" * 3 + "+-() .\t" + "x#-a"
            out.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25))))
    return out


PHONE_EDGE = [None, "", " ", "-", "--", "+", "()", "\x00", "13800138000\x00", "\x0013800138000",
              "13800138000" * 50, "1" * 100_000, "１３８００１３８０００", "＋８６ 138 0013 8000",
              "138\u30000013\u30008000", "138–0013–8000", "13800138000x12", "13800138000#1",
              "010-62345678-801", "010-2345678-1", "01-2345678-1", "(010)62345678-801",
              "0755-12345678", "0755-1234567-89", "138-0013-8000", "+86-138-0013-8000",
              "400-812-3123", "95588", "+852 9123 4567", "00852 91234567", "é13800138000",
              "\u200b13800138000", "13800138000\n", "\t(0755) 1234-5678 ", "12345678901234567890123"]


@pytest.fixture(scope="module")
def phone(registry):
    return registry.get("phone")


def _first_steps_sql(con, cat, values: list[str | None]) -> list[str | None]:
    """The value after the SQL's first ``KERNEL["steps"]`` normalisation steps."""
    from leakscan.expressions import apply

    con.execute("CREATE OR REPLACE TEMP TABLE leakscan_k (i INTEGER, v VARCHAR)")
    con.execute("INSERT INTO leakscan_k SELECT unnest($1), CAST(unnest($2) AS VARCHAR)",
                [list(range(len(values))), list(values)])
    sql = "SELECT i, v FROM leakscan_k"
    for k, template in enumerate(cat.module.NORMALIZE_SQL[:cat.kernel["steps"]]):
        # one projection per step: nested in one expression, the steps' references to
        # their value multiply (the phone's nine steps would not fit in memory)
        sql = f"SELECT i, {apply(template, 'v')} AS v FROM ({sql}) AS s{k}"
    return [v for (v,) in con.execute(f"SELECT v FROM ({sql}) AS s ORDER BY i").fetchall()]


@needs_extension
def test_the_phone_kernel_gives_the_sql_value_where_it_decides(phone, con):
    """``phone`` gives what all of ``NORMALIZE_SQL`` gives, for every cell it decides; it
    decides every plain cell (ASCII digits, ``+`` and separators, no extension) that the SQL
    normalises to a number, and ``phone_valid`` over the SQL's values is ``VALIDATE_SQL``
    and phonenumbers."""
    assert phone.kernel["steps"] == len(phone.module.NORMALIZE_SQL)
    values = phone_cells(12_000) + PHONE_EDGE
    got = kernels.run(phone.kernel, values)
    sql = _first_steps_sql(con, phone, values)
    assert sql == [phone.normalize(v) for v in values]  # the SQL is phonenumbers' reading
    decided = [(v, g, s) for v, g, s in zip(values, got, sql, strict=True) if g is not None]
    assert [g for _, g, _ in decided] == [s for _, _, s in decided]
    assert len(decided) > 8_000  # the common cells are decided...
    assert sql.count(None) > 2_000  # (junk and bare fixed lines: the SQL's NULL, not decided)
    undecided = [v for v, g, s in zip(values, got, sql, strict=True)
                 if g is None and s is not None]
    # ...and a number left to the SQL is one the kernel cannot see: an extension, a letter
    # or '#', a non-ASCII or NUL character
    for v in undecided:
        assert (any(not ("0" <= c <= "9" or c in "+() .\t\n-") for c in v)
                or phone.module._EXTENSION_RES[1].fullmatch(v) or
                sum(c.isdigit() for c in v.rsplit("-", 1)[0]) >= 10), v
    _check_phone_validation(phone, con, values, sql)


def _check_phone_validation(phone, con, values, sql):
    """``phone_valid`` over the SQL's normalised values is ``VALIDATE_SQL`` over them and
    phonenumbers over the cells they came from (not over the E.164 forms: phonenumbers reads
    ``+8603...`` as a number with a trunk 0, where the cell ``17951 03...`` was not one)."""
    pairs = [(v, s) for v, s in zip(values, sql, strict=True) if s is not None]
    normalised = [s for _, s in pairs]
    valid = kernels.run(phone.kernel, normalised, validates=True)
    con.execute("CREATE OR REPLACE TEMP TABLE leakscan_k AS SELECT unnest($1) AS i, "
                "CAST(unnest($2) AS VARCHAR) AS v", [list(range(len(normalised))), normalised])
    expr = phone.module.VALIDATE_SQL.replace("{value}", "v")
    assert valid == [ok for (ok,) in con.execute(
        f"SELECT COALESCE({expr}, false) FROM leakscan_k ORDER BY i").fetchall()]
    assert valid == [phone.is_valid(v) for v, _ in pairs]
    assert 1_000 < sum(valid) < len(valid) - 100


@needs_extension
def test_the_phone_kernels_on_numbers_made_from_the_metadata(phone, con):
    """National numbers of every length from the metadata's example numbers with digits
    changed, under every prefix the steps strip (+86, 0086, 86, 0, a carrier code): the
    kernel's value and validity are the SQL's and phonenumbers'."""
    from phonenumbers import PhoneNumberType, example_number_for_type

    rng = random.Random(29)
    examples = [example_number_for_type("CN", t) for t in (
        PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE, PhoneNumberType.TOLL_FREE,
        PhoneNumberType.SHARED_COST, PhoneNumberType.PREMIUM_RATE)]
    seeds = [str(e.national_number) for e in examples if e is not None]
    values = []
    for _ in range(10_000):
        nsn = list(rng.choice(seeds))
        for _ in range(rng.randint(0, 3)):
            nsn[rng.randrange(len(nsn))] = rng.choice("0123456789")
        if rng.random() < 0.2:
            nsn = nsn[:rng.randint(5, len(nsn))] + [rng.choice("0123456789")
                                                   for _ in range(rng.randint(0, 3))]
        prefix = rng.choice(["", "", "+86", "0086", "86", "0", "17951", "12593", "+86 0",
                             "8686", "00", "+1"])
        values.append(prefix + "".join(nsn))
    got = kernels.run(phone.kernel, values)
    sql = _first_steps_sql(con, phone, values)
    assert all(g is None or g == s for g, s in zip(got, sql, strict=True))
    assert sum(g is not None for g in got) > 6_000
    assert sql == [phone.normalize(v) for v in values]
    _check_phone_validation(phone, con, values, sql)


def test_the_automata_are_the_metadata_patterns():
    """Each automaton the phone kernel runs accepts exactly what Python's ``re`` matches in
    full, on digit strings grown from the pattern's own example numbers and at random; the
    national prefix's match ends are the lengths ``re`` can match at the start."""
    import re

    from phonenumbers.phonemetadata import PhoneMetadata

    from categorizers import _dfa

    meta = PhoneMetadata.metadata_for_region("CN")
    descs = [meta.general_desc, meta.mobile, meta.fixed_line, meta.toll_free,
             meta.shared_cost, meta.premium_rate]
    patterns = [d.national_number_pattern for d in descs if d and d.national_number_pattern]
    patterns += [meta.national_prefix_for_parsing, meta.international_prefix]
    rng = random.Random(7)
    starts = [""] + [str(d.example_number) for d in descs if d and d.example_number]
    for pattern in patterns:
        dfa, rx = _dfa.compile_digits(pattern), re.compile(pattern)
        for _ in range(8_000):
            s = rng.choice(starts)[:rng.randint(0, 12)] + "".join(
                rng.choice("0123456789") for _ in range(rng.randint(0, 8)))
            assert dfa.fullmatch(s) == bool(rx.fullmatch(s)), (pattern, s)
            ends = [k for k in range(len(s) + 1) if rx.fullmatch(s[:k])]
            assert dfa.match_ends(s) == ends, (pattern, s)


@pytest.mark.parametrize("pattern", [r"^1\d", r"1\d$", r"(\d)\1", r"1(?=2)", r"1\s", r"a", r"\b1"])
def test_what_the_automata_do_not_translate_is_refused(pattern):
    from categorizers import _dfa

    assert not _dfa.translatable(pattern)
    with pytest.raises(_dfa.Unsupported):
        _dfa.compile_digits(pattern)


@needs_extension
def test_a_scan_pass_with_the_phone_kernel_equals_the_sql_pass_and_python(phone, kcon, con):
    kc, status = kcon
    if kernels.disabled_by_environment():
        pytest.skip("LEAKSCAN_KERNELS=0: no kernel is registered")
    assert "phone" in status["kernels"]
    values = phone_cells(10_500, seed=43) + PHONE_EDGE
    with_kernel = evaluate(kc, phone, values, kernels.active(status))
    without = evaluate(con, phone, values)
    assert with_kernel == without
    assert [n for n, _ in without] == [phone.normalize(v) for v in values]
    assert [ok for _, ok in without] == [phone.is_valid(v) for v in values]
    assert sum(ok for _, ok in without) > 5_000


def test_no_trunk_extension_has_fewer_digits_before_its_dash():
    """``EXTENSION_TRUNK_MIN_DIGITS`` is what the trunk-extension pattern needs: the shortest
    form matches, and no cell with fewer digits before its last dash does."""
    from categorizers import phone as module

    trunk = module._EXTENSION_RES[1]
    bound = module.EXTENSION_TRUNK_MIN_DIGITS
    assert trunk.fullmatch("010-2345678-1")  # 0, 1, 0 and 2345678: 10 digits
    assert sum(c.isdigit() for c in "010-2345678") == bound
    rng = random.Random(3)
    for _ in range(20_000):
        cell = "".join(rng.choice("0123456789-- ()") for _ in range(rng.randint(3, 22)))
        if "-" in cell and sum(c.isdigit() for c in cell.rsplit("-", 1)[0]) < bound:
            assert not trunk.fullmatch(cell), cell


def test_without_the_extension_the_scan_takes_the_sql_path(monkeypatch):
    """As on a machine without a compiler: the report says ``not_built``, the counts hold."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(kernels, "extension", lambda: None)
    monkeypatch.delenv(kernels.ENV, raising=False)  # else "disabled" is the reason given
    doc = _report([str(ROOT / "sample_data" / "bank_balances.csv")])
    assert doc["provenance"]["validation"] == {"path": "sql", "kernels": [],
                                               "reason": "not_built"}
    assert doc["categories"]["bank_card"]["valid"] == 62  # the README's figure


def _junk(rng: random.Random) -> str:
    alphabet = ("0123456789" * 4 + "+-(). \t\n#xX*" + "０１２＋－（）　" + "\x00\u200b\u3000转é"
                + "abcdefghij")
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))


@needs_extension
def test_every_declared_kernel_agrees_with_its_sql_on_junk(registry, kcon, con):
    """Parametrised over the registry: a plug-in's kernel is held to its SQL the same way."""
    kc, status = kcon
    if kernels.disabled_by_environment():
        pytest.skip("LEAKSCAN_KERNELS=0: no kernel is registered")
    rng = random.Random(11)
    values = [_junk(rng) for _ in range(10_000)] + EDGE + PHONE_EDGE
    declared = [c for c in registry if c.kernel]
    assert {c.id for c in declared} <= set(status["kernels"])
    for cat in declared:
        assert evaluate(kc, cat, values, kernels.active(status)) == evaluate(con, cat, values), \
            cat.id


# -- cn_resident_id: gb11643 (the validation of the normalised number)

def resident_ids(n: int, seed: int = 53) -> list[str]:
    """Normalised numbers as GB 11643 builds them: a region code of python-stdnum's list (or
    a made-up one), a birth date (real, impossible, in the future, before 1900, leap days),
    a sequence number and the check character computed with python-stdnum, or a wrong one."""
    from stdnum import numdb
    from stdnum.cn import ric

    codes = sorted({code for code, _ in _region_codes(numdb.get("cn/loc"))})
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        region = rng.choice(codes) if rng.random() < 0.9 else f"{rng.randint(0, 999999):06d}"
        kind = rng.randrange(10)
        year = (rng.randint(1900, 2024) if kind < 7 else rng.choice([1, 1000, 1899, 2099, 9999])
                if kind == 7 else rng.choice([1980, 1984, 1996, 2000, 2004]))
        month = rng.randint(1, 12) if kind != 8 else rng.choice([0, 13, 2])
        day = rng.randint(1, 28) if kind < 8 else rng.choice([0, 29, 30, 31, 32])
        body = f"{region}{year:04d}{month:02d}{day:02d}{rng.randint(0, 999):03d}"
        check = ric.calc_check_digit(body + "0")  # it reads all but the last character
        if rng.random() < 0.15:
            check = rng.choice([c for c in "0123456789X" if c != check])
        out.append(body + check)
    return out


def _region_codes(db):
    """Six-digit county codes of python-stdnum's ``cn/loc`` (prefix tree walked by hand)."""
    def walk(parts, prefix):  # numdb entries: (length, low, high, properties, children)
        for _length, key, _high, _props, children in parts:
            code = prefix + key
            if len(code) == 6:
                yield code, None
            else:
                yield from walk(children, code)

    yield from walk(db.prefixes, "")


ID_EDGE = [None, "", "11010119900307125X", "110101199003071258", "11010119900307125x",
           "1101011990030712", "11010119900307125X0", "11010119900230125X", "000000190001010000",
           "110101000001011234", "\x00" * 18, "１１０１０１１９９００３０７１２５Ｘ",
           "11010119900307125X" * 1000, "110101199003071 25X", "11010120991231123X"]


@needs_extension
def test_the_id_kernel_agrees_with_sql_and_python(registry, con):
    cat = registry.get("cn_resident_id")
    values = resident_ids(12_000) + ID_EDGE
    evaluated = evaluate(con, cat, values)
    # over normalised values
    c = kernels.run(cat.kernel, [norm for norm, _ in evaluated], validates=True)
    sql = [ok for _, ok in evaluated]
    py = [cat.is_valid(v) for v in values]
    assert c == sql
    assert c == py
    assert 4_000 < sum(c) < 11_000


def id_cells(n: int, seed: int = 57) -> list[str]:
    """Resident-ID cells as exports write them: 18-character numbers (a lower-case x, spaces
    and dashes between groups, padding), legacy 15-digit numbers, numbers one digit short or
    long, full-width and other non-ASCII spellings, and junk over the same alphabet."""
    rng = random.Random(seed)
    out = []
    for number in resident_ids(n, seed):
        kind = rng.randrange(8)
        if kind == 0:
            number = number[:6] + number[8:17]  # legacy: no 19, no check character
        elif kind == 1:
            number = number.lower()
        elif kind == 2:
            number = f"{number[:6]} {number[6:14]} {number[14:]}"
        elif kind == 3:
            number = f" {number[:6]}-{number[6:14]}-{number[14:]}\t"
        elif kind == 4:
            number = number[:rng.randint(14, 19)] + rng.choice(["", "1", "X", "x"])
        elif kind == 5:
            number = "".join(rng.choice("0123456789Xx -\u3000\u00a0１") for _ in
                             range(rng.randint(0, 22)))
        out.append(number)
    return out


@needs_extension
def test_the_id_normalising_kernel_gives_the_sql_value_where_it_decides(registry, con):
    """``resident_id`` gives what all of ``NORMALIZE_SQL`` gives, and the Python twin, for
    every cell it decides, and decides every ASCII cell the SQL normalises to a number."""
    cat = registry.get("cn_resident_id")
    assert cat.kernel["steps"] == len(cat.module.NORMALIZE_SQL)
    values = id_cells(12_000) + ID_EDGE
    got = kernels.run(cat.kernel, values)
    sql = _first_steps_sql(con, cat, values)
    assert sql == [cat.normalize(v) for v in values]
    assert all(g is None or g == s for g, s in zip(got, sql, strict=True))
    assert sum(g is not None for g in got) > 8_000
    for v, g, s in zip(values, got, sql, strict=True):
        if g is None and s is not None:  # left to the SQL: a character it does not class
            assert any(ord(c) > 127 or c == "\x00" for c in v), v


@needs_extension
def test_a_scan_pass_with_the_id_kernel_equals_the_sql_pass(registry, kcon, con):
    kc, status = kcon
    if kernels.disabled_by_environment():
        pytest.skip("LEAKSCAN_KERNELS=0: no kernel is registered")
    cat = registry.get("cn_resident_id")
    rng = random.Random(7)
    raw = [v if v is None or rng.random() < 0.6 else
           f"{v[:6]} {v[6:14]} {v[14:]}" if rng.random() < 0.5 else v.lower()
           for v in resident_ids(10_500, seed=59)] + ID_EDGE
    raw += [v[:6] + v[8:17] for v in resident_ids(500, seed=61)]  # legacy 15-digit numbers
    assert evaluate(kc, cat, raw, kernels.active(status)) == evaluate(con, cat, raw)


def test_the_kernel_regions_are_the_region_year_keys():
    """The kernel's masks of valid year slots, read back as keys, are ``region_year_keys``
    with ``since`` not after the year."""
    from categorizers import cn_resident_id as module

    lo, _hi = module._finite_bounds()
    for year in (1970, 1985, 2000, 2026, 9999):
        keys = sorted(code * 10000 + (0 if s == 0 else module.LAST_YEAR if s == 1 else
                                      lo + s - 2)
                      for code, mask in module._kernel_regions(year)
                      for s in range(mask.bit_length()) if mask >> s & 1)
        assert keys == [k for k, since in module.region_year_keys() if since <= year]


def test_a_build_of_another_source_version_is_not_used(monkeypatch):
    """An editable install whose extension was built from an older ``_kernels.c`` (another
    calling convention or table layout) takes the SQL path instead of misreading a table."""
    if kernels.extension() is None:
        pytest.skip("leakscan._kernels was not built")
    assert kernels.extension.__wrapped__() is not None
    monkeypatch.setattr(kernels, "ABI", kernels.ABI + 1)
    assert kernels.extension.__wrapped__() is None


# -- row by row: the kernels of a scan of small plain files, without pyarrow

@needs_extension
def test_row_by_row_kernels_agree_with_the_sql(registry, con):
    """A scan of small plain files registers the kernels row by row (DuckDB native UDFs:
    ``kernels.row_wise_pays``), each value handed to the same C as a one-element array.
    They give what each categorizer's SQL gives, on junk and on every kernel's edge cells
    (NULL, NUL, very long, full width), as the Arrow UDFs do."""
    if kernels.disabled_by_environment():
        pytest.skip("LEAKSCAN_KERNELS=0: no kernel is registered")
    rng = random.Random(19)
    values = ([_junk(rng) for _ in range(3_000)] + EDGE + PHONE_EDGE + ID_EDGE
              + resident_ids(500) + [card for card, _ in generated_cards(500)])
    rc = duckdb.connect()
    register_reference_tables(rc, registry)
    status = kernels.register(rc, registry, row_wise=True)
    declared = [c for c in registry if c.kernel]
    assert {c.id for c in declared} <= set(status["kernels"])
    for cat in declared:
        assert evaluate(rc, cat, values, kernels.active(status)) == evaluate(con, cat, values), \
            cat.id
    rc.close()


def test_only_small_plain_files_take_the_kernels_row_by_row(tmp_path):
    """Row by row only for plain files of ``ROW_WISE_BYTES`` in all: not for a compressed
    file or a Parquet file (whose content may be far larger), a zip member, or a FIFO (never
    opened: its bytes are the input's)."""
    import gzip
    import os

    from leakscan.sources import Input

    def inp(path, **kw):
        return Input(path=str(path), real_path=str(path), **kw)

    small = tmp_path / "small.csv"
    small.write_text("phone\n13800138000\n", encoding="utf-8")
    big = tmp_path / "big.csv"
    big.write_bytes(b"13800138000\n" * (kernels.ROW_WISE_BYTES // 24 + 1))
    packed = tmp_path / "packed.csv"
    packed.write_bytes(gzip.compress(small.read_bytes()))
    parquet = tmp_path / "t.parquet"
    parquet.write_bytes(b"PAR1" + bytes(100))
    assert kernels.small_plain_files([inp(small)])
    assert kernels.small_plain_files([inp(small), inp(big)])  # half the bound and a bit
    assert not kernels.small_plain_files([inp(small), inp(big), inp(big)])
    assert not kernels.small_plain_files([inp(packed)])
    assert not kernels.small_plain_files([inp(parquet)])
    assert not kernels.small_plain_files([inp(small, member="a.csv", container="zip")])
    assert not kernels.small_plain_files([inp(tmp_path / "missing.csv")])
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo"
        os.mkfifo(fifo)
        assert not kernels.small_plain_files([inp(fifo)])


@needs_extension
@pytest.mark.parametrize(("function", "category", "cell"), [
    ("separators", "phone", "138 0013 8000"), ("phone", "phone", "138 0013 8000"),
    ("resident_id", "cn_resident_id", "11010119900307125x")])
def test_a_normalising_kernel_refuses_a_wrong_table_and_a_short_output(registry, function,
                                                                         category, cell):
    """The three normalising kernels share one driver (``normalizing`` in ``_kernels.c``):
    another kernel's table is refused, and an output buffer too short for a decided cell is
    an error, never a write past its end or a silent NULL."""
    import struct

    cat = registry.get(category)
    table = (cat.module._separators_table() if function == "separators"
             else cat.kernel["table"]())
    fn = getattr(kernels.extension(), function)
    data = cell.encode()
    offsets = struct.pack("=ii", 0, len(data))

    def call(table, room):
        out_offsets, out_data = bytearray(8), bytearray(room)
        used = fn(table, None, offsets, data, 0, 1, False, bytearray(1), out_offsets, out_data)
        return bytes(out_data[:used])

    assert call(table, len(data) + kernels.GROWTH)  # decided
    with pytest.raises(ValueError, match="table"):
        call(b"\x00" * 7, 64)
    with pytest.raises(ValueError, match="too short"):
        call(table, 2)
