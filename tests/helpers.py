"""Small builders for test inputs: valid synthetic identifiers and files written from rows.

Identifiers are built from their definitions (stdnum computes the check digits), so a test's
expected numbers can be worked out by hand from the rows it writes.
"""

from __future__ import annotations

import csv
from pathlib import Path

from stdnum import luhn
from stdnum.cn import ric


def resident_id(seq: int, region: str = "110105", birth: str = "19900101") -> str:
    """A valid 18-digit resident ID; ``seq`` (0-999) is the order code."""
    body = f"{region}{birth}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def broken_id(seq: int) -> str:
    """The same ID with a wrong check digit."""
    good = resident_id(seq)
    wrong = "0" if good[-1] != "0" else "1"
    return good[:-1] + wrong


def bank_card(seq: int) -> str:
    """A Luhn-valid 16-digit card number."""
    body = f"622202{seq:09d}"
    return body + luhn.calc_check_digit(body)


def mobile(seq: int) -> str:
    """A valid mainland mobile number (138 block)."""
    return f"1380013{seq:04d}"


def han_name(seq: int, surname: str = "张") -> str:
    """A distinct two-character Han name for every ``seq`` below 20,000."""
    return surname + chr(0x4E00 + seq)


def write_csv(path: Path, header: list[str] | None, rows: list[list[str]],
              delimiter: str = ",") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=delimiter, lineterminator="\n")
        if header:
            w.writerow(header)
        w.writerows(rows)
    return path
