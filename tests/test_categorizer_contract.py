"""Contract tests run over every registered categorizer (built-in and plug-in alike)."""

from __future__ import annotations

import random
import string

import pytest

from leakscan.registry import CLASS_TIERS, default_registry

CATEGORIZERS = list(default_registry())
IDS = [c.id for c in CATEGORIZERS]

JUNK = [
    None, "", " ", "\t", "\u3000", "null", "NULL", "N/A", "-", "0", "00000000000",
    "x" * 300, "中文", "😀", "\x00", "a\nb", "'; DROP TABLE x; --", "{value}", "%s",
    "１２３４５６７８９０", "+", "@", "..", "1e18", "1.10101199001011E+17", "110101199003070",
]


def random_junk(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    alphabet = string.printable + "０１２３４５６７８９ＸＡ＠－＋　中国张王李北京市路号"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) for _ in range(n)]


@pytest.mark.parametrize("cat", CATEGORIZERS, ids=IDS)
def test_declares_a_consistent_class_and_tier(cat):
    if cat.personal:
        assert CLASS_TIERS[cat.cls] == cat.tier
    else:  # organisation identifiers: recognised, then excluded from every count
        assert (cat.cls, cat.tier, cat.identifying) == ("organisation", "-", False)
    assert cat.header_synonyms, "every categorizer needs header synonyms"
    assert cat.title and cat.title != cat.id


@pytest.mark.parametrize("cat", CATEGORIZERS, ids=IDS)
def test_python_reference_never_raises_on_junk(cat):
    for value in JUNK + random_junk(500):
        norm = cat.normalize(value)
        ok = cat.is_valid(value)
        assert isinstance(ok, bool)
        assert norm is None or isinstance(norm, str)
        if ok:
            masked = cat.mask(norm)
            assert masked != norm or len(norm) <= 1


@pytest.mark.parametrize("cat", CATEGORIZERS, ids=IDS)
def test_sql_agrees_with_python_on_junk(cat, agree):
    agree(cat, JUNK + random_junk(2000))


# -- DERIVED_SQL: values computed once, in layers, for the validation ------------------------


def _module_like(base: str, **overrides):
    """A copy of a built-in categorizer module with some names replaced."""
    import importlib
    import types

    mod = importlib.import_module(f"categorizers.{base}")
    copy = types.ModuleType(f"test_{base}_copy")
    copy.__dict__.update({k: v for k, v in vars(mod).items() if not k.startswith("__")})
    copy.__dict__.update(overrides)
    return copy


@pytest.mark.parametrize("derived", [
    [("n", "length({value})")],  # a list, not a tuple of layers
    (("n", "length({value})"),),  # a layer of strings, not of pairs
    ((("n", 3),),),  # a template that is not a string
    ((("not a name", "length({value})"),),),
    ((("value", "length({value})"),),),  # would shadow the normalised value
    ((("n", "length({value})"),), (("n", "{n} + 1"),)),  # the same name twice
])
def test_contract_rejects_malformed_derived_sql(derived):
    from leakscan.registry import RegistryError, check_contract

    with pytest.raises(RegistryError, match="DERIVED_SQL"):
        check_contract(_module_like("transaction", DERIVED_SQL=derived))


def test_derived_values_feed_the_validation_layer_by_layer(con):
    """Each layer sees the normalised value and the layers before it; the validation all of
    them. Hand-computed: 'abcd' has 4 characters (4 > 3: valid), 'ab' has 2, and a blank
    normalises to nothing (never valid)."""
    from leakscan.expressions import evaluate
    from leakscan.registry import check_contract, load

    module = _module_like(
        "transaction",
        DERIVED_SQL=((("n", "length({value})"),), (("twice", "{n} * 2"),)),
        VALIDATE_SQL="{twice} > 6 AND {n} = length({value})")
    check_contract(module)
    cat = load(module, "test")
    assert evaluate(con, cat, ["abcd", "ab", " ", None]) == [
        ("abcd", True), ("ab", False), (None, False), (None, False)]


@pytest.mark.parametrize("derived, validate", [
    ((), "{check_ok}"),  # reads a value nothing derives
    ((("a", "length({value})"), ("b", "{a} + 1")), "{b} > 2"),  # {a} is in the same layer
])
def test_contract_rejects_placeholders_no_earlier_layer_defines(derived, validate):
    from leakscan.registry import RegistryError, check_contract

    module = _module_like("transaction", DERIVED_SQL=(derived,) if derived else (),
                          VALIDATE_SQL=validate + " AND {value} IS NOT NULL")
    with pytest.raises(RegistryError, match="no earlier DERIVED_SQL layer"):
        check_contract(module)


def test_contract_accepts_regex_counts_and_classes_beside_placeholders():
    from leakscan.registry import check_contract

    check_contract(_module_like(
        "transaction", VALIDATE_SQL="regexp_full_match({value}, '\\p{Han}{2,4}|[a-z]{3}')"))


# -- capabilities: what the engine reads from a categorizer instead of naming it ------------


def test_only_identifying_categories_may_link_persons():
    from leakscan.registry import RegistryError, check_contract

    check_contract(_module_like("phone", LINKS_PERSONS=True))
    with pytest.raises(RegistryError, match="LINKS_PERSONS needs IDENTIFYING"):
        check_contract(_module_like("health", LINKS_PERSONS=True))
    with pytest.raises(RegistryError, match="LINKS_PERSONS must be a bool"):
        check_contract(_module_like("phone", LINKS_PERSONS="yes"))


def test_the_linking_categories_are_those_that_declare_it():
    from leakscan.count import linking_categories

    reg = default_registry()
    assert linking_categories(reg.ids(), reg) == sorted(
        c.id for c in reg if getattr(c.module, "LINKS_PERSONS", False))
    assert {"cn_resident_id", "phone", "email"} <= set(linking_categories(reg.ids(), reg))
    assert "name" not in linking_categories(reg.ids(), reg)


def test_categorizers_and_engine_share_only_public_modules():
    """Categorizers import from the engine only its public modules for them (``leakscan.text``
    helpers, ``leakscan.validation`` errors, ``leakscan.asof``'s reference date); the engine never imports a categorizer's private
    helper (``categorizers._*``) nor names a categorizer module."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    public = {"leakscan.text", "leakscan.validation", "leakscan.asof"}

    def imports(path):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield node.module
            elif isinstance(node, ast.Import):
                yield from (a.name for a in node.names)

    for path in (root / "categorizers").glob("*.py"):
        bad = {m for m in imports(path) if m.startswith("leakscan") and m not in public}
        assert not bad, f"{path.name} imports engine internals {bad}"
    for path in (root / "leakscan").glob("*.py"):
        # (the registry imports the package itself, to discover its modules)
        bad = {m for m in imports(path) if m.startswith("categorizers.")}
        assert not bad, f"{path.name} imports {bad}"


# -- value evidence: VALUE_KINDS, NEGATIVE_WORDS, MIN_DISTINCT_SHARE --------------------------


@pytest.mark.parametrize(("overrides", "message"), [
    ({"VALUE_KINDS": ["money"]}, "VALUE_KINDS"),  # a list, not a tuple
    ({"VALUE_KINDS": ()}, "VALUE_KINDS"),
    ({"VALUE_KINDS": ("money", "")}, "VALUE_KINDS"),
    ({"NEGATIVE_WORDS": ("方式", 3)}, "NEGATIVE_WORDS"),
    ({"NEGATIVE_WORDS": "type"}, "NEGATIVE_WORDS"),
    ({"MIN_DISTINCT_SHARE": 1.5}, "MIN_DISTINCT_SHARE"),
    ({"MIN_DISTINCT_SHARE": 1}, "MIN_DISTINCT_SHARE"),  # an int, not a float
])
def test_contract_rejects_malformed_value_evidence(overrides, message):
    from leakscan.registry import RegistryError, check_contract

    with pytest.raises(RegistryError, match=message):
        check_contract(_module_like("transaction", **overrides))


def test_an_attribute_category_must_declare_its_value_kinds():
    from leakscan.registry import RegistryError, check_contract

    mod = _module_like("transaction")
    del mod.VALUE_KINDS
    with pytest.raises(RegistryError, match="needs VALUE_KINDS"):
        check_contract(mod)
    # An identifier validates by its own checks and needs none.
    ident = _module_like("phone")
    assert not hasattr(ident, "VALUE_KINDS")
    check_contract(ident)


def test_the_engine_names_no_category():
    """No string in the engine is a category id, except where the word means something else
    (the legal classes of ``registry.CLASS_TIERS``, the report's ``"name"`` key wherever a
    report is written or read, a level's ``"name"`` in a ruleset file) and in the test data
    generator ``synth.py`` (docs/categorizers.md, "Capabilities, not names"). Subpackages
    (``inputs/``, ``rulesets/``) are engine too."""
    import ast
    from pathlib import Path

    ids = set(default_registry().ids())
    allowed = ({("registry.py", c) for c in CLASS_TIERS}
               | {(f, "name") for f in ("report.py", "cli.py", "html.py", "render.py",
                                      "rulesets/__init__.py")}
               # the name given to a headerless credential list's first field: a column
               # name (matched as a header like any other), not a category
               | {("inputs/credentials.py", "account")})
    root = Path(__file__).resolve().parent.parent / "leakscan"
    named = set()
    for path in root.rglob("*.py"):
        if path.name == "synth.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in ids:
                named.add((path.relative_to(root).as_posix(), node.value))
    assert named - allowed == set()


# -- DAMAGE and BIRTH_DATE_SQL: spreadsheet damage and birth dates, declared -----------------


@pytest.mark.parametrize(("damage", "message"), [
    ("[0-9]{18}", "DAMAGE"),  # not a tuple of triples
    ((("[0-9]{18}", 0.3),), "triples"),
    ((("[0-9]{18}", 0, "ids"),), "triples"),  # an int share
    ((("[0-9]{18}", 0.0, "ids"),), r"not in \(0, 1\]"),
    ((("[0-9]{18}", 1.5, "ids"),), r"not in \(0, 1\]"),
    ((("[0-9]{18}", 0.3, " "),), "triples"),
    ((("(?<=a)[0-9]{18}", 0.3, "ids"),), "not RE2"),  # look-behind: Python re, not RE2
    ((), "names a pattern"),
])
def test_contract_rejects_malformed_damage(damage, message):
    from leakscan.registry import RegistryError, check_contract

    with pytest.raises(RegistryError, match=message):
        check_contract(_module_like("phone", DAMAGE=damage))


@pytest.mark.parametrize("cat", [c for c in CATEGORIZERS if c.damage], ids=lambda c: c.id)
def test_declared_damage_compiles_in_duckdb_with_a_share_in_range(cat, con):
    for pattern, share, text in cat.damage:
        assert 0.0 < share <= 1.0 and text.strip()
        con.execute("SELECT regexp_full_match('', ?)", [pattern]).fetchone()


def test_the_damage_kinds_are_the_generic_one_then_the_declared_ones():
    from leakscan.damage import NUMBER, damage_patterns

    kinds = damage_patterns(default_registry())
    assert kinds[0].kind == NUMBER[0] == "number"
    declared = {(p.kind, p.min_share) for p in kinds[1:]}
    # hand-written from the two categorizers' declarations (docs/inputs.md: 30 % and 50 %)
    assert declared == {("cn_resident_id", 0.3), ("phone", 0.5)}


@pytest.mark.parametrize(("spelling", "kinds"), [
    # Excel's renderings of a resident ID and of phone numbers, written by hand
    ("110101199001011000", {"cn_resident_id"}),  # 15 significant digits, zero-filled
    ("11010119900101123", {"cn_resident_id"}),  # a lost X: 17 digits
    ("1.10101199001011E+17", {"number"}),
    ("110101199001011234.0", {"number"}),
    ("8613800138000", {"phone"}),  # +86 lost
    ("1012345678", {"phone"}),  # Beijing's 0 lost
    ("75512345678", {"phone"}),  # Shenzhen's 0 lost
    ("110101199001011237", set()),  # an intact ID
    ("13800138000", set()),  # an intact mobile
    ("010-12345678", set()),
])
def test_damage_kinds_recognise_the_spreadsheet_forms(con, spelling, kinds):
    from leakscan.damage import damage_patterns

    found = {p.kind for p in damage_patterns(default_registry())
             if con.execute("SELECT regexp_full_match(?, ?)", [spelling, p.pattern]).fetchone()[0]}
    assert found == kinds


def test_contract_rejects_a_birth_date_without_its_twin():
    from leakscan.registry import RegistryError, check_contract

    mod = _module_like("cn_resident_id")
    del mod.birth_date
    with pytest.raises(RegistryError, match="birth_date"):
        check_contract(mod)
    with pytest.raises(RegistryError, match="BIRTH_DATE_SQL"):
        check_contract(_module_like("cn_resident_id", BIRTH_DATE_SQL="current_date"))


@pytest.mark.parametrize("cat", [c for c in CATEGORIZERS if c.birth_date_sql],
                         ids=lambda c: c.id)
def test_birth_date_sql_agrees_with_python(cat, con):
    """Over the normalised values of many generated spellings, junk and edge dates, valid or
    not, the SQL birth date equals the Python twin's."""
    from leakscan import synth
    from leakscan.expressions import apply, evaluate

    rng = random.Random(11)
    edges = [f"110105{y:04d}{m:02d}{d:02d}0011" for y, m, d in [
        (0, 1, 1), (1, 1, 1), (1900, 2, 29), (2000, 2, 29), (1990, 13, 1), (1990, 4, 31),
        (1990, 0, 10), (1990, 1, 0), (9999, 12, 31)]]
    randoms = ["".join(rng.choice(string.digits) for _ in range(17)) + rng.choice("0123456789X")
               for _ in range(3000)]
    generated = [synth.resident_id(rng, valid=k % 4 != 0, min_year=1930 + k % 70, max_year=2025)
                 for k in range(2000)]
    values = generated + edges + randoms + JUNK + random_junk(500)
    norms = [n for n, _ in evaluate(con, cat, values) if n is not None]
    assert len(norms) > 5000
    con.execute("CREATE OR REPLACE TEMP TABLE birth_norms (v VARCHAR)")
    con.executemany("INSERT INTO birth_norms VALUES (?)", [[n] for n in norms])
    sql = con.execute(f"SELECT {apply(cat.birth_date_sql, 'v')} FROM birth_norms").fetchall()
    bad = [(n, s[0], cat.birth_date(n)) for n, s in zip(norms, sql, strict=True)
           if s[0] != cat.birth_date(n)]
    assert not bad, bad[:5]
