"""Discover categorizers and check that each keeps the module contract.

Built-in categorizers are the modules of the top-level ``categorizers`` package; third-party
ones are modules named by the ``leakscan.categorizers`` entry-point group. Both go through the
same ``load`` function and the same contract check, so a plug-in is a first-class citizen and
a broken built-in fails as loudly as a broken plug-in.

The contract (see ``docs/categorizers.md``): a module with the top-level names

- ``ID`` (str, never changes: it is part of the report format), ``CLASS`` (legal class),
  ``TIER`` (``A``/``B``/``C``, consistent with ``CLASS``), ``IDENTIFYING`` (bool: does a valid
  value make a row personal information on its own?), ``HEADER_SYNONYMS`` (tuple of str),
  ``VALUE_DETECTION`` (bool: may a column be assigned on its values alone?);
- ``NORMALIZE_SQL``: a tuple of SQL templates applied in order, each using ``{value}`` for the
  previous step's result (the first step gets the raw cell as VARCHAR); the last step yields
  the normalised value, or NULL when the cell cannot be normalised;
- ``VALIDATE_SQL``: a template over ``{value}`` = the normalised value, yielding BOOLEAN;
- optionally ``DERIVED_SQL``: layers of ``(name, template)`` pairs computed from the
  normalised ``{value}`` (and earlier layers' ``{name}``), each once per cell in a projection
  of its own, that ``VALIDATE_SQL`` reads as ``{name}`` (``expressions.layered_select``);
- ``normalize(value) -> str | None``, ``validate(value) -> str`` (raises
  ``leakscan.validation`` errors), ``is_valid(value) -> bool``, ``mask(normalized) -> str``:
  the plain-Python reference, which must agree with the SQL on every input;
- optionally ``DETECT_SQL`` (a template over the normalised value, BOOLEAN) with its Python
  twin ``detect(value)``: stricter evidence required before a column *without* a header
  match is assigned on its values alone (names: a known surname first);
- optionally ``PERSONAL = False`` for identifiers of organisations (``CLASS =
  "organisation"``, ``TIER = "-"``, not identifying): their columns are recognised so that
  they cannot be mistaken for anything else, and excluded from every count;
- optionally ``MASKED_SQL`` (BOOLEAN, a template over the *raw* cell ``{value}``, before
  normalisation) with its Python twin ``is_masked(value)``: whether the cell is a masked
  value of the category (``138****8000``, ``张**``); a masked value is never valid, never in
  a record key, left out of the share that confirms a column and counted as ``masked``
  (``leakscan.text.masked_form`` builds both from one list of patterns);
- optionally ``MASK_SQL``, the SQL twin of ``mask`` (a template over a normalised
  ``{value}``): evidence files are then masked in SQL instead of in Python;
- optionally ``SEARCH_INSIDE = True`` when the values are text that may hold other
  identifiers (addresses, messages): the column is then also searched as free text;
- optionally ``LINKS_PERSONS = True`` for identifiers that one natural person holds alone
  (resident ID, phone, e-mail): two records sharing such a value are the same person
  (``count.count_subjects``); only identifying categories may declare it;
- optionally ``ROLE_WORDS`` (tuple of str) for identifying categories: header words naming a
  party other than the record's subject (医生, 客户经理, 门店...); a column whose header holds
  one carries that party's values (``roles.py``, ``docs/counting.md`` rule 2.4);
- optionally ``VALUE_KINDS``: a tuple of the kinds of value the category holds
  (``coordinate``, ``money``, ``datetime``, ``duration``, ``text``, ``score``, ``room``,
  ``blood_type``: ``categorizers._kinds``), which its ``VALIDATE_SQL`` and ``is_valid`` check;
  every attribute category (personal, not identifying) must declare it, since its header alone
  is no evidence (``docs/classification.md``, rule 4);
- optionally ``NEGATIVE_WORDS``: a tuple of words that, found in a header, void the header's
  match for this category (``定位方式``, ``deposit_type``): Chinese words as substrings, ASCII
  words as whole words, ``is_`` only first and ``_id`` only last;
- optionally ``MIN_DISTINCT_SHARE``: a float in (0, 1]; on values alone, a column is assigned
  only when its distinct valid sampled values are at least this share of its valid ones (a
  column of 28 brand names in 1,000 rows is an enumeration, not a list of people);
- optionally ``FREE_TEXT``: a dict saying how the category's values are found inside free
  text (``freetext.py``): ``order`` (int: a candidate goes to the first category, in this
  order, whose shape and validation it passes), ``worth`` (RE2 over the raw cell, implied by
  every candidate), ``shape`` (RE2, full match over a candidate), and optionally ``cut`` (RE2:
  candidates of its own, cut and blanked first), ``layout`` (RE2: how people group it),
  ``runs`` (bool: runs of letters and digits of its shape are candidates), ``compact`` (bool:
  spaces and hyphens removed before the shape test), ``context`` (RE2 the cell must match);
- optionally ``DAMAGE``: a tuple of ``(pattern, min_share, text)``: the forms the category's
  values take once a spreadsheet has rewritten them (an 18-digit ID zero-filled after 15
  digits, a phone without its ``+``), as an RE2 pattern fully matching the trimmed cell, the
  least share in (0, 1] of a column's sampled non-blank values of that form that makes the
  column damaged, and what the warning says such values are (``damage.py``);
- optionally ``BIRTH_DATE_SQL``: a template over a normalised valid ``{value}`` yielding the
  holder's birth date (DATE, NULL when it carries none), with its Python twin
  ``birth_date(normalized) -> datetime.date | None``; rules on minors read it
  (``count.minor_sql``);
- optionally ``REFERENCE_TABLES``: ``{name: callable -> (columns, rows)}``, tables the SQL
  reads as ``ref_<name>`` (derived from a domain library's own data, never hand-typed);
  ``rows`` may also be a SQL query over the tables listed before it;
- optionally ``KERNEL``: ``{"function": str, "replaces": "validate", "table": callable ->
  bytes}``, a compiled twin of ``VALIDATE_SQL`` in ``leakscan._kernels`` (``kernels.py``): the
  function of that name there, handed the bytes ``table()`` builds at start-up from the same
  data the SQL reads; or ``"replaces": "normalize", "steps": n``: the twin of the first ``n``
  ``NORMALIZE_SQL`` steps for the cells it decides (NULL for the others, which the SQL
  computes); the SQL stays the fallback when the extension is not built or is disabled.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import pkgutil
import re
from dataclasses import dataclass
from types import ModuleType

from .errors import RegistryError

CLASS_TIERS = {
    "location": "A", "communication_content": "A", "credit": "A", "property": "A",
    "accommodation": "B", "communication_record": "B", "health": "B", "transaction": "B",
    "identity": "C", "contact": "C", "other": "C",
}
TIER_ORDER = ("A", "B", "C")  # most sensitive first
ENTRY_POINT_GROUP = "leakscan.categorizers"

_REQUIRED = {
    "ID": str, "CLASS": str, "TIER": str, "IDENTIFYING": bool, "HEADER_SYNONYMS": tuple,
    "VALUE_DETECTION": bool, "NORMALIZE_SQL": tuple, "VALIDATE_SQL": str,
}
_FUNCTIONS = ("normalize", "validate", "is_valid", "mask")


@dataclass(frozen=True)
class Categorizer:
    """A loaded, checked categorizer module (a thin, typed view of it)."""

    module: ModuleType
    origin: str  # "builtin" or the entry point's distribution name

    @property
    def id(self) -> str:
        return self.module.ID

    @property
    def cls(self) -> str:
        return self.module.CLASS

    @property
    def tier(self) -> str:
        return self.module.TIER

    @property
    def identifying(self) -> bool:
        return self.module.IDENTIFYING

    @property
    def personal(self) -> bool:
        """False for organisation identifiers, which are recognised and excluded."""
        return getattr(self.module, "PERSONAL", True)

    @property
    def mask_sql(self) -> str | None:
        """SQL twin of ``mask`` over a normalised ``{value}``, if the module has one."""
        return getattr(self.module, "MASK_SQL", None)

    @property
    def masked_sql(self) -> str | None:
        """``MASKED_SQL``: whether a raw cell is a masked value of the category, or None."""
        return getattr(self.module, "MASKED_SQL", None)

    def is_masked(self, value) -> bool:
        """Python twin of ``masked_sql`` (False for a category that declares no masked form)."""
        fn = getattr(self.module, "is_masked", None)
        return bool(fn(value)) if fn else False

    @property
    def search_inside(self) -> bool:
        """True when the values are text that may hold other identifiers (addresses,
        messages): such a column is also searched as free text (``freetext.py``)."""
        return getattr(self.module, "SEARCH_INSIDE", False)

    @property
    def links_persons(self) -> bool:
        """True when a shared valid value makes two records one person (``LINKS_PERSONS``)."""
        return getattr(self.module, "LINKS_PERSONS", False)

    @property
    def role_words(self) -> tuple[str, ...]:
        """Header words naming a party other than the record's subject (``ROLE_WORDS``)."""
        return getattr(self.module, "ROLE_WORDS", ())

    @property
    def free_text(self) -> dict | None:
        """How values of this category are searched for inside free text (``FREE_TEXT``:
        order, worth, cut, layout, runs, shape, compact, context), or None."""
        return getattr(self.module, "FREE_TEXT", None)

    @property
    def damage(self) -> tuple[tuple[str, float, str], ...]:
        """The forms spreadsheet damage gives this category's values (``DAMAGE``: pattern,
        least share, warning text), read by ``damage.damage_patterns``."""
        return getattr(self.module, "DAMAGE", ())

    @property
    def birth_date_sql(self) -> str | None:
        """SQL over a normalised valid ``{value}``: its holder's birth date (``BIRTH_DATE_SQL``),
        or None when the category carries none."""
        return getattr(self.module, "BIRTH_DATE_SQL", None)

    def birth_date(self, normalized: str):
        """Python twin of ``birth_date_sql``: a ``datetime.date`` or None."""
        return self.module.birth_date(normalized)

    @property
    def mixed(self) -> dict | None:
        """How the category takes part in a column holding several categories (``MIXED``:
        order, headers, credentials; ``mixed.py``), or None when it never does."""
        return getattr(self.module, "MIXED", None)

    @property
    def kernel(self) -> dict | None:
        """The compiled twin of the category's validation (``KERNEL``: function, replaces,
        table), or None; ``kernels.py`` registers it when the extension is built."""
        return getattr(self.module, "KERNEL", None)

    @property
    def value_detection(self) -> bool:
        return self.module.VALUE_DETECTION

    @property
    def header_synonyms(self) -> tuple[str, ...]:
        return self.module.HEADER_SYNONYMS

    @property
    def value_kinds(self) -> tuple[str, ...]:
        """The kinds of value the category declares (empty for identifiers, whose validation
        is their own)."""
        return getattr(self.module, "VALUE_KINDS", ())

    @property
    def negative_words(self) -> tuple[str, ...]:
        """Header words that void this category's header match (``docs/classification.md``)."""
        return getattr(self.module, "NEGATIVE_WORDS", ())

    @property
    def min_distinct_share(self) -> float:
        """On values alone, the least share of distinct valid sampled values (0: no rule)."""
        return getattr(self.module, "MIN_DISTINCT_SHARE", 0.0)

    @property
    def title(self) -> str:
        """The display name: the first line of the module docstring."""
        return (self.module.__doc__ or self.id).strip().splitlines()[0].rstrip(".")

    @property
    def reference_tables(self) -> dict:
        return getattr(self.module, "REFERENCE_TABLES", {})

    def normalize(self, value):
        return self.module.normalize(value)

    def is_valid(self, value) -> bool:
        return self.module.is_valid(value)

    def mask(self, normalized: str) -> str:
        return self.module.mask(normalized)

    @property
    def detect_sql(self) -> str | None:
        return getattr(self.module, "DETECT_SQL", None)

    def detect(self, value) -> bool:
        """Strong value evidence: ``detect()`` where declared, else ``is_valid()``."""
        fn = getattr(self.module, "detect", None)
        return fn(value) if fn else self.module.is_valid(value)


def check_contract(module: ModuleType, *, compile_re2: bool = True) -> None:
    """Raise ``RegistryError`` naming the module's file if it breaks the contract.

    ``compile_re2``: also compile the ``DAMAGE`` patterns in DuckDB. ``load`` skips it for the
    built-in categorizers, whose patterns ``tests/test_categorizer_contract.py`` compiles: the
    in-memory connection it needs costs 0.05 s of every scan's start-up (issue 17)."""
    where = getattr(module, "__file__", module.__name__)
    for name, typ in _REQUIRED.items():
        if not hasattr(module, name):
            raise RegistryError(f"categorizer {where} has no {name}")
        if not isinstance(getattr(module, name), typ):
            raise RegistryError(f"categorizer {where}: {name} must be a {typ.__name__}")
    for name in _FUNCTIONS:
        if not callable(getattr(module, name, None)):
            raise RegistryError(f"categorizer {where} has no function {name}()")
    if not getattr(module, "PERSONAL", True):
        if (module.CLASS, module.TIER, module.IDENTIFYING) != ("organisation", "-", False):
            raise RegistryError(f"categorizer {where}: PERSONAL = False needs CLASS "
                                f"'organisation', TIER '-' and IDENTIFYING False")
    elif module.CLASS not in CLASS_TIERS:
        raise RegistryError(f"categorizer {where}: unknown CLASS {module.CLASS!r}; "
                            f"one of {', '.join(sorted(CLASS_TIERS))}")
    elif CLASS_TIERS[module.CLASS] != module.TIER:
        raise RegistryError(f"categorizer {where}: TIER {module.TIER!r} does not match class "
                            f"{module.CLASS!r} (tier {CLASS_TIERS[module.CLASS]})")
    if not module.NORMALIZE_SQL or not all("{value}" in s for s in module.NORMALIZE_SQL):
        raise RegistryError(f"categorizer {where}: every NORMALIZE_SQL step must use {{value}}")
    if "{value}" not in module.VALIDATE_SQL:
        raise RegistryError(f"categorizer {where}: VALIDATE_SQL must use {{value}}")
    _check_derived(module, where)
    _check_optional(module, where, compile_re2)
    _check_evidence(module, where)
    if hasattr(module, "DETECT_SQL") and not callable(getattr(module, "detect", None)):
        raise RegistryError(f"categorizer {where}: DETECT_SQL needs its Python twin detect()")
    _check_masked(module, where)


def _check_masked(module: ModuleType, where: str) -> None:
    """``MASKED_SQL`` comes with its twin ``is_masked`` and reads ``{value}``; only an
    identifying category declares it (an attribute's value identifies no one, masked or not)."""
    if not hasattr(module, "MASKED_SQL"):
        if hasattr(module, "is_masked"):
            raise RegistryError(f"categorizer {where}: is_masked() needs its SQL twin MASKED_SQL")
        return
    if not callable(getattr(module, "is_masked", None)):
        raise RegistryError(f"categorizer {where}: MASKED_SQL needs its Python twin is_masked()")
    if "{value}" not in module.MASKED_SQL:
        raise RegistryError(f"categorizer {where}: MASKED_SQL must use {{value}}")
    if not module.IDENTIFYING:
        raise RegistryError(f"categorizer {where}: MASKED_SQL is for identifying categories")


#: Optional contract names and their types (``docs/categorizers.md``).
_OPTIONAL = {"PERSONAL": bool, "SEARCH_INSIDE": bool, "LINKS_PERSONS": bool, "MASK_SQL": str,
             "DETECT_SQL": str, "MASKED_SQL": str, "REFERENCE_TABLES": dict, "ROLE_WORDS": tuple,
             "FREE_TEXT": dict, "DAMAGE": tuple, "BIRTH_DATE_SQL": str, "MIXED": dict,
             "KERNEL": dict}


def _check_optional(module: ModuleType, where: str, compile_re2: bool = True) -> None:
    for name, typ in _OPTIONAL.items():
        if hasattr(module, name) and not isinstance(getattr(module, name), typ):
            raise RegistryError(f"categorizer {where}: {name} must be a {typ.__name__}")
    if getattr(module, "LINKS_PERSONS", False) and not module.IDENTIFYING:
        raise RegistryError(f"categorizer {where}: LINKS_PERSONS needs IDENTIFYING = True "
                            f"(a value that identifies no one cannot make two records one person)")
    words = getattr(module, "ROLE_WORDS", ())
    if words and not (module.IDENTIFYING and all(isinstance(w, str) and w for w in words)):
        raise RegistryError(f"categorizer {where}: ROLE_WORDS must be non-empty strings, on an "
                            f"identifying category (attribute values always belong to the "
                            f"record's subject)")
    if hasattr(module, "FREE_TEXT"):
        _check_free_text(module.FREE_TEXT, where)
    if hasattr(module, "DAMAGE"):
        _check_damage(module.DAMAGE, where, compile_re2)
    if hasattr(module, "BIRTH_DATE_SQL"):
        if "{value}" not in module.BIRTH_DATE_SQL:
            raise RegistryError(f"categorizer {where}: BIRTH_DATE_SQL must use {{value}}")
        if not callable(getattr(module, "birth_date", None)):
            raise RegistryError(f"categorizer {where}: BIRTH_DATE_SQL needs its Python twin "
                                f"birth_date()")

    if hasattr(module, "MIXED"):
        _check_mixed(module, where)
    if hasattr(module, "KERNEL"):
        _check_kernel(module, where)


#: What a kernel may replace: ``validate``, a BOOLEAN over the normalised value; or
#: ``normalize``, the first ``steps`` of ``NORMALIZE_SQL`` over the raw cell (VARCHAR, NULL
#: where the kernel leaves the cell to the SQL), all of them included; a normalising kernel
#: may name a second function, ``validates``, the compiled ``VALIDATE_SQL`` (same table).
KERNEL_STAGES = ("validate", "normalize")


def _check_kernel(module: ModuleType, where: str) -> None:
    """``KERNEL``: exactly the keys ``function`` (an identifier: a function of
    ``leakscan._kernels``), ``replaces`` (one of ``KERNEL_STAGES``), ``table`` (a callable
    building the kernel's data) and, for ``normalize``, ``steps`` (how many NORMALIZE_SQL
    steps it replaces, all of them at most) and optionally ``validates`` (an identifier);
    the category's ``ID`` must be an identifier too, since the kernel is registered in
    DuckDB under a name made from it."""
    decl = module.KERNEL
    normalizes = decl.get("replaces") == "normalize"
    keys = {"function", "replaces", "table"} | ({"steps"} if normalizes else set())
    optional = {"validates"} if normalizes else set()
    if not keys <= set(decl) <= keys | optional:
        raise RegistryError(f"categorizer {where}: KERNEL has the keys {', '.join(sorted(keys))}"
                            + (f" (and optionally {', '.join(sorted(optional))})" if optional
                               else "") + f", not {sorted(decl)}")
    steps = decl.get("steps", 1)
    if not (isinstance(steps, int) and not isinstance(steps, bool)
            and 1 <= steps <= len(module.NORMALIZE_SQL)):
        raise RegistryError(f"categorizer {where}: KERNEL steps must be an int from 1 to the "
                            f"number of NORMALIZE_SQL steps")
    for key in ("function", "validates"):
        if key in decl and not (isinstance(decl[key], str) and decl[key].isidentifier()):
            raise RegistryError(f"categorizer {where}: KERNEL {key} must be an identifier")
    if decl["replaces"] not in KERNEL_STAGES:
        raise RegistryError(f"categorizer {where}: KERNEL replaces one of "
                            f"{', '.join(KERNEL_STAGES)}, not {decl['replaces']!r}")
    if not callable(decl["table"]):
        raise RegistryError(f"categorizer {where}: KERNEL table must be a callable")
    if not module.ID.isidentifier():
        raise RegistryError(f"categorizer {where}: a category with a KERNEL needs an ID that "
                            f"is an identifier")

@functools.cache
def _re2_connection():
    """One in-memory DuckDB connection for the contract's RE2 checks: a connection per
    pattern cost 0.05 s each, paid by every scan's start-up."""
    import duckdb

    return duckdb.connect()


def _check_damage(decl: tuple, where: str, compile_re2: bool = True) -> None:
    """Each ``DAMAGE`` entry a ``(pattern, min_share, text)`` triple: the pattern compiles as
    RE2 in DuckDB (the only place it runs), the share is a float in (0, 1], the text says
    something."""
    import duckdb

    if not decl:
        raise RegistryError(f"categorizer {where}: DAMAGE, when declared, names a pattern")
    for entry in decl:
        if not (isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[0], str)
                and entry[0] and isinstance(entry[1], float) and isinstance(entry[2], str)
                and entry[2].strip()):
            raise RegistryError(f"categorizer {where}: DAMAGE holds (RE2 pattern, min_share, "
                                f"warning text) triples, not {entry!r}")
        if not 0.0 < entry[1] <= 1.0:
            raise RegistryError(f"categorizer {where}: DAMAGE min_share {entry[1]!r} is not "
                                f"in (0, 1]")
        if not compile_re2:
            continue
        try:
            _re2_connection().execute("SELECT regexp_full_match('', ?)", [entry[0]]).fetchone()
        except duckdb.Error as e:
            raise RegistryError(f"categorizer {where}: DAMAGE pattern {entry[0]!r} is not "
                                f"RE2: {str(e).splitlines()[0]}") from None


#: ``MIXED`` keys: name -> (type, required)
_MIXED_KEYS = {"order": (int, True), "headers": (tuple, False), "credentials": (bool, False),
               "types": (tuple, False)}


def _check_mixed(module: ModuleType, where: str) -> None:
    """``MIXED``: known keys of their types, an int ``order``, header words as non-empty
    strings; only identifying categories take part (a mixed column holds identifiers)."""
    decl = module.MIXED
    unknown = sorted(set(decl) - set(_MIXED_KEYS))
    if unknown:
        raise RegistryError(f"categorizer {where}: MIXED has unknown keys {unknown}")
    for key, (typ, required) in _MIXED_KEYS.items():
        if key not in decl:
            if required:
                raise RegistryError(f"categorizer {where}: MIXED needs {key!r}")
        elif not isinstance(decl[key], typ) or (typ is int and isinstance(decl[key], bool)):
            raise RegistryError(f"categorizer {where}: MIXED {key!r} must be a {typ.__name__}")
    for key in ("headers", "types"):
        if not all(isinstance(w, str) and w for w in decl.get(key, ())):
            raise RegistryError(f"categorizer {where}: MIXED {key!r} must be non-empty strings")
    if not module.IDENTIFYING:
        raise RegistryError(f"categorizer {where}: MIXED needs IDENTIFYING = True")


#: ``FREE_TEXT`` keys: name -> (type, required)
_FREE_TEXT_KEYS = {"order": (int, True), "worth": (str, True), "shape": (str, True),
                   "cut": (str, False), "layout": (str, False), "runs": (bool, False),
                   "compact": (bool, False), "context": (str, False)}


def _check_free_text(decl: dict, where: str) -> None:
    """Each key known and of its type; every pattern compiles in Python's ``re`` (the
    reference) and has no capturing group (``regexp_extract_all`` and ``re.findall`` would
    then return groups, not matches); a category is found by a ``cut`` or by ``runs`` or
    ``layout``, never by none."""
    unknown = sorted(set(decl) - set(_FREE_TEXT_KEYS))
    if unknown:
        raise RegistryError(f"categorizer {where}: FREE_TEXT has unknown keys {unknown}")
    for key, (typ, required) in _FREE_TEXT_KEYS.items():
        if key not in decl:
            if required:
                raise RegistryError(f"categorizer {where}: FREE_TEXT needs {key!r}")
            continue
        if not isinstance(decl[key], typ) or (typ is int and isinstance(decl[key], bool)):
            raise RegistryError(f"categorizer {where}: FREE_TEXT {key!r} must be a "
                                f"{typ.__name__}")
        if typ is str:
            try:
                groups = re.compile(re.sub(r"\\x\{([0-9a-f]{4})\}", r"\\u\1", decl[key])).groups
            except re.error as e:
                raise RegistryError(f"categorizer {where}: FREE_TEXT {key!r}: {e}") from None
            if groups:
                raise RegistryError(f"categorizer {where}: FREE_TEXT {key!r} has a capturing "
                                    f"group; use (?:...)")
    if not (decl.get("cut") or decl.get("runs") or decl.get("layout")):
        raise RegistryError(f"categorizer {where}: FREE_TEXT needs a cut, runs or a layout")


def _check_evidence(module: ModuleType, where: str) -> None:
    """``VALUE_KINDS`` (required of attribute categories), ``NEGATIVE_WORDS`` and
    ``MIN_DISTINCT_SHARE`` have the types ``docs/categorizers.md`` gives."""
    kinds = getattr(module, "VALUE_KINDS", None)
    attribute = getattr(module, "PERSONAL", True) and not module.IDENTIFYING
    if kinds is None and attribute:
        raise RegistryError(f"categorizer {where}: an attribute category needs VALUE_KINDS "
                            f"(its header alone is no evidence)")
    for name in ("VALUE_KINDS", "NEGATIVE_WORDS"):
        words = getattr(module, name, ())
        if not (isinstance(words, tuple) and all(isinstance(w, str) and w for w in words)):
            raise RegistryError(f"categorizer {where}: {name} must be a tuple of non-empty str")
    if kinds is not None and not kinds:
        raise RegistryError(f"categorizer {where}: VALUE_KINDS must name at least one kind")
    share = getattr(module, "MIN_DISTINCT_SHARE", 0.0)
    if not (isinstance(share, float) and 0.0 <= share <= 1.0):
        raise RegistryError(f"categorizer {where}: MIN_DISTINCT_SHARE must be a float in [0, 1]")


#: ``{value}`` and ``{name}``; not a regex's ``{2,3}`` nor a class such as ``\p{Han}``.
_PLACEHOLDER = re.compile(r"(?<!\\[pP])\{([A-Za-z_]\w*)\}")


def _check_derived(module: ModuleType, where: str) -> None:
    """``DERIVED_SQL``: a tuple of layers, each a tuple of ``(name, template)`` pairs with
    distinct identifier names other than ``value``; a template reads only ``{value}`` and the
    names of earlier layers, and ``VALIDATE_SQL`` only ``{value}`` and derived names (a
    placeholder left unfilled would fail in the middle of a scan)."""
    derived = getattr(module, "DERIVED_SQL", ())
    seen: set[str] = set()
    if not isinstance(derived, tuple) or not all(isinstance(layer, tuple) for layer in derived):
        raise RegistryError(f"categorizer {where}: DERIVED_SQL must be a tuple of layers "
                            f"(tuples of (name, SQL template) pairs)")
    for layer in derived:
        earlier = set(seen)
        for item in layer:
            if not (isinstance(item, tuple) and len(item) == 2
                    and all(isinstance(x, str) for x in item) and item[0].isidentifier()):
                raise RegistryError(f"categorizer {where}: DERIVED_SQL layers hold (name, SQL "
                                    f"template) pairs, not {item!r}")
            if item[0] == "value" or item[0] in seen:
                raise RegistryError(f"categorizer {where}: DERIVED_SQL name {item[0]!r} is "
                                    f"'value' or given twice")
            _check_placeholders(item[1], earlier, f"{where}: DERIVED_SQL {item[0]!r}")
            seen.add(item[0])
    _check_placeholders(module.VALIDATE_SQL, seen, f"{where}: VALIDATE_SQL")


def _check_placeholders(template: str, names: set[str], what: str) -> None:
    unknown = sorted(set(_PLACEHOLDER.findall(template)) - names - {"value"})
    if unknown:
        raise RegistryError(f"categorizer {what} reads {', '.join('{' + u + '}' for u in unknown)}"
                            f", which no earlier DERIVED_SQL layer defines")


class Registry:
    """Categorizers by id, in a stable (sorted) order."""

    def __init__(self, categorizers: list[Categorizer]):
        self._by_id: dict[str, Categorizer] = {}
        for cat in categorizers:
            if cat.id in self._by_id:
                first = self._by_id[cat.id].module.__file__
                raise RegistryError(f"duplicate categorizer id {cat.id!r}: "
                                    f"{cat.module.__file__} and {first}")
            self._by_id[cat.id] = cat

    def __iter__(self):
        return iter(sorted(self._by_id.values(), key=lambda c: c.id))

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, cat_id: str) -> bool:
        return cat_id in self._by_id

    def get(self, cat_id: str) -> Categorizer:
        try:
            return self._by_id[cat_id]
        except KeyError:
            raise RegistryError(f"unknown category {cat_id!r}; known: "
                                f"{', '.join(sorted(self._by_id))}") from None

    def ids(self) -> list[str]:
        return sorted(self._by_id)


def load(module: ModuleType, origin: str) -> Categorizer:
    check_contract(module, compile_re2=origin != "builtin")
    return Categorizer(module, origin)


def _builtin_modules() -> list[ModuleType]:
    import categorizers

    names = sorted(m.name for m in pkgutil.iter_modules(categorizers.__path__)
                   if not m.name.startswith("_"))
    return [importlib.import_module(f"categorizers.{name}") for name in names]


def _plugin_modules() -> list[tuple[ModuleType, str]]:
    found = []
    for ep in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP),
                     key=lambda e: e.name):
        dist = ep.dist.name if ep.dist else "unknown"
        found.append((ep.load(), dist))
    return found


@functools.cache
def default_registry() -> Registry:
    """Every built-in categorizer plus every installed plug-in."""
    cats = [load(m, "builtin") for m in _builtin_modules()]
    cats += [load(m, origin) for m, origin in _plugin_modules()]
    return Registry(cats)
