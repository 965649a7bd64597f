"""E-mail address.

An address is ``local@domain``: a local part of 1-64 characters from ``A-Z a-z 0-9`` and
``. _ % + -`` (not starting or ending with a dot, no two dots in a row), and a domain of at
least two dot-separated labels, each 1-63 letters, digits or hyphens not at either end, the
last one (the top-level domain) 2-63 letters; at most 254 characters in all. Full-width
characters (``＠``) are folded first, and the address is lower-cased, since mailbox providers
in practice treat addresses case-insensitively and a leak lists the same person's address
written both ways.

It errs towards *rejecting*: quoted local parts, IP-literal domains and internationalised
addresses are valid in RFC 5322 but rare in leaks and frequent in junk.

Python reference: ``str`` methods, independent of the SQL regular expression.

Masked forms (``MASKED_SQL``, ``is_masked``): an address whose local part holds a run of
``*`` (``z***@qq.com``, ``zh***n@163.com``, ``***@qq.com``), the domain visible or starred.
Only ``*``: other mask characters are not seen in addresses, and ``x`` is a letter.

>>> normalize(" Zhang.San@Example.COM ")
'zhang.san@example.com'
>>> is_valid('zhang.san@example.com'), is_valid('zhang..san@example.com')
(True, False)
>>> mask('zhang.san@example.com')
'z********@example.com'
"""

from __future__ import annotations

import string

from leakscan.text import FOLD_WIDTH_SQL, fold_width, masked_form, validity_of
from leakscan.validation import InvalidComponent, InvalidFormat, InvalidLength

from . import _headers, _mixed, _roles

ID = "email"
CLASS = "contact"
TIER = "C"
IDENTIFYING = True
#: Header words naming a party other than the subject (a doctor, a manager: ``_roles``).
ROLE_WORDS = _roles.ROLE_WORDS
#: One person holds one: a value two records share makes them one person.
LINKS_PERSONS = True

_LOCAL = r"[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
#: Searched in free text (docs/classification.md, "Free text"): e-mail addresses are cut first
#: and blanked out of the text, so the digits of ``13800138000@qq.com`` are not read again.
FREE_TEXT = {
    "order": 10,
    "worth": "[@\\x{ff20}]",
    "cut": rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})+",
    "shape": ".*@.*",
}
#: In a contact or login column (and a credential list's account) after phones.
MIXED = {"order": 60, "headers": _mixed.CONTACT_HEADERS + _mixed.LOGIN_HEADERS,
         "credentials": True}
VALUE_DETECTION = True
#: Header words, from the vocabulary file ``data/headers.toml`` (``_headers``).
HEADER_SYNONYMS = _headers.synonyms(ID)

NORMALIZE_SQL = (
    FOLD_WIDTH_SQL,
    # DuckDB lower-cases by the simple Unicode mapping, Python by the full one: they differ
    # on one letter, İ (U+0130), which DuckDB makes an ASCII "i" (a valid address out of
    # "İLKER@EXAMPLE.COM") and Python "i" + U+0307 (not ASCII: no address). The full
    # mapping is spelled out here, so that both twins agree and no address is invented.
    "NULLIF(lower(replace(trim({value}), 'İ', 'i̇')), '')",
)
_LOCAL = r"[a-z0-9_%+\-]+(?:\.[a-z0-9_%+\-]+)*"
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
VALIDATE_SQL = (
    "length({value}) <= 254 AND length(split_part({value}, '@', 1)) <= 64 AND "
    f"regexp_full_match({{value}}, '{_LOCAL}@(?:{_LABEL}\\.)+[a-z]{{2,63}}')"
)

_LOCAL_CHARS = set(string.ascii_lowercase + string.digits + "._%+-")
_LABEL_CHARS = set(string.ascii_lowercase + string.digits + "-")


def normalize(value: str | None) -> str | None:
    """Fold width, trim ASCII spaces, lower-case; ``None`` for a blank cell."""
    if value is None:
        return None
    return fold_width(value).strip(" ").lower() or None


def validate(value: str | None) -> str:
    """Return the normalised address or raise why it is not one."""
    address = normalize(value)
    if address is None:
        raise InvalidFormat("blank")
    if len(address) > 254:
        raise InvalidLength()
    local, at, domain = address.partition("@")
    if not at or "@" in domain:
        raise InvalidFormat("needs exactly one @")
    if not 1 <= len(local) <= 64 or not set(local) <= _LOCAL_CHARS:
        raise InvalidComponent("local part")
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise InvalidComponent("dots in local part")
    labels = domain.split(".")
    if len(labels) < 2:
        raise InvalidComponent("domain needs a dot")
    for label in labels:
        if not 1 <= len(label) <= 63 or not set(label) <= _LABEL_CHARS:
            raise InvalidComponent("domain label")
        if label.startswith("-") or label.endswith("-"):
            raise InvalidComponent("hyphen at label edge")
    tld = labels[-1]
    if len(tld) < 2 or not all(c in string.ascii_lowercase for c in tld):
        raise InvalidComponent("top-level domain")
    return address


is_valid = validity_of(validate)


_LOCAL_PART = "split_part({value}, '@', 1)"
#: SQL twin of ``mask``.
MASK_SQL = (f"CASE WHEN length({_LOCAL_PART}) > 1 THEN left({_LOCAL_PART}, 1) || "
            f"repeat('*', length({_LOCAL_PART}) - 1) ELSE '*' END || '@' || "
            f"CASE WHEN strpos({{value}}, '@') > 0 "
            f"THEN substr({{value}}, strpos({{value}}, '@') + 1) ELSE '' END")


def mask(normalized: str) -> str:
    """Keep the first character of the mailbox and the domain."""
    local, _, domain = normalized.partition("@")
    return local[:1] + "*" * (len(local) - 1) + "@" + domain if len(local) > 1 else "*@" + domain


#: Masked addresses (``leakscan.text.masked_form``).
MASKED_SQL, is_masked = masked_form((
    ("[A-Za-z0-9._%+-]*[*]+[A-Za-z0-9._%+*-]*@[A-Za-z0-9*-]+(?:[.][A-Za-z0-9*-]+)*[.][A-Za-z]{2,63}",
     ()),
), chars="*")
