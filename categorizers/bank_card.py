"""Bank card number.

The primary account number (PAN) printed on a debit or credit card: 16 to 19 digits whose
last digit is a Luhn check digit over the others (ISO/IEC 7812-1). Chinese cards follow
JR/T 0008 (银行卡发卡行标识代码及卡号): UnionPay cards start with ``62``, and cards of the
international schemes with ``4`` (Visa), ``5`` (Mastercard) or ``35`` (JCB). The first digit
(the major industry identifier) is never ``0`` on a payment card, so a leading ``0`` is
rejected.

Cells are written in groups (``6222 0212 3456 7894``), with dashes, or in full-width digits;
full-width characters are folded, white space and ``-`` removed, and what is left must be
ASCII digits only: that digit string is the normalised value. Anything else (letters,
``6.22202E+18`` scientific notation from a spreadsheet) does not normalise.

Sources: ISO/IEC 7812-1:2017 (PAN structure and the Luhn formula); JR/T 0008 (Chinese bank
card numbers); python-stdnum's ``stdnum.luhn``, which the Python reference uses.

It errs towards *rejecting*: 13-15 digit numbers (old Visa, American Express, Diners Club)
are valid PANs but rare in Chinese leaks and frequent among other identifiers, so they are
not accepted. Even so, about one 16-19 digit number in ten passes the Luhn check by chance,
so an order number or an all-digit resident ID may validate: this module only validates
values, the column classifier (from the header and how many values of a column validate)
decides whether a column holds card numbers.

The SQL computes the Luhn sum with plain ``substr``/``POSITION`` arithmetic over the 19
possible positions (no user-defined functions), about a second for a million cells.

>>> normalize('6222 0212-3456 7894')
'6222021234567894'
>>> is_valid('6222021234567894'), is_valid('6222021234567895')
(True, False)
>>> validate('6222021234567895')
Traceback (most recent call last):
    ...
leakscan.validation.InvalidChecksum: Luhn check digit does not match
>>> mask('6228480012345678903')
'6228***********8903'
"""

from __future__ import annotations

from stdnum import luhn

from leakscan.text import (
    FOLD_WIDTH_SQL,
    RE2_WHITESPACE,
    fold_width,
    mask_middle,
    mask_middle_sql,
    validity_of,
)
from leakscan.validation import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from . import _roles

ID = "bank_card"
CLASS = "property"
TIER = "A"
IDENTIFYING = True
#: Header words naming a party other than the subject (a doctor, a manager: ``_roles``).
ROLE_WORDS = _roles.ROLE_WORDS
VALUE_DETECTION = True
HEADER_SYNONYMS = (
    "银行卡", "银行卡号", "卡号", "银行账号", "账号", "借记卡", "信用卡号",
    "bank_card", "card_no", "card_number", "cardno", "account_no", "bank_account", "pan",
    # pinyin initials and abbreviations common in Chinese systems
    "yhkh", "yhzh", "kh", "card_num", "bank_card_no", "acct_no",
)

MIN_LENGTH = 16
MAX_LENGTH = 19
_DIGITS = frozenset("0123456789")


def _luhn_sql() -> str:
    """Luhn over ``{value}`` (ASCII digits, at most 19), as standard SQL.

    Counting from the check digit (the last), every second digit is doubled, and a doubled
    digit of 5 or more counts ``2*d - 9`` (the sum of the digits of ``2*d``). Which positions
    from the left are doubled depends on whether the length is even or odd, hence the two
    sums. A digit's value is its place in a lookup string less one: ``0123456789`` for plain
    digits and ``0516273849`` for doubled ones (``2*5 - 9 = 1``: ``5`` is at place 2). A
    position past the end gives ``''``, and ``POSITION('' IN s)`` is 1, so each of the 19
    terms is one more than its digit's contribution, whatever the length: subtract 19.
    """
    def plain(pos: int) -> str:
        return f"POSITION(substr({{value}}, {pos}, 1) IN '0123456789')"

    def doubled(pos: int) -> str:
        return f"POSITION(substr({{value}}, {pos}, 1) IN '0516273849')"

    positions = range(1, MAX_LENGTH + 1)
    even_length = " + ".join(doubled(p) if p % 2 else plain(p) for p in positions)
    odd_length = " + ".join(plain(p) if p % 2 else doubled(p) for p in positions)
    return (f"MOD(CASE WHEN MOD(length({{value}}), 2) = 0 THEN {even_length} "
            f"ELSE {odd_length} END - {MAX_LENGTH}, 10) = 0")


NORMALIZE_SQL = (
    FOLD_WIDTH_SQL,
    # Drop white space (every character Python's str.isspace accepts) and dashes.
    f"regexp_replace({{value}}, '(?:{RE2_WHITESPACE}|-)+', '', 'g')",
    # Digits only, or nothing.
    "CASE WHEN regexp_full_match({value}, '[0-9]+') THEN {value} END",
)
VALIDATE_SQL = (
    f"length({{value}}) BETWEEN {MIN_LENGTH} AND {MAX_LENGTH} "
    f"AND substr({{value}}, 1, 1) <> '0' AND {_luhn_sql()}"
)


def _clean(value: str) -> str:
    """Fold width and drop white space and dashes."""
    return "".join(c for c in fold_width(value) if not c.isspace() and c != "-")


def normalize(value: str | None) -> str | None:
    """The card number as ASCII digits, or ``None`` if the cell is not a digit string."""
    if value is None:
        return None
    digits = _clean(value)
    return digits if digits and set(digits) <= _DIGITS else None


def validate(value: str | None) -> str:
    """Return the normalised card number or raise why it is not one."""
    if value is None or not _clean(value):
        raise InvalidFormat("blank")
    number = normalize(value)
    if number is None:
        raise InvalidFormat("not a digit string")
    if not MIN_LENGTH <= len(number) <= MAX_LENGTH:
        raise InvalidLength(f"{len(number)} digits, not {MIN_LENGTH}-{MAX_LENGTH}")
    if number[0] == "0":
        raise InvalidComponent("major industry identifier 0 is not used by payment cards")
    if not luhn.is_valid(number):
        raise InvalidChecksum("Luhn check digit does not match")
    return number


is_valid = validity_of(validate)


MASK_SQL = mask_middle_sql("{value}", 4, 4)  # SQL twin of ``mask``


def mask(normalized: str) -> str:
    """Keep the issuer prefix (first 4) and the last 4 digits, as printed on receipts."""
    return mask_middle(normalized, 4, 4)
