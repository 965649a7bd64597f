"""Mainland China telephone number (手机/固定电话).

A number of the +86 numbering plan that reaches a person or a household: a mobile number
(11 digits, ``1`` then a network prefix such as ``138``) or a fixed line (area code without
its trunk ``0``, then the subscriber number: ``10 1234 5678`` for Beijing, ``755 1234 5678``
for Shenzhen). Toll-free (``800``), shared-cost (``400``, ``95xxx``), premium-rate and other
service numbers are *not* personal lines and are invalid here, as are numbers of other
countries, Hong Kong (+852) and Macao (+853) included.

Accepted spellings: the national significant number, optionally preceded by ``+86``,
``0086`` or ``86`` (international), ``0`` (the national trunk prefix: ``010-12345678``,
``(0755)12345678``) or a carrier / IP-dialling code (``17951``), exactly as phonenumbers
parses them with default region CN; a fixed line must be written with one of these prefixes
(``3355257057`` bare is far more often a QQ or order number than a landline without its 0:
``docs/counting.md`` rule 1.8), a mobile may be written bare; white space, dashes, dots and
parentheses anywhere are ignored, full-width characters (``１３８``, ``＋``, ``（）``) are folded first.

Normalised value: the E.164 form (``+8613800138000``) of every cell of accepted shape, valid
or not, so that invalid numbers are still distinct candidates; ``None`` for a cell of any
other shape: letters or other symbols, a ``+`` or ``00`` not followed by 86, another
international dialling prefix, fewer than 7 or more than 20 digits after the prefix, or a
national number phonenumbers finds too long (over 17 digits).

Sources: the numbering-plan metadata of Google's libphonenumber as shipped in the Python
``phonenumbers`` package (written against 9.0.43; ``METADATA_VERSION`` holds the installed
version). Nothing is hand-typed: the SQL regular expressions, possible lengths, trunk and
carrier prefixes and the international dialling prefix are read at import time from
``PhoneMetadata.metadata_for_region('CN')``, and the SQL mirrors the library's own parsing
(``parse``: international prefix, country code and national prefix stripping) and typing
(``_number_type_helper``: service types win over fixed line and mobile) step by step. The
Python reference calls ``phonenumbers`` itself; the tests check that the two agree.

In doubt it errs towards *rejecting*: only ranges the metadata lists as assigned fixed lines
or mobiles count, because the count is a claim about people and an over-count (order numbers
that look like phone numbers) would overstate a leak; spellings the SQL cannot mirror
exactly (international dialling prefixes other than ``00 86``, extensions, letters) are
rejected by both implementations. The fixed-line plan is dense (about 9 in 10
ten-digit strings starting with 2 are valid numbers in the area codes 20-29), which is why a
fixed line written bare, without its trunk 0 or +86, is refused (rule 1.8).

Masked forms (``MASKED_SQL``, ``is_masked``): after an optional ``+86``/``0086`` and with
spaces, hyphens and brackets removed, a mobile number of 11 characters starting ``1``
(``138****8000``, ``+86 138 **** 8000``, ``138xxxx8000``) or a fixed-line number of 10-12
starting ``0`` (``010-****5678``), with one run of ``*``, ``×``, ``●``, ``•`` or two or more
``x``; or 11 characters that hide the start (``*******8000``). A single ``x`` marks an
extension (``13800138000x12``), not a mask.

>>> validate('+86 138-0013-8000')
'+8613800138000'
>>> validate('(0755)12345678')
'+8675512345678'
>>> normalize('400-812-3123'), is_valid('400-812-3123')
('+864008123123', False)
>>> validate('400-812-3123')
Traceback (most recent call last):
    ...
leakscan.validation.InvalidComponent: shared-cost number, not a personal line
>>> mask('+8613800138000')
'+86 138****8000'
"""

from __future__ import annotations

import functools
import re
import struct

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType
from phonenumbers import phonenumberutil as _pnu
from phonenumbers.phonemetadata import PhoneMetadata

from leakscan.text import (
    FOLDED_CHARS,
    MASK_CHARS,
    RE2_ANY_DIGIT,
    RE2_ANY_GROUP_SEP,
    RE2_DIGIT_MASK_RUN,
    WHITESPACE_CHARS,
    fold_width,
    mask_middle,
    mask_middle_sql,
    masked_form,
    sql_literal,
)
from leakscan.validation import InvalidComponent, InvalidFormat, InvalidLength

from . import _dfa, _headers, _mixed, _roles

ID = "phone"
CLASS = "contact"
TIER = "C"
IDENTIFYING = True
#: Header words naming a party other than the subject (a doctor, a manager: ``_roles``).
ROLE_WORDS = _roles.ROLE_WORDS
#: One person holds one: a value two records share makes them one person.
LINKS_PERSONS = True
#: Searched in free text as a run or as people group it (``138 0013 8000``, ``86-138-...``,
#: ``0755-12345678``); the shape is tested with spaces and hyphens removed.
FREE_TEXT = {
    "order": 30,
    "worth": f"{RE2_ANY_DIGIT}{{7}}|{RE2_ANY_DIGIT}{{3,4}}{RE2_ANY_GROUP_SEP}{RE2_ANY_DIGIT}{{4}}",
    "runs": True,
    "layout": (r"(?:86[ \-])?1[0-9]{2}[ \-][0-9]{4}[ \-][0-9]{4}"
               r"|0[1-9][0-9]{1,2}-[0-9]{7,8}"),
    "compact": True,
    "shape": r"(?:0086|86)?(?:1[0-9]{10}|0[1-9][0-9]{8,10})",
}
#: Spreadsheet damage (``leakscan/damage.py``): a number stored as a number loses its ``+``
#: or its trunk ``0``: ``8613800138000``, ``1012345678`` (Beijing), ``75512345678``. Such a
#: form is not what the source held, and some would still read as another valid number.
DAMAGE = ((r"861[3-9][0-9]{9}|(10|2[0-9])[0-9]{8}|[3-9][0-9]{9,10}", 0.5,
           "phone numbers without their leading + or 0"),)
#: In a contact or login column (and a credential list's account) before e-mail and accounts.
MIXED = {"order": 50, "headers": _mixed.CONTACT_HEADERS + _mixed.LOGIN_HEADERS,
         "credentials": True}
VALUE_DETECTION = True
#: Header words, from the vocabulary file ``data/headers.toml`` (``_headers``).
HEADER_SYNONYMS = _headers.synonyms(ID)

#: Version of the ``phonenumbers`` package whose metadata the patterns come from.
METADATA_VERSION = phonenumbers.__version__

_REGION = "CN"
_META = PhoneMetadata.metadata_for_region(_REGION)
_CC = str(_META.country_code)  # "86"
_E164_PREFIX = "+" + _CC

# The mirror below covers national-prefix stripping *without* a transform rule (true for CN);
# fail loudly at import rather than disagree silently if a future metadata adds one.
if _META.national_prefix_transform_rule:
    raise ImportError("phone: CN metadata now has a national_prefix_transform_rule; "
                      "the SQL mirror of phonenumbers.parse must learn it")
if not _META.national_prefix_for_parsing:
    raise ImportError("phone: CN metadata has no national_prefix_for_parsing any more")
_NP_FOR_PARSING = _META.national_prefix_for_parsing
_IDD = _META.international_prefix

#: Service types that phonenumbers tests before fixed line and mobile, in its order
#: (``_number_type_helper``): a number matching one of them is never a personal line.
_SERVICE_TYPES = (
    ("premium_rate", "premium-rate"), ("toll_free", "toll-free"),
    ("shared_cost", "shared-cost"), ("voip", "VoIP"), ("personal_number", "personal"),
    ("pager", "pager"), ("uan", "UAN"), ("voicemail", "voicemail"),
)
_PERSONAL_TYPES = frozenset({PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE,
                             PhoneNumberType.FIXED_LINE_OR_MOBILE})
_TYPE_NAMES = {getattr(PhoneNumberType, name.upper()): label for name, label in _SERVICE_TYPES}

# ---------------------------------------------------------------------------------------------
# Accepted shape (identical in SQL and Python). ``_clean`` = fold width, drop separators.

#: Characters ignored anywhere: white space, ASCII and Unicode dashes, dots, parentheses.
SEPARATORS = WHITESPACE_CHARS + "-.()" + "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_SEP_TABLE = str.maketrans("", "", SEPARATORS)
_ACCEPTED = frozenset("0123456789+")

# The SQL folds width only as far as it can change the outcome. Python applies the whole
# ``fold_width`` table, but a folded character that is neither a digit, '+' nor a separator
# (Ａ -> A) fails the shape check folded or not; so SQL translates the characters that fold to
# a digit or '+' and deletes those that fold to a separator. Both sets come from fold_width.
_FOLDED = {c: fold_width(c) for c in FOLDED_CHARS}
_FOLD_KEEP = {c: f for c, f in _FOLDED.items() if f in _ACCEPTED}
_FOLD_DROP = "".join(c for c, f in _FOLDED.items() if f in SEPARATORS)
_SEPARATOR_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in SEPARATORS + _FOLD_DROP) + "]"
_MIN_DIGITS, _MAX_DIGITS = 7, 20  # digits after any +86 / 0086; valid NSNs have 7-12
_MAX_CLEAN = len("0086") + _MAX_DIGITS
_MIN_NSN, _MAX_NSN = _pnu._MIN_LENGTH_FOR_NSN, _pnu._MAX_LENGTH_FOR_NSN  # parse() raises outside

_DIGITS_RE = r"\+?[0-9]+"
#: An international dialling prefix followed by a country code (or by nothing): phonenumbers
#: would read the rest as a foreign number (``0086`` is handled before this test).
_IDD_RE = f"(?:{_IDD})(?:[1-9]|$)"


def _clean(value: str) -> str:
    return fold_width(_strip_extension(value.translate(_KEEP_TABLE))).translate(_SEP_TABLE)


# ---------------------------------------------------------------------------------------------
# Extensions (分机). A line with an extension is the line: the extension selects a desk behind
# one subscriber number, so ``010-62345678-801`` and ``010-62345678转802`` are one phone
# (docs/counting.md). Two spellings are recognised, as the same RE2 / Python pattern applied
# to the cell after folding full-width digits (step 0 of the SQL), so both sides see the same
# text: a marker (转, 分机, ext, ext., x, #) then 1-6 digits, after a digit or a ``)``; or a
# fixed line written with its trunk 0 and area code, a separator, the 7-8-digit subscriber
# number, then a dash and 1-6 digits (a mobile has no such form: it starts with 1).

_KEEP_TABLE = str.maketrans(_FOLD_KEEP)
_SP = "[" + "".join(re.escape(c) for c in WHITESPACE_CHARS) + "]"
_SP_SQL = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE_CHARS) + "]"
_DASH = "[-\u2010-\u2015\u2212\uff0d]"
_DASH_SQL = "[-\\x{2010}-\\x{2015}\\x{2212}\\x{ff0d}]"


def _ext_patterns(sp: str, dash: str) -> tuple[str, str]:
    marker = (f"(?i)(.*[0-9)]){sp}*(?:{dash}{sp}*)?(?:转|分机|ext\\.?|x|#)"
              f"(?:{sp}|[:：.])*[0-9]{{1,6}}{sp}*")
    trunk = (f"({sp}*\\(?0[1-9][0-9]{{1,2}}\\)?(?:{sp}|{dash})*[2-9][0-9]{{6,7}})"
             f"{sp}*{dash}{sp}*[0-9]{{1,6}}{sp}*")
    return marker, trunk


EXTENSION_PATTERNS = _ext_patterns(_SP, _DASH)
_EXTENSION_RES = tuple(re.compile(p) for p in EXTENSION_PATTERNS)
EXTENSION_SQL = tuple(
    f"regexp_replace({{value}}, {sql_literal('^(?:' + p + ')$')}, '\\1')"
    for p in _ext_patterns(_SP_SQL, _DASH_SQL))


def _strip_extension(value: str) -> str:
    """The cell without an extension (Python twin of ``EXTENSION_SQL``)."""
    for pattern in _EXTENSION_RES:
        m = pattern.fullmatch(value)
        if m:
            value = m.group(1)
    return value


#: The least number of digits before the dash of a trunk extension (``010-62345678-801``):
#: the trunk ``0``, an area code's ``[1-9][0-9]{1,2}`` and a subscriber number's
#: ``[2-9][0-9]{6,7}`` (the second pattern of ``EXTENSION_PATTERNS``; a test holds it).
EXTENSION_TRUNK_MIN_DIGITS = 10


def _separators_table() -> bytes:
    """For the C kernels ``separators`` and ``phone``: per ASCII code, 1 when the cleaning keeps it (a digit,
    ``+``), 2 when it drops it (``SEPARATORS`` and what folds to one), 3 for the ASCII dash
    (dropped, and the mark of a trunk extension), 0 for any other (the cell is left to the
    SQL: a letter or ``#`` may write an extension); then ``EXTENSION_TRUNK_MIN_DIGITS``."""
    dropped = SEPARATORS + _FOLD_DROP
    classes = bytes(3 if c == "-" else 2 if c in dropped else 1 if c in _ACCEPTED else 0
                    for c in map(chr, range(128)))
    return classes + bytes([EXTENSION_TRUNK_MIN_DIGITS])




# ---------------------------------------------------------------------------------------------
# SQL building blocks, all derived from the metadata.

def _lengths(accept) -> list[int]:
    """Lengths 0.._MAX_CLEAN for which phonenumbers' own ``_test_number_length`` says ``accept``."""
    return [n for n in range(_MAX_CLEAN + 1)
            if accept(_pnu._test_number_length("1" * n, _META))]


_VR = _pnu.ValidationResult
#: Lengths after which parse() keeps a stripped national/carrier prefix (not too short etc.).
_KEEP_STRIPPED_LENGTHS = _lengths(lambda r: r not in (
    _VR.TOO_SHORT, _VR.IS_POSSIBLE_LOCAL_ONLY, _VR.INVALID_LENGTH))
#: Lengths that are "too long" for the plan, so a leading 86 is read as the country code.
_TOO_LONG_LENGTHS = _lengths(lambda r: r == _VR.TOO_LONG)


def _in(expr: str, lengths) -> str:
    return f"length({expr}) IN ({', '.join(str(n) for n in sorted(lengths))})"


def _re(pattern: str) -> str:
    return sql_literal(pattern)


def _gd(expr: str) -> str:
    """``_match_national_number(expr, general_desc)``: the pattern alone, no length check."""
    return f"regexp_full_match({expr}, {_re(_META.general_desc.national_number_pattern)})"


_NP_PREFIX = _re(f"^(?:{_NP_FOR_PARSING})")


def _strip_np_raw(x: str) -> str:
    """Mirror of ``_maybe_strip_national_prefix_carrier_code``: the number it returns."""
    rest = f"regexp_replace({x}, {_NP_PREFIX}, '')"
    return (f"CASE WHEN NOT regexp_matches({x}, {_NP_PREFIX}) THEN {x} "
            f"WHEN {_gd(x)} AND NOT {_gd(rest)} THEN {x} ELSE {rest} END")


def _desc_sql(desc) -> str | None:
    """``_is_number_matching_desc`` over ``{value}`` = '+86' + national number."""
    if desc is None or not desc.national_number_pattern:
        return None
    match = (f"regexp_full_match({{value}}, "
             f"{_re(re.escape(_E164_PREFIX) + '(?:' + desc.national_number_pattern + ')')})")
    if not desc.possible_length:
        return match
    lengths = [n + len(_E164_PREFIX) for n in desc.possible_length]
    return f"CASE WHEN {_in('{value}', lengths)} THEN {match} ELSE false END"


def _validate_sql() -> str:
    whens = [f"WHEN NOT {_desc_sql(_META.general_desc)} THEN false"]
    for name, _ in _SERVICE_TYPES:
        cond = _desc_sql(getattr(_META, name))
        if cond:
            whens.append(f"WHEN {cond} THEN false")
    fixed = _desc_sql(_META.fixed_line) or "false"
    mobile = _desc_sql(_META.mobile)
    if mobile and not _META.same_mobile_and_fixed_line_pattern:
        whens.append(f"WHEN {mobile} THEN true")  # most cells are mobiles: test them first
    return f"CASE {' '.join(whens)} ELSE {fixed} END"


_REST = f"regexp_replace({{value}}, {_NP_PREFIX}, '')"  # the number without its prefix


def _bare_fixed_line_sql() -> str:
    """Step 2b: NULL for a fixed line written bare (Python twin: ``_is_bare``, ``_parse``).

    A written form is bare when it starts with none of ``+``, ``0``, the country code ``86``
    or a carrier code (``national_prefix_for_parsing``); then steps 3 and 4 strip nothing and
    the national number is the written form itself, so its type is tested on ``'+86' || v``:
    fixed line and not mobile is ``number_type == FIXED_LINE``.
    """
    e164 = f"('{_E164_PREFIX}' || {{value}})"
    mobile = _desc_sql(_META.mobile) or "false"
    # not a mobile first: DuckDB evaluates the second operand of AND only where the first
    # holds, so a bare mobile (the common cell) skips the validation's regular expressions
    fixed_only = (f"(NOT ({mobile.replace('{value}', e164)}) "
                  f"AND ({_validate_sql().replace('{value}', e164)}))")
    bare = (f"NOT starts_with({{value}}, '+') AND NOT starts_with({{value}}, '0') "
            f"AND NOT starts_with({{value}}, '{_CC}') AND NOT regexp_matches({{value}}, {_NP_PREFIX})")
    return f"CASE WHEN {bare} AND {fixed_only} THEN NULL ELSE {{value}} END"


_P = "substr({value}, 3)"  # the number after a leading 86 (national form)
_P_STRIPPED = _strip_np_raw(_P)

NORMALIZE_SQL = (
    # 0. fold full-width digits and plus (see _FOLD_KEEP); a pure-ASCII cell (as many bytes as
    #    characters) has none, and skipping translate() for it keeps this step cheap
    f"CASE WHEN strlen({{value}}) = length({{value}}) THEN {{value}} ELSE translate({{value}}, "
    f"{sql_literal(''.join(_FOLD_KEEP))}, {sql_literal(''.join(_FOLD_KEEP.values()))}) END",
    # 0b. drop an extension (see EXTENSION_PATTERNS)
    *EXTENSION_SQL,
    # 1. drop separators, full-width ones included (a regular expression: much faster in
    #    DuckDB than translate())
    f"regexp_replace({{value}}, {_re(_SEPARATOR_CLASS + '+')}, '', 'g')",
    # 2. accepted shape: '+86' + digits (0086 rewritten so), or national digits; else NULL
    f"CASE WHEN length({{value}}) BETWEEN {_MIN_DIGITS} AND {_MAX_CLEAN} "
    f"AND regexp_full_match({{value}}, {_re(_DIGITS_RE)}) THEN CASE "
    f"WHEN starts_with({{value}}, '+') THEN CASE WHEN starts_with({{value}}, '+{_CC}') "
    f"AND length({{value}}) BETWEEN {_MIN_DIGITS + 3} AND {_MAX_DIGITS + 3} THEN {{value}} END "
    f"WHEN starts_with({{value}}, '00') THEN CASE WHEN starts_with({{value}}, '00{_CC}') "
    f"AND length({{value}}) >= {_MIN_DIGITS + 4} THEN '+{_CC}' || substr({{value}}, 5) END "
    f"WHEN length({{value}}) <= {_MAX_DIGITS} "
    f"AND NOT regexp_matches({{value}}, {_re('^' + _IDD_RE)}) THEN {{value}} END END",
    # 2b. a fixed line written bare, without its trunk 0 or +86 (``3355257057``), is not a
    #     phone: a line is dialled and written with its trunk 0, so a bare 10-digit number is
    #     far more often a QQ number, an order or account number (docs/counting.md, rule 1.8)
    _bare_fixed_line_sql(),
    # 3. country code: after '+86'; or a leading 86 that phonenumbers reads as one
    #    (_maybe_extract_country_code); else the whole number is national
    f"CASE WHEN starts_with({{value}}, '+') THEN substr({{value}}, 4) "
    f"WHEN starts_with({{value}}, '{_CC}') AND ((NOT {_gd('{value}')} AND {_gd(_P_STRIPPED)}) "
    f"OR {_in('{value}', _TOO_LONG_LENGTHS)}) THEN {_P_STRIPPED} ELSE {{value}} END",
    # 4. national trunk prefix / carrier code, kept only if the rest has a possible length
    f"CASE WHEN NOT regexp_matches({{value}}, {_NP_PREFIX}) THEN {{value}} "
    f"WHEN {_gd('{value}')} AND NOT {_gd(_REST)} THEN {{value}} "
    f"WHEN {_in(_REST, _KEEP_STRIPPED_LENGTHS)} THEN {_REST} ELSE {{value}} END",
    # 5. E.164; parse() rejects national numbers of impossible length
    f"CASE WHEN length({{value}}) BETWEEN {_MIN_NSN} AND {_MAX_NSN} "
    f"THEN '+{_CC}' || {{value}} END",
)
VALIDATE_SQL = _validate_sql()


# ---------------------------------------------------------------------------------------------
# The compiled twin (leakscan._kernels ``phone`` and ``phone_valid``): the same steps and the
# same validation, the metadata's patterns run as automata (``_dfa``) built from their text.

#: Service types in the order ``_validate_sql`` tests them, as the kernel's table holds them.
_KERNEL_SERVICES = tuple(name for name, _ in _SERVICE_TYPES
                         if getattr(_META, name) is not None
                         and getattr(_META, name).national_number_pattern)
_KERNEL_MAX_SERVICES = 8  # PHONE_MAX_SERVICES in leakscan/_kernels.c
#: The descriptions the kernel tests, in its table's order: general, mobile, fixed line,
#: then the service types (a missing one is None).
_KERNEL_DESCS = (_META.general_desc, _META.mobile, _META.fixed_line,
                 *(getattr(_META, name) for name in _KERNEL_SERVICES))


def _length_mask(lengths) -> int:
    mask = 0
    for n in lengths:
        if n >= 32:
            raise _dfa.Unsupported(f"length {n} does not fit the kernel's length masks")
        if n >= 0:
            mask |= 1 << n
    return mask


@functools.cache
def _kernel_table() -> bytes:
    """The kernels' table, built once a process (it depends on the metadata alone): the
    separators table, the limits of each step, the length masks of steps 3 and 4, then the
    automata of the national and international prefixes and of each of ``_KERNEL_DESCS``
    with its possible lengths, in the layout ``PhoneHeader`` of ``leakscan/_kernels.c``."""
    dfas: list[bytes] = []
    header_size = 132 + 4 + 6 * 4 + 2 * 4 + 4 * 4 + (3 + _KERNEL_MAX_SERVICES) * 16

    def add(pattern: str) -> int:
        offset = header_size + sum(len(d) for d in dfas)
        dfas.append(_dfa.compile_digits(pattern).pack())
        return offset

    def desc(d) -> tuple[int, int, int, int]:
        if d is None or not d.national_number_pattern:
            return (0, 0, 0, 0)
        return (_length_mask(d.possible_length), 1, 0 if d.possible_length else 1,
                add(d.national_number_pattern))

    np_off, idd_off = add(_NP_FOR_PARSING), add(_IDD)
    gd, mobile, fixed, *services = (desc(d) for d in _KERNEL_DESCS)
    services += [(0, 0, 0, 0)] * (_KERNEL_MAX_SERVICES - len(services))
    mobile_first = int(bool(mobile[1]) and not _META.same_mobile_and_fixed_line_pattern)
    header = struct.pack(
        "<132s4s6i2I4i" + "I3i" * (3 + _KERNEL_MAX_SERVICES),
        _separators_table(), _CC.encode("ascii"), len(_CC), _MIN_DIGITS, _MAX_DIGITS,
        _MAX_CLEAN, _MIN_NSN, _MAX_NSN, _length_mask(_KEEP_STRIPPED_LENGTHS),
        _length_mask(_TOO_LONG_LENGTHS), np_off, idd_off, mobile_first, len(_KERNEL_SERVICES),
        *gd, *mobile, *fixed, *(x for d in services for x in d))
    assert len(header) == header_size
    return header + b"".join(dfas)


def _kernel_supported() -> bool:
    """Can the kernel mirror this metadata? Its patterns parse to what ``_dfa`` translates,
    every length fits the table's 32-bit masks, the country code is 1-3 digits and there
    are at most as many service types as the table holds (else the SQL runs alone)."""
    present = [d for d in _KERNEL_DESCS if d is not None and d.national_number_pattern]
    lengths = [n for d in present for n in d.possible_length]
    lengths += [*_KEEP_STRIPPED_LENGTHS, *_TOO_LONG_LENGTHS]
    return (_CC.isdigit() and 1 <= len(_CC) <= 3
            and len(_KERNEL_SERVICES) <= _KERNEL_MAX_SERVICES
            and all(n < 32 for n in lengths)
            and all(_dfa.translatable(p) for p in
                    [_NP_FOR_PARSING, _IDD] + [d.national_number_pattern for d in present]))


#: The compiled twin of every ``NORMALIZE_SQL`` step (``phone``: for the cells it decides,
#: ASCII digits, ``+`` and separators with no extension, whose normalised value is not NULL;
#: the SQL computes the others) and of ``VALIDATE_SQL`` (``phone_valid``)
#: (docs/categorizers.md, "Kernels").
if _kernel_supported():
    KERNEL = {"function": "phone", "replaces": "normalize", "steps": len(NORMALIZE_SQL),
              "validates": "phone_valid", "table": _kernel_table}


# ---------------------------------------------------------------------------------------------
# Python reference: the same shape rules, then phonenumbers itself.

_DIGITS = re.compile(_DIGITS_RE)
_IDD_START = re.compile(_IDD_RE)


def _parse(value: str | None) -> phonenumbers.PhoneNumber:
    """The parsed +86 number of a cell of accepted shape, or a typed error."""
    if value is None:
        raise InvalidFormat("blank")
    cleaned = _clean(value)
    if not cleaned:
        raise InvalidFormat("blank")
    if not _DIGITS.fullmatch(cleaned):
        raise InvalidFormat("only digits, an optional leading + and separators")
    if cleaned.startswith("+"):
        if not cleaned.startswith(_E164_PREFIX):
            raise InvalidComponent("country code is not +86")
        digits = len(cleaned) - len(_E164_PREFIX)
    elif cleaned.startswith("00"):
        if not cleaned.startswith("00" + _CC):
            raise InvalidComponent("international prefix to another country")
        digits = len(cleaned) - len("00" + _CC)
    else:
        digits = len(cleaned)
        if _IDD_START.match(cleaned):
            raise InvalidComponent("international dialling prefix")
    if not _MIN_DIGITS <= digits <= _MAX_DIGITS:
        raise InvalidLength()
    try:
        number = phonenumbers.parse(cleaned, _REGION)
    except NumberParseException as e:
        if e.error_type in (NumberParseException.TOO_LONG, NumberParseException.TOO_SHORT_NSN,
                            NumberParseException.TOO_SHORT_AFTER_IDD):
            raise InvalidLength() from None
        raise InvalidFormat(str(e)) from None
    if number.country_code != _META.country_code:  # cannot happen for accepted shapes
        raise InvalidComponent("country code is not +86")
    if _is_bare(cleaned) and phonenumbers.number_type(number) == PhoneNumberType.FIXED_LINE:
        raise InvalidFormat("a fixed line written without its trunk 0 or +86")
    return number


_NP_START = re.compile(_NP_FOR_PARSING)


def _is_bare(cleaned: str) -> bool:
    """Whether a written number has no prefix: no ``+``, ``0``, ``86`` or carrier code."""
    return not cleaned.startswith(("+", "0", _CC)) and not _NP_START.match(cleaned)


def normalize(value: str | None) -> str | None:
    """E.164 form of a cell of accepted shape (valid or not); ``None`` otherwise."""
    try:
        number = _parse(value)
    except ValueError:
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def validate(value: str | None) -> str:
    """Return the E.164 form of a valid mainland mobile or fixed-line number, or raise why not."""
    number = _parse(value)
    if not phonenumbers.is_valid_number(number):
        if phonenumbers.is_possible_number_with_reason(number) in (
                _VR.TOO_SHORT, _VR.TOO_LONG, _VR.INVALID_LENGTH):
            raise InvalidLength()
        raise InvalidComponent("number range not assigned")
    kind = phonenumbers.number_type(number)
    if kind not in _PERSONAL_TYPES:
        raise InvalidComponent(f"{_TYPE_NAMES.get(kind, 'service')} number, not a personal line")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def is_valid(value: str | None) -> bool:
    try:
        return bool(validate(value))
    except (ValueError, NumberParseException):
        return False


#: SQL twin of ``mask``.
MASK_SQL = (f"CASE WHEN starts_with({{value}}, '{_E164_PREFIX}') THEN '{_E164_PREFIX} ' || "
            f"{mask_middle_sql(f'substr({{value}}, {len(_E164_PREFIX) + 1})', 3, 4)} "
            f"ELSE {mask_middle_sql('{value}', 3, 4)} END")


def mask(normalized: str) -> str:
    """Keep the country code, the first 3 and the last 4 digits of the national number."""
    if normalized.startswith(_E164_PREFIX):
        return f"{_E164_PREFIX} {mask_middle(normalized[len(_E164_PREFIX):], 3, 4)}"
    return mask_middle(normalized, 3, 4)


#: Masked phone numbers (``leakscan.text.masked_form``).
MASKED_SQL, is_masked = masked_form((
    (f"1[0-9]*{RE2_DIGIT_MASK_RUN}[0-9]*|{RE2_DIGIT_MASK_RUN}[0-9]+", (11,)),
    (f"0[1-9][0-9]*{RE2_DIGIT_MASK_RUN}[0-9]*", (10, 11, 12)),
), chars=MASK_CHARS + "xX", separators="-()", strip_prefix="\\+86|0086")
