"""Resident Identity Card number (居民身份证号码).

The citizen identification number of the People's Republic of China (公民身份号码) has 18
characters: a 6-digit administrative region code of the place of first registration
(``110101`` is 北京市东城区), the 8-digit date of birth ``YYYYMMDD``, a 3-digit sequence number
(odd for men, even for women) and a check character, ``0``-``9`` or ``X``, computed as ISO 7064
MOD 11-2: the digits weighted 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, summed, modulo 11, and the
remainder 0 1 2 ... 10 mapped to ``1 0 X 9 8 7 6 5 4 3 2``. The legacy first-generation
number (GB 11643-1989) has 15 digits: the region code, the birth date as ``YYMMDD`` read as
19YY, and the sequence number, without a check character; it is converted to the 18-character
form by inserting ``19`` after the region code and appending the check character, so the two
forms of the same person's number count once.

Full-width characters are folded, white space and ``-`` separators removed and a lower-case
``x`` is upper-cased before the number is recognised.

Sources: GB 11643-1999 公民身份号码 (GB 11643-1989 for the 15-digit form), GB/T 2260
region codes as kept (with their years of validity) by python-stdnum's ``cn/loc`` database.

It errs towards *rejecting*: besides the check character (which 1 in 11 random strings pass),
the birth date must exist and not lie in the future, and the region code must have existed at
some time between the birth year and today: GB 11643-1999 gives the code of the county of
permanent residence when the number is *issued*, which may be a county created after the
birth (docs/counting.md). Leaked tables are full of test numbers, order numbers and other 18-digit
strings; counting only numbers that pass every check keeps the count of identified persons
defensible, at the price of missing the rare real number whose region code python-stdnum
does not know.

Python reference: python-stdnum's ``stdnum.cn.ric`` (check digit, date, birth place), which is
independent of the SQL arithmetic; the SQL reads the region table ``ref_cn_region`` that
``REFERENCE_TABLES`` derives from python-stdnum's own data.

Masked forms (``MASKED_SQL``, ``is_masked``): 18 characters (15 for a legacy number) of
digits with one run of ``*``, ``×``, ``●``, ``•`` or of two or more ``x``/``X``
(``4108**********9494``, ``110105********002X``, ``1101051949xxxxxxxx``), the visible digits
where an ID has them (a leading digit 1-9, at least one visible character). A single final
``X`` is the check character, never a mask: ``11010519491231002X`` is a clear value.

>>> normalize("１１０１０１ 19900307 125x")
'11010119900307125X'
>>> normalize("110101-900307-123")
'110101199003071233'
>>> is_valid('11010119900307125X'), is_valid('110101199003071250')
(True, False)
>>> mask('11010119900307125X')
'110***********125X'
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import importlib.resources
import re
import struct
from array import array
from pathlib import Path

from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric

from leakscan.asof import AS_OF_SQL, reference_date
from leakscan.text import (
    FOLD_WIDTH_SQL,
    MASK_CHARS,
    RE2_ANY_DIGIT,
    RE2_DIGIT_MASK_RUN,
    RE2_WHITESPACE,
    WHITESPACE_CHARS,
    fold_width,
    mask_middle,
    mask_middle_sql,
    masked_form,
    validity_of,
)
from leakscan.validation import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)

from . import _headers, _mixed, _roles
from ._mod11_2 import CHECK_CHARS, WEIGHTS, check_char_sql

ID = "cn_resident_id"
CLASS = "identity"
TIER = "C"
IDENTIFYING = True
#: Header words naming a party other than the subject (a doctor, a manager: ``_roles``).
ROLE_WORDS = _roles.ROLE_WORDS
#: One person holds one: a value two records share makes them one person.
LINKS_PERSONS = True
#: Searched in free text as a run of 18 characters (15-digit legacy IDs are not: no check
#: digit, and they collide with IMEIs and other serials; docs/classification.md).
FREE_TEXT = {
    "order": 20,
    "worth": f"{RE2_ANY_DIGIT}{{7}}",
    "runs": True,
    "shape": r"[0-9]{17}[0-9Xx]",
}
#: Spreadsheet damage (``leakscan/damage.py``): Excel keeps 15 significant digits of an
#: 18-digit number (``110101199001011000``) and drops an ``X`` check digit (17 digits left).
#: A zero-filled number passes the check digit one time in eleven, by chance.
DAMAGE = ((r"[1-9][0-9]{14}000|[1-9][0-9]{16}", 0.3,
           "18-digit numbers ending in 000 or 17-digit numbers (IDs that lost digits or their X)"),)
#: First in an identity-document column: its check digit, date and region are the strictest test.
MIXED = {"order": 10, "headers": _mixed.ID_DOCUMENT_HEADERS,
         "types": ("身份证", "居民身份证", "二代证", "身份證", "resident_id", "id_card")}
VALUE_DETECTION = True
#: Header words, from the vocabulary file ``data/headers.toml`` (``_headers``).
HEADER_SYNONYMS = _headers.synonyms(ID)

#: GB 11643 weights of the first 17 digits and the check characters indexed by the weighted
#: sum modulo 11 (ISO 7064 MOD 11-2: ``_mod11_2``).
_WEIGHTS, _CHECK_CHARS = WEIGHTS, CHECK_CHARS

#: Open ends of a region code's validity; every four-digit birth year lies between them.
FIRST_YEAR = 0
LAST_YEAR = 9999


_check_char_sql = check_char_sql


# The same character set on both sides: every Python white space character plus '-'.
_SEPARATORS = WHITESPACE_CHARS + "-"
_SEPARATORS_RE2 = RE2_WHITESPACE[:-1] + "\\-]"

NORMALIZE_SQL = (
    FOLD_WIDTH_SQL,
    # drop white space and '-' separators; a lower-case check character becomes 'X'
    f"replace(regexp_replace({{value}}, '{_SEPARATORS_RE2}+', '', 'g'), 'x', 'X')",
    # keep an 18-character number; a legacy 15-digit one becomes 17 digits (19YY) ...
    "CASE WHEN regexp_full_match({value}, '[0-9]{17}[0-9X]') THEN {value} "
    "WHEN regexp_full_match({value}, '[0-9]{15}') "
    "THEN substr({value}, 1, 6) || '19' || substr({value}, 7) END",
    # ... and gets its check character (only legacy numbers have 17 characters here)
    f"CASE WHEN length({{value}}) = 17 THEN {{value}} || {_check_char_sql('{value}')} "
    "ELSE {value} END",
)

#: The 17 leading digits as three integers (the region code; the birth year and month; the
#: birth day and the sequence number), then the check character and the region-year key
#: computed from them: each value once per number, in a projection layer of its own
#: (``expressions.layered_select``). Written inside the validation's CASE, each of these
#: would be re-evaluated at every reference: 17 one-character casts for the check character
#: cost 0.5 s of CPU per million numbers there; from the layered chunks the main pass of the
#: 1M-row benchmark takes about 0.5 s of CPU less (``benchmarks/RESULTS.md``).
_CHUNKS = (("region", 1, 6), ("year_month", 7, 6), ("day_seq", 13, 5))
DERIVED_SQL = (
    tuple((name, f"TRY_CAST(substr({{value}}, {start}, {length}) AS INTEGER)")
          for name, start, length in _CHUNKS),
    (("check_ok", "substr({value}, 18, 1) = substr('" + _CHECK_CHARS + "', ("
      + " + ".join(f"(({{{name}}} // {10 ** (length - 1 - k)}) % 10) * {w}"
                   for (name, _start, length), ws in zip(
                       _CHUNKS, (_WEIGHTS[:6], _WEIGHTS[6:12], _WEIGHTS[12:]), strict=True)
                   for k, w in enumerate(ws))
      + ") % 11 + 1, 1)"),
     ("region_year", "CAST({region} AS BIGINT) * 10000 + CASE "
      "WHEN {year_month} // 100 < (SELECT lo FROM ref_cn_region_span) THEN 0 "
      f"WHEN {{year_month}} // 100 > (SELECT hi FROM ref_cn_region_span) THEN {LAST_YEAR} "
      "ELSE {year_month} // 100 END")),
)

#: ``{value}`` is a normalised number: 17 ASCII digits and a digit or ``X``; ``{check_ok}``
#: and ``{region_year}`` come from ``DERIVED_SQL``.
#: A CASE chain, not AND: in a projection DuckDB evaluates every operand of an AND for every
#: row, while CASE tests each condition only on the rows still undecided, cheapest first (the
#: birth date, then the check character, then the region). Normalisation never yields another
#: length or a non-digit in the first 17 places. The region test is an uncorrelated ``IN``
#: over ``ref_cn_region_year`` (see ``region_year_keys``): a correlated ``EXISTS`` over
#: ``ref_cn_region`` made DuckDB materialise every row of the input and de-duplicate the
#: numbers for a delim join, about 2 s of CPU per million rows.
VALIDATE_SQL = (
    "CASE WHEN length({value}) <> 18 THEN false "
    "WHEN NOT COALESCE(TRY_CAST(substr({value}, 7, 4) || '-' || substr({value}, 11, 2) || '-' "
    "|| substr({value}, 13, 2) AS DATE) BETWEEN DATE '0001-01-01' AND " + AS_OF_SQL + ", false) "
    "THEN false "
    "WHEN NOT COALESCE({check_ok}, false) THEN false "
    "ELSE {region_year} IN (SELECT k FROM ref_cn_region_year "
    "WHERE since <= year(" + AS_OF_SQL + ")) END"
)


def _six_digit_codes(prefixes, head: str = ""):
    """Every 6-digit code spelled by a path of the numdb prefix tree (a superset of the
    codes that have a county; ``region_intervals`` asks numdb itself about each one)."""
    for length, low, high, _props, children in prefixes:
        if not (low.isdigit() and high.isdigit()):
            continue
        for n in range(int(low), int(high) + 1):
            code = head + str(n).zfill(length)
            if len(code) == 6:
                yield code
            elif len(code) < 6:
                yield from _six_digit_codes(children, code)


_REGION_FILE = Path(__file__).with_name("data") / "cn_region_intervals.tsv"
_STAMP = "# stdnum/cn/loc.dat sha256 "


def stdnum_region_digest() -> str:
    """The SHA-256 of python-stdnum's ``cn/loc`` data file, as installed."""
    data = importlib.resources.files("stdnum").joinpath("cn/loc.dat").read_bytes()
    return hashlib.sha256(data).hexdigest()


@functools.cache
def region_intervals() -> tuple[tuple[str, int, int], ...]:
    """``(code, first_year, last_year)`` for every year interval in which python-stdnum's
    ``ric.get_birth_place`` accepts a region code (open ends are ``FIRST_YEAR``/``LAST_YEAR``).

    Derived from python-stdnum's data (``derive_region_intervals``, about 0.25 s, paid by every
    scan) or read from ``data/cn_region_intervals.tsv``, the same derivation written once, when
    that file was derived from the very data file installed: its first line holds the
    SHA-256 of stdnum's ``cn/loc.dat``, checked here (a millisecond). Another stdnum version
    falls back to deriving, so the table always follows the installed stdnum.
    """
    cached = read_region_file(_REGION_FILE, stdnum_region_digest())
    return cached if cached is not None else derive_region_intervals()


def read_region_file(path: Path, digest: str) -> tuple[tuple[str, int, int], ...] | None:
    """The intervals written in ``path`` if its stamp is ``digest``, else None."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    if not lines or lines[0] != _STAMP + digest:
        return None
    rows = []
    for line in lines[1:]:
        if line and not line.startswith("#"):
            code, first, last = line.split("\t")
            rows.append((code, int(first), int(last)))
    return tuple(rows)


def write_region_file(path: Path) -> int:
    """Write ``derive_region_intervals()`` to ``path``, stamped; return the row count."""
    rows = derive_region_intervals()
    lines = [_STAMP + stdnum_region_digest(),
             "# (code, first year, last year) in which python-stdnum accepts a region code; "
             f"open ends are {FIRST_YEAR} and {LAST_YEAR}.",
             "# Regenerate: python3 categorizers/data/make_cn_region_intervals.py"]
    lines += [f"{c}\t{a}\t{b}" for c, a, b in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(rows)


def derive_region_intervals() -> tuple[tuple[str, int, int], ...]:
    """``region_intervals`` computed from python-stdnum's ``cn/loc`` database.

    Same semantics as ``get_birth_place``: the county entries of the code (``numdb.info``,
    comma-separated) are tried in order; an entry without a ``[start-end]`` prefix accepts
    every year (the loop returns there), a bracketed one the years of its range. A code
    whose province is known but county is not has no ``county`` key and is left out, as
    are empty ranges such as ``[1983-1982]`` (in the data; they match no year).
    """
    from stdnum import numdb

    db = numdb.get("cn/loc")
    rows: list[tuple[str, int, int]] = []
    for code in sorted(set(_six_digit_codes(db.prefixes))):
        info = {k: v for _part, props in db.info(code) for k, v in props.items()}
        if "county" not in info:
            continue
        found: list[tuple[str, int, int]] = []
        for county in info["county"].split(","):
            if not county.startswith("["):
                found = [(code, FIRST_YEAR, LAST_YEAR)]
                break
            startend, _name = county[1:].split("]")
            start, end = startend.split("-")
            found.append((code, int(start) if start else FIRST_YEAR,
                          int(end) if end else LAST_YEAR))
        # the data has a few empty ranges ("[1983-1982]"): they accept no year, so drop them
        rows.extend((c, first, last) for c, first, last in found if first <= last)
    return tuple(rows)


@functools.cache
def _finite_bounds() -> tuple[int, int]:
    """The smallest and largest year that opens or closes some interval (open ends aside);
    computed once (a scan asks four times, 3 ms each)."""
    years = [y for _c, first, last in region_intervals()
             for y in (first, last) if y not in (FIRST_YEAR, LAST_YEAR)]
    return min(years), max(years)


def region_year_keys() -> list[tuple[int, int]]:
    """``(key, since)`` pairs, for an uncorrelated ``IN``: a number of region ``code`` whose
    birth year reads as ``y`` in the key ``code * 10000 + y`` has a region code that existed
    at some time from its birth year on, from the year ``since`` (the earliest such year).

    The rule (GB 11643-1999, docs/counting.md): the address code is the code of the county of
    permanent residence when the number is issued, which is at birth or later; so the code
    must have existed at some time between the birth year and the reference date, the SQL
    testing ``since <= year(AS_OF_SQL)`` (the scan's reference date).

    Below the smallest finite bound ``lo`` (``_finite_bounds``) the answer no longer depends
    on the year (every interval reaches ``lo`` or later, and ``since`` is its first year):
    keyed with ``y = 0``. Above the largest finite bound ``hi`` only intervals open at the
    end count, and their first year is before the birth year (keyed ``y = 9999``; the birth
    date is checked against the reference date on its own). In between every year is listed
    (about 45: the data's bounds are 1980-2025), with ``since = max(first, y)`` over the
    intervals that last until ``y`` or later.
    """
    lo, hi = _finite_bounds()
    since: dict[int, int] = {}

    def add(key: int, year: int) -> None:
        since[key] = min(year, since.get(key, year))

    for code, first, last in region_intervals():
        base = int(code) * 10000
        add(base, first)
        if last == LAST_YEAR:
            add(base + LAST_YEAR, first)
        for y in range(lo, min(last, hi) + 1):
            add(base + y, max(first, y))
    return sorted(since.items())


def _region_year_table():
    """``region_year_keys`` in SQL over ``ref_cn_region`` (built first), about 60 ms against
    0.2 s to compute and transfer them from Python. Tested equal."""
    lo, hi = _finite_bounds()
    code = "CAST(code AS BIGINT) * 10000"
    return [("k", "BIGINT"), ("since", "INTEGER")], (
        f"SELECT k, min(since) AS since FROM ("
        f"SELECT {code} AS k, first_year AS since FROM ref_cn_region "
        f"UNION ALL SELECT {code} + {LAST_YEAR}, first_year FROM ref_cn_region "
        f"WHERE last_year = {LAST_YEAR} "
        f"UNION ALL SELECT {code} + y, greatest(first_year, y) FROM ref_cn_region, "
        f"range({lo}, least(last_year, {hi}) + 1) AS years(y)) GROUP BY k")


def _region_span_table():
    return [("lo", "INTEGER"), ("hi", "INTEGER")], [_finite_bounds()]


def _region_table():
    return [("code", "VARCHAR"), ("first_year", "INTEGER"), ("last_year", "INTEGER")], \
        list(region_intervals())


@functools.lru_cache(maxsize=4)
def _kernel_regions(year: int) -> tuple[tuple[int, int], ...]:
    """The keys of ``region_year_keys`` whose ``since`` is not after ``year``, as ``(region
    code, mask)`` sorted by code, bit ``s`` of the mask set when the code is valid in the
    year slot ``s``: 0 for the years keyed 0 (before ``lo``), 1 for those keyed
    ``LAST_YEAR`` (after ``hi``), ``2 + y - lo`` for a year ``y`` from ``lo`` to ``hi``. The
    same rule read the other way (``since`` is the interval's first year, or the key's year
    when later), so that whole runs of years go in at once (a test holds the two equal)."""
    lo, hi = _finite_bounds()
    masks: dict[int, int] = {}
    for code, first, last in region_intervals():
        if first > year:
            continue
        top = min(last, hi, year)
        runs = ((1 << (top - lo + 1)) - 1) << 2 if top >= lo else 0
        masks[int(code)] = (masks.get(int(code), 0) | 1 | (2 if last == LAST_YEAR else 0)
                            | runs)
    return tuple(sorted(masks.items()))


def _kernel_table() -> bytes:
    """For the C kernel ``gb11643``: the bounds of ``region_year_keys`` (``_finite_bounds``),
    the reference date as ``YYYYMMDD``, the weights and check characters of GB 11643, the
    number of region codes and of 64-bit words per mask, then the codes (int32, padded to 8
    bytes) and their masks (``_kernel_regions`` at the reference year): the SQL's
    ``ref_cn_region_year WHERE since <= year(AS_OF_SQL)``."""
    day = reference_date()
    lo, hi = _finite_bounds()
    regions = _kernel_regions(day.year)
    words = (hi - lo + 3 + 63) // 64
    codes = array("i", [code for code, _ in regions] + [0] * (len(regions) % 2))
    masks = array("Q", [(mask >> (64 * w)) & (2**64 - 1) for _, mask in regions
                        for w in range(words)])
    return (struct.pack("=iii", lo, hi, day.year * 10000 + day.month * 100 + day.day)
            + bytes(_WEIGHTS) + _CHECK_CHARS.encode("ascii")
            + struct.pack("=ii", len(regions), words) + codes.tobytes() + masks.tobytes()
            + _normalize_classes())


def _normalize_classes() -> bytes:
    """For the C kernel ``resident_id``: per ASCII code, 1 when ``NORMALIZE_SQL`` drops it
    (``_SEPARATORS``), 2 for a digit, 3 for ``x`` and ``X``, 0 for any other (the cell is
    left to the SQL)."""
    return bytes(1 if c in _SEPARATORS else 2 if c.isdigit() else 3 if c in "xX" else 0
                 for c in map(chr, range(128)))


#: The compiled twin of every ``NORMALIZE_SQL`` step (``leakscan._kernels.resident_id``, for
#: cells of ASCII digits, ``x``/``X`` and separators whose value is not NULL) and of
#: ``VALIDATE_SQL`` (``gb11643``: date up to the reference date, check character, region
#: code in the birth year), over the normalised value; the SQL stays the fallback
#: (docs/categorizers.md, "Kernels").
KERNEL = {"function": "resident_id", "replaces": "normalize", "steps": len(NORMALIZE_SQL),
          "validates": "gb11643", "table": _kernel_table}


#: The holder's birth date, digits 7-14 of a normalised number (``YYYYMMDD``), read by the
#: rules on minors (``leakscan.count.minor_sql``); NULL when they are no date (year 0000
#: too, which DuckDB would read as 1 BC).
BIRTH_DATE_SQL = ("CASE WHEN substr({value}, 7, 4) <> '0000' THEN TRY_CAST(substr({value}, 7, 4) "
                  "|| '-' || substr({value}, 11, 2) || '-' || substr({value}, 13, 2) AS DATE) END")
_DATE_DIGITS = re.compile(r"[0-9]{8}")


def birth_date(normalized: str | None) -> datetime.date | None:
    """Python twin of ``BIRTH_DATE_SQL``: digits 7-14 of a normalised number as a date, or
    None when they are no date (year 0 included: no valid number has it).

    >>> birth_date('11010519491231002X')
    datetime.date(1949, 12, 31)
    >>> birth_date('110105194902300021') is None
    True
    """
    if normalized is None or not _DATE_DIGITS.fullmatch(normalized[6:14]):
        return None
    try:
        return datetime.date(int(normalized[6:10]), int(normalized[10:12]),
                             int(normalized[12:14]))
    except ValueError:
        return None


REFERENCE_TABLES = {"cn_region": _region_table, "cn_region_year": _region_year_table,
                    "cn_region_span": _region_span_table}

_DROP_SEPARATORS = str.maketrans("", "", _SEPARATORS)
_NEW_FORM = re.compile(r"[0-9]{17}[0-9X]")
_OLD_FORM = re.compile(r"[0-9]{15}")


def normalize(value: str | None) -> str | None:
    """Fold width, drop white space and ``-``, upper-case ``x``, convert a 15-digit number."""
    if value is None:
        return None
    number = fold_width(value).translate(_DROP_SEPARATORS).replace("x", "X")
    if _NEW_FORM.fullmatch(number):
        return number
    if _OLD_FORM.fullmatch(number):
        body = number[:6] + "19" + number[6:]
        # calc_check_digit ignores the last character (it expects a complete number)
        return body + ric.calc_check_digit(body + "?")
    return None


_STDNUM_ERRORS = (
    (stdnum_exceptions.InvalidLength, InvalidLength),
    (stdnum_exceptions.InvalidChecksum, InvalidChecksum),
    (stdnum_exceptions.InvalidComponent, InvalidComponent),
    (stdnum_exceptions.InvalidFormat, InvalidFormat),
)


def validate(value: str | None) -> str:
    """Return the normalised number or raise why it is not a valid one."""
    number = normalize(value)
    if number is None:
        raise InvalidFormat("not an 18-character or 15-digit number")
    if len(number) != 18:
        raise InvalidLength()
    try:
        ric.validate(number)
    except stdnum_exceptions.InvalidComponent:
        # the birth date (checked first) or the region code in the birth year; a code created
        # after the birth year is accepted if it existed by the reference date
        try:
            born = ric.get_birth_date(number)
        except stdnum_exceptions.InvalidComponent as exc:
            raise InvalidComponent(str(exc)) from None
        if not region_existed(number[:6], born.year, reference_date().year):
            raise InvalidComponent("region code unknown from the birth year to today") from None
    except stdnum_exceptions.ValidationError as exc:
        for theirs, ours in _STDNUM_ERRORS:
            if isinstance(exc, theirs):
                raise ours(str(exc)) from None
        raise ValidationError(str(exc)) from None
    except KeyError:
        # python-stdnum bug: get_birth_place raises KeyError('county') instead of
        # InvalidComponent when the province exists but the county does not (e.g. 110300).
        raise InvalidComponent("unknown region code") from None
    if ric.get_birth_date(number) > reference_date():
        raise InvalidComponent("birth date in the future")
    return number


def region_existed(code: str, birth_year: int, today_year: int) -> bool:
    """Did python-stdnum's ``cn/loc`` list ``code`` as a county at some time from
    ``birth_year`` to ``today_year``? The county entries are read as ``get_birth_place``
    reads them (an entry without ``[start-end]`` is valid in every year), but a range need
    only meet the years from birth to today instead of holding the birth year (GB 11643-1999:
    the code of the county where the number was issued; docs/counting.md). Empty ranges in
    the data (``[1983-1982]``) are valid in no year."""
    from stdnum import numdb

    info = {k: v for _part, props in numdb.get("cn/loc").info(code) for k, v in props.items()}
    for county in info.get("county", "").split(",") if info.get("county") else ():
        if not county.startswith("["):
            return True
        start, end = county[1:].split("]")[0].split("-")
        first = int(start) if start else FIRST_YEAR
        last = int(end) if end else LAST_YEAR
        if first <= last and first <= today_year and last >= birth_year:
            return True
    return False


is_valid = validity_of(validate)


MASK_SQL = mask_middle_sql("{value}", 3, 4)  # SQL twin of ``mask``


def mask(normalized: str) -> str:
    """Keep the first three digits (the province and prefecture) and the last four."""
    return mask_middle(normalized, 3, 4)


#: Masked IDs (``leakscan.text.masked_form``): one run of mask characters among digits.
MASKED_SQL, is_masked = masked_form((
    (f"[1-9][0-9]*{RE2_DIGIT_MASK_RUN}[0-9]*[0-9Xx]?|{RE2_DIGIT_MASK_RUN}[0-9]*[0-9Xx]", (18,)),
    (f"[1-9][0-9]*{RE2_DIGIT_MASK_RUN}[0-9]*|{RE2_DIGIT_MASK_RUN}[0-9]+", (15,)),
), chars=MASK_CHARS + "xX")
