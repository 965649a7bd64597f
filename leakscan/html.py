"""The report as one self-contained HTML page (``--format html``).

Like ``render.py``, it renders the ``to_dict()`` document, so it shows nothing the JSON does
not hold; values appear only as the masked samples the report carries. The page has no
scripts, no external style sheets, fonts or images, and makes no network request: styles are
inline and the charts are inline SVG, so it opens the same from a case file on an offline
machine. It opens with the verdict line; every table fits the page (long cells such as hashes
wrap), and each chart scales down to the page's width.
"""

from __future__ import annotations

from fractions import Fraction
from html import escape

from . import inert
from .messages import msg
from .present import (
    column_category,
    decimal,
    law_name,
    level_label,
    num,
    option_rows,
    score_text,
    terms,
    verdict,
)
from .render import (
    categorizer_origin,
    category_rows,
    masked_lines,
    not_read_rows,
    per_input_rows,
    validation_line,
    verification_lines,
    vocabulary,
)

ESTIMATE = msg("estimate", "en")

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",
sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;
border-bottom:1px solid #ccc}h3{font-size:1.05rem;margin-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem;max-width:100%}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top;
overflow-wrap:anywhere}
td.n{text-align:right;font-variant-numeric:tabular-nums;overflow-wrap:normal}
th{background:#f2f2f2;overflow-wrap:normal}td.nw{white-space:pre;overflow-wrap:normal}
.verdict{font-size:1.15rem;font-weight:600;border-left:6px solid #b3261e;background:#fbeeed;
padding:.7rem 1rem;margin:1rem 0}
.estimate{border:2px solid #8a6d00;background:#fff8dc;padding:.6rem .9rem;margin:1rem 0}
.level{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;font-weight:600;
background:#e8e8e8}.level.hit{background:#b3261e;color:#fff}
.card{border:1px solid #ccc;border-radius:.4rem;padding:.6rem 1rem;margin:.8rem 0}
code{font-size:.85em;overflow-wrap:anywhere;word-break:break-all}
.muted{color:#555;font-size:.9rem}svg{max-width:100%;height:auto;display:block}
"""

#: Chart geometry (SVG user units; the chart scales down to the page, never up).
LABEL_W, BAR_W, VALUE_W, ROW_H = 230, 560, 110, 64
COLORS = ("#b3261e", "#6a1b9a", "#00695c")


def _e(x) -> str:
    return escape(str(x), quote=True)


def _n(x) -> str:
    return num(x) if isinstance(x, int | float) and not isinstance(x, bool) else _e(x)


def _table(headers: list[str], rows: list[list], numeric: set[int] = frozenset(),
           nowrap: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="n">{_n(c)}</td>' if k in numeric
                         else f'<td class="nw">{_e(c)}</td>' if k in nowrap
                         else f"<td>{_e(c)}</td>" for k, c in enumerate(r)) + "</tr>"
        for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _hash(h: str) -> str:
    """A hash in a cell: shown whole and allowed to wrap, its full value also on hover."""
    return f'<code title="{_e(h)}">{_e(h)}</code>'


def _row(parts: list[str], y: float, label: str, value: float, shown: str, top: float,
         marks: list[tuple[str, float, str]], color: str = "#3b6ea5") -> None:
    """One bar of the chart: ``value`` on a scale to ``top``, with a named mark per level."""
    w = BAR_W * min(value / top, 1.0) if top else 0
    lines = _wrap(label, 24)
    first_y = y + 30 - 9 * (len(lines) - 1)
    parts.append(f'<text x="0" y="{first_y}" font-size="15">' + "".join(
        f'<tspan x="0" dy="{0 if k == 0 else 18}">{_e(ln)}</tspan>'
        for k, ln in enumerate(lines)) + "</text>")
    parts.append(f'<rect x="{LABEL_W}" y="{y + 16}" width="{BAR_W}" height="20" fill="#eee"/>')
    parts.append(f'<rect x="{LABEL_W}" y="{y + 16}" width="{w:.1f}" height="20" '
                 f'fill="{color}"><title>{_e(label)}: {_e(shown)}</title></rect>')
    parts.append(f'<text x="{LABEL_W + BAR_W + 8}" y="{y + 31}" font-size="15" '
                 f'font-weight="600">{_e(shown)}</text>')
    for k, (name, at, text) in enumerate(marks):
        x = LABEL_W + BAR_W * at / top
        c = COLORS[k % len(COLORS)]
        caption = f"{name} {text}"
        # keep the caption over the bar: centred on its mark, shifted in at either end
        half = _text_width(caption, 12) / 2
        tx = min(max(x, LABEL_W + half), LABEL_W + BAR_W - half)
        ty = y + 11 if k % 2 == 0 else y + 54
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y + 12}" y2="{y + 40}" '
                     f'stroke="{c}" stroke-width="2.5"><title>{_e(name)}: {_e(text)}</title>'
                     f"</line>")
        parts.append(f'<text x="{tx:.1f}" y="{ty}" font-size="12" text-anchor="middle" '
                     f'fill="{c}">{_e(caption)}</text>')


def _text_width(text: str, size: float) -> float:
    """Rough rendered width: CJK characters are square, Latin ones about 0.55 em."""
    import unicodedata

    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.56
               for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    """Split a row label into lines of at most ``width`` display cells, at spaces."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and _text_width(f"{line} {word}", 1) > width * 0.56:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line] if line else lines or [text]


def _chart(a: dict, lang: str) -> str:
    """Inline SVG: each count against the threshold of every level (named), and, for a ratio
    ruleset, the sum of the ratios as its own bar against each level's multiple of 1."""
    levels = list(a["thresholds"])
    names = {lv["id"]: lv["name"] for lv in a.get("levels", [])}
    keys = list(a["counts_used"])
    ratio = a.get("unit", "items") == "items"
    rows = len(keys) + (1 if ratio else 0)
    height = ROW_H * rows + 10
    width = LABEL_W + BAR_W + VALUE_W
    title = msg("chart.title", lang, ruleset=a["ruleset"])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" aria-label="{_e(title)}">',
             f"<title>{_e(title)}</title>"]
    from .present import key_label

    for r, key in enumerate(keys):
        count = a["counts_used"][key]
        marks = [(level_label(names.get(lv, lv), lang), a["thresholds"][lv][key],
                  num(a["thresholds"][lv][key])) for lv in levels
                 if a["thresholds"][lv].get(key) is not None]
        top = max([count] + [t for _, t, _ in marks] + [1]) * 1.08
        _row(parts, r * ROW_H, f"{key_label(key, lang)}", count, num(count), top, marks)
    if ratio:
        first = a["thresholds"][levels[0]]
        _, total = terms(a)
        anchor_key = next(iter(first))
        marks = [(level_label(names.get(lv, lv), lang),
                  float(Fraction(a["thresholds"][lv][anchor_key]) / Fraction(first[anchor_key])),
                  f"× {num(Fraction(a['thresholds'][lv][anchor_key]) / Fraction(first[anchor_key]))}")
                 for lv in levels]
        top = max([float(total)] + [m[1] for m in marks]) * 1.08
        _row(parts, len(keys) * ROW_H, msg("chart.ratio", lang), float(total), decimal(total),
             top, marks, "#8a6d00")
    parts.append("</svg>")
    return "".join(parts) + f'<p class="muted">{_e(msg("chart.legend", lang))}</p>'



def render_html(d: dict, lang: str = "en") -> str:
    d = inert.document(d, inert.terminal)  # control characters visible, then html.escape
    r, t = d["records"], d["tiers"]
    h = {k: _e(msg(k, lang)) for k in ("h.assessment", "h.records", "h.per_input",
                                       "h.categories", "h.vocabulary", "h.columns", "h.inputs",
                                       "h.options", "h.evidence", "h.warnings", "h.method",
                                       "h.provenance", "h.not_read", "h.alternatives")}
    estimate = _e(msg("estimate", lang))
    out = ["<!DOCTYPE html>", f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
           '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           # No network: forbid every fetch, allow only the inline style.
           '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
           'style-src \'unsafe-inline\'; img-src data:">',
           f"<title>{_e(msg('title', lang))} {_e(d['generated_at'])}</title>",
           f"<style>{CSS}</style></head><body>",
           f"<h1>{_e(msg('title', lang))}</h1>",
           f'<p class="verdict" id="verdict">{_e(verdict(d, lang))}</p>',
           '<p class="muted">' + _e(msg("generated", lang, when=d["generated_at"],
                                        version=d["tool"]["version"], schema=d["schema"]))
           + "</p>",
           f'<p class="estimate" id="estimate"><strong>{estimate}</strong></p>',
           f"<h2>{h['h.assessment']}</h2>"]
    for a in d["assessments"]:
        hit = a["level"] != "none"
        out.append(f'<div class="card"><h3>{_e(law_name(a))} ({_e(a["ruleset"])}): '
                   f'<span class="level{" hit" if hit else ""}">'
                   f'{_e(level_label(a.get("level_name"), lang))}</span></h3>')
        out.append(f'<p class="muted">{_e(a["title"])}</p>')
        out.append(f"<p>{_e(msg('unit.' + a['unit'], lang))} {_e(msg('col.score', lang))}: "
                   f"{_e(score_text(a, lang))}.<br>{_e(msg('col.basis', lang))}: "
                   f"{_e(a['basis'])}</p>")
        if a.get("income_thresholds"):
            inc = a.get("illegal_income")
            out.append("<p>" + _e(msg(
                "income.line", lang,
                income=msg("income.not_given", lang) if inc is None else f"{num(inc)} CNY",
                thresholds=", ".join(f"{level_label(_name(a, lv), lang)} {num(v)} CNY"
                                     for lv, v in a["income_thresholds"].items()))) + "</p>")
        out.append(_chart(a, lang))
        if a["alternatives"]:
            out.append(f"<p><strong>{h['h.alternatives']}</strong> "
                       f"{_e(msg('alternatives.intro', lang))}</p>")
            out.append(_table(
                [msg(k, lang) for k in ("col.reading", "col.basis", "col.counts_used",
                                        "col.score", "col.level", "col.changes_level")],
                [[alt["reading"], alt["basis"],
                  "\n".join(f"{k} {num(v)}" for k, v in alt["counts_used"].items()),
                  score_text(a, lang, alt["counts_used"]),
                  level_label(alt.get("level_name"), lang),
                  msg("yes" if alt.get("changes_level") else "no", lang)]
                 for alt in a["alternatives"]], nowrap={2, 4, 5}))
        if a.get("flags"):
            out.append(f"<p><strong>{_e(msg('h.flags', lang))}</strong></p><ul>" + "".join(
                f"<li>{_e(x)}</li>" for x in a["flags"]) + "</ul>")
        if a.get("not_assessed"):
            out.append(f"<p><strong>{_e(msg('h.not_assessed', lang))}</strong></p><ul>" + "".join(
                f"<li>{_e(x)}</li>" for x in a["not_assessed"]) + "</ul>")
        out.append("</div>")
    if d.get("verification"):  # the text is escaped here, once
        head, *rest = verification_lines(d, lang, esc=str)
        out.append(f"<h2>{_e(msg('h.verification', lang))}</h2><p>{_e(head)}</p>"
                   f"<p class=\"muted\">{_e(msg('verify.method', lang))}</p><ul>"
                   + "".join(f"<li>{_e(x.strip())}</li>" for x in rest) + "</ul>")
    out.append(f"<h2>{h['h.records']}</h2>")
    out.append(_table([msg(k, lang) for k in ("col.total_rows", "col.with_pi", "col.duplicates",
                                              "col.unique", "col.tier_a", "col.tier_b",
                                              "col.tier_c", "col.persons")],
                      [[r["total"], r["with_personal_info"], r["duplicates"], r["unique"],
                        t["A"], t["B"], t["C"], d["subjects"]["estimated"]]],
                      set(range(8))))
    out += [f"<p>{_e(line)}</p>" for line in masked_lines(d, lang)]
    out.append(f"<h2>{h['h.per_input']}</h2>")
    out.append(_table(*per_input_rows(d, lang, str), set(range(1, 8))))
    out.append(f"<h2>{h['h.categories']}</h2>")
    heads, rows = category_rows(d, lang)
    out.append(_table(heads, rows, set(range(3, len(heads)))))
    out.append(f"<h2>{h['h.vocabulary']}</h2>")
    out.append("<ul>" + "".join(f"<li>{_e(v)}</li>" for v in vocabulary(d, lang)) + "</ul>")
    out.append(f"<h2>{h['h.columns']}</h2>")
    out.append(_table([msg(k, lang) for k in ("col.input", "col.column", "col.category",
                                              "col.method", "col.confidence", "col.detected",
                                              "col.valid", "col.sample")],
                      [[c["input"], c["column"], column_category(c, lang),
                        c["method"] + (f" ({msg('embedded', lang)})" if c.get("embedded")
                                       else ""),
                        c["confidence"], c["detected"], c["valid"], ", ".join(c["sample"])]
                       for c in d["columns"]], {5, 6}))
    out.append(f"<h2>{h['h.inputs']}</h2>")
    heads = [msg(k, lang) for k in ("col.path", "col.format", "col.encoding", "col.rows",
                                    "col.rejected", "col.bytes")] + ["sha256",
                                                                     msg("col.error", lang)]
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(x)}</td>" for x in (i["path"], i["format"],
                                                       i.get("encoding") or "-"))
        + "".join(f'<td class="n">{_n(x)}</td>' for x in (i["rows"], i["rows_rejected"],
                                                          i["bytes"]))
        + f"<td>{_hash(i['sha256'])}</td><td>{_e(i.get('error', ''))}</td></tr>"
        for i in d["inputs"])
    out.append("<table><thead><tr>" + "".join(f"<th>{_e(x)}</th>" for x in heads)
               + f"</tr></thead><tbody>{body}</tbody></table>")
    out.append(f"<h2>{h['h.options']}</h2>")
    out.append(_table([msg("col.option", lang), msg("col.value", lang)],
                      option_rows(d["options"])))
    if d.get("evidence"):
        out.append(f"<h2>{h['h.evidence']}</h2>")
        out.append("<table><thead><tr>" + "".join(
            f"<th>{_e(msg(k, lang))}</th>" for k in ("col.kind", "col.path", "col.format",
                                                     "col.rows")) + "<th>sha256</th></tr>"
            "</thead><tbody>" + "".join(
                f"<tr><td>{_e(k)}</td><td>{_e(v['path'])}</td><td>{_e(v['format'])}</td>"
                f'<td class="n">{_n(v["rows"])}</td><td>{_hash(v["sha256"])}</td></tr>'
                for k, v in d["evidence"].items()) + "</tbody></table>")
    out.append(f"<h2>{h['h.warnings']}</h2>")
    if d["warnings"]:
        out.append("<ul>" + "".join(f"<li>{_e(w)}</li>" for w in d["warnings"]) + "</ul>")
    else:
        out.append(f"<p>{_e(msg('none', lang))}</p>")
    out.append(f"<h2>{h['h.method']}</h2>")
    o = d["options"]
    out.append(f"<p>{_e(msg('method.values', lang, dedup=o['dedup'], scope=o['scope']))}</p>")
    out.append("<ul>" + "".join(
        "<li>" + _e(msg("method.ruleset", lang, id=a["ruleset"], version=a.get("version", ""),
                        sha256=a.get("sha256", ""), citation=a["citation"])) + "</li>"
        for a in d["assessments"]) + "</ul>")
    out.append(f"<h2>{h['h.provenance']}</h2>")
    p = d.get("provenance", {})
    out.append(f"<p>{_e(msg('prov.libraries', lang))}</p>")
    out.append(_table([msg("col.library", lang), msg("col.version", lang)],
                      [["Python", p.get("python", "")]]
                      + [[k, v or "-"] for k, v in p.get("libraries", {}).items()]))
    out.append(f"<p>{_e(msg('prov.categorizers', lang))}</p>")
    out.append(_table([msg("col.category", lang), msg("col.origin", lang)],
                      [[c["id"], categorizer_origin(c, lang)]
                       for c in p.get("categorizers", []) if c.get("used")]))
    line = validation_line(d, lang)
    if line:
        out.append(f"<p>{_e(line)}</p>")
    out.append(f"<h3>{h['h.not_read']}</h3>")
    rows = not_read_rows(d, lang)
    out.append(_table([msg("col.path", lang), msg("col.reason", lang)], [list(x) for x in rows])
               if rows else f"<p>{_e(msg('none', lang))}</p>")
    out.append(f'<p class="estimate"><strong>{estimate}</strong></p>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _name(a: dict, level: str) -> str:
    return next((lv["name"] for lv in a.get("levels", []) if lv["id"] == level), level)
