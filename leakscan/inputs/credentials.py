"""Credential lists (``account:password``, ``account----password``, ``email|password``).

A combo list pairs an account (an e-mail address, a phone number, a QQ number or a login
name) with its password, one pair per line. The account is personal information and is
counted; the password is not, and must never travel further than the leaked file itself. So
a credential list is staged as a copy holding **only the account column**: the password never
reaches DuckDB, the samples, the report or an evidence file. Each line is split at its
*first* delimiter, so a password containing ``:`` or ``|`` stays one password.

Recognised from the sniffed sample when all of these hold (else the file is ordinary
delimited text): the delimiter is ``:``, ``----`` or ``|``; at least 80 % of the sampled lines
split into an account and a non-empty password without white space; at least 80 % of the
first fields look like accounts (an e-mail address, 5-15 digits, or a login name of Latin
letters, digits and ``._-@``); and fewer than half of the second fields validate as an
identifier (a column of phone numbers or ID numbers is data, not passwords). A header row
(``email:password``) is recognised when its second cell names a password.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass

DELIMITERS = (":", "----", "|")
SHARE = 0.8
_ACCOUNT = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+|\+?[0-9]{5,15}|[A-Za-z0-9._\-@]{3,64}")
_PASSWORD = re.compile(r"\S{1,128}")
_PASSWORD_HEADER = re.compile(r"pass(word)?|pwd|passwd|密码|口令", re.I)
FIRST_LINES = 5
#: The account column's name when the list has no header (the column's name, not a category).
ACCOUNT_COLUMN = "account"


@dataclass(frozen=True)
class Layout:
    """How a credential list is read: its delimiter, whether line 1 is a header."""

    delimiter: str
    header: bool
    account_name: str  # the account column's name ("account" unless the header says)


def detect(lines: list[str], delimiter: str,
           validates: Callable[[str], frozenset]) -> Layout | None:
    """The layout of a credential list, or None when the sample is not one."""
    if delimiter not in DELIMITERS or not lines:
        return None
    pairs = [ln.split(delimiter, 1) for ln in lines]
    header = False
    first = pairs[0]
    if len(first) == 2 and _PASSWORD_HEADER.fullmatch(first[1].strip()):
        header, pairs = True, pairs[1:]
    if not pairs:
        return None
    body = lines[1:] if header else lines
    if sum(ln.count(delimiter) == 1 for ln in body) < SHARE * len(body):
        return None  # more fields than account and password: ordinary delimited text
    two = [p for p in pairs if len(p) == 2 and p[0].strip() and _PASSWORD.fullmatch(p[1])]
    if len(two) < SHARE * len(pairs):
        return None
    if sum(bool(_ACCOUNT.fullmatch(a.strip())) for a, _ in two) < SHARE * len(two):
        return None
    if sum(bool(validates(p.strip())) for _, p in two) * 2 >= len(two):
        return None
    name = first[0].strip() if header and first[0].strip() else ACCOUNT_COLUMN
    return Layout(delimiter, header, name)


def write_accounts(text, dst, layout: Layout) -> tuple[int, list[int]]:
    """Copy the account of every line of ``text`` to ``dst`` as a one-column CSV.

    Returns the rows written and the line numbers of lines without a delimiter (rejected).
    """
    w = csv.writer(dst, lineterminator="\n")
    w.writerow([layout.account_name])
    rows, rejected = 0, []
    d = layout.delimiter
    for n, line in enumerate(text, start=1):
        if n == 1 and layout.header:
            continue
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        account, sep, _password = line.partition(d)
        if not sep:
            rejected.append(n)
            continue
        w.writerow([account.strip()])
        rows += 1
    return rows, rejected
