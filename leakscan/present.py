"""What every human-readable format says the same way: the verdict line, scores as their
terms, level and law names, and the item that decided a level.

All of it reads the ``to_dict()`` document only (so no view can say what the JSON does not
hold) and returns plain text in the requested language (``messages.py``); each renderer
escapes it for its own medium.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

from .messages import msg

_CJK = re.compile(r"[\u3400-\u9fff]")


def num(x) -> str:
    """A count or threshold as a person writes it: ``1,977``, ``2,500``, ``12.5``."""
    if isinstance(x, bool) or x is None:
        return str(x)
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer()):
        return f"{int(x):,}"
    if isinstance(x, Fraction):
        return num(int(x)) if x.denominator == 1 else f"{float(x):,.6g}"
    return f"{x:,.6g}" if isinstance(x, float) else str(x)


def decimal(x: Fraction) -> str:
    """Two decimals, rounded *down*: a sum of 0.999 must never read as 1.00."""
    return f"{math.floor(Fraction(x) * 100) / 100:.2f}"


def law_name(a: dict) -> str:
    """The law a ruleset applies, as a reader names it: the first part of the parenthesis
    that ends its title (``Criminal Law Art. 253-1``), else the ruleset id."""
    m = re.search(r"\(([^()]*)\)\s*$", a.get("title", ""))
    return m.group(1).split(";")[0].strip() if m else a["ruleset"]


def percent(share: float) -> str:
    """A confidence level as a percentage without noise: 0.95 -> ``95``, 0.995 -> ``99.5``.

    >>> percent(0.95), percent(0.995)
    ('95', '99.5')
    """
    return f"{share * 100:.4f}".rstrip("0").rstrip(".")


def level_label(name: str | None, lang: str) -> str:
    """A level's name from the ruleset; in Chinese, ``情节严重 (serious)`` reads ``情节严重``."""
    if not name or name == "none":
        return msg("level.none", lang)
    if lang == "zh" and _CJK.match(name):
        return re.sub(r"\s*\([^()]*\)\s*$", "", name)
    return name


def key_label(key: str, lang: str) -> str:
    if key in ("A", "B", "C"):
        return msg("tier", lang, tier=key)
    return msg(f"key.{key}", lang) if f"key.{key}" in _known_keys() else key.replace("_", " ")


def _known_keys() -> set[str]:
    from .messages import MESSAGES

    return set(MESSAGES)


def terms(a: dict, level: str | None = None, counts: dict | None = None) -> tuple[str, Fraction]:
    """``62/50 + 119/500 + 518/5000`` and its exact sum, against ``level`` (default the first)."""
    level = level or next(iter(a["thresholds"]))
    counts = a["counts_used"] if counts is None else counts
    th = a["thresholds"][level]
    parts, total = [], Fraction(0)
    for key, t in th.items():
        c = counts.get(key, 0)
        parts.append(f"{num(c)}/{num(t)}")
        total += Fraction(c) / Fraction(t).limit_denominator(10**6)
    return " + ".join(parts), total


def terms_text(term_list: list[dict], lang: str) -> tuple[str, Fraction]:
    """The structured terms of the assessment (``terms[]``; a part obtained on duty is its own
    term, against the insider threshold) as ``62/50 + 119/500``, and their exact sum."""
    parts, total = [], Fraction(0)
    for x in term_list:
        parts.append(f"{num(x['count'])}/{num(x['threshold'])}"
                     + (msg("on_duty", lang) if x.get("insider") else ""))
        total += Fraction(x["share_exact"]) if "share_exact" in x else \
            Fraction(x["count"]) / Fraction(x["threshold"]).limit_denominator(10**6)
    return " + ".join(parts), total


def score_text(a: dict, lang: str, counts: dict | None = None) -> str:
    """The score as its terms: a ratio sum against 1, or the largest share for ``any``."""
    if counts is None and a.get("terms") and _combine(a) == "ratio":
        text, total = terms_text(a["terms"], lang)
    else:
        text, total = terms(a, counts=counts)
    if _combine(a) == "ratio":
        return msg("score.ratio", lang, terms=text, sum=decimal(total), target=1)
    level = next(iter(a["thresholds"]))
    counts = a["counts_used"] if counts is None else counts
    shares = [f"{key_label(k, lang)} {num(counts.get(k, 0))}/{num(t)}"
              for k, t in a["thresholds"][level].items()]
    return msg("score.any", lang, terms=", ".join(shares))


def _combine(a: dict) -> str:
    return "ratio" if a.get("unit", "items") == "items" else "any"


def decider(a: dict, lang: str, level: str | None = None, counts: dict | None = None) -> str:
    """Why ``level`` (default: the level reached) was reached: the most sensitive count that
    reaches it alone, else the ratio sum, else the illegal income."""
    dec = a.get("decisive") if level is None and counts is None else None
    if dec:
        return _decisive_text(dec, lang)
    level = level or a["level"]
    counts = a["counts_used"] if counts is None else counts
    th = a["thresholds"].get(level, {})
    for key, t in th.items():
        if counts.get(key, 0) >= t:
            if key in ("A", "B", "C"):
                return msg("decider.alone", lang, count=num(counts[key]), tier=key,
                           threshold=num(t))
            return msg("decider.persons", lang, count=num(counts[key]),
                       what=key_label(key, lang), threshold=num(t))
    if _combine(a) == "ratio":
        text, total = terms(a, level, counts)
        if total >= 1:
            return msg("decider.ratio", lang, terms=text, sum=decimal(total), target=1)
    income, need = a.get("illegal_income"), (a.get("income_thresholds") or {}).get(level)
    if income is not None and need is not None and income >= need:
        return msg("decider.income", lang, income=num(income), threshold=num(need))
    return ""


def _decisive_text(dec: dict, lang: str) -> str:
    """The structured decisive item (``assessments[].decisive``) as a reader says it."""
    duty = msg("on_duty", lang) if dec.get("insider") else ""
    if dec["by"] == "count":
        if dec["key"] in ("A", "B", "C"):
            return msg("decider.alone", lang, count=num(dec["count"]), tier=dec["key"],
                       threshold=num(dec["threshold"])) + duty
        return msg("decider.persons", lang, count=num(dec["count"]),
                   what=key_label(dec["key"], lang), threshold=num(dec["threshold"])) + duty
    if dec["by"] == "ratio":
        text, total = terms_text(dec.get("terms", []), lang)
        return msg("decider.ratio", lang, terms=text, sum=decimal(total), target=1)
    if dec["by"] == "income":
        return msg("decider.income", lang, income=num(dec["count"]),
                   threshold=num(dec["threshold"])) + duty
    if dec["by"] == "lawful_business":
        return msg("decider.lawful", lang, profit=num(dec["count"]),
                   threshold=num(dec["threshold"]))
    return ""


def article(basis: str) -> str:
    """The article a basis string cites: the part before its quotation (``Fa Shi [2017] No. 10
    Art. 5(1)(3)``)."""
    return basis.split(": ", 1)[0].split("; ")[0]


def reading_label(alt: dict) -> str:
    """An alternative reading as a person names it, distinct between readings: what it reads
    (its first clause) and, where its basis names one, the authority (``SPC Guiding Case
    No. 193 (闻巍等)``)."""
    what = _first_clause(alt.get("reading", "")) or alt.get("id", "")
    basis = alt.get("basis", "")
    who = article(basis) if ": " in basis else ""
    return f"{what} — {who}" if who and len(who) <= 60 else what


def _first_clause(text: str) -> str:
    """``text`` up to its first ``, `` ``; `` or ``: `` outside parentheses."""
    depth = 0
    for k, ch in enumerate(text):
        depth += {"(": 1, ")": -1, "（": 1, "）": -1}.get(ch, 0)
        if depth == 0 and text[k:k + 2] in (", ", "; ", ": "):
            return text[:k]
    return text


def ruling(a: dict, lang: str, verification: dict | None = None) -> str:
    """One ruleset's part of the verdict line; with ``verification`` (the report's sampling
    verification), also the level at the lower bound when it differs."""
    law = law_name(a)
    if a["level"] == "none":
        out = msg("verdict.not_reached", lang, law=law, score=score_text(a, lang))
    else:
        chain = (a.get("decisive") or {}).get("chain") or [a["basis"]]
        out = msg("verdict.reached", lang, law=law,
                  level=level_label(a.get("level_name"), lang),
                  article=article(chain[0]), decider=decider(a, lang))
    extra = []
    for alt in a.get("alternatives", []):
        if alt.get("changes_level", alt["level"] != a["level"]):
            extra.append(msg("verdict.alternative", lang, reading=reading_label(alt),
                             level=level_label(alt.get("level_name"), lang)))
    ho = a.get("header_only")
    if ho and ho["level"] != a["level"]:
        extra.append(msg("verdict.header_only", lang, categories=", ".join(ho["categories"]),
                         level=level_label(ho.get("level_name"), lang)))
    for low in (verification or {}).get("assessments", []):
        if low["ruleset"] == a["ruleset"] and low["level_at_lower_bound"] != a["level"]:
            extra.append(msg("verdict.lower_bound", lang,
                             confidence=percent(verification["confidence"]),
                             level=level_label(low.get("level_name_at_lower_bound"), lang)))
    return out + "".join(msg("aside", lang, text=e) for e in extra)


def verdict(d: dict, lang: str = "en") -> str:
    """The one line a person can act on, first in every format."""
    rulings = msg("sep", lang).join(ruling(a, lang, d.get("verification"))
                                    for a in d["assessments"])
    return msg("verdict", lang, records=num(d["records"]["unique"]),
               persons=num(d["subjects"]["estimated"]), rulings=rulings or "-")


def option_rows(options: dict) -> list[list[str]]:
    """The report's options as (name, value) rows for a person. The null markers are shown as
    the defaults plus any ``--null-marker`` added (the full list is in the JSON report): the
    defaults hold words such as ``None`` that would read as a missing value."""
    from .damage import default_null_markers

    defaults = list(default_null_markers())
    rows = []
    for k, v in options.items():
        if k == "null_markers" and isinstance(v, list) and v[:len(defaults)] == defaults:
            added = "".join(f", {value_text(x)}" for x in v[len(defaults):])
            rows.append([k, f"defaults ({len(defaults)}){added}"])
        else:
            rows.append([k, value_text(v)])
    return rows


def value_text(v) -> str:
    """An option's value as a person would type it: no ``True``/``None``/``[...]``."""
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, list | tuple):
        return ", ".join(value_text(x) for x in v) if v else "-"
    if isinstance(v, dict):
        return " ".join(f"{k}={value_text(x)}" for k, x in v.items())
    return num(v) if isinstance(v, int | float) else str(v)


def column_category(c: dict, lang: str) -> str:
    """A ``columns[]`` entry's category as the human formats show it: with the other
    categories of a mixed column and their valid values (``also``), ``phone (also email 4)``.
    """
    also = c.get("also") or []
    if not also:
        return c["category"]
    found = ", ".join(f"{a['category']} {num(a['valid'])}" for a in also)
    return f"{c['category']} {msg('also', lang, found=found)}"
