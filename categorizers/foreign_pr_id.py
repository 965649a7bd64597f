"""Foreign Permanent Resident ID Card number (外国人永久居留身份证号码).

The number of the card the National Immigration Administration (国家移民管理局) issues to a
foreigner with permanent residence in China. Two forms are in use side by side:

- the 15-character form (2004 and 2017 cards): 3 Latin letters, the holder's nationality
  code, then 12 digits;
- the 18-character form (cards issued since 1 December 2023): 17 digits and a check
  character, modelled on the citizen identification number (GB 11643): the first digit is
  ``9``, which marks a foreigner (a citizen's number starts with its province code, 1-8), the
  nationality is a numeric code, and the last character is the ISO 7064 MOD 11-2 check
  character, ``0``-``9`` or ``X``, computed as for a resident ID.

Source: the National Immigration Administration's notice on the machine-readable rules of
the 2023 card (新版外国人永久居留身份证机读信息规则, 2023), as republished by card-reader
vendors: "由15位（3位拉丁字母+12位数字）调整为18位（17位数字+1位校验位）", "首位设置为
'9'", "最后一位采用MOD11-2算法设置为校验码，与公民身份号码校验方式相同" (*paraphrase* of the
clauses quoted there; the notice itself is not among the project's primary documents). The
inner fields of either form (the nationality code table, a place or date component) are not
checked: no published, library-kept table of them was found, and a hand-typed one would be
a guess.

It errs towards *accepting* the 15-character form (any three letters: the GB/T 2659 list of
nationality codes is not checked) and is therefore never assigned on values alone
(``VALUE_DETECTION = False``): a column is counted as foreign permanent-resident IDs only
under a header naming the card or an identity-document column (``证件号码``) whose values
are a mix of documents (``docs/classification.md``, "Mixed columns"). The 18-digit form
needs its check character, which 1 in 11 random strings pass.

Tier C (identity): Fa Shi [2017] No. 10 Art. 1 names 身份证件号码 among personal
information; the card is an identity document (Art. 5(1)(5), 其他公民个人信息).

Python reference: python-stdnum's ``stdnum.iso7064.mod_11_2`` for the check character,
``str`` methods for the shape; independent of the SQL arithmetic.

>>> normalize("abc 1234-5678 9012"), is_valid("ABC123456789012")
('ABC123456789012', True)
>>> is_valid("911010199001011230"), is_valid("911010199001011238")
(False, True)
>>> mask("911010199001011238")
'911***********1238'
"""

from __future__ import annotations

import string

from stdnum.iso7064 import mod_11_2

from leakscan.text import (
    MASK_CHARS,
    RE2_DIGIT_MASK_RUN,
    compact_upper,
    compact_upper_sql,
    mask_middle,
    mask_middle_sql,
    masked_form,
    validity_of,
)
from leakscan.validation import InvalidChecksum, InvalidFormat, InvalidLength

from . import _headers, _mixed, _roles
from ._mod11_2 import check_char_sql

ID = "foreign_pr_id"
CLASS = "identity"
TIER = "C"
IDENTIFYING = True
#: Header words naming a party other than the subject (a doctor, a manager: ``_roles``).
ROLE_WORDS = _roles.ROLE_WORDS
#: One person holds one (the 18-digit form is the card's number for life, like a resident ID).
LINKS_PERSONS = True
#: In an identity-document column after resident IDs (which never start with 9).
MIXED = {"order": 15, "headers": _mixed.ID_DOCUMENT_HEADERS,
         "types": ("永久居留", "永居证", "绿卡", "permanent_resident")}
VALUE_DETECTION = False
HEADER_SYNONYMS = _headers.synonyms(ID)

NORMALIZE_SQL = compact_upper_sql()
#: ISO 7064 MOD 11-2, as GB 11643 (``_mod11_2``); TRY_CAST: the 3-letter form reaches it too.
DERIVED_SQL = ((
    ("check_ok", "substr({value}, 18, 1) = " + check_char_sql("{value}", "TRY_CAST")),
),)
#: A CASE chain: the shape first (cheap), the check character only of an 18-digit ``9`` form.
VALIDATE_SQL = (
    "CASE WHEN regexp_full_match({value}, '[A-Z]{3}[0-9]{12}') THEN true "
    "WHEN NOT regexp_full_match({value}, '9[0-9]{16}[0-9X]') THEN false "
    "ELSE COALESCE({check_ok}, false) END"
)
_DIGITS = frozenset(string.digits)
_LETTERS = frozenset(string.ascii_uppercase)


def normalize(value: str | None) -> str | None:
    return compact_upper(value)


def validate(value: str | None) -> str:
    number = normalize(value)
    if number is None:
        raise InvalidFormat("blank")
    if len(number) == 15:
        if not (set(number[:3]) <= _LETTERS and set(number[3:]) <= _DIGITS):
            raise InvalidFormat("3 Latin letters and 12 digits")
        return number
    if len(number) != 18:
        raise InvalidLength("15 or 18 characters")
    if number[0] != "9" or not set(number[:17]) <= _DIGITS or number[17] not in "0123456789X":
        raise InvalidFormat("9, 16 digits and a digit or X")
    if not mod_11_2.is_valid(number):
        raise InvalidChecksum("ISO 7064 MOD 11-2")
    return number


is_valid = validity_of(validate)

MASK_SQL = (f"CASE WHEN length({{value}}) = 18 THEN {mask_middle_sql('{value}', 3, 4)} "
            f"ELSE {mask_middle_sql('{value}', 3, 3)} END")  # SQL twin of ``mask``


def mask(normalized: str) -> str:
    return mask_middle(normalized, 3, 4 if len(normalized) == 18 else 3)


#: Masked numbers (``leakscan.text.masked_form``; counting rule 1.7): the 2023 form, 18
#: characters starting with ``9`` (``9156********0012``), and the 2004 form, three letters
#: then 12 characters with one run of mask characters among the digits (``USA1234****5678``).
#: A single final ``X`` is the 2023 form's check character, never a mask.
MASKED_SQL, is_masked = masked_form((
    (f"9[0-9]*{RE2_DIGIT_MASK_RUN}[0-9]*[0-9Xx]?", (18,)),
    (f"[A-Za-z]{{3}}[0-9]*{RE2_DIGIT_MASK_RUN}[0-9]*", (15,)),
), chars=MASK_CHARS + "xX")
