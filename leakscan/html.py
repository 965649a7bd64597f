"""The report as one self-contained HTML page (``--format html``).

Like ``render.py``, it renders the ``to_dict()`` document, so it shows nothing the JSON does
not hold; values appear only as the masked samples the report carries. The page has no
scripts, no external style sheets, fonts or images, and makes no network request: styles are
inline and the charts are inline SVG, so it opens the same from a case file on an offline
machine.
"""

from __future__ import annotations

from html import escape

ESTIMATE = ("This report is an estimate for assessment, not a legal conclusion. The counts "
            "follow the rules stated under Method; the levels are what the thresholds of each "
            "ruleset give for those counts.")

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",
sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;
border-bottom:1px solid #ccc}h3{font-size:1.05rem;margin-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f2f2f2}
.estimate{border:2px solid #8a6d00;background:#fff8dc;padding:.6rem .9rem;margin:1rem 0}
.level{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;font-weight:600;
background:#e8e8e8}.level.hit{background:#b3261e;color:#fff}
.card{border:1px solid #ccc;border-radius:.4rem;padding:.6rem 1rem;margin:.8rem 0}
code{font-size:.85em;word-break:break-all}.muted{color:#555;font-size:.9rem}
"""

BAR_W, ROW_H, LABEL_W = 560, 34, 130


def _e(x) -> str:
    return escape(str(x), quote=True)


def _n(x) -> str:
    return f"{x:,}" if isinstance(x, int) else _e(x)


def _table(headers: list[str], rows: list[list], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="n">{_n(c)}</td>' if k in numeric else f"<td>{_e(c)}</td>"
                         for k, c in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _chart(a: dict) -> str:
    """Inline SVG: per count the ruleset reads, a bar against each level's threshold."""
    keys = list(a["counts_used"])
    levels = list(a["thresholds"])
    height = ROW_H * len(keys) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{LABEL_W + BAR_W + 90}"'
             f' height="{height}" aria-label="{_e(a["ruleset"])}: counts against thresholds">',
             f"<title>{_e(a['ruleset'])}: counts against thresholds</title>"]
    for r, key in enumerate(keys):
        count = a["counts_used"][key]
        marks = [(lv, a["thresholds"][lv].get(key)) for lv in levels
                 if a["thresholds"][lv].get(key) is not None]
        top = max([count] + [t for _, t in marks] + [1]) * 1.05
        y = 10 + r * ROW_H
        w = BAR_W * count / top
        label = f"tier {key}" if key in ("A", "B", "C") else key.replace("_", " ")
        parts.append(f'<text x="0" y="{y + 16}" font-size="13">{_e(label)}</text>')
        parts.append(f'<rect x="{LABEL_W}" y="{y + 4}" width="{BAR_W}" height="16" '
                     f'fill="#eee"/>')
        parts.append(f'<rect x="{LABEL_W}" y="{y + 4}" width="{w:.1f}" height="16" '
                     f'fill="#3b6ea5"><title>{_e(label)}: {count:,}</title></rect>')
        parts.append(f'<text x="{LABEL_W + BAR_W + 6}" y="{y + 16}" font-size="12">'
                     f"{count:,}</text>")
        for k, (lv, t) in enumerate(marks):
            x = LABEL_W + BAR_W * t / top
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y}" y2="{y + 24}" '
                         f'stroke="#b3261e" stroke-width="2"><title>{_e(lv)}: '
                         f"{_n(t)}</title></line>")
            parts.append(f'<text x="{x:.1f}" y="{y + 33 if k % 2 else y + 1}" font-size="9" '
                         f'text-anchor="middle" fill="#b3261e">{_n(t)}</text>')
    parts.append(f'<text x="{LABEL_W}" y="{height - 2}" font-size="10" fill="#555">bars: '
                 f"counts; red marks: thresholds of each level (each row on its own scale)"
                 f"</text></svg>")
    return "".join(parts)


def render_html(d: dict) -> str:
    r, t = d["records"], d["tiers"]
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           # No network: forbid every fetch, allow only the inline style.
           '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
           'style-src \'unsafe-inline\'; img-src data:">',
           f"<title>leakscan report {_e(d['generated_at'])}</title>",
           f"<style>{CSS}</style></head><body>",
           "<h1>leakscan report</h1>",
           f'<p class="muted">Generated {_e(d["generated_at"])} by leakscan '
           f"{_e(d['tool']['version'])} (report schema <code>{_e(d['schema'])}</code>).</p>",
           f'<p class="estimate" id="estimate"><strong>{_e(ESTIMATE)}</strong></p>',
           "<h2>Assessment</h2>"]
    for a in d["assessments"]:
        hit = a["level"] != "none"
        out.append(f'<div class="card"><h3>{_e(a["ruleset"])}: <span class="level'
                   f'{" hit" if hit else ""}">{_e(a.get("level_name", a["level"]))}</span></h3>')
        out.append(f'<p class="muted">{_e(a["title"])}</p>')
        unit = "items (unique records)" if a["unit"] == "items" else "persons (estimated)"
        out.append(f"<p>Counts {_e(unit)}; score {_e(a.get('score_exact', a['score']))} "
                   f"(= {a['score']:g}) against the first level.<br>Basis: {_e(a['basis'])}</p>")
        if a.get("income_thresholds"):
            inc = a.get("illegal_income")
            out.append(f"<p>Illegal income: {'not given' if inc is None else _n(inc) + ' CNY'}"
                       f"; thresholds " + ", ".join(f"{_e(lv)} {_n(v)} CNY" for lv, v in
                                                   a["income_thresholds"].items()) + "</p>")
        out.append(_chart(a))
        if a["alternatives"]:
            out.append("<p><strong>Alternative readings</strong> (where courts disagree):</p>")
            out.append(_table(
                ["reading", "basis", "counts used", "score", "level", "changes the level"],
                [[alt["reading"], alt["basis"],
                  ", ".join(f"{k} {v:,}" for k, v in alt["counts_used"].items()),
                  alt.get("score_exact", alt["score"]), alt.get("level_name", alt["level"]),
                  "yes" if alt.get("changes_level") else "no"]
                 for alt in a["alternatives"]]))
        if a.get("flags"):
            out.append("<p><strong>Flags</strong></p><ul>" + "".join(
                f"<li>{_e(x)}</li>" for x in a["flags"]) + "</ul>")
        if a.get("not_assessed"):
            out.append("<p><strong>Not assessed</strong></p><ul>" + "".join(
                f"<li>{_e(x)}</li>" for x in a["not_assessed"]) + "</ul>")
        out.append("</div>")
    out.append("<h2>Records</h2>")
    out.append(_table(["total rows", "with personal information", "duplicates", "unique",
                       "tier A", "tier B", "tier C", "persons (estimated)"],
                      [[r["total"], r["with_personal_info"], r["duplicates"], r["unique"],
                        t["A"], t["B"], t["C"], d["subjects"]["estimated"]]],
                      set(range(8))))
    out.append("<h2>Categories</h2>")
    out.append(_table(["category", "class", "tier", "detected", "valid", "unique", "records"],
                      [[cid, c["class"], c["tier"], c["detected"], c["valid"], c["unique"],
                        c["records"]] for cid, c in d["categories"].items()], {3, 4, 5, 6}))
    out.append("<h2>Columns</h2>")
    out.append(_table(["input", "column", "category", "method", "confidence", "detected",
                       "valid", "sample (masked)"],
                      [[c["input"], c["column"], c["category"], c["method"], c["confidence"],
                        c["detected"], c["valid"], ", ".join(c["sample"])]
                       for c in d["columns"]], {5, 6}))
    out.append("<h2>Inputs</h2>")
    out.append(_table(["path", "format", "encoding", "rows", "rejected", "bytes", "sha256",
                       "error"],
                      [[i["path"], i["format"], i.get("encoding") or "", i["rows"],
                        i["rows_rejected"], i["bytes"], i["sha256"], i.get("error", "")]
                       for i in d["inputs"]], {3, 4, 5}))
    o = d["options"]
    out.append("<h2>Options</h2>")
    out.append(_table(["option", "value"],
                      [[k, v if not isinstance(v, list | dict) else _opt(v)]
                       for k, v in o.items()]))
    if d.get("evidence"):
        out.append("<h2>Evidence files</h2>")
        out.append(_table(["kind", "path", "format", "rows", "sha256"],
                          [[k, v["path"], v["format"], v["rows"], v["sha256"]]
                           for k, v in d["evidence"].items()], {3}))
    out.append("<h2>Warnings</h2>")
    if d["warnings"]:
        out.append("<ul>" + "".join(f"<li>{_e(w)}</li>" for w in d["warnings"]) + "</ul>")
    else:
        out.append("<p>None.</p>")
    out.append("<h2>Method and citations</h2>")
    out.append("<p>A value counts only if it is valid (checksums, calendars, numbering plans) "
               "and is compared after normalisation. A record is one data row; it is personal "
               "information when it holds a valid identifying value, and its tier is the most "
               f"sensitive tier among its valid values. Duplicates: <code>dedup="
               f"{_e(o['dedup'])}</code>, <code>scope={_e(o['scope'])}</code>. Persons: "
               f"{_e(d['subjects']['method'])} The full rules are in leakscan's "
               "<code>docs/counting.md</code>.</p>")
    out.append("<ul>" + "".join(
        f"<li><strong>{_e(a['ruleset'])}</strong> (version {_e(a.get('version', ''))}, "
        f"sha256 <code>{_e(a.get('sha256', ''))}</code>): {_e(a['citation'])}</li>"
        for a in d["assessments"]) + "</ul>")
    out.append(f'<p class="estimate"><strong>{_e(ESTIMATE)}</strong></p>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _opt(v) -> str:
    if isinstance(v, dict):
        return ", ".join(f"{k}={x}" for k, x in v.items())
    return "; ".join(_opt(x) if isinstance(x, dict) else str(x) for x in v)
