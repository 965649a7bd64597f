"""Kinds of value an attribute category holds, each a SQL check with its plain-Python twin.

An attribute column (a balance, a diagnosis, a position, a stay) is not identifying: what makes
it tier A or B is its *meaning*, and the header alone says too little about that (``定位方式``
holds ``GPS``/``基站``, ``积分余额`` loyalty points, ``订单状态`` ``已完成``). So each attribute
categorizer declares the kinds of value it holds (``VALUE_KINDS``), and a value of the column
is valid, and counts, only when it has one of those shapes; a header match is confirmed only
when enough sampled values do (``docs/classification.md``, rule 4). The kinds:

- ``coordinate``: a latitude or longitude with at least 4 decimals (about 11 m), or a pair of
  them in one cell (``116.397128,39.916527``, either order; comma, semicolon, slash or space
  between), each in range (latitude within ±90, longitude within ±180);
- ``money``: an amount: optional currency sign or code, at most 9 integer digits without a
  leading zero (or with thousands separators: a 12-digit order number is not an amount), at most 2 decimals, optional ``元``/``万元``;
- ``datetime``: a calendar date (years 1900-2099, real month and day numbers), optionally with
  a time of day, in the ISO, slash, dot or ``年月日`` forms; or a time of day alone;
- ``duration``: ``hh:mm:ss`` / ``mm:ss``, or a number of seconds, minutes or hours with its
  unit (``125秒``, ``3分20秒``, ``2.5 min``), or a bare count of seconds up to 6 digits;
- ``text``: words: at least two characters with a Han character or two ASCII words, and not
  a yes/no flag (``是``, ``否``, ``true``...) nor a web address;
- ``score``: a number other than the flag values ``0`` and ``1`` (credit scores, overdue days);
- ``room``: a room number, 2-5 digits with an optional one- or two-letter block (``A1203``,
  ``B-0812``);
- ``blood_type``: ABO group with optional Rh sign (``AB+``, ``O Rh-``).

Values are the category's normalised values (width folded, white space squashed). The SQL
uses RE2 regular expressions; the Python twin parses with ``str`` methods where it can, so the
two are written independently and held equal by ``tests/test_value_kinds.py``.

>>> has_kind("116.397128, 39.916527", "coordinate"), has_kind("GPS", "coordinate")
(True, False)
>>> has_kind("¥1,234.50", "money"), has_kind("ZB-2024-0001", "money")
(True, False)
>>> has_kind("2024-01-15 10:22:03", "datetime"), has_kind("2024-13-01", "datetime")
(True, False)
"""

from __future__ import annotations

import re

from leakscan.validation import InvalidFormat

_HAN = "\\x{3400}-\\x{4DBF}\\x{4E00}-\\x{9FFF}"
#: yes/no values: a flag says *whether*, never *what* (``is_overdue``, ``是否逾期``).
FLAG_WORDS = ("是", "否", "有", "无", "真", "假", "yes", "no", "true", "false", "y", "n",
              "null", "none", "n/a", "na", "未知", "不详")
_FLAGS_SQL = ", ".join("'" + w + "'" for w in FLAG_WORDS)

_COORD = "-?[0-9]{1,3}\\.[0-9]{4,}"
_MONTH = "(?:0?[1-9]|1[0-2])"
_DAY = "(?:0?[1-9]|[12][0-9]|3[01])"
_TIME = "(?:[01]?[0-9]|2[0-3])[:时][0-5][0-9](?:[:分][0-5][0-9](?:\\.[0-9]{1,6})?秒?)?"
_DATE = (f"(?:19|20)[0-9]{{2}}(?:-{_MONTH}-{_DAY}|/{_MONTH}/{_DAY}|\\.{_MONTH}\\.{_DAY}"
         f"|年{_MONTH}月{_DAY}日?)")
_DATETIME = f"(?:{_DATE}(?:(?: |T){_TIME}(?:Z|[+-][0-9]{{2}}:?[0-9]{{2}})?)?|{_TIME})"
_MONEY = ("(?i)(?:[¥$]|rmb|cny)? ?-?(?:0|[1-9][0-9]{0,2}(?:,[0-9]{3})+|[1-9][0-9]{0,8})"
          "(?:\\.[0-9]{1,2})? ?(?:元|万元|万|rmb|cny)?")
_DURATION = ("(?i)(?:[0-9]{1,2}:[0-5][0-9](?::[0-5][0-9])?"
             "|[0-9]{1,6}(?:\\.[0-9]+)? ?(?:秒|分钟|分|小时|s|sec|secs|min|mins|h)"
             "|[0-9]{1,3}分[0-5]?[0-9]秒|[0-9]{1,3}小时[0-5]?[0-9]分(?:[0-5]?[0-9]秒)?"
             "|[0-9]{1,6})")
_ROOM = "(?i)(?:[a-z]{1,2}-?)?[0-9]{2,5}"
_BLOOD = "(?i)(?:a|b|ab|o)(?:型)? ?(?:rh)? ?[+-]?(?:型)?"

#: SQL over a normalised ``{value}``, BOOLEAN, per kind.
KIND_SQL = {
    # A CASE chain: the four number extractions run only on cells shaped like a pair.
    "coordinate": (
        f"CASE WHEN regexp_full_match({{value}}, '{_COORD}') "
        f"THEN abs(TRY_CAST({{value}} AS DOUBLE)) <= 180 "
        f"WHEN regexp_full_match({{value}}, '({_COORD}) ?[,;/ ] ?({_COORD})') THEN "
        f"greatest(abs(TRY_CAST(regexp_extract({{value}}, '^({_COORD})', 1) AS DOUBLE)), "
        f"abs(TRY_CAST(regexp_extract({{value}}, '({_COORD})$', 1) AS DOUBLE))) <= 180 AND "
        f"least(abs(TRY_CAST(regexp_extract({{value}}, '^({_COORD})', 1) AS DOUBLE)), "
        f"abs(TRY_CAST(regexp_extract({{value}}, '({_COORD})$', 1) AS DOUBLE))) <= 90 "
        f"ELSE false END"),
    "money": f"regexp_full_match({{value}}, '{_MONEY}')",
    "datetime": f"regexp_full_match({{value}}, '{_DATETIME}')",
    "duration": f"regexp_full_match({{value}}, '{_DURATION}')",
    "text": (f"length({{value}}) >= 2 AND lower({{value}}) NOT IN ({_FLAGS_SQL}) "
             f"AND NOT regexp_matches(lower({{value}}), '^(?:https?://|www\\.)') "
             f"AND regexp_matches({{value}}, '[{_HAN}]|[A-Za-z]{{2,}} [A-Za-z]{{2,}}')"),
    "score": ("regexp_full_match({value}, '-?[0-9]{1,9}(?:\\.[0-9]+)?') "
              "AND {value} NOT IN ('0', '1')"),
    "room": f"regexp_full_match({{value}}, '{_ROOM}')",
    "blood_type": f"regexp_full_match({{value}}, '{_BLOOD}')",
}
KINDS = tuple(KIND_SQL)


def kinds_sql(kinds: tuple[str, ...]) -> str:
    """SQL: the normalised ``{value}`` has one of ``kinds``."""
    return "(" + " OR ".join(f"coalesce({KIND_SQL[k]}, false)" for k in kinds) + ")"


# --- the Python twins ------------------------------------------------------------------

_DIGITS = frozenset("0123456789")


def _is_digits(s: str) -> bool:
    return bool(s) and set(s) <= _DIGITS


def _coordinate_number(s: str) -> float | None:
    """A decimal with 1-3 integer digits and at least 4 decimals, or None."""
    body = s[1:] if s.startswith("-") else s
    whole, dot, frac = body.partition(".")
    if not (dot and _is_digits(whole) and len(whole) <= 3 and _is_digits(frac)
            and len(frac) >= 4):
        return None
    return float(s)


def _coordinate(v: str) -> bool:
    one = _coordinate_number(v)
    if one is not None:
        return abs(one) <= 180
    for sep in ",;/ ":
        for left_sp in ("", " "):
            for right_sp in ("", " "):
                parts = v.split(left_sp + sep + right_sp)
                if len(parts) == 2:
                    a, b = (_coordinate_number(p) for p in parts)
                    if a is not None and b is not None and \
                            max(abs(a), abs(b)) <= 180 and min(abs(a), abs(b)) <= 90:
                        return True
    return False


def _strip_affixes(v: str, prefixes: tuple[str, ...], suffixes: tuple[str, ...]) -> str:
    low = v.lower()
    for p in prefixes:
        if low.startswith(p):
            v, low = v[len(p):], low[len(p):]
            break
    if v.startswith(" "):
        v, low = v[1:], low[1:]
    for s in suffixes:
        if low.endswith(s):
            v, low = v[:-len(s)], low[:-len(s)]
            break
    if v.endswith(" "):
        v = v[:-1]
    return v


def _money(v: str) -> bool:
    body = _strip_affixes(v, ("¥", "$", "rmb", "cny"), ("万元", "元", "万", "rmb", "cny"))
    if body.startswith("-"):
        body = body[1:]
    whole, dot, frac = body.partition(".")
    if dot and not (_is_digits(frac) and len(frac) <= 2):
        return False
    if "," in whole:
        groups = whole.split(",")
        return (_is_digits(groups[0]) and 1 <= len(groups[0]) <= 3 and groups[0][0] != "0"
                and all(_is_digits(g) and len(g) == 3 for g in groups[1:]))
    return _is_digits(whole) and (whole == "0" or (whole[0] != "0" and len(whole) <= 9))


_DATE_RE = re.compile(
    r"(?:19|20)\d{2}(?:-(\d{1,2})-(\d{1,2})|/(\d{1,2})/(\d{1,2})|\.(\d{1,2})\.(\d{1,2})"
    r"|年(\d{1,2})月(\d{1,2})日?)", re.ASCII)


def _time(v: str) -> bool:
    cut = next((i for i, c in enumerate(v) if c in ":时"), -1)
    if cut < 0:
        return False
    hour, rest = v[:cut], v[cut + 1:]
    if not (_is_digits(hour) and len(hour) <= 2 and int(hour) <= 23):
        return False
    minute, rest = rest[:2], rest[2:]
    if not (len(minute) == 2 and _is_digits(minute) and int(minute) <= 59):
        return False
    if not rest:
        return True
    if rest[0] not in ":分":
        return False
    second, rest = rest[1:3], rest[3:]
    if not (len(second) == 2 and _is_digits(second) and int(second) <= 59):
        return False
    if rest.endswith("秒"):
        rest = rest[:-1]
    if not rest:
        return True
    return rest[0] == "." and _is_digits(rest[1:]) and len(rest) <= 7


def _zone(z: str) -> bool:
    if z in ("", "Z"):
        return True
    if z[0] not in "+-":
        return False
    body = z[1:3] + (z[4:] if z[3:4] == ":" else z[3:])
    return len(body) == 4 and _is_digits(body)


def _datetime(v: str) -> bool:
    if _time(v):
        return True
    m = _DATE_RE.match(v)
    if not m:
        return False
    month, day = (int(g) for g in m.groups() if g is not None)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    rest = v[m.end():]
    if not rest:
        return True
    if rest[0] not in " T":
        return False
    rest = rest[1:]
    for cut in range(len(rest), 0, -1):
        if _time(rest[:cut]) and _zone(rest[cut:]):
            return True
    return False


def _duration(v: str) -> bool:
    low = v.lower()
    parts = low.split(":")
    if len(parts) in (2, 3) and _is_digits(parts[0]) and len(parts[0]) <= 2 and all(
            len(p) == 2 and _is_digits(p) and int(p) <= 59 for p in parts[1:]):
        return True
    if _is_digits(low) and len(low) <= 6:
        return True
    for unit in ("秒", "分钟", "分", "小时", "secs", "sec", "s", "mins", "min", "h"):
        if low.endswith(unit):
            num = low[:-len(unit)]
            num = num[:-1] if num.endswith(" ") else num
            whole, dot, frac = num.partition(".")
            if _is_digits(whole) and len(whole) <= 6 and (not dot or _is_digits(frac)):
                return True
    for big, small in (("分", "秒"), ("小时", "分")):
        head, found, rest = low.partition(big)
        if found and _is_digits(head) and len(head) <= 3:
            mid, found2, after = rest.partition(small)
            if found2 and _is_digits(mid) and len(mid) <= 2 and int(mid) <= 59:
                if not after:
                    return True
                if big == "小时" and after.endswith("秒") and _is_digits(after[:-1]) \
                        and len(after) <= 3 and int(after[:-1]) <= 59:
                    return True
    return False


def _is_han(c: str) -> bool:
    return 0x3400 <= ord(c) <= 0x4DBF or 0x4E00 <= ord(c) <= 0x9FFF


def _ascii_word_pair(v: str) -> bool:
    """Two runs of at least two ASCII letters separated by one space, anywhere in ``v``."""
    words = v.split(" ")
    for a, b in zip(words, words[1:], strict=False):
        tail = len(a) - len(a.rstrip(_LETTERS))
        head = len(b) - len(b.lstrip(_LETTERS))
        if tail >= 2 and head >= 2:
            return True
    return False


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _text(v: str) -> bool:
    low = v.lower()
    if len(v) < 2 or low in FLAG_WORDS or low.startswith(("http://", "https://", "www.")):
        return False
    return any(_is_han(c) for c in v) or _ascii_word_pair(v)


def _score(v: str) -> bool:
    body = v[1:] if v.startswith("-") else v
    whole, dot, frac = body.partition(".")
    if not (_is_digits(whole) and len(whole) <= 9 and (not dot or _is_digits(frac))):
        return False
    return v not in ("0", "1")


def _room(v: str) -> bool:
    head = v.rstrip("0123456789")
    digits = v[len(head):]
    if not (2 <= len(digits) <= 5):
        return False
    head = head[:-1] if head.endswith("-") and len(head) > 1 else head
    return head == "" or (len(head) <= 2 and all(c in _LETTERS for c in head))


def _blood_type(v: str) -> bool:
    low = v.lower()
    for group in ("ab", "a", "b", "o"):
        if low.startswith(group):
            rest = low[len(group):]
            break
    else:
        return False
    for piece in ("型", " ", "rh", " ", "+-", "型"):
        if piece == "+-":
            if rest[:1] in ("+", "-"):
                rest = rest[1:]
        elif rest.startswith(piece):
            rest = rest[len(piece):]
    return rest == ""


KIND_PYTHON = {
    "coordinate": _coordinate, "money": _money, "datetime": _datetime, "duration": _duration,
    "text": _text, "score": _score, "room": _room, "blood_type": _blood_type,
}


def has_kind(value: str | None, kind: str) -> bool:
    """Python twin of ``KIND_SQL[kind]`` over a normalised value."""
    return value is not None and KIND_PYTHON[kind](value)


def kind_validators(kinds: tuple[str, ...], normalize):
    """``validate`` and ``is_valid`` for a category holding values of ``kinds``."""
    def validate(value: str | None) -> str:
        text = normalize(value)
        if text is None:
            raise InvalidFormat("blank")
        if not any(KIND_PYTHON[k](text) for k in kinds):
            raise InvalidFormat(f"not a value of kind {' or '.join(kinds)}")
        return text

    def is_valid(value: str | None) -> bool:
        text = normalize(value)
        return text is not None and any(KIND_PYTHON[k](text) for k in kinds)

    return validate, is_valid
