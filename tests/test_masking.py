"""Masking never shows more than each mask allows (property-based, with hypothesis).

Every value leakscan prints (report samples, evidence files unless --unmasked) goes through
its categorizer's ``mask()``. For each identifying categorizer the allowance is its documented
rule: resident IDs keep the first 3 and last 4 characters, phone numbers the country code and
3 + 4 digits of the national number, bank cards 4 + 4, passports 2 + 2; a short value always
hides at least a third of its characters. Names show one character (Chinese) or initials;
e-mail addresses one character of the mailbox and the domain.
"""

from __future__ import annotations

import csv
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import leakscan
from leakscan.registry import default_registry
from tests.helpers import bank_card, resident_id, write_csv

REG = default_registry()
KEEP = {"cn_resident_id": (3, 4), "bank_card": (4, 4), "passport": (2, 2)}

digits = st.text(alphabet="0123456789", min_size=1, max_size=24)
id_like = st.builds(lambda s, y, m, d, x: resident_id(s, birth=f"{y}{m:02d}{d:02d}")
                    if x else f"{s:06d}{y}{m:02d}{d:02d}",
                    st.integers(0, 999), st.integers(1930, 2010), st.integers(1, 12),
                    st.integers(1, 28), st.booleans())


def check_middle(value: str, shown: str, keep_start: int, keep_end: int) -> None:
    """``shown`` is ``value`` with one run of stars in the middle, keeping at most
    ``keep_start`` + ``keep_end`` characters and hiding at least a third (and one)."""
    n = len(value)
    assert len(shown) == n and "*" not in value
    m = re.fullmatch(r"([^*]*)(\*+)([^*]*)", shown)
    assert m, (value, shown)
    start, hidden, end = (len(g) for g in m.groups())
    assert start <= keep_start and end <= keep_end, (value, shown)
    assert hidden >= max(1, n // 3), (value, shown)
    assert shown[:start] == value[:start] and shown[n - end:] == value[n - end:]


@settings(max_examples=300, deadline=None)
@given(st.one_of(id_like, digits, st.text(alphabet="0123456789Xx -", max_size=22)))
def test_resident_id_mask(raw):
    cat = REG.get("cn_resident_id")
    norm = cat.normalize(raw)
    if norm:
        check_middle(norm, cat.mask(norm), *KEEP["cn_resident_id"])
        if len(norm) >= 6:
            assert not cat.is_valid(cat.mask(norm))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.integers(0, 10**9).map(bank_card), digits))
def test_bank_card_mask(raw):
    cat = REG.get("bank_card")
    norm = cat.normalize(raw)
    if norm:
        check_middle(norm, cat.mask(norm), *KEEP["bank_card"])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ABCDEGHKMPSaegk0123456789", min_size=1, max_size=14))
def test_passport_mask(raw):
    cat = REG.get("passport")
    norm = cat.normalize(raw)
    if norm:
        check_middle(norm, cat.mask(norm), *KEEP["passport"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.integers(13000000000, 19999999999).map(str),
                 st.builds(lambda a, b: f"0{a}{b}", st.integers(10, 999),
                           st.integers(1000000, 99999999)),
                 st.text(alphabet="+0123456789 -()", min_size=1, max_size=20)))
def test_phone_mask(raw):
    cat = REG.get("phone")
    norm = cat.normalize(raw)
    if not norm:
        return
    shown = cat.mask(norm)
    if norm.startswith("+86"):
        assert shown.startswith("+86 ")
        check_middle(norm[3:], shown[4:], 3, 4)
    else:
        check_middle(norm, shown, 3, 4)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
               min_size=2, max_size=4))
def test_chinese_name_mask_shows_one_character(raw):
    cat = REG.get("name")
    norm = cat.normalize(raw)
    if norm:
        shown = cat.mask(norm)
        assert len(shown) == len(norm) and shown[0] == norm[0]
        assert set(shown[1:]) == {"*"}


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[a-z0-9._]{1,20}@[a-z0-9]{1,10}\.(com|cn|net)", fullmatch=True))
def test_email_mask_shows_one_character_of_the_mailbox(raw):
    cat = REG.get("email")
    norm = cat.normalize(raw)
    if norm:
        shown = cat.mask(norm)
        local, _, domain = norm.partition("@")
        s_local, _, s_domain = shown.partition("@")
        assert s_domain == domain and len(s_local) == len(local)
        assert sum(c != "*" for c in s_local) <= 1


@pytest.mark.slow
@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 999), st.integers(1950, 2005)), min_size=1,
                max_size=30, unique=True))
def test_evidence_files_never_hold_a_full_value(tmp_path, people):
    ids = [resident_id(s, birth=f"{y}0101") for s, y in people]
    cards = [bank_card(s * 3000 + y) for s, y in people]
    f = write_csv(tmp_path / "in.csv", ["身份证号", "银行卡号"],
                  [[i, c] for i, c in zip(ids, cards, strict=True)])
    out = tmp_path / "e.csv"
    leakscan.scan([str(f)], evidence_out=str(out))
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    text = out.read_text(encoding="utf-8")
    assert len(rows) == len(people)
    assert not any(i in text for i in ids) and not any(c in text for c in cards)
    for row, i, c in zip(rows, ids, cards, strict=True):
        check_middle(i, row["cn_resident_id"], *KEEP["cn_resident_id"])
        check_middle(c, row["bank_card"], *KEEP["bank_card"])


# -- the SQL masks (MASK_SQL) equal the Python ones -----------------------------------------

def _normalised_values(cat_id: str) -> list[str]:
    """Normalised values of a category: generated valid ones, plus short and odd strings."""
    import random

    from leakscan import synth

    rng = random.Random(17)
    gen = {
        "cn_resident_id": lambda: synth.resident_id(rng),
        "phone": lambda: rng.choice((synth.mobile, synth.fixed_line))(rng),
        "bank_card": lambda: synth.bank_card(rng, rng.choice((16, 17, 18, 19))),
        "email": lambda: synth.email(rng),
        "name": lambda: synth.name(rng),
        "address": lambda: synth.address(rng),
        "passport": lambda: synth.passport(rng),
    }.get(cat_id, lambda: "".join(rng.choice("ABHM0123456789京沪") for _ in range(rng.randint(1, 20))))
    cat = REG.get(cat_id)
    values = [cat.normalize(gen()) or "" for _ in range(300)]
    odd = ["", "a", "ab", "abc", "abcd", "abcde", "H1", "M12345678", "x@y", "@d.cn", "a@b@c",
           "john smith", "Li Lei", "北京市朝阳区１２号", "北京市朝阳区①号楼12室", "+86", "+861",
           "+8613800138000", "+861062345678", "张", "欧阳娜娜", "京A12345", "123456789012"]
    return [v for v in values if v] + odd


def test_sql_masks_equal_the_python_masks(con):
    checked = 0
    for cat in REG:
        if cat.mask_sql is None:
            continue
        values = _normalised_values(cat.id)
        con.execute("CREATE OR REPLACE TEMP TABLE mask_in (i INTEGER, v VARCHAR)")
        con.executemany("INSERT INTO mask_in VALUES (?, ?)", list(enumerate(values)))
        from leakscan.expressions import apply

        got = [r[0] for r in con.execute(f"SELECT {apply(cat.mask_sql, 'v')} FROM mask_in "
                                         f"ORDER BY i").fetchall()]
        want = [cat.mask(v) for v in values]
        bad = [(v, g, w) for v, g, w in zip(values, got, want, strict=True) if g != w]
        assert not bad, f"{cat.id}: {bad[:5]}"
        checked += 1
    assert checked == len(list(REG))  # every built-in categorizer has its SQL mask
