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
    report is written or read), in the test
    data generator ``synth.py``, the spreadsheet-damage kinds of ``damage.py`` and the birth-date
    category of ``count.py`` (minors, cross-border ruleset), which are not yet declared by categorizers (docs/categorizers.md, "Capabilities, not names")."""
    import ast
    from pathlib import Path

    ids = set(default_registry().ids())
    allowed = ({("registry.py", c) for c in CLASS_TIERS} | {("damage.py", "phone"),
                                                          ("count.py", "cn_resident_id")}
               | {(f, "name") for f in ("report.py", "cli.py", "html.py", "render.py")})
    root = Path(__file__).resolve().parent.parent / "leakscan"
    named = set()
    for path in root.glob("*.py"):
        if path.name == "synth.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in ids:
                named.add((path.name, node.value))
    assert named - allowed == set()
