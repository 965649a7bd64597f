"""Login account (账号: QQ number, login name).

The account half of an account-and-password pair, and QQ numbers: what a user types to log
in. Two forms are valid after normalisation (full-width folded, white space removed, ASCII
letters lower-cased, since login names are compared without case by most services):

- a QQ number: 5 to 10 digits, the first not ``0`` (Tencent assigns them from 10000 upwards;
  the largest in use have 10 digits);
- a login name: 3 to 64 of ASCII letters, digits, ``.``, ``_`` and ``-``, with at least one
  letter.

A phone number (11 digits) and an e-mail address (``@``) are not accounts here: they are
values of their own categories, which come first in a mixed column anyway
(``docs/classification.md``, "Mixed columns"), so an account column of a credential list
counts each value once, under the most specific category.

It errs towards *accepting* (any 5-10 digits, any word with a letter), and is therefore
never assigned on values alone (``VALUE_DETECTION = False``): only the account column of a
credential list (``leakscan/inputs/credentials.py``) or a column whose header names a login
(账号, 用户名, QQ, login, username) is counted as accounts. A bank account number (16-19 digits)
is not one, and ``账号`` headers naming a bank or card are void for it (negative words).

Tier C: Fa Shi [2017] No. 10 Art. 1 names 账号密码 (account and password) among personal
information; an account alone, or with its password, is neither a trajectory, communication
content, credit nor property item (Art. 5(1)(3)) nor one of Art. 5(1)(4), so it is 其他公民个人
信息 of Art. 5(1)(5). *Paraphrase, leakscan's reading:* the password is what turns an account
into 账号密码; leakscan never reads it, and counts the account. Accounts do not link persons
(``LINKS_PERSONS`` is not declared): a login name is unique only within one service, and a
combo list mixes services, so two records with the login ``zhangwei`` may be two people.

>>> normalize(" ZhangWei_88 "), is_valid("zhangwei_88"), is_valid("10001")
('zhangwei_88', True, True)
>>> is_valid("01234"), is_valid("13800138000"), is_valid("a@b.cn")
(False, False, False)
"""

from __future__ import annotations

import re
import string

from leakscan.text import (
    FOLD_WIDTH_SQL,
    MASK_CHARS,
    RE2_WHITESPACE,
    fold_width,
    mask_middle,
    mask_middle_sql,
    masked_form,
    validity_of,
)
from leakscan.validation import InvalidFormat, InvalidLength

from . import _headers, _mixed, _roles

ID = "account"
CLASS = "other"
TIER = "C"
IDENTIFYING = True
#: Header words naming a party other than the subject (a doctor, a manager: ``_roles``).
ROLE_WORDS = _roles.ROLE_WORDS
VALUE_DETECTION = False
HEADER_SYNONYMS = _headers.synonyms(ID)
#: A bank account or card under ``账号``, an account's kind or state, an internal key.
NEGATIVE_WORDS = ("银行", "卡", "余额", "类型", "状态", "密码", "bank", "card", "balance", "type",
                  "status", "password", "_id", "_no")
#: The last candidate of a mixed column: phones and e-mail addresses are taken first.
MIXED = {"order": 90, "headers": _mixed.LOGIN_HEADERS, "credentials": True}

_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_QQ = re.compile(r"[1-9][0-9]{4,9}")
_LOGIN = re.compile(r"[a-z0-9._\-]{3,64}")

NORMALIZE_SQL = (
    FOLD_WIDTH_SQL,
    f"NULLIF(translate(regexp_replace({{value}}, '{RE2_WHITESPACE}+', '', 'g'), "
    f"'{string.ascii_uppercase}', '{string.ascii_lowercase}'), '')",
)
VALIDATE_SQL = (
    "CASE WHEN length({value}) > 64 THEN false "
    "WHEN regexp_full_match({value}, '[1-9][0-9]{4,9}') THEN true "
    "ELSE regexp_full_match({value}, '[a-z0-9._\\-]{3,64}') "
    "AND regexp_matches({value}, '[a-z]') END"
)


def normalize(value: str | None) -> str | None:
    if value is None:
        return None
    text = "".join(c for c in fold_width(value) if not c.isspace())
    return text.translate(_LOWER) or None


def validate(value: str | None) -> str:
    account = normalize(value)
    if account is None:
        raise InvalidFormat("blank")
    if len(account) > 64:
        raise InvalidLength("at most 64 characters")
    if _QQ.fullmatch(account):
        return account
    if _LOGIN.fullmatch(account) and any(c in string.ascii_lowercase for c in account):
        return account
    raise InvalidFormat("a QQ number or a login name")


is_valid = validity_of(validate)

MASK_SQL = mask_middle_sql("{value}", 2, 2)  # SQL twin of ``mask``


def mask(normalized: str) -> str:
    return mask_middle(normalized, 2, 2)


_MASK_RUN = "[" + MASK_CHARS + "]+"
#: Masked QQ numbers (``leakscan.text.masked_form``; counting rule 1.7): 5-10 characters, a
#: leading digit 1-9 or the mask, one run of mask characters among digits (``12****89``).
#: ``x`` is no mask here (``10xxxx01`` is a valid login name), and masked login names are
#: not declared: their shape is any shape.
MASKED_SQL, is_masked = masked_form((
    (f"[1-9][0-9]*{_MASK_RUN}[0-9]*|{_MASK_RUN}[0-9]+", (5, 6, 7, 8, 9, 10)),
), chars=MASK_CHARS)
