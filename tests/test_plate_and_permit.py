"""Licence plates and Mainland Travel Permits: SQL vs Python on generated values, edge cases."""

from __future__ import annotations

import random
import string

import pytest

import leakscan
from categorizers import cn_license_plate as plate
from categorizers import cn_travel_permit as permit
from leakscan.registry import default_registry
from leakscan.text import WHITESPACE_CHARS
from tests.helpers import write_csv

REG = default_registry()


def plates(rng: random.Random, n: int) -> list[str]:
    out = []
    alnum = plate.LETTERS + string.digits
    for _ in range(n):
        p, a = rng.choice(plate.PROVINCES), rng.choice(plate.LETTERS)
        kind = rng.randrange(4)
        if kind == 0:
            body = "".join(rng.choice(alnum) for _ in range(5))
        elif kind == 1:
            body = rng.choice("DF") + rng.choice(alnum) + "".join(rng.choice("0123456789")
                                                                 for _ in range(4))
        elif kind == 2:
            body = "".join(rng.choice("0123456789") for _ in range(5)) + rng.choice("DF")
        else:  # noise: wrong letters, lengths, provinces
            body = "".join(rng.choice(string.ascii_letters + string.digits + "IO挂学")
                           for _ in range(rng.randint(3, 7)))
            p = rng.choice(plate.PROVINCES + "使领中A")
        text = p + a + body
        style = rng.randrange(5)
        if style == 1:
            text = text[:2] + "·" + text[2:]
        elif style == 2:
            text = text.lower()
        elif style == 3:
            text = text[:2] + rng.choice(WHITESPACE_CHARS) + text[2:]
        elif style == 4:
            text = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
        out.append(text)
    return out


def permits(rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        head = rng.choice(["H", "M", "h", "", "", "X"])
        digits = "".join(rng.choice("0123456789") for _ in range(rng.choice([7, 8, 8, 10, 11])))
        text = head + digits
        if rng.random() < 0.2:
            text = text[:5] + " " + text[5:]
        out.append(text)
    return out


def test_plate_sql_agrees_with_python(agree):
    agree(REG.get("cn_license_plate"), plates(random.Random(5), 5000))


def test_permit_sql_agrees_with_python(agree):
    agree(REG.get("cn_travel_permit"), permits(random.Random(6), 5000))


@pytest.mark.parametrize("value,valid", [
    ("粤B12345", True), ("粤B·12345", True), ("京a 12345", True), ("沪AD12345", True),
    ("沪A12345F", True), ("苏E1234挂", True), ("粤Z1234港", True), ("粤I12345", False),
    ("粤B1234", False), ("使A12345", False), ("AB12345", False), ("京AD1234X", False),
    ("", False), (None, False),
])
def test_plate_edge_cases(value, valid):
    assert plate.is_valid(value) is valid


@pytest.mark.parametrize("value,valid,detect", [
    ("H12345678", True, True), ("M1234567801", True, True), ("h1234-5678", True, True),
    ("12345678", True, False), ("H1234567", False, False), ("X12345678", False, False),
    ("", False, False), (None, False, False),
])
def test_permit_edge_cases(value, valid, detect):
    assert permit.is_valid(value) is valid
    assert permit.detect(value) is detect


def test_plates_and_permits_are_found_without_headers(tmp_path):
    rng = random.Random(9)
    rows = [[plates(rng, 1)[0], f"H{rng.randrange(10**8):08d}", f"{rng.randrange(10**8):08d}"]
            for _ in range(40)]
    rows = [[plate.normalize(p) if plate.is_valid(p) else "粤B12345", h, t] for p, h, t in rows]
    doc = leakscan.scan([str(write_csv(tmp_path / "v.csv", None, rows))]).to_dict()
    got = {c["column"]: c["category"] for c in doc["columns"]}
    assert got == {"column1": "cn_license_plate", "column2": "cn_travel_permit"}
