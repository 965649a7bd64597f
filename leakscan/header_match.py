"""Which categories a column's header names: synonyms matched as words, negative words.

The header half of classification (``classify.py`` weighs it with the values): Chinese
synonyms match as substrings of the compact header, ASCII ones as whole words in order;
a category's negative words (``定位方式``, ``order_no``) void its match. Every function here
is pure and cached per header, so a wide file costs one match per column.
"""

from __future__ import annotations

import functools
import re

from leakscan.text import fold_width

from .registry import Registry


@functools.lru_cache(maxsize=1 << 16)
def normalize_header(name: str) -> str:
    """Header text folded for matching: full-width to ASCII, lower case, trimmed.

    >>> normalize_header(" Mobile_NO ")
    'mobile_no'
    """
    return fold_width(name).strip().lower()


def header_tokens(name: str) -> list[str]:
    """ASCII words of a header: split on non-alphanumerics, camelCase and digit runs.

    >>> header_tokens("customerPhone_no2")
    ['customer', 'phone', 'no']
    """
    return list(_tokens(name))


@functools.lru_cache(maxsize=1 << 16)
def _tokens(name: str) -> tuple[str, ...]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", fold_width(name))
    return tuple(t for t in re.split(r"[^a-z]+", spaced.lower()) if t)


@functools.lru_cache(maxsize=1 << 16)
def _compact(header: str) -> str:
    return re.sub(r"[\s_\-]+", "", normalize_header(header))


def synonym_matches(header: str, synonym: str) -> bool:
    """Does ``synonym`` occur in ``header``?

    Chinese synonyms match as substrings (``手机号码`` contains ``手机``); ASCII synonyms match
    whole words in order, so ``tel`` matches ``home_tel`` but not ``hotel``.

    >>> synonym_matches("联系手机号", "手机"), synonym_matches("hotel_name", "tel")
    (True, False)
    """
    if not synonym.isascii():
        return synonym in _compact(header)
    want = _tokens(synonym)
    have = _tokens(header)
    return any(have[i:i + len(want)] == want for i in range(len(have) - len(want) + 1))


def negative_hits(header: str, words: tuple[str, ...]) -> list[str]:
    """The negative words of a category found in ``header``.

    Chinese words match as substrings; ASCII words as whole words (``header_tokens``), with
    ``is_`` only as the first word and ``_id`` (any ``_word``) only as the last.

    >>> negative_hits("定位方式", ("方式",)), negative_hits("is_overdue", ("is_",))
    (['方式'], ['is_'])
    >>> negative_hits("order_id", ("_id",)), negative_hits("id_order", ("_id",))
    (['_id'], [])
    """
    compact = _compact(header)
    tokens = list(_tokens(header))
    hits = []
    for w in words:
        if not w.isascii():
            hit = w in compact
        elif w.startswith("_"):
            hit = tokens[-1:] == [w[1:]]
        elif w.endswith("_"):
            hit = tokens[:1] == [w[:-1]]
        else:
            hit = w in tokens
        if hit:
            hits.append(w)
    return hits


def header_matches(header: str, registry: Registry) -> dict[str, str]:
    """Category id -> the longest synonym of that category found in ``header``, for the
    categories none of whose negative words is in it. Computed once per header and registry
    (a wide file asks for each header several times; 100 columns cost 13 s uncached)."""
    return dict(_header_matches(header, registry))


@functools.lru_cache(maxsize=1 << 14)
def _header_matches(header: str, registry: Registry) -> tuple[tuple[str, str], ...]:
    found = {}
    for cat, hits in _synonym_hits(header, registry):
        if not negative_hits(header, cat.negative_words):
            found[cat.id] = max(hits, key=len)
    return tuple(found.items())


#: Headers screened by plain substring tests before the screens are compiled into regular
#: expressions: compiling them costs about 16 ms, which a file of a few columns never
#: recovers (a header costs about 40 microseconds more without them); a wide file does.
SCREENED_UNCOMPILED = 256


def _synonym_hits(header: str, registry: Registry):
    """(category, its synonyms found in ``header``) for each category with one. One screen
    per category rules out the categories that cannot match (most, for most headers) before
    the synonyms are tried one by one (``synonym_matches``, the rule)."""
    compact = _compact(header)
    words = " " + " ".join(_tokens(header)) + " "
    screened = _screened.get(registry, 0)
    if screened < SCREENED_UNCOMPILED:
        _screened[registry] = screened + 1
        for cat, han, ascii_words in _synonym_literals(registry):
            if any(s in compact for s in han) or any(w in words for w in ascii_words):
                yield cat, [s for s in cat.header_synonyms if synonym_matches(header, s)]
        return
    for cat, han, ascii_words in _synonym_screens(registry):
        if (han and han.search(compact)) or (ascii_words and ascii_words.search(words)):
            yield cat, [s for s in cat.header_synonyms if synonym_matches(header, s)]


#: Headers screened so far per registry, uncompiled (``SCREENED_UNCOMPILED``).
_screened: dict = {}


@functools.lru_cache(maxsize=16)
def _synonym_literals(registry: Registry) -> list:
    """Per category: its non-ASCII synonyms (substrings of the compact header) and its ASCII
    synonyms as whole-word sequences of ``_tokens``, space-delimited. A header holds one of
    them exactly when ``synonym_matches`` holds for some synonym."""
    out = []
    for cat in registry:
        han = tuple(s for s in cat.header_synonyms if not s.isascii())
        words = (" ".join(_tokens(s)) for s in cat.header_synonyms if s.isascii())
        out.append((cat, han, tuple(f" {w} " for w in words if w)))
    return out


@functools.lru_cache(maxsize=16)
def _synonym_screens(registry: Registry) -> list:
    """``_synonym_literals`` as one regular expression each (None for none), which finds one
    of them exactly when a substring test does."""
    return [(cat, re.compile("|".join(map(re.escape, han))) if han else None,
             re.compile("|".join(map(re.escape, words))) if words else None)
            for cat, han, words in _synonym_literals(registry)]


def header_negatives(header: str, registry: Registry) -> dict[str, list[str]]:
    """Category id -> the negative words that voided its synonym match in ``header``."""
    found = {}
    for cat, _hits in _synonym_hits(header, registry):
        hits = negative_hits(header, cat.negative_words)
        if hits:
            found[cat.id] = hits
    return found


def is_known_header(header: str, registry: Registry) -> bool:
    return bool(header_matches(header, registry))
