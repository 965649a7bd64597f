"""Hong Kong identity card number (香港身份证号码).

One or two capital letters, six digits and a check character, printed with the check in
brackets: ``A123456(3)``, ``AB987654(A)``. Full-width characters are folded, white space,
hyphens and brackets removed and letters upper-cased; the normalised value is the printed
form, ``A123456(3)``.

Check character (the published algorithm, as stated by the Immigration Department's
specimen and repeated in every implementation): letters count A = 10 ... Z = 35, a missing
second letter counts 36; the eight characters are weighted 9, 8, ..., 2; the check is
``11 - sum % 11``, with 11 written ``0`` and 10 written ``A``. python-stdnum (2.2) has no
module for it, so the reference below is plain Python from that statement.

Tier C: an identity document number (身份证件号码, Fa Shi [2017] No. 10 Art. 1), neither of
the classes of Art. 5(1)(3) nor (4). It errs towards *rejecting*: without its brackets, a
letter-and-digit code passes the check one time in eleven, so free text is searched only for
the bracketed form; a column needs the usual shares of valid values.

Masked forms (``MASKED_SQL``, ``is_masked``): with white space, hyphens and brackets removed,
one or two letters kept, then 8 or 9 characters in all of digits with one run of ``*``,
``×``, ``●`` or ``•``, the check character visible or hidden (``A123***(3)``, ``A12****(*)``).

>>> normalize(" a123456 (3) ")
'A123456(3)'
>>> is_valid("A123456(3)"), is_valid("A123456(4)"), is_valid("AB987654(3)")
(True, False, True)
>>> mask("A123456(3)")
'A1*****(3)'
"""

from __future__ import annotations

import string

from leakscan.text import MASK_CHARS, compact_upper, compact_upper_sql, masked_form, validity_of
from leakscan.validation import InvalidChecksum, InvalidFormat, InvalidLength

from . import _headers, _mixed, _roles

ID = "hk_identity_card"
CLASS = "identity"
TIER = "C"
IDENTIFYING = True
#: One person holds one card number for life: a shared number makes two records one person.
LINKS_PERSONS = True
ROLE_WORDS = _roles.ROLE_WORDS
#: In an identity-document column after the check-digit numbers of the mainland.
MIXED = {"order": 20, "headers": _mixed.ID_DOCUMENT_HEADERS,
         "types": ("香港身份证", "香港居民身份证", "香港身份證", "hkid")}
VALUE_DETECTION = True
#: Header words, from the vocabulary file ``data/headers.toml`` (``_headers``).
HEADER_SYNONYMS = _headers.synonyms(ID)
#: Searched in free text in its printed form only, brackets included (``A123456(3)``; the
#: full-width brackets are folded first). The cut takes any letters and digits touching it,
#: so that a longer code (``XAB123456(7)``) fails the shape: the boundary rule.
FREE_TEXT = {
    "order": 25,
    "worth": "[0-9\\x{ff10}-\\x{ff19}][(\\x{ff08}]",
    "cut": r"[0-9A-Za-z]*[A-Z]{1,2}[0-9]{6}\([0-9A]\)",
    "shape": r"[A-Z]{1,2}[0-9]{6}\([0-9A]\)",
}

_SEPARATORS = "-()"
_LETTERS = {c: 10 + k for k, c in enumerate(string.ascii_uppercase)}
_SPACE = 36

#: Normalise: compact and upper-case, then the printed form ``XX123456(C)`` when the shape
#: fits (anything else stays compact, and fails the validation).
NORMALIZE_SQL = compact_upper_sql(_SEPARATORS) + (
    "regexp_replace({value}, '^([A-Z]{1,2}[0-9]{6})([0-9A])$', '\\1(\\2)')",
)


def _letter_sql(pos: str) -> str:
    return f"(ascii(substr({{value}}, {pos}, 1)) - 55)"


#: The check, weights 9..2 over the (space-padded) eight characters, in SQL: one letter puts
#: the six digits at positions 2-7 and the check at 9; two letters at 3-8 and 10.
VALIDATE_SQL = (
    "CASE WHEN regexp_full_match({value}, '[A-Z][0-9]{6}\\([0-9A]\\)') THEN "
    "(36 * 9 + " + _letter_sql("1") + " * 8 + "
    + " + ".join(f"TRY_CAST(substr({{value}}, {k + 2}, 1) AS INTEGER) * {7 - k}" for k in range(6))
    + " + CASE substr({value}, 9, 1) WHEN 'A' THEN 10 "
      "ELSE TRY_CAST(substr({value}, 9, 1) AS INTEGER) END) % 11 = 0 "
    "WHEN regexp_full_match({value}, '[A-Z]{2}[0-9]{6}\\([0-9A]\\)') THEN "
    "(" + _letter_sql("1") + " * 9 + " + _letter_sql("2") + " * 8 + "
    + " + ".join(f"TRY_CAST(substr({{value}}, {k + 3}, 1) AS INTEGER) * {7 - k}" for k in range(6))
    + " + CASE substr({value}, 10, 1) WHEN 'A' THEN 10 "
      "ELSE TRY_CAST(substr({value}, 10, 1) AS INTEGER) END) % 11 = 0 "
    "ELSE false END"
)


def normalize(value: str | None) -> str | None:
    """Python twin of ``NORMALIZE_SQL``."""
    compact = compact_upper(value, _SEPARATORS)
    if compact is None:
        return None
    body, check = compact[:-1], compact[-1:]
    letters = len(body) - 6
    if (letters in (1, 2) and all(c in _LETTERS for c in body[:letters])
            and body[letters:].isascii() and body[letters:].isdigit()
            and (check.isascii() and check.isdigit() or check == "A")):
        return f"{body}({check})"
    return compact


def check_character(body: str) -> str:
    """The check character of ``body`` (one or two letters and six digits).

    >>> check_character("A123456"), check_character("AB987654")
    ('3', '3')
    """
    chars = ([_SPACE] if len(body) == 7 else []) + [
        _LETTERS[c] if c in _LETTERS else int(c) for c in body]
    total = sum(v * w for v, w in zip(chars, range(9, 1, -1), strict=True))
    return "0A987654321"[total % 11] if total % 11 else "0"


def validate(value: str | None) -> str:
    """Return the normalised number or raise why it is not one."""
    number = normalize(value)
    if number is None:
        raise InvalidFormat("blank")
    if not (number.endswith(")") and number[-3:-2] == "("):
        raise InvalidFormat("not one or two letters, six digits and a check character")
    body, check = number[:-3], number[-2]
    if len(body) not in (7, 8):
        raise InvalidLength(f"{len(body)} characters before the check, not 7 or 8")
    if check_character(body) != check:
        raise InvalidChecksum(f"check character {check}, expected {check_character(body)}")
    return number


is_valid = validity_of(validate)

#: SQL twin of ``mask``: the first two characters and the bracketed check.
MASK_SQL = "left({value}, 2) || repeat('*', length({value}) - 5) || right({value}, 3)"


def mask(normalized: str) -> str:
    """Keep the first two characters and the check: ``A1*****(3)``."""
    return normalized[:2] + "*" * (len(normalized) - 5) + normalized[-3:]


#: Masked card numbers (``leakscan.text.masked_form``).
MASKED_SQL, is_masked = masked_form((
    ("[A-Za-z]{1,2}[0-9]*[*×●•]+[0-9]*[0-9Aa]?", (8, 9)),
), chars=MASK_CHARS, separators="-()")
