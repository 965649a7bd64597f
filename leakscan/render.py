"""Human-readable views of the report dictionary: a terminal table and Markdown.

Both render the ``to_dict()`` document, so they can never show a figure the JSON does not
hold. Values appear only as the masked samples the report already carries. Both open with
the verdict line (``present.verdict``) and speak English or Chinese (``messages.py``); text
that came from an input (paths, column names, samples, warnings) is made inert for the medium
first (``inert_line`` for a terminal, ``_md`` for Markdown; ``leakscan/inert.py``).
"""

from __future__ import annotations

from . import inert
from .messages import msg
from .present import (
    column_category,
    level_label,
    num,
    option_rows,
    percent,
    reading_label,
    score_text,
    verdict,
)


def inert_line(text) -> str:
    """Input-derived text for a terminal: every control, format or bidi character shown as a
    visible escape (``inert.terminal``)."""
    return inert.terminal(text)


def _md(text) -> str:
    """Input-derived text for Markdown: inert for a terminal, and without Markdown structure
    of its own, so a column named ``**x**`` or ``[a](b)`` is shown as typed and a ``|``
    cannot split a table cell (``inert.markdown``)."""
    return inert.markdown(text)


def _fmt(n) -> str:
    return num(n) if isinstance(n, int | float) and not isinstance(n, bool) else str(n)


def _grid(headers: list[str], rows: list[list], align: str | None = None) -> list[str]:
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in r] for r in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(headers))]
    align = align or "l" * len(headers)
    out = []
    for k, r in enumerate(cells):
        parts = []
        for i, c in enumerate(r):
            pad = " " * (widths[i] - _width(c))
            parts.append(pad + c if align[i] == "r" else c + pad)
        out.append("  ".join(parts).rstrip())
        if k == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def _width(text: str) -> int:
    """Display width: CJK characters take two terminal cells."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _options_line(o: dict) -> str:
    parts = [f"dedup {o['dedup']}", f"scope {o['scope']}"]
    if o.get("insider"):
        parts.append("insider")
    return ", ".join(parts)


def category_rows(d: dict, lang: str) -> tuple[list[str], list[list]]:
    heads = [msg(k, lang) for k in ("col.category", "col.class", "col.tier", "col.detected",
                                    "col.valid", "col.unique", "col.records")]
    rows = [[cid, c["class"], c["tier"], c["detected"], c["valid"], c["unique"],
             c["records"]] for cid, c in d["categories"].items()]
    if masked_total(d):  # a last column, only when the source hid values (counting Rule 1.7)
        heads.append(msg("col.masked", lang))
        for row, c in zip(rows, d["categories"].values(), strict=True):
            row.append(c.get("masked", 0))
    return heads, rows


def masked_total(d: dict) -> int:
    """Masked values over all categories (``categories.<id>.masked``; 0 in older reports)."""
    return sum(c.get("masked", 0) for c in d["categories"].values())


def masked_lines(d: dict, lang: str) -> list[str]:
    """The sentence on masked values, when the source hid any; else nothing."""
    total = masked_total(d)
    if not total:
        return []
    return [msg("line.masked", lang, masked=num(total),
                only=num(d["records"].get("masked_only", 0)))]


def per_input_rows(d: dict, lang: str, esc=inert_line) -> tuple[list[str], list[list]]:
    heads = [msg(k, lang) for k in ("col.input", "col.rows", "col.with_pi", "col.unique",
                                    "col.tier_a", "col.tier_b", "col.tier_c", "col.persons")]
    rows = []
    for i in d["inputs"]:
        s = i.get("summary")
        if s is None:
            rows.append([esc(i["path"]), i["rows"], "-", "-", "-", "-", "-", "-"])
        else:
            rows.append([esc(i["path"]), i["rows"], s["with_personal_info"], s["unique"],
                         s["tiers"]["A"], s["tiers"]["B"], s["tiers"]["C"], s["persons"]])
    return heads, rows


def vocabulary(d: dict, lang: str) -> list[str]:
    """What tiers A / B / C hold (with their articles) and what the count columns mean."""
    tiers = next((a["tiers"] for a in d["assessments"] if a.get("tiers")), {})
    out = [msg("vocab.tiers_intro", lang)]
    out += [msg("vocab.tier", lang, tier=t, text=text) for t, text in tiers.items()]
    out += [msg(k, lang) for k in ("vocab.detected", "vocab.valid", "vocab.unique",
                                   "vocab.records", "vocab.persons")]
    out += [msg("vocab.masked", lang)] if masked_total(d) else []
    return out


def not_read_rows(d: dict, lang: str) -> list[tuple[str, str]]:
    out = []
    for f in d.get("provenance", {}).get("not_read", []):
        why = (msg("notread.unreadable", lang, error=f.get("error", ""))
               if f["reason"] == "unreadable" else msg(f"notread.{f['reason']}", lang))
        out.append((f["path"], why))
    return out


def categorizer_origin(c: dict, lang: str) -> str:
    return (msg("prov.builtin", lang) if c["origin"] == "builtin"
            else msg("prov.plugin", lang, package=c["package"]))


def validation_line(d: dict, lang: str) -> str | None:
    """Which validation path ran (``provenance.validation``: compiled kernels or SQL), or
    None for a report without the field."""
    v = d.get("provenance", {}).get("validation")
    if not v:
        return None
    if v.get("path") == "kernels":
        return msg("prov.kernels", lang, categories=", ".join(v.get("kernels", [])))
    return msg(f"prov.sql.{v.get('reason', 'none_declared')}", lang)


def render_table(d: dict, lang: str = "en") -> str:
    d = inert.document(d, inert.terminal)  # no string of the document can act on a terminal
    r, t = d["records"], d["tiers"]
    lines = [verdict(d, lang), "",
             msg("line.header", lang, version=d["tool"]["version"], inputs=len(d["inputs"]),
                 options=_options_line(d["options"])), ""]
    lines.append(msg("line.records", lang, total=num(r["total"]),
                     with_pi=num(r["with_personal_info"]), duplicates=num(r["duplicates"]),
                     unique=num(r["unique"])))
    lines.append(msg("line.tiers", lang, A=num(t["A"]), B=num(t["B"]), C=num(t["C"]),
                     persons=num(d["subjects"]["estimated"])))
    lines += masked_lines(d, lang)
    lines.append("")
    heads, rows = category_rows(d, lang)
    lines += _grid(heads, rows, "lll" + "r" * (len(heads) - 3))
    if len(d["inputs"]) > 1:
        lines.append("")
        heads, rows = per_input_rows(d, lang)
        lines += _grid(heads, rows, "lrrrrrrr")
    lines.append("")
    for a in d["assessments"]:
        lines.append(f"{a['ruleset']}: {level_label(a.get('level_name'), lang)}")
        lines.append(f"  {msg('line.score', lang)}: {score_text(a, lang)}")
        lines.append(f"  {msg('col.basis', lang)}: {a['basis']}")
        for alt in a["alternatives"]:
            changes = alt.get("changes_level", alt["level"] != a["level"])
            lines.append(f"  {msg('line.alternative', lang, reading=reading_label(alt))}: "
                         f"{level_label(alt.get('level_name'), lang)}  "
                         f"({score_text(a, lang, alt['counts_used'])})"
                         + (f"  {msg('changes_level', lang)}" if changes else ""))
            if changes:
                lines.append(f"    {alt['reading']}")
                lines.append(f"    {msg('col.basis', lang)}: {alt['basis']}")
        lines += [f"  {msg('flag', lang)}: {x}" for x in a.get("flags", [])]
        lines += [f"  {msg('not_assessed', lang)}: {x}" for x in a.get("not_assessed", [])]
    if d.get("verification"):
        lines.append("")
        lines += verification_lines(d, lang)
    unreadable = [i for i in d["inputs"] if i.get("error")]
    if unreadable:
        lines += ["", msg("h.unreadable", lang) + ":"]
        lines += [f"  {inert_line(i['path'])}: {inert_line(i['error'])}" for i in unreadable]
    if d["warnings"]:
        lines += ["", f"{msg('h.warnings', lang)} ({len(d['warnings'])}):"]
        lines += [f"  - {inert_line(w)}" for w in d["warnings"]]
    lines += ["", msg("estimate.short", lang)]
    return "\n".join(lines) + "\n"


def verification_lines(d: dict, lang: str = "en", esc=inert_line) -> list[str]:
    """The sampling verification (``sampling.verification``): a heading line, one line per
    sampled tier and one per ruleset, the literal level beside the level at the lower bounds
    (by name), then the rulesets it does not apply to. ``esc`` makes the file name inert for
    the medium."""
    v = d["verification"]
    names = {(a["ruleset"], lv["id"]): lv["name"] for a in d["assessments"]
             for lv in a.get("levels", [])}

    def name(rs: str, level: str) -> str:
        return level_label(names.get((rs, level), level), lang)

    out = [msg("verify.head", lang, file=esc(v["file"]), confidence=percent(v["confidence"]))]
    for t, x in v["tiers"].items():
        out.append("  " + msg("verify.tier", lang, tier=t, genuine=num(x["genuine"]),
                              sampled=num(x["sampled"]), share=f"{x['share']:.1%}",
                              lower=f"{x['lower']:.4f}", upper=f"{x['upper']:.4f}",
                              count=num(x["count"]), at_lower=num(x["count_at_lower_bound"])))
    for r in v["assessments"]:
        counts = ", ".join(f"{k} {num(n)}" for k, n in r["counts_at_lower_bound"].items())
        out.append("  " + msg("verify.ruleset", lang, ruleset=r["ruleset"],
                              level=name(r["ruleset"], r["level"]),
                              at_lower=name(r["ruleset"], r["level_at_lower_bound"]),
                              counts=counts))
    for r in v.get("not_applied", []):
        out.append("  " + msg(f"verify.not_applied.{r['reason']}", lang, ruleset=r["ruleset"]))
    return out


def _md_table(headers: list[str], rows: list[list]) -> list[str]:
    esc = [[_fmt(c).replace("|", "\\|").replace("\n", " ") for c in r] for r in rows]
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(r) + " |" for r in esc]
    return out


def render_markdown(d: dict, lang: str = "en") -> str:
    # every string inert for a terminal; those that come from an input also lose any
    # Markdown structure (``_md``), while the statutory texts stay readable as written
    d = inert.document(d, inert.terminal)
    r, t = d["records"], d["tiers"]
    lines = [f"# {msg('title', lang)}", "", f"**{verdict(d, lang)}**", "",
             msg("generated", lang, when=d["generated_at"], version=d["tool"]["version"],
                 schema=f"`{d['schema']}`"), "",
             f"## {msg('h.assessment', lang)}", ""]
    lines += _md_table([msg(k, lang) for k in ("col.ruleset", "col.level", "col.score",
                                               "col.basis")],
                       [[a["ruleset"], f"**{level_label(a.get('level_name'), lang)}**",
                         score_text(a, lang), a["basis"]] for a in d["assessments"]])
    flagged = [(a, x) for a in d["assessments"] for x in a.get("flags", [])]
    if flagged:
        lines += ["", f"### {msg('h.flags', lang)}", ""]
        lines += [f"- **{a['ruleset']}**: {x}" for a, x in flagged]
    skipped = [(a, x) for a in d["assessments"] for x in a.get("not_assessed", [])]
    if skipped:
        lines += ["", f"### {msg('h.not_assessed', lang)}", "", msg("not_assessed.intro", lang),
                  ""] + [f"- **{a['ruleset']}**: {x}" for a, x in skipped]
    alts = [(a, alt) for a in d["assessments"] for alt in a["alternatives"]]
    if alts:
        lines += ["", f"### {msg('h.alternatives', lang)}", "", msg("alternatives.intro", lang),
                  ""]
        lines += _md_table([msg(k, lang) for k in ("col.ruleset", "col.reading", "col.basis",
                                                   "col.counts_used", "col.score",
                                                   "col.level", "col.changes_level")],
                           [[a["ruleset"], alt["reading"], alt["basis"],
                             ", ".join(f"{k} {num(v)}" for k, v in alt["counts_used"].items()),
                             score_text(a, lang, alt["counts_used"]),
                             f"**{level_label(alt.get('level_name'), lang)}**",
                             msg("yes" if alt.get("changes_level") else "no", lang)]
                            for a, alt in alts])
    if d.get("verification"):
        head, *rest = verification_lines(d, lang, _md)
        lines += ["", f"### {msg('h.verification', lang)}", "", head, "",
                  msg("verify.method", lang), ""]
        lines += [f"- {x.strip()}" for x in rest]
    lines += ["", f"## {msg('h.records', lang)}", ""]
    lines += _md_table([msg(k, lang) for k in ("col.total_rows", "col.with_pi",
                                               "col.duplicates", "col.unique", "col.tier_a",
                                               "col.tier_b", "col.tier_c", "col.persons")],
                       [[r["total"], r["with_personal_info"], r["duplicates"], r["unique"],
                         t["A"], t["B"], t["C"], d["subjects"]["estimated"]]])
    lines += [""] + masked_lines(d, lang) if masked_total(d) else []
    lines += ["", f"## {msg('h.per_input', lang)}", ""]
    lines += _md_table(*per_input_rows(d, lang, _md))
    lines += ["", f"## {msg('h.categories', lang)}", ""]
    lines += _md_table(*category_rows(d, lang))
    lines += ["", f"## {msg('h.vocabulary', lang)}", ""]
    lines += [f"- {v}" for v in vocabulary(d, lang)]
    lines += ["", f"## {msg('h.columns', lang)}", ""]
    lines += _md_table([msg(k, lang) for k in ("col.input", "col.column", "col.category",
                                               "col.method", "col.confidence", "col.valid",
                                               "col.detected", "col.sample")],
                       [[_md(c["input"]), _md(c["column"]), column_category(c, lang),
                         c["method"] + (f" ({msg('embedded', lang)})" if c.get("embedded")
                                        else ""),
                         c["confidence"], c["valid"], c["detected"],
                         ", ".join(_md(s) for s in c["sample"])]
                        for c in d["columns"]])
    lines += ["", f"## {msg('h.inputs', lang)}", ""]
    lines += _md_table([msg(k, lang) for k in ("col.path", "col.format", "col.rows",
                                               "col.rejected", "col.bytes")]
                       + ["sha256", msg("col.error", lang)],
                       [[_md(i["path"]), i["format"], i["rows"], i["rows_rejected"],
                         i["bytes"], f"`{i['sha256']}`", _md(i.get("error", ""))]
                        for i in d["inputs"]])
    if d.get("evidence"):
        lines += ["", f"## {msg('h.evidence', lang)}", ""]
        lines += _md_table([msg(k, lang) for k in ("col.kind", "col.path", "col.format",
                                                   "col.rows")] + ["sha256"],
                           [[k, _md(v["path"]), v["format"], v["rows"], f"`{v['sha256']}`"]
                            for k, v in d["evidence"].items()])
    lines += ["", f"## {msg('h.options', lang)}", ""]
    lines += _md_table([msg("col.option", lang), msg("col.value", lang)],
                       [[k, _md(v)] for k, v in option_rows(d["options"])])
    lines += ["", f"## {msg('h.warnings', lang)}", ""]
    lines += [f"- {_md(w)}" for w in d["warnings"]] or [msg("none", lang)]
    lines += ["", f"## {msg('h.method', lang)}", "",
              msg("method.values", lang, dedup=d["options"]["dedup"],
                  scope=d["options"]["scope"]), ""]
    lines += ["- " + msg("method.ruleset", lang, id=f"**{a['ruleset']}**",
                         version=a.get("version", ""), sha256=f"`{a.get('sha256', '')}`",
                         citation=a["citation"]) for a in d["assessments"]]
    lines += ["", f"## {msg('h.provenance', lang)}", ""]
    lines += _provenance_md(d, lang)
    lines += ["", f"_{msg('estimate.short', lang)}_", ""]
    return "\n".join(lines)


def _provenance_md(d: dict, lang: str) -> list[str]:
    p = d.get("provenance", {})
    out = [msg("prov.libraries", lang), ""]
    out += _md_table([msg("col.library", lang), msg("col.version", lang)],
                     [["Python", p.get("python", "")]]
                     + [[k, v or "-"] for k, v in p.get("libraries", {}).items()])
    out += ["", msg("prov.categorizers", lang), ""]
    out += _md_table([msg("col.category", lang), msg("col.origin", lang)],
                     [[c["id"], categorizer_origin(c, lang)] for c in p.get("categorizers", [])
                      if c.get("used")])
    line = validation_line(d, lang)
    out += ["", _md(line)] if line else []
    rows = not_read_rows(d, lang)
    out += ["", f"### {msg('h.not_read', lang)}", ""]
    out += (_md_table([msg("col.path", lang), msg("col.reason", lang)],
                      [[_md(path), _md(why)] for path, why in rows]) if rows
            else [msg("none", lang)])
    return out

