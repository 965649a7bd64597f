"""Ruleset texts as a report's reader sees them: citing the law, not the project's files.

Ruleset files keep, for their maintainers, pointers into the project's legal notes
(``legal-reference.md §4.1``): the trail behind each reading. A reader of a report does not
have those notes, so every text a ruleset gives (basis, citation, readings, notes) is loaded
without them: the article, the case and the quotation stay; the pointer and the punctuation
around it go. The ruleset's SHA-256 is still that of the file as written.
"""

from __future__ import annotations

import re

_REF = r"legal-reference\.md\s*§[\d.]+(?:\s+items?\s+\d+(?:\s*(?:,|and)\s*\d+)*)?" \
       r"(?:\s*(?:,|and)\s*§[\d.]+(?:\s+items?\s+\d+)?)*"
_PATTERNS = [
    (re.compile(r"\s*\(\s*(?:see\s+)?" + _REF + r"\s*\)"), ""),  # " (legal-reference.md §6)"
    (re.compile(r"\(\s*(?:see\s+)?" + _REF + r"\s*,\s*"), "("),  # "(legal-reference.md §5.1, S)"
    (re.compile(r"[;,:]?\s*(?:see\s+)?" + _REF + r"\s*(?=[),;])"), ""),  # ", legal-reference.md §3.4)"
    (re.compile(r"[;,]\s*(?:see\s+)?" + _REF + r"\s*$"), ""),  # "; legal-reference.md §4 item 3"
    (re.compile(r"(?:see\s+)?" + _REF), "research"),  # anything else: the pointer, unnamed
    # what is left of a section pointer (", §8", "(§4 item 1)")
    (re.compile(r"\s*\(§[\d.]+(?:\s+items?\s+\d+)?\)"), ""),
    (re.compile(r"[,;]\s*§[\d.]+(?:\s+items?\s+\d+)?"), ""),
    # the notes' evidence grades (S secondary, P primary, U unverified) mean nothing without them
    (re.compile(r"\s*\([SPU]\)"), ""),
    (re.compile(r",\s*[SPU](?=\))"), ""),
    (re.compile(r"(?<=[(,] )[SPU]: |(?<=\()[SPU]: |\b[SPU] (?=abstract)"), ""),
]


def without_file_references(text: str) -> str:
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text


def clean(data):
    """Every string of a parsed ruleset, recursively, without the project-file pointers."""
    if isinstance(data, str):
        return without_file_references(data)
    if isinstance(data, list):
        return [clean(x) for x in data]
    if isinstance(data, dict):
        return {k: clean(v) for k, v in data.items()}
    return data
