"""The scan report: the ``leakscan/report/v1`` document and views of it.

``Report.to_dict()`` is the contract of ``../shared/spec/report-v1.md``: field names and
meanings are fixed there; this module may add fields, never rename or drop one. Every list
is in a stable order (inputs as given, columns by input then position, categories by id) so
two runs over the same inputs give the same bytes but for ``generated_at``.
"""

from __future__ import annotations

import datetime
import json
import os
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from . import __version__, inert
from .damage import default_null_markers
from .errors import UsageError
from .evidence import income_fraction
from .interval import confidence_level

if TYPE_CHECKING:  # pragma: no cover
    import pandas

SCHEMA = "leakscan/report/v1"

#: Distributions whose code or data decides what is read and what is valid (``provenance``).
LIBRARIES = ("duckdb", "python-stdnum", "phonenumbers", "pyarrow", "pandas",
             "charset-normalizer", "python-calamine")

def subjects_method(registry) -> str:
    """How ``subjects.estimated`` was computed, naming the categories that link persons (those
    whose categorizer declares ``LINKS_PERSONS``, by their display names).

    >>> from leakscan.registry import default_registry
    >>> "Mainland China telephone number" in subjects_method(default_registry())
    True
    """
    names = [c.title for c in registry if c.links_persons]
    listed = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names)
    return (f"Unique personal-information records that share a normalised value of {listed} "
            f"are linked, transitively (connected components); each group is one person. "
            f"Records with none of these values count as one person each, so the figure is an "
            f"upper estimate where people appear only by other identifiers (name, address).")


SCOPE_ASSERTION = (
    "--scope input counts each input separately and adds the counts up (Fa Shi [2017] No. 10 "
    "Art. 11(2): 「向不同单位或者个人分别出售、提供同一公民个人信息的，公民个人信息的条数累计计算。」). "
    "That is the law only when each input is what went to one recipient: the examiner asserts "
    "it by choosing this scope; leakscan cannot know it from the data."
)


def _decisive(d: dict | None) -> dict | None:
    """The structured decisive item, JSON-ready (fractions as exact text and a number)."""
    if d is None:
        return None
    out = {k: v for k, v in d.items() if k not in ("terms", "count", "threshold")}
    out["count"] = _number(d["count"])
    out["threshold"] = _number(d["threshold"])
    if d.get("by") == "ratio":
        out["count_exact"] = str(d["count"])
    if "terms" in d:
        out["terms"] = _terms(d["terms"])
    return out


def _terms(terms: list[dict]) -> list[dict]:
    return [{"key": x["key"], "count": x["count"], "threshold": _number(x["threshold"]),
             "share": _number(x["share"]), "share_exact": str(x["share"]),
             "insider": x["insider"]} for x in terms]


def generated_at() -> str:
    """Now in UTC, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds convention)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        try:
            now = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
        except (OverflowError, OSError, ValueError):
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch[:30]} is not a time leakscan can "
                             f"write (seconds since 1970, before the year 10000)") from None
    else:
        now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


def _number(x: Fraction | int) -> int | float:
    """A JSON number: integers stay integers, other fractions become floats."""
    x = Fraction(x)
    return int(x) if x.denominator == 1 else float(x)


def masked_field(n: int, name: str = "masked") -> dict:
    """Additions to v1 for values the source hid in part (``categories.<id>.masked``,
    ``columns[].masked``, ``records.masked_only``: docs/counting.md Rule 1.7), present only
    where non-zero: a report of a source that hides nothing reads exactly as before, and an
    absent field means 0."""
    return {name: n} if n else {}


@dataclass
class Report:
    options: object
    inputs: list
    assignments: list
    samples: dict
    counts: object
    assessments: list
    registry: object
    rulesets: list
    warnings: list
    column_evidence: list = field(default_factory=list)  # for --explain, not in the JSON
    exported: dict = field(default_factory=dict)  # --evidence-out / --duplicates-out files
    reference_date: tuple | None = None  # (date, source): asof.resolve
    on_duty_inputs: list = field(default_factory=list)  # --insider-input: the inputs matched
    profiles: list = field(default_factory=list)  # layout profiles applied (profiles.py)
    per_input: dict = field(default_factory=dict)  # input index -> breakdown.input_breakdown
    header_only: dict = field(default_factory=dict)  # ruleset id -> without header-only columns
    not_read: list = field(default_factory=list)  # files under a directory that are not inputs
    verification: dict | None = None  # --verification: sampling.verification
    validation: dict | None = None  # kernels.register: which validation path ran
    engine: dict | None = None  # where the case-level stages ran (duckdb, or spark/run.py)

    # -- the JSON document -------------------------------------------------------------
    def to_dict(self) -> dict:
        c = self.counts
        doc = {
            "schema": SCHEMA,
            "tool": {"name": "leakscan", "version": __version__},
            "generated_at": generated_at(),
            "options": self._options(),
            "inputs": [self._input(i, inp) for i, inp in enumerate(self.inputs)],
            "columns": self._columns(),
            "categories": {
                cid: {"class": self.registry.get(cid).cls, "tier": self.registry.get(cid).tier,
                      "detected": cc.detected, "valid": cc.valid, "unique": cc.unique,
                      "records": cc.records} | masked_field(cc.masked)
                for cid, cc in sorted(c.categories.items()) if cc.detected
            },
            "records": {"total": c.total, "with_personal_info": c.with_personal_info,
                        "duplicates": c.duplicates, "unique": c.unique}
            | masked_field(c.masked_only, "masked_only"),
            "tiers": dict(c.tiers),
            "subjects": {"estimated": c.subjects, "method": subjects_method(self.registry)},
            "assessments": [self._assessment(a) for a in self.assessments],
            "warnings": list(self.warnings),
            # addition to v1: columns of organisation identifiers (e.g. unified social credit
            # codes), recognised and left out of every count above
            "excluded": self._columns(personal=False),
        }
        if self.exported:  # addition to v1: only when evidence files were written
            doc["evidence"] = self.exported
        if self.reference_date is not None:  # addition: the day "today" means (asof.py)
            day, source = self.reference_date
            doc["reference_date"] = {"date": day.isoformat(), "source": source}
        if self.verification is not None:  # addition: --verification (sampling.py)
            doc["verification"] = self.verification
        doc["provenance"] = self._provenance()  # addition to v1
        from .present import verdict

        # addition to v1: the one line a person can act on, in English (docs/report.md)
        doc["verdict"] = verdict(doc, "en")
        return doc

    def to_json(self) -> str:
        # Exact, but safe to print: controls, bidi overrides and lone surrogates from the input
        # become \u escapes that any JSON parser reads back as the same characters.
        return inert.json_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2)) + "\n"

    def _options(self) -> dict:
        o = self.options
        return {"dedup": o.dedup, "scope": o.scope, "insider": o.insider,
                "rulesets": [rs.id for rs in self.rulesets],
                "overrides": list(o.columns), "header": o.header,
                # additions to v1
                "illegal_income": (_number(income_fraction(o.illegal_income))
                                   if o.illegal_income is not None else None),
                "ruleset_files": [{"id": rs.id, "version": rs.version, "source": rs.source,
                                   "sha256": rs.sha256} for rs in self.rulesets],
                "evidence_out": o.evidence_out, "duplicates_out": o.duplicates_out,
                "unmasked": o.unmasked, "free_text": o.free_text,
                # reading options (docs/inputs.md): they decide which rows are read
                "encoding": o.encoding, "strict": o.strict, "include": list(o.include),
                "exclude": list(o.exclude), "follow_links": o.follow_links,
                "null_markers": list(default_null_markers() + tuple(o.null_markers)),
                # assessment options (docs/counting.md Rules 4.2, 6.4-6.9)
                "insider_input": list(o.insider_input),
                "insider_inputs_matched": list(self.on_duty_inputs),
                "lawful_business": (_number(Fraction(o.lawful_business))
                                    if o.lawful_business is not None else None),
                "as_of": o.as_of, "verification": o.verification,
                "confidence": (float(confidence_level(o.confidence or "0.95"))
                               if o.verification else None),
                # layout profiles applied: forced with --profile, or by header signature
                "profiles": list(self.profiles),
                "scope_assertion": SCOPE_ASSERTION if o.scope == "input" else None}

    def _input(self, i: int, inp) -> dict:
        d = {"path": inp.path, "sha256": inp.sha256, "bytes": inp.bytes, "format": inp.format,
             "encoding": inp.encoding, "rows": self.counts.rows_per_input[i],
             "rows_rejected": inp.rows_rejected}
        if inp.format != "parquet" and inp.columns:
            d["dialect"] = {"delimiter": inp.delimiter, "quote": inp.quote,
                            "header": inp.header}
        d.update(inp.report_extras())  # e.g. "archive" for a zip member or a sheet
        if i in self.per_input:  # addition to v1: what this input holds (breakdown.py)
            d["summary"] = self.per_input[i]
        if inp.error:
            d["error"] = inp.error
        return d

    def _columns(self, personal: bool = True) -> list[dict]:
        """``columns[]``; with ``personal=False``, the organisation-identifier columns."""
        index = {inp.path: i for i, inp in enumerate(self.inputs)}
        out = []
        for a in sorted(self.assignments, key=lambda a: (index[a.input], a.position)):
            i = index[a.input]
            if self.inputs[i].error or self.registry.get(a.category).personal != personal:
                continue
            detected, valid = self.counts.columns.get((i, a.position), (0, 0))
            out.append({"input": a.input, "column": a.column, "category": a.category,
                        "method": a.method, "confidence": a.confidence, "detected": detected,
                        "valid": valid, "sample": self.samples.get((a.input, a.column), []),
                        "embedded": False, "role": a.role, "position": a.position,
                        **self._mixed_fields(i, a)}
                       | masked_field(self.counts.masked_columns.get((i, a.position), 0)))
        if personal:
            out += self._embedded_columns(index)
        out.sort(key=lambda c: (index[c["input"]], c["position"], c["embedded"], c["category"]))
        for c in out:
            del c["position"]
        return out

    def _mixed_fields(self, i: int, a) -> dict:
        """Addition to v1 (``docs/report.md``): ``also``, the other categories found in the
        column, ``[{category, detected, valid}]`` (empty for a column of one category); for a
        mixed column ``category`` is the one most of its valid values belong to, in the full
        pass (``mixed.split``)."""
        main, others = self.counts.mixed.get((i, a.position), (a.category, []))
        return {"category": main, "also": [{"category": c, "detected": d, "valid": v}
                                            for c, d, v in others]}

    def _embedded_columns(self, index: dict) -> list[dict]:
        """Free-text columns, one entry per category found in them (method ``values``).

        Each embedded value is validated on its own, so ``confidence`` is 1.0: no share of a
        column is being extrapolated. ``detected`` counts the candidates of the category's
        shape, ``valid`` those that passed (additions: ``embedded``, always true here).
        """
        out = []
        for (i, j, cat), (detected, valid) in sorted(self.counts.embedded.items()):
            inp = self.inputs[i]
            if inp.error or not detected:
                continue
            column = inp.columns[j]
            out.append({"input": inp.path, "column": column, "category": cat,
                        "method": "values", "confidence": 1.0, "detected": detected,
                        "valid": valid, "sample": self.samples.get((inp.path, column, cat), []),
                        "embedded": True, "role": None, "position": j})
        return out

    def _assessment(self, a) -> dict:
        rs = a.ruleset
        d = {
            "ruleset": rs.id, "title": rs.title, "level": a.level,
            "score": round(float(a.score), 6), "counts_used": dict(a.counts_used),
            "thresholds": {lv: {t: _number(n) for t, n in th.items()}
                           for lv, th in a.thresholds.items()},
            "basis": a.basis, "citation": rs.citation, "unit": rs.unit,
            "alternatives": [self._alternative(alt) for alt in a.alternatives],
            # additions to v1
            "level_name": a.level_name, "score_exact": str(a.score), "insider": a.insider,
            "version": rs.version, "sha256": rs.sha256, "jurisdiction": rs.jurisdiction,
            "levels": [{"id": lv.id, "name": lv.name} for lv in rs.levels],
        }
        if a.income_thresholds:
            d["illegal_income"] = _number(a.illegal_income) if a.illegal_income is not None \
                else None
            d["income_thresholds"] = {lv: _number(n) for lv, n in a.income_thresholds.items()}
        if rs.unit == "persons" and rs.sensitive_categories:
            d["sensitive_categories"] = list(rs.sensitive_categories)
            d["sensitive_basis"] = rs.sensitive_basis
        if rs.notes:
            d["notes"] = rs.notes
        # additions: exactly what decided, the ratio sum's terms, what is flagged and what is
        # not assessed (docs/report.md)
        d["decisive"] = _decisive(a.decisive)
        d["terms"] = _terms(a.terms)
        d["flags"] = list(a.flags)
        d["not_assessed"] = list(a.not_assessed)
        if a.insider_counts:
            d["insider_counts"] = dict(a.insider_counts)
        if a.lawful_business is not None:
            lb = a.lawful_business
            d["lawful_business"] = {"profit": _number(lb["profit"]),
                                    "threshold": _number(lb["threshold"]),
                                    "tiers_excluded": lb["tiers"], "reached": lb["reached"],
                                    "basis": lb["basis"],
                                    "not_assessed": rs.lawful_business.get("not_assessed", "")}
        if a.extra_counts:
            d["extra_counts"] = dict(a.extra_counts)
        if rs.tiers:  # addition: what each tier holds, with its article
            d["tiers"] = dict(rs.tiers)
        if rs.id in self.header_only:  # addition: the level without header-only columns
            d["header_only"] = self.header_only[rs.id]
        return d

    def _provenance(self) -> dict:
        """What decided validity and reading: library versions (their data — numbering plans,
        checksum rules — decides what is valid), the categorizers with their origin, and every
        file under a directory that was not read, with the reason."""
        import platform
        from importlib.metadata import PackageNotFoundError, version

        libs = {}
        for name in LIBRARIES:
            try:
                libs[name] = version(name)
            except PackageNotFoundError:
                libs[name] = None
        used = {a.category for a in self.assignments} | {c for (_, _, c) in
                                                          self.counts.embedded}
        cats = [{"id": cat.id, "origin": "builtin" if cat.origin == "builtin" else "plugin",
                 "package": "leakscan" if cat.origin == "builtin" else cat.origin,
                 "module": cat.module.__name__, "used": cat.id in used}
                for cat in self.registry]
        not_read = list(self.not_read) + [
            {"path": inp.path, "reason": "unreadable", "error": inp.error}
            for inp in self.inputs if inp.error]
        out = {"python": platform.python_version(), "libraries": libs, "categorizers": cats,
               "not_read": not_read}
        if self.validation is not None:  # addition: compiled kernels or SQL (kernels.py)
            out["validation"] = dict(self.validation)
        if self.engine is not None:  # addition: the engine of the case-level stages
            out["engine"] = dict(self.engine)
        return out

    @staticmethod
    def _alternative(o) -> dict:
        return {"reading": o.alternative.reading, "basis": o.alternative.basis,
                "counts_used": dict(o.counts_used), "score": round(float(o.score), 6),
                "level": o.level,
                # additions to v1
                "id": o.alternative.id, "level_name": o.level_name,
                "score_exact": str(o.score), "level_basis": o.basis,
                "records_matching": o.matching, "records_reclassified": o.reclassified,
                "changes_level": o.changes_level, "decisive": _decisive(o.decisive),
                "notes": list(o.notes)}

    # -- views --------------------------------------------------------------------------
    def verdict(self, lang: str = "en") -> str:
        """The one-line verdict every format opens with."""
        from .present import verdict

        return verdict(self._doc(), lang)

    def to_markdown(self, lang: str = "en") -> str:
        from .render import render_markdown

        return render_markdown(self._doc(), lang)

    def to_html(self, lang: str = "en") -> str:
        """The self-contained HTML page of ``--format html``."""
        from .html import render_html

        return render_html(self._doc(), lang)

    def to_table(self, lang: str = "en") -> str:
        from .render import render_table

        return render_table(self._doc(), lang)

    def _doc(self) -> dict:
        if not hasattr(self, "_cached_doc"):
            self._cached_doc = self.to_dict()
        return self._cached_doc

    def __repr__(self) -> str:
        d = self._doc()
        levels = ", ".join(f"{a['ruleset']}={a['level']}" for a in d["assessments"])
        return (f"<leakscan.Report {len(d['inputs'])} input(s), {d['records']['unique']:,} "
                f"records, {d['subjects']['estimated']:,} persons; {levels}>")

    def _repr_markdown_(self) -> str:  # Jupyter
        return self.to_markdown()

    def _repr_html_(self) -> str:  # Jupyter: the page's body, without its document shell
        page = self.to_html()
        start = page.index("<body>") + len("<body>")
        style = page[page.index("<style>"):page.index("</style>") + len("</style>")]
        return f'<div class="leakscan-report">{style}{page[start:page.rindex("</body>")]}</div>'

    def columns_frame(self) -> pandas.DataFrame:
        """One row per column (and per category found inside a free-text column)."""
        import pandas as pd

        rows = [{**c, "sample": ", ".join(c["sample"])} for c in self._doc()["columns"]]
        return pd.DataFrame(rows)

    def inputs_frame(self) -> pandas.DataFrame:
        """One row per input: path, format, rows, hash, and what it holds (``summary``)."""
        import pandas as pd

        rows = []
        for i in self._doc()["inputs"]:
            s = i.get("summary") or {}
            rows.append({"path": i["path"], "format": i["format"], "encoding": i.get("encoding"),
                         "rows": i["rows"], "rows_rejected": i["rows_rejected"],
                         "with_personal_info": s.get("with_personal_info"),
                         "unique": s.get("unique"),
                         **{f"tier_{t}": (s.get("tiers") or {}).get(t) for t in "ABC"},
                         "persons": s.get("persons"), "bytes": i["bytes"],
                         "sha256": i["sha256"], "error": i.get("error")})
        return pd.DataFrame(rows).set_index("path")

    def assessments_frame(self) -> pandas.DataFrame:
        """One row per ruleset and reading (the literal one first): level and score."""
        import pandas as pd

        rows = []
        for a in self._doc()["assessments"]:
            for reading, x in [("literal", a)] + [(alt["id"], alt) for alt in a["alternatives"]]:
                rows.append({"ruleset": a["ruleset"], "reading": reading, "level": x["level"],
                             "level_name": x["level_name"], "score": x["score"],
                             "score_exact": x["score_exact"],
                             **{f"count_{k}": v for k, v in x["counts_used"].items()},
                             "basis": x.get("level_basis", x["basis"])})
        return pd.DataFrame(rows)

    def categories_frame(self) -> pandas.DataFrame:
        """Per-category counts as a DataFrame (one row per category, indexed by id)."""
        import pandas as pd

        cats = self.to_dict()["categories"]
        frame = pd.DataFrame.from_dict(cats, orient="index")
        frame.index.name = "category"
        return frame

    def exit_partial(self) -> bool:
        """True when some input could not be read (the CLI exits 3)."""
        return any(inp.error for inp in self.inputs)
