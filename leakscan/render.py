"""Human-readable views of the report dictionary: a terminal table and Markdown.

Both render the ``to_dict()`` document, so they can never show a figure the JSON does not
hold. Values appear only as the masked samples the report already carries.
"""

from __future__ import annotations


def _fmt(n) -> str:
    return f"{n:,}" if isinstance(n, int) else str(n)


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


def _level_line(a: dict) -> str:
    return f"{a['ruleset']}: {a['level'].upper()}  (score {a['score_exact']} = {a['score']:g})"


def render_table(d: dict) -> str:
    r, t = d["records"], d["tiers"]
    lines = [f"leakscan {d['tool']['version']}  ·  {len(d['inputs'])} input(s)  ·  "
             f"dedup={d['options']['dedup']} scope={d['options']['scope']}"
             f"{' insider' if d['options']['insider'] else ''}", ""]
    lines.append(f"Records: {r['total']:,} rows, {r['with_personal_info']:,} with personal "
                 f"information, {r['duplicates']:,} duplicates, {r['unique']:,} unique")
    lines.append(f"Tiers:   A {t['A']:,}   B {t['B']:,}   C {t['C']:,}      "
                 f"Persons (estimated): {d['subjects']['estimated']:,}")
    lines.append("")
    rows = [[cid, c["class"], c["tier"], c["detected"], c["valid"], c["unique"], c["records"]]
            for cid, c in d["categories"].items()]
    lines += _grid(["category", "class", "tier", "detected", "valid", "unique", "records"],
                   rows, "lllrrrr")
    lines.append("")
    for a in d["assessments"]:
        lines.append(_level_line(a))
        lines.append(f"  basis: {a['basis']}")
        for alt in a["alternatives"]:
            lines.append(f"  alternative {alt.get('id', alt['reading'])}: "
                         f"{alt['level'].upper()}  (score "
                         f"{alt.get('score_exact', alt['score'])} = {alt['score']:g})"
                         f"{'  CHANGES THE LEVEL' if alt.get('changes_level') else ''}")
            if alt.get("changes_level"):
                lines.append(f"    {alt['reading']}; counts: " + ", ".join(
                    f"{k} {v:,}" for k, v in alt["counts_used"].items()))
                lines.append(f"    basis: {alt['basis']}")
        lines += [f"  flag: {x}" for x in a.get("flags", [])]
        lines += [f"  not assessed: {x}" for x in a.get("not_assessed", [])]

    if any(i.get("error") for i in d["inputs"]):
        lines.append("")
        lines.append("Inputs that could not be read:")
        lines += [f"  {i['path']}: {i['error']}" for i in d["inputs"] if i.get("error")]
    if d["warnings"]:
        lines.append("")
        lines.append(f"Warnings ({len(d['warnings'])}):")
        lines += [f"  - {w}" for w in d["warnings"]]
    lines.append("")
    lines.append("An estimate for assessment, not a legal conclusion.")
    return "\n".join(lines) + "\n"


def _md_table(headers: list[str], rows: list[list]) -> list[str]:
    esc = [[_fmt(c).replace("|", "\\|") for c in r] for r in rows]
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(r) + " |" for r in esc]
    return out


def render_markdown(d: dict) -> str:
    r, t = d["records"], d["tiers"]
    lines = ["# leakscan report", "",
             f"Generated {d['generated_at']} by leakscan {d['tool']['version']}; options: "
             + ", ".join(f"`{k}={v}`" for k, v in d["options"].items()), "",
             "## Assessment", ""]
    lines += _md_table(["ruleset", "level", "score", "basis"],
                       [[a["ruleset"], f"**{a['level']}**", a["score_exact"], a["basis"]]
                        for a in d["assessments"]])
    flagged = [(a, x) for a in d["assessments"] for x in a.get("flags", [])]
    if flagged:
        lines += ["", "### Flags", ""] + [f"- **{a['ruleset']}**: {x}" for a, x in flagged]
    skipped = [(a, x) for a in d["assessments"] for x in a.get("not_assessed", [])]
    if skipped:
        lines += ["", "### Not assessed", "",
                  "These items do not depend on the counts, or need facts the data does not "
                  "hold:", ""] + [f"- **{a['ruleset']}**: {x}" for a, x in skipped]
    alts = [(a, alt) for a in d["assessments"] for alt in a["alternatives"]]
    if alts:
        lines += ["", "### Alternative readings", "",
                  "Where courts disagree on a class, the level under each other reading:", ""]
        lines += _md_table(["ruleset", "reading", "basis", "counts used", "score", "level",
                            "changes the level"],
                           [[a["ruleset"], alt["reading"], alt["basis"],
                             ", ".join(f"{k} {v:,}" for k, v in alt["counts_used"].items()),
                             alt.get("score_exact", alt["score"]), f"**{alt['level']}**",
                             "yes" if alt.get("changes_level") else "no"]
                            for a, alt in alts])
    lines += ["", "Counts each ruleset read: " + "; ".join(
        f"{a['ruleset']} ({a['unit']}): " + ", ".join(f"{k} {v:,}" for k, v in
                                                    a["counts_used"].items())
        for a in d["assessments"])]
    lines += ["", "## Records", ""]
    lines += _md_table(["total rows", "with personal information", "duplicates", "unique",
                        "tier A", "tier B", "tier C", "persons (estimated)"],
                       [[r["total"], r["with_personal_info"], r["duplicates"], r["unique"],
                         t["A"], t["B"], t["C"], d["subjects"]["estimated"]]])
    lines += ["", "## Categories", ""]
    lines += _md_table(["category", "class", "tier", "detected", "valid", "unique", "records"],
                       [[cid, c["class"], c["tier"], c["detected"], c["valid"], c["unique"],
                         c["records"]] for cid, c in d["categories"].items()])
    lines += ["", "## Columns", ""]
    lines += _md_table(["input", "column", "category", "method", "confidence", "valid / detected",
                        "sample (masked)"],
                       [[c["input"], c["column"], c["category"],
                         c["method"] + (" (inside free text)" if c.get("embedded") else ""),
                         c["confidence"],
                         f"{c['valid']:,} / {c['detected']:,}", ", ".join(c["sample"])]
                        for c in d["columns"]])
    lines += ["", "## Inputs", ""]
    lines += _md_table(["path", "format", "rows", "rejected", "bytes", "sha256", "error"],
                       [[i["path"], i["format"], i["rows"], i["rows_rejected"], i["bytes"],
                         f"`{i['sha256']}`", i.get("error", "")] for i in d["inputs"]])
    if d.get("evidence"):
        lines += ["", "## Evidence files", ""]
        lines += _md_table(["kind", "path", "format", "rows", "sha256"],
                           [[k, v["path"], v["format"], v["rows"], f"`{v['sha256']}`"]
                            for k, v in d["evidence"].items()])
    lines += ["", "## Warnings", ""] + ([f"- {w}" for w in d["warnings"]] or ["None."])
    lines += ["", "## Method and citations", "",
              "Counting rules: see leakscan's `docs/counting.md`. " + d["subjects"]["method"], ""]
    lines += [f"- **{a['ruleset']}** ({a['title']}; version {a.get('version', '')}, sha256 "
              f"`{a.get('sha256', '')}`): {a['citation']}" for a in d["assessments"]]
    lines += ["", "_This is an estimate for assessment, not a legal conclusion._", ""]
    return "\n".join(lines)
