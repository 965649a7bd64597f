"""``leakscan verify REPORT.json PATH...``: are these the files the report counted?

Every file under ``PATH...`` (found the way ``scan`` finds inputs) is hashed again and matched
to the report's ``inputs[]`` by SHA-256 and size. The files are only read.

Verified means: every readable input of the report has a file with the same SHA-256 and size,
and no other file was given. Paths may differ (the report may have been made in another
directory); the result says when they do.

What is checked is the file that was given to the scan: for an input read from inside a file
(a zip or tar member, a workbook's sheet, a SQL dump's or SQLite file's table, members of
archives inside archives) that is the top-level file of ``inputs[].archive``, so a two-sheet
workbook or a zip of three CSVs is one file to verify, and a change to it is reported with
the inputs the report read from it. ``<stdin>`` is verified against the saved stream.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .errors import ExitCode, UsageError
from .sources import discover, fingerprint

#: Exit codes of ``leakscan verify`` (``scan``'s codes 1, 2 and 130 keep their meaning).
VERIFIED = ExitCode.OK
NOT_VERIFIED = ExitCode.NOT_VERIFIED


@dataclass
class Verification:
    matched: list[tuple[dict, str]] = field(default_factory=list)  # (report input, path now)
    changed: list[tuple[dict, str, str]] = field(default_factory=list)  # (input, path, sha)
    missing: list[dict] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)  # (path, sha256)

    @property
    def ok(self) -> bool:
        return bool(self.matched) and not (self.changed or self.missing or self.extra)

    def lines(self) -> list[str]:
        out = []
        for inp, path in self.matched:
            moved = "" if path == inp["path"] else f" (now at {path})"
            out.append(f"OK       {inp['path']}{moved}  sha256 {inp['sha256']}  "
                       f"{inp['bytes']:,} bytes{_held(inp)}")
        for inp, path, sha in self.changed:
            out.append(f"CHANGED  {inp['path']}: the report counted sha256 {inp['sha256']} "
                       f"({inp['bytes']:,} bytes); {path} now has sha256 {sha}; the counts "
                       f"of {_inputs_of(inp)} no longer describe it")
        for inp in self.missing:
            out.append(f"MISSING  {inp['path']}: no file given has sha256 {inp['sha256']}"
                       f"{_held(inp)}")
        for path, sha in self.extra:
            out.append(f"EXTRA    {path}: not an input of the report (sha256 {sha})")
        n = len(self.matched) + len(self.changed) + len(self.missing)
        if self.ok:
            out.append(f"VERIFIED: these are the {n} file(s) the report counted")
        else:
            out.append(f"NOT VERIFIED: {len(self.matched)} of {n} input(s) match"
                       + (f", {len(self.extra)} file(s) not in the report" if self.extra
                          else ""))
        return out


def _inputs_of(file: dict) -> str:
    names = file.get("inputs", [file["path"]])
    shown = ", ".join(names[:3]) + (f", ... ({len(names):,} in all)" if len(names) > 3 else "")
    return shown if names != [file["path"]] else "its input"


def _held(file: dict) -> str:
    names = file.get("inputs", [file["path"]])
    return "" if names == [file["path"]] else f"  ({len(names):,} input(s): {_inputs_of(file)})"


def load_report(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except OSError as e:
        raise UsageError(f"{path}: cannot read the report: {e.strerror or e}") from None
    except json.JSONDecodeError as e:
        raise UsageError(f"{path}: not a JSON report ({e.msg} at line {e.lineno})") from None
    if not isinstance(doc, dict) or doc.get("schema") != "leakscan/report/v1":
        raise UsageError(f"{path}: not a leakscan/report/v1 document (use --format json)")
    return doc


def expected_files(inputs: list[dict]) -> list[dict]:
    """The files a report's readable inputs were read from: ``path``, ``sha256``, ``bytes``
    and ``inputs`` (the report's input paths read from that file), in report order."""
    files: dict[tuple, dict] = {}
    for inp in inputs:
        if inp.get("error"):
            continue
        src = inp.get("archive") or inp
        key = (src["path"], src["sha256"], src["bytes"])
        files.setdefault(key, {"path": src["path"], "sha256": src["sha256"],
                               "bytes": src["bytes"], "inputs": []})["inputs"].append(inp["path"])
    return list(files.values())


def verify(report_path: str, paths: list[str]) -> Verification:
    doc = load_report(report_path)
    expected = expected_files(doc["inputs"])
    found = discover(paths)
    for inp in found:
        fingerprint(inp)
    by_hash: dict[tuple[str, int], list] = {}
    for inp in found:
        by_hash.setdefault((inp.sha256, inp.bytes), []).append(inp)
    used: set[str] = set()
    result = Verification()
    for exp in expected:
        cands = [f for f in by_hash.get((exp["sha256"], exp["bytes"]), [])
                 if f.real_path not in used]
        if cands:
            best = next((f for f in cands if f.path == exp["path"]), cands[0])
            used.add(best.real_path)
            result.matched.append((exp, best.path))
            continue
        same_path = [f for f in found if f.path == exp["path"] and f.real_path not in used]
        if same_path:
            used.add(same_path[0].real_path)
            result.changed.append((exp, same_path[0].path, same_path[0].sha256))
        else:
            result.missing.append(exp)
    result.extra = [(f.path, f.sha256) for f in found if f.real_path not in used]
    return result
