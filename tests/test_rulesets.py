"""Rulesets: loading and checking the data files, and the assessment arithmetic.

Thresholds come from the ruleset files; each level is tested at its threshold and one below,
per tier, with and without --insider.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from leakscan import rulesets
from leakscan.errors import RulesetError

ALL = [rulesets.load(r) for r in rulesets.builtin_ids()]


def test_builtin_rulesets_are_listed():
    assert set(rulesets.DEFAULT_RULESETS) <= set(rulesets.builtin_ids())


@pytest.mark.parametrize("rs", ALL, ids=lambda r: r.id)
@pytest.mark.parametrize("insider", [False, True])
def test_each_level_at_and_just_below_each_threshold(rs, insider):
    thresholds = rulesets.effective_thresholds(rs, insider)
    for k, level in enumerate(rs.levels):
        previous = rs.levels[k - 1].id if k else "none"
        for tier, n in thresholds[level.id].items():
            assert n.denominator == 1, "effective thresholds stay whole numbers"
            at = rulesets.assess(rs, {tier: int(n)}, insider=insider)
            below = rulesets.assess(rs, {tier: int(n) - 1}, insider=insider)
            assert at.level == level.id, (tier, n)
            assert below.level == previous, (tier, n - 1)
            on_duty = insider and bool(rs.insider)
            assert at.decisive["key"] == tier and at.decisive["insider"] == on_duty
            assert at.decisive["threshold"] == n and at.decisive["count"] == n
            if on_duty:  # item (8) decides, or (2)(3) by way of item (8)
                assert at.basis.startswith(level.insider_basis or rs.insider["basis"])
                assert rs.insider["basis"] in at.basis
            else:
                assert at.basis.startswith(level.basis[tier])


def test_cl253_insider_especially_serious_is_five_times_the_base():
    rs = rulesets.load("cn-cl253-1-2017")
    base = {lv.id: lv.thresholds for lv in rs.levels}
    eff = rulesets.effective_thresholds(rs, True)
    for tier in "ABC":
        assert eff["especially_serious"][tier] == base["serious"][tier] * 5
        assert eff["serious"][tier] == Fraction(base["serious"][tier], 2)


def test_ratio_score_is_exact():
    rs = rulesets.load("cn-cl253-1-2017")
    th = rs.levels[0].thresholds
    counts = {"A": th["A"] * 7 // 10, "B": th["B"] // 5, "C": th["C"] // 10}  # 0.7 + 0.2 + 0.1
    assert sum(counts[t] / th[t] for t in "ABC") < 1  # what floating point would conclude
    a = rulesets.assess(rs, counts)
    assert a.score == 1 and a.level == "serious"
    assert a.basis == rs.levels[0].basis["ratio"]
    one_less = dict(counts, C=counts["C"] - 1)
    assert rulesets.assess(rs, one_less).level == "none"


def test_ratio_reaches_the_higher_level_too():
    rs = rulesets.load("cn-cl253-1-2017")
    top = rs.levels[1].thresholds
    counts = {"A": top["A"] // 2, "B": top["B"] // 2}
    a = rulesets.assess(rs, counts)
    assert a.level == "especially_serious" and a.basis.startswith(rs.levels[1].basis["ratio"])
    # ten times by way of the ratio rule of item (6): both articles are cited, (2)(3) first
    assert a.decisive["by"] == "ratio" and rs.levels[0].basis["ratio"] in a.basis


def test_insider_is_ignored_with_a_note_where_there_is_no_insider_rule():
    rs = rulesets.load("cn-cl286-1-2019")
    assert rs.insider is None
    a = rulesets.assess(rs, {"A": 1}, insider=True)
    assert a.notes and "does not apply" in a.notes[0]
    assert a.thresholds == rulesets.effective_thresholds(rs, False)


def test_user_ruleset_file_by_path(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text('''id = "my-policy"
title = "Internal policy"
unit = "items"
citation = "Internal policy 7.3"
[[levels]]
id = "report"
thresholds = { C = 10 }
basis = { C = "policy 7.3(a)", ratio = "policy 7.3(b)" }
''', encoding="utf-8")
    rs = rulesets.load(str(f))
    assert rs.id == "my-policy"
    assert rulesets.assess(rs, {"C": 10}).level == "report"


@pytest.mark.parametrize("text,needle", [
    ("id = ", "not a valid TOML file"),
    ('id = "x"\ntitle = "t"\nunit = "people"\ncitation = "c"\nlevels = []', "unit must be"),
    ('id = "x"\ntitle = "t"\nunit = "items"\ncitation = "c"\n[[levels]]\nid = "l"\n'
     'thresholds = { D = 1 }\nbasis = {}', "unknown tier 'D'"),
    ('id = "x"\ntitle = "t"\nunit = "items"\ncitation = "c"\n[[levels]]\nid = "l"\n'
     'thresholds = { A = 1 }\nbasis = { A = "art" }', "no basis (article) given for 'ratio'"),
    ('id = "x"\ntitle = "t"\nunit = "items"\ncitation = "c"\n'
     '[[levels]]\nid = "hi"\nthresholds = { A = 10 }\nbasis = { A = "a", ratio = "r" }\n'
     '[[levels]]\nid = "lo"\nthresholds = { A = 5 }\nbasis = { A = "a", ratio = "r" }',
     "levels must be listed from the lowest up"),
])
def test_malformed_rulesets_name_the_file_and_the_rule(tmp_path, text, needle):
    f = tmp_path / "bad.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(RulesetError) as e:
        rulesets.load(str(f))
    assert "bad.toml" in str(e.value) and needle in str(e.value)


def test_unknown_ruleset_id():
    with pytest.raises(RulesetError, match="unknown ruleset"):
        rulesets.load("nope")
