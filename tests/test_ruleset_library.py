"""The shipped ruleset library: illegal income, persons units, alternatives (SPC Guiding Case
No. 193) and the report's assessments[].alternatives.

Every threshold is read from its ruleset file; no figure of the law is typed here. The level
tests at and just below every count threshold, with and without --insider, are
``test_rulesets.test_each_level_at_and_just_below_each_threshold``, which runs over every
built-in ruleset, the new ones included.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

import leakscan
from leakscan import rulesets
from leakscan.errors import RulesetError
from tests.helpers import han_name, mobile, resident_id, write_csv

CL253 = rulesets.load("cn-cl253-1-2017")
SHIPPED = {"cn-cl253-1-2017", "cn-cl286-1-2019", "cn-incident-2025", "cn-cross-border-2024",
           "us-hipaa-breach"}


def test_the_library_ships_every_ruleset_with_citations():
    assert SHIPPED <= set(rulesets.builtin_ids())
    for rid in SHIPPED:
        rs = rulesets.load(rid)
        assert rs.title and rs.citation and rs.jurisdiction and rs.none_basis
        assert rs.unit == ("items" if rid.startswith("cn-cl") else "persons")
        for lv in rs.levels:
            assert all(lv.basis[k] for k in lv.thresholds)


@pytest.mark.parametrize("insider", [False, True])
def test_illegal_income_at_and_just_below_each_level(insider):
    incomes = rulesets.effective_income(CL253, insider)
    assert set(incomes) == {lv.id for lv in CL253.levels}
    for k, lv in enumerate(CL253.levels):
        previous = CL253.levels[k - 1].id if k else "none"
        at = rulesets.assess(CL253, {}, insider=insider, illegal_income=incomes[lv.id])
        below = rulesets.assess(CL253, {}, insider=insider,
                                illegal_income=incomes[lv.id] - Fraction(1, 100))
        assert at.level == lv.id and at.decisive["by"] == "income"
        if insider:  # item (8) decides (and (2)(3) by way of it), item (7) is its standard
            assert CL253.insider["basis"] in at.basis
            assert CL253.levels[0].basis["income"] in at.basis
        else:
            assert at.basis.startswith(lv.basis["income"])
        assert below.level == previous


def test_insider_income_is_half_and_especially_serious_five_times_the_base():
    base = {lv.id: lv.income for lv in CL253.levels}
    eff = rulesets.effective_income(CL253, True)
    assert eff["serious"] == base["serious"] / 2
    assert eff["especially_serious"] == base["serious"] * 5


def test_without_income_the_income_rule_is_not_applied():
    a = rulesets.assess(CL253, {})
    assert a.level == "none" and a.illegal_income is None


def test_income_and_items_together_take_the_higher_level():
    serious = CL253.levels[0]
    a = rulesets.assess(CL253, {"A": serious.thresholds["A"]},
                        illegal_income=CL253.levels[1].income)
    assert a.level == CL253.levels[1].id


def test_income_does_not_apply_to_286_1_and_says_so():
    rs = rulesets.load("cn-cl286-1-2019")
    a = rulesets.assess(rs, {}, illegal_income=10**9)
    assert a.level == "none" and any("does not apply" in n for n in a.notes)


def test_illegal_income_through_scan_and_report(tmp_path):
    f = write_csv(tmp_path / "a.csv", ["手机号"], [[mobile(1)]])
    income = CL253.levels[0].income
    doc = leakscan.scan([str(f)], illegal_income=str(income)).to_dict()
    a = next(a for a in doc["assessments"] if a["ruleset"] == CL253.id)
    assert a["level"] == "serious" and "Art. 5(1)(7)" in a["basis"]
    assert a["illegal_income"] == income and doc["options"]["illegal_income"] == income
    half = str(income / 2)
    doc = leakscan.scan([str(f)], illegal_income=half, insider=True).to_dict()
    assert next(a for a in doc["assessments"] if a["ruleset"] == CL253.id)["level"] == "serious"
    doc = leakscan.scan([str(f)], illegal_income=str(income - 1)).to_dict()
    assert next(a for a in doc["assessments"] if a["ruleset"] == CL253.id)["level"] == "none"


def test_bad_illegal_income_is_a_usage_error(tmp_path):
    f = write_csv(tmp_path / "a.csv", ["手机号"], [[mobile(1)]])
    from leakscan.errors import UsageError

    for bad in ("lots", "-5"):
        with pytest.raises(UsageError, match="illegal-income"):
            leakscan.scan([str(f)], illegal_income=bad)


# -- alternatives ----------------------------------------------------------------------------

GC193 = CL253.alternatives[0]


def _id_name_file(tmp_path, n):
    rows = [[han_name(i), resident_id(i % 1000, birth=f"19{50 + i // 1000:02d}0101")]
            for i in range(n)]
    return write_csv(tmp_path / f"ids_{n}.csv", ["姓名", "身份证号"], rows)


def _cl253(doc):
    return next(a for a in doc["assessments"] if a["ruleset"] == CL253.id)


def _gc193(a):
    (alt,) = [x for x in a["alternatives"] if x["id"] == GC193.id]
    return alt


def test_gc193_is_declared_as_data():
    assert set(GC193.all_of) == {"cn_resident_id", "name"}
    assert GC193.tier == "B" and "Guiding Case No. 193" in GC193.basis


def test_gc193_changes_the_level_at_the_tier_b_threshold(tmp_path):
    b = CL253.levels[0].thresholds[GC193.tier]  # 500 from the file
    doc = leakscan.scan([str(_id_name_file(tmp_path, b))]).to_dict()
    a = _cl253(doc)
    assert doc["tiers"] == {"A": 0, "B": 0, "C": b}
    assert a["level"] == "none"  # literally: b tier-C items, far below the C threshold
    alt = _gc193(a)
    assert set(alt) >= {"reading", "basis", "counts_used", "score", "level"}
    assert alt["counts_used"] == {"A": 0, "B": b, "C": 0}
    assert alt["level"] == "serious" and alt["records_matching"] == b
    assert alt["level_basis"].startswith(CL253.levels[0].basis["B"])


def test_gc193_just_below_the_threshold_changes_nothing(tmp_path):
    b = CL253.levels[0].thresholds[GC193.tier]
    doc = leakscan.scan([str(_id_name_file(tmp_path, b - 1))]).to_dict()
    alt = _gc193(_cl253(doc))
    assert alt["counts_used"]["B"] == b - 1 and alt["level"] == "none"
    assert alt["score"] < 1


def test_gc193_needs_both_a_valid_id_and_a_name(tmp_path):
    # IDs without names, names with phones: nothing is reread.
    f = write_csv(tmp_path / "x.csv", ["身份证号", "姓名", "手机号"], [
        [resident_id(1), "", mobile(1)],
        ["", han_name(2), mobile(2)],
        [resident_id(3), han_name(3), ""],
    ])
    alt = _gc193(_cl253(leakscan.scan([str(f)]).to_dict()))
    assert alt["records_matching"] == 1 and alt["counts_used"] == {"A": 0, "B": 1, "C": 2}


def test_alternatives_count_under_scope_input_and_dedup_none(tmp_path):
    a = write_csv(tmp_path / "a.csv", ["姓名", "身份证号"], [[han_name(1), resident_id(1)]] * 2)
    b = write_csv(tmp_path / "b.csv", ["姓名", "身份证号"], [[han_name(1), resident_id(1)]])
    paths = [str(a), str(b)]
    expected = {"case": 1, "input": 2}
    for scope, n in expected.items():
        alt = _gc193(_cl253(leakscan.scan(paths, scope=scope).to_dict()))
        assert alt["counts_used"]["B"] == n
    alt = _gc193(_cl253(leakscan.scan(paths, dedup="none").to_dict()))
    assert alt["counts_used"]["B"] == 3


def test_alternative_in_a_user_ruleset(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text('''id = "mine"
title = "t"
unit = "items"
citation = "c"
[[levels]]
id = "report"
thresholds = { B = 2, C = 100 }
basis = { B = "b", C = "c", ratio = "r" }
[[alternatives]]
id = "phones-are-b"
reading = "phone records as tier B"
basis = "my reading"
reclassify = { all_of = ["phone"], tier = "B" }
''', encoding="utf-8")
    data = write_csv(tmp_path / "p.csv", ["手机号"], [[mobile(1)], [mobile(2)]])
    doc = leakscan.scan([str(data)], rulesets=[str(f)]).to_dict()
    (a,) = doc["assessments"]
    assert a["level"] == "none" and a["alternatives"][0]["level"] == "report"


@pytest.mark.parametrize("text,needle", [
    ('id = "x"\ntitle = "t"\nunit = "persons"\ncitation = "c"\n[[levels]]\nid = "l"\n'
     'thresholds = { A = 1 }\nbasis = { A = "a" }', "unknown tier 'A'"),
    ('id = "x"\ntitle = "t"\nunit = "persons"\ncitation = "c"\n[[levels]]\nid = "l"\n'
     'thresholds = { sensitive_persons = 1 }\nbasis = { sensitive_persons = "a" }',
     "needs sensitive_categories"),
    ('id = "x"\ntitle = "t"\nunit = "items"\ncitation = "c"\n[[levels]]\nid = "l"\n'
     'thresholds = { A = 1 }\nincome = 10\nbasis = { A = "a", ratio = "r" }',
     "no basis (article) given for 'income'"),
    ('id = "x"\ntitle = "t"\nunit = "items"\ncitation = "c"\n[[levels]]\nid = "l"\n'
     'thresholds = { A = 1 }\nbasis = { A = "a", ratio = "r" }\n[[alternatives]]\nid = "a"\n'
     'reading = "r"\nbasis = "b"\nreclassify = { all_of = ["name"], tier = "Z" }',
     "reclassify needs"),
])
def test_malformed_library_features_name_the_rule(tmp_path, text, needle):
    f = tmp_path / "bad.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(RulesetError) as e:
        rulesets.load(str(f))
    assert needle in str(e.value)


def test_hipaa_media_wording_is_more_than_500():
    rs = rulesets.load("us-hipaa-breach")
    hhs, media = (lv.thresholds["sensitive_persons"] for lv in rs.levels)
    assert media == hhs + 1  # "500 or more" (164.408) vs "more than 500" (164.406)
    assert rulesets.assess(rs, {"sensitive_persons": hhs}).level == rs.levels[0].id
    assert rulesets.assess(rs, {"sensitive_persons": media}).level == rs.levels[1].id
    assert rulesets.assess(rs, {"sensitive_persons": hhs - 1}).level == "none"
