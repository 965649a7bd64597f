"""Layout profiles: what the columns of a known dump layout hold, when its headers do not say.

Some famous dumps cannot be read from their headers: the 2013 hotel-register dump keeps the
check-in time in a column named ``Version``. A profile (a TOML file) names such a layout by
its header signature (its set of column names) and maps columns to categories (or ``none``)
and, optionally, to roles. It is applied as ``--column`` overrides are (``classify.Override``,
method ``override``), with its id in the column's evidence, so ``--explain`` says "by profile
X" and the report's ``options.profiles`` records which profiles were applied and why.

Two ways to apply one:

- shipped profiles (``leakscan/profiles/*.toml``, each with the source that documents its
  layout) are applied **automatically** to an input whose header matches the signature: at
  least ``min_share`` of the signature's columns are present (a majority by default), compared
  case-insensitively; a warning names the profile and the input;
- ``--profile FILE|ID`` **forces** a profile on every input, whatever its header; columns it
  names that an input lacks are simply not there.

``--column`` overrides win over a profile's mapping of the same column: the examiner's word
on one column is more specific than a layout's. ``--save-profile FILE`` writes a case's
``--column`` overrides as a profile, so the next dump in that layout is read the same way.

The file format (``docs/profiles.md``)::

    id = "cn-hotel-register-2013"
    title = "..."
    source = "where the layout is documented"
    [signature]
    columns = ["Name", "CtfId", "Version"]
    min_share = 0.5            # optional: the share of signature columns that must be present
    [columns]
    Version = "accommodation"  # a category id, or "none"
    [roles]                    # optional: column -> role (a party other than the subject)

>>> p = parse(b'id = "x"\\ntitle = "t"\\nsource = "s"\\n[signature]\\ncolumns = ["a", "B"]\\n'
...           b'[columns]\\nb = "none"', "x.toml")
>>> p.matches(["A", "b", "c"]), p.matches(["a", "z"]), p.matches(["z"])
(True, False, False)
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from .errors import UsageError

#: The directory of the shipped profiles (package data).
BUILTIN_DIR = Path(__file__).with_name("profiles")
#: Without ``min_share``, a header matches when more than half of the signature is present.
DEFAULT_MIN_SHARE = 0.5
NONE = "none"
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


class ProfileError(UsageError):
    """A profile that cannot be read or does not follow the format (exit 2, one line)."""


@dataclass(frozen=True)
class Profile:
    id: str
    title: str
    source: str
    signature: tuple[str, ...]
    min_share: float
    columns: dict[str, str | None]  # column -> category id, None for ``none``
    roles: dict[str, str] = field(default_factory=dict)  # column -> role
    file: str = ""
    sha256: str = ""
    notes: str = ""

    def present(self, columns: list[str]) -> tuple[int, int]:
        """How many of the signature's columns ``columns`` holds (case-insensitive), of how
        many."""
        have = {c.strip().casefold() for c in columns}
        want = {c.casefold() for c in self.signature}
        return len(want & have), len(want)

    def share(self, columns: list[str]) -> Fraction:
        """The share of the signature's columns present in ``columns``."""
        have, total = self.present(columns)
        return Fraction(have, total) if total else Fraction(0)

    def matches(self, columns: list[str]) -> bool:
        """Is this the layout of an input with these columns? More than ``min_share`` of the
        signature when it is the default majority (0.5), at least ``min_share`` otherwise."""
        share = self.share(columns)
        if self.min_share == DEFAULT_MIN_SHARE:
            return share > DEFAULT_MIN_SHARE
        return share >= Fraction(self.min_share).limit_denominator(1000)

    def column_in(self, columns: list[str], name: str) -> str | None:
        """The input's own spelling of the profile's column ``name``, or None."""
        for c in columns:
            if c.strip().casefold() == name.casefold():
                return c
        return None


def parse(data: bytes, where: str, categories: set[str] | None = None) -> Profile:
    """A profile from the bytes of its TOML file; ``ProfileError`` naming ``where`` and the
    first problem otherwise. With ``categories``, every mapped category must be one of them."""
    def bad(problem: str) -> ProfileError:
        return ProfileError(f"{where}: not a valid profile: {problem}")

    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise bad(str(e).splitlines()[0] if str(e) else type(e).__name__) from None
    for key in ("id", "title", "source"):
        if not isinstance(doc.get(key), str) or not doc[key].strip():
            raise bad(f"'{key}' must be a non-empty string")
    if not _ID.fullmatch(doc["id"]):
        raise bad("'id' must be lower-case letters, digits and hyphens")
    sig = doc.get("signature")
    if not isinstance(sig, dict) or not _strings(sig.get("columns")) or not sig["columns"]:
        raise bad("[signature] needs 'columns', a non-empty list of column names")
    min_share = sig.get("min_share", DEFAULT_MIN_SHARE)
    if isinstance(min_share, bool) or not isinstance(min_share, int | float) \
            or not 0 < min_share <= 1:
        raise bad("[signature] 'min_share' must be a number in (0, 1]")
    mapping = doc.get("columns", {})
    if not isinstance(mapping, dict) or not mapping or not _strings(list(mapping.values())):
        raise bad("[columns] must map column names to a category id or \"none\"")
    for column, cat in mapping.items():
        if cat != NONE and categories is not None and cat not in categories:
            raise bad(f"column {column!r}: unknown category {cat!r}; one of "
                      f"{', '.join(sorted(categories))} or none")
    roles = doc.get("roles", {})
    if not isinstance(roles, dict) or not _strings(list(roles.values())):
        raise bad("[roles] must map column names to role words")
    for column in roles:
        if mapping.get(column, NONE) == NONE:
            raise bad(f"role for column {column!r}, which [columns] maps to no category")
    notes = doc.get("notes", "")
    if not isinstance(notes, str):
        raise bad("'notes' must be a string")
    return Profile(doc["id"], doc["title"].strip(), doc["source"].strip(),
                   tuple(sig["columns"]), float(min_share),
                   {c: (None if v == NONE else v) for c, v in mapping.items()},
                   dict(roles), where, hashlib.sha256(data).hexdigest(), notes.strip())


def _strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def builtin_ids() -> list[str]:
    return sorted(p.stem for p in BUILTIN_DIR.glob("*.toml"))


def builtin(categories: set[str] | None = None) -> list[Profile]:
    """Every shipped profile, by id."""
    return [load(i, categories) for i in builtin_ids()]


def load(ref: str, categories: set[str] | None = None) -> Profile:
    """A shipped profile by id, or a profile file by path (``--profile FILE|ID``)."""
    if ref in builtin_ids():
        path = BUILTIN_DIR / f"{ref}.toml"
        return parse(path.read_bytes(), f"{ref}.toml", categories)
    if not (ref.endswith(".toml") or "/" in ref or Path(ref).is_file()):
        raise ProfileError(f"--profile {ref!r}: no such profile; shipped: "
                           f"{', '.join(builtin_ids()) or 'none'}, or give a path to a .toml "
                           f"file (see `leakscan profiles`)")
    try:
        data = Path(ref).read_bytes()
    except OSError as e:
        raise ProfileError(f"{ref}: cannot read profile file: {e.strerror or e}") from None
    return parse(data, ref, categories)


def dump(overrides, profile_id: str, columns_seen: list[str], title: str = "",
         source: str = "") -> str:
    """The TOML text of a profile holding ``overrides`` (``classify.Override``, as given
    with ``--column``), for ``--save-profile``: the signature is every column of the inputs
    the overrides applied to (``columns_seen``), so the profile is applied automatically only
    to an input of the same layout."""
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [f"id = {q(profile_id)}",
             f"title = {q(title or 'Saved from the --column overrides of a case')}",
             f"source = {q(source or 'the examiner: --column overrides saved with --save-profile')}",
             "", "[signature]",
             "columns = [" + ", ".join(q(c) for c in columns_seen) + "]",
             "", "[columns]"]
    lines += [f"{q(ov.column)} = {q(ov.category or NONE)}" for ov in overrides]
    return "\n".join(lines) + "\n"
