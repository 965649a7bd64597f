"""Verification by sampling (docs/counting.md, "Verification by sampling"): the exact
interval, the reproducible stratified draw, the examiner's answers read back, and the level at
the lower bound.

Expected numbers come from how the data was built: which rows were planted as fakes, the
closed forms of the Clopper-Pearson bounds (x = 0: upper = 1 - (alpha/2)^(1/n); x = n:
lower = (alpha/2)^(1/n); n = 2, x = 1: 1 - sqrt(1 - alpha/2) and sqrt(1 - alpha/2)), and, where
there is no closed form, the bound's defining equation evaluated in exact rational arithmetic
here (P(X >= x | n, lower) = alpha/2). The answers an examiner gives are taken from the planted
truth, never from what leakscan says about a record.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from decimal import Decimal
from fractions import Fraction
from math import comb, floor

import pytest
from click.testing import CliRunner

import leakscan
from leakscan.cli import main
from leakscan.interval import clopper_pearson, confidence_level
from leakscan.sampling import draw_sample, parse_answer
from tests.helpers import bank_card, han_name, mobile, write_csv

HALF = Decimal("0.025")  # alpha / 2 at 95 %


# -- the interval, by hand ------------------------------------------------------------------

def _close(a, b, tol="1e-15") -> bool:
    return abs(Decimal(a) - Decimal(b)) < Decimal(tol)


def test_clopper_pearson_equals_its_closed_forms():
    # x = 0, n = 10: upper = 1 - 0.025^(1/10) = 0.308497...
    lo, hi = clopper_pearson(0, 10)
    assert lo == 0 and _close(hi, 1 - HALF ** (Decimal(1) / 10))
    assert f"{hi:.6f}" == "0.308497"
    # x = n = 10: lower = 0.025^(1/10) = 0.691503...
    lo, hi = clopper_pearson(10, 10)
    assert hi == 1 and _close(lo, HALF ** (Decimal(1) / 10))
    assert f"{lo:.6f}" == "0.691503"
    # n = 2, x = 1: P(X >= 1) = 1 - (1-p)^2 = 0.025 and P(X <= 1) = 1 - p^2 = 0.025
    lo, hi = clopper_pearson(1, 2)
    assert _close(lo, 1 - Decimal("0.975").sqrt()) and _close(hi, Decimal("0.975").sqrt())
    # n = 1: the bounds are alpha/2 and 1 - alpha/2 themselves
    assert _close(clopper_pearson(1, 1)[0], HALF) and _close(clopper_pearson(0, 1)[1], 1 - HALF)
    # 99 %: x = 0, n = 20: upper = 1 - 0.005^(1/20)
    assert _close(clopper_pearson(0, 20, "0.99")[1], 1 - Decimal("0.005") ** (Decimal(1) / 20))


def test_clopper_pearson_of_five_in_ten():
    lo, hi = clopper_pearson(5, 10)
    assert (f"{lo:.6f}", f"{hi:.6f}") == ("0.187086", "0.812914")
    # symmetric, because 5 of 10 is its own mirror image
    assert _close(lo, 1 - hi, "1e-20")


def _tail_ge(x: int, n: int, p: Fraction) -> Fraction:
    """P(X >= x | n, p), exactly."""
    return sum((comb(n, j) * p ** j * (1 - p) ** (n - j) for j in range(x, n + 1)),
               Fraction(0))


@pytest.mark.parametrize("x,n", [(18, 20), (3, 7), (180, 200), (1, 30)])
def test_clopper_pearson_bounds_solve_their_defining_equations(x, n):
    lo, hi = clopper_pearson(x, n)
    target = Fraction(1, 40)
    # the lower bound is the root of P(X >= x | p) = 0.025, rounded down (never above it)
    assert abs(_tail_ge(x, n, Fraction(lo)) - target) < Fraction(1, 10**18)
    assert _tail_ge(x, n, Fraction(lo)) <= target
    # the upper bound is the root of P(X <= x | p) = 0.025, rounded up
    below = 1 - _tail_ge(x + 1, n, Fraction(hi))
    assert abs(below - target) < Fraction(1, 10**18) and below <= target
    # the mirror image: x of n genuine is n - x of n not genuine
    lo2, hi2 = clopper_pearson(n - x, n)
    assert _close(lo, 1 - hi2, "1e-20") and _close(hi, 1 - lo2, "1e-20")


def test_bad_interval_arguments_are_refused():
    for bad in ("0", "1", "1.5", "abc", "-0.2", "nan"):
        with pytest.raises(ValueError):
            confidence_level(bad)
    assert confidence_level("99%") == Decimal("0.99")
    with pytest.raises(ValueError):
        clopper_pearson(3, 2)


def test_answers_in_every_accepted_spelling():
    yes = ["yes", "YES", " y ", "true", "1", "是", "True"]
    no = ["no", "N", "false", "0", "否", " No "]
    assert all(parse_answer(t) is True for t in yes)
    assert all(parse_answer(t) is False for t in no)
    assert parse_answer("  ") is None
    for bad in ("maybe", "2", "ja", "yes!"):
        with pytest.raises(ValueError):
            parse_answer(bad)


# -- a generated case with a known genuine share --------------------------------------------

A_ROWS, C_ROWS = 200, 60
FAKES = {k for k in range(1, A_ROWS + 1) if k % 10 == 0}  # 20 of 200: genuine share 90 %


def _leak(tmp_path, a_rows: int = A_ROWS, c_rows: int = C_ROWS, name: str = "leak.csv"):
    """Rows 1..a_rows: name, phone, bank card (tier A, Art. 5(1)(3)); then c_rows rows of
    name and phone only (tier C). Every value is valid and distinct, so nothing is a
    duplicate: tiers A a_rows, B 0, C c_rows."""
    rows = [[han_name(k), mobile(k), bank_card(k)] for k in range(1, a_rows + 1)]
    rows += [[han_name(5000 + k), mobile(5000 + k), ""] for k in range(1, c_rows + 1)]
    return write_csv(tmp_path / "dump" / name, ["姓名", "手机号", "银行卡号"], rows)


def _report(tmp_path, paths, name="case.json", *extra) -> str:
    out = str(tmp_path / name)
    res = CliRunner().invoke(main, ["scan", *map(str, paths), "-o", out, "-q", *extra])
    assert res.exit_code == 0, res.output
    return out


def _read_sample(path):
    raw = open(path, "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: spreadsheets read Chinese right
    text = raw.decode("utf-8-sig")
    first, rest = text.split("\r\n", 1)
    return first, list(csv.DictReader(io.StringIO(rest, newline="")))


def _fill(path, out, answer) -> None:
    """Fill in ``genuine`` as an examiner would: ``answer(row)`` from the planted truth."""
    first, rows = _read_sample(path)
    buf = io.StringIO(newline="")
    buf.write(first + "\r\n")
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\r\n")
    w.writeheader()
    for r in rows:
        w.writerow(dict(r, genuine=answer(r)))
    with open(out, "w", encoding="utf-8-sig", newline="") as f:
        f.write(buf.getvalue())


def _truth(r) -> str:
    row = int(r["row"])
    # the drawn record is the one planted at that row: its card ends as planted
    if row <= A_ROWS:
        assert r["bank_card"].endswith(bank_card(row)[-4:]), r
    return "no" if row in FAKES else "yes"


def test_the_sampling_round_trip_on_a_case_with_a_known_genuine_share(tmp_path):
    leak = _leak(tmp_path)
    report = _report(tmp_path, [leak])
    sample = tmp_path / "case.sample.csv"
    res = CliRunner().invoke(main, ["sample", report, str(leak), "--n", "20"])
    assert res.exit_code == 0, res.output
    assert "A 20 of 200, B 0 of 0, C 20 of 60" in res.output
    first, rows = _read_sample(sample)
    # the seed is the report's SHA-256, recorded with it on the first line
    digest = hashlib.sha256(open(report, "rb").read()).hexdigest()
    assert f"report_sha256={digest} seed={digest}" in first
    assert [r["genuine"] for r in rows] == [""] * 40
    drawn_a = [int(r["row"]) for r in rows if r["tier"] == "A"]
    drawn_c = [int(r["row"]) for r in rows if r["tier"] == "C"]
    assert len(set(drawn_a)) == 20 and all(1 <= k <= A_ROWS for k in drawn_a)
    assert len(set(drawn_c)) == 20 and all(A_ROWS < k <= A_ROWS + C_ROWS for k in drawn_c)
    # values are masked: no planted phone number appears whole
    assert not any(mobile(k) in open(sample, encoding="utf-8-sig").read()
                   for k in drawn_a)

    filled = tmp_path / "filled.csv"
    _fill(sample, filled, _truth)
    out = tmp_path / "verified.json"
    res = CliRunner().invoke(main, ["scan", str(leak), "--verification", str(filled),
                                    "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    v = json.loads(out.read_text(encoding="utf-8"))["verification"]
    x_a = sum(1 for k in drawn_a if k not in FAKES)  # from what was planted
    a = v["tiers"]["A"]
    assert (a["count"], a["sampled"], a["genuine"], a["not_genuine"]) == (200, 20, x_a, 20 - x_a)
    lo, hi = Fraction(a["lower"]), Fraction(a["upper"])
    assert abs(_tail_ge(x_a, 20, lo) - Fraction(1, 40)) < Fraction(1, 10**12)
    if x_a < 20:
        assert abs(1 - _tail_ge(x_a + 1, 20, hi) - Fraction(1, 40)) < Fraction(1, 10**12)
    assert a["count_at_lower_bound"] == floor(200 * lo)
    # tier C: 20 of 20 genuine: lower = 0.025^(1/20) = 0.83157..., 60 x 0.83157 = 49.89 -> 49
    c = v["tiers"]["C"]
    assert (c["sampled"], c["genuine"], c["upper"]) == (20, 20, 1.0)
    assert _close(c["lower"], HALF ** (Decimal(1) / 20), "1e-12")
    assert c["count_at_lower_bound"] == 49
    assert "B" not in v["tiers"]  # nothing to sample
    assert v["confidence"] == 0.95 and v["report_sha256"] == digest


def test_a_whole_tier_sampled_is_counted_as_checked(tmp_path):
    leak = _leak(tmp_path)
    report = _report(tmp_path, [leak])
    sample = str(tmp_path / "all.csv")
    draw_sample(report, [str(leak)], n=1000, output=sample)
    filled = str(tmp_path / "all-filled.csv")
    _fill(sample, filled, _truth)
    v = leakscan.scan([str(leak)], verification=filled).to_dict()["verification"]
    a = v["tiers"]["A"]
    # every record checked, 20 planted fakes: the genuine count is known, 180 (no interval)
    assert (a["sampled"], a["genuine"], a["share"], a["census"]) == (200, 180, 0.9, True)
    assert (a["lower"], a["upper"], a["count_at_lower_bound"]) == (0.9, 0.9, 180)
    c = v["tiers"]["C"]
    assert (c["sampled"], c["genuine"], c["count_at_lower_bound"]) == (60, 60, 60)


def test_the_same_report_gives_the_same_sample_and_another_seed_another(tmp_path):
    leak = _leak(tmp_path)
    report = _report(tmp_path, [leak])
    one, two, other = (str(tmp_path / n) for n in ("one.csv", "two.csv", "other.csv"))
    draw_sample(report, [str(leak)], n=15, output=one)
    draw_sample(report, [str(leak)], n=15, output=two)
    assert open(one, "rb").read() == open(two, "rb").read()
    draw_sample(report, [str(leak)], n=15, output=other, seed="court-2026-001")
    first, rows = _read_sample(other)
    assert "seed=court-2026-001" in first
    picked = {r["row"] for r in rows}
    assert picked != {r["row"] for r in _read_sample(one)[1]}
    # stratified: n per tier, whatever the tiers' sizes
    assert sorted(r["sample_id"] for r in rows) == (
        [f"A-{k:04d}" for k in range(1, 16)] + [f"C-{k:04d}" for k in range(1, 16)])


# -- the level under the lower bound, at a threshold edge -----------------------------------

@pytest.mark.parametrize("n,at_lower,level", [
    # 20 of 60 sampled, all genuine: 0.025^(1/20) = 0.831567...; 60 x that = 49.89 -> 49 < 50
    (20, 49, "none"),
    # 21 of 60: 0.025^(1/21) = 0.838902...; 60 x that = 50.33 -> 50 >= 50: still serious
    (21, 50, "serious"),
])
def test_the_level_at_the_lower_bound_at_the_threshold_edge(tmp_path, n, at_lower, level):
    lower = HALF ** (Decimal(1) / n)
    assert floor(60 * lower) == at_lower  # the hand computation above
    leak = _leak(tmp_path, a_rows=60, c_rows=0)
    report = _report(tmp_path, [leak])
    sample = str(tmp_path / "s.csv")
    draw_sample(report, [str(leak)], n=n, output=sample)
    filled = str(tmp_path / "f.csv")
    _fill(sample, filled, lambda r: "是")  # every planted record is genuine
    doc = leakscan.scan([str(leak)], verification=filled).to_dict()
    v = doc["verification"]
    assert v["tiers"]["A"]["census"] is False
    assert v["tiers"]["A"]["count_at_lower_bound"] == at_lower
    cl253 = next(x for x in v["assessments"] if x["ruleset"] == "cn-cl253-1-2017")
    assert (cl253["level"], cl253["level_at_lower_bound"]) == ("serious", level)
    assert cl253["counts_at_lower_bound"] == {"A": at_lower, "B": 0, "C": 0}
    assert cl253["changes_level"] == (level != "serious")
    said = "at the 95% lower bound of the sampled genuine share: no level reached"
    assert (said in doc["verdict"]) == (level == "none")


# -- refusals -------------------------------------------------------------------------------

def test_a_sample_size_below_one_is_a_usage_error(tmp_path):
    leak = _leak(tmp_path, a_rows=3, c_rows=0)
    report = _report(tmp_path, [leak])
    res = CliRunner().invoke(main, ["sample", report, str(leak), "--n", "0"])
    assert res.exit_code == 2 and "--n must be between 1 and" in res.output
    res = CliRunner().invoke(main, ["sample", report, str(leak), "--n", "2", "--seed", "a b"])
    assert res.exit_code == 2 and "--seed must be" in res.output


def test_a_sample_of_changed_files_is_refused_like_verify(tmp_path):
    leak = _leak(tmp_path)
    report = _report(tmp_path, [leak])
    with open(leak, "a", encoding="utf-8") as f:
        f.write(f"{han_name(9000)},{mobile(9000)},\n")
    res = CliRunner().invoke(main, ["sample", report, str(leak), "--n", "5"])
    assert res.exit_code == 5, res.output
    assert "CHANGED" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "case.sample.csv").exists()


def test_a_sample_of_another_scan_is_refused(tmp_path):
    leak = _leak(tmp_path)
    other = _leak(tmp_path, a_rows=30, c_rows=5, name="other.csv")
    report = _report(tmp_path, [leak])
    sample = str(tmp_path / "s.csv")
    draw_sample(report, [str(leak)], n=5, output=sample)
    filled = str(tmp_path / "f.csv")
    _fill(sample, filled, _truth)
    res = CliRunner().invoke(main, ["scan", str(other), "--verification", filled, "-q"])
    assert res.exit_code == 2, res.output
    assert "belongs to another scan" in res.output and len(res.output.splitlines()) == 1
    # the same files counted with another dedup are another scan too
    res = CliRunner().invoke(main, ["scan", str(leak), "--verification", filled, "--dedup",
                                    "none", "-q"])
    assert res.exit_code == 2 and "--dedup record" in res.output, res.output


def _drawn(tmp_path):
    leak = _leak(tmp_path, a_rows=12, c_rows=4)
    report = _report(tmp_path, [leak])
    sample = str(tmp_path / "s.csv")
    draw_sample(report, [str(leak)], n=5, output=sample)
    return leak, sample


def test_a_bad_answer_is_refused_with_its_line(tmp_path):
    leak, sample = _drawn(tmp_path)
    filled = str(tmp_path / "f.csv")
    # line 1 is the sample's identity, line 2 the header: the third record is line 5
    _fill(sample, filled, lambda r: "maybe" if r["sample_id"] == "A-0003" else "yes")
    res = CliRunner().invoke(main, ["scan", str(leak), "--verification", filled, "-q"])
    assert res.exit_code == 2
    assert f"--verification {filled}, line 5: genuine must be yes or no" in res.output
    assert "'maybe'" in res.output and "Traceback" not in res.output


def test_an_unanswered_record_is_refused(tmp_path):
    leak, sample = _drawn(tmp_path)
    filled = str(tmp_path / "f.csv")
    _fill(sample, filled, lambda r: "" if r["sample_id"] in ("C-0002", "C-0004") else "no")
    res = CliRunner().invoke(main, ["scan", str(leak), "--verification", filled, "-q"])
    assert res.exit_code == 2
    # A-0001..A-0005 are lines 3-7, C-0001 line 8: C-0002 is line 9
    assert "2 sampled record(s) not answered (line 9, ...)" in res.output, res.output


def test_a_changed_row_is_refused(tmp_path):
    leak, sample = _drawn(tmp_path)
    filled = str(tmp_path / "f.csv")

    def moved(r):
        if r["sample_id"] == "A-0001":
            r["row"] = str(int(r["row"]) % 12 + 1)  # another record than the one drawn
        return "yes"
    _fill(sample, filled, moved)
    res = CliRunner().invoke(main, ["scan", str(leak), "--verification", filled, "-q"])
    assert res.exit_code == 2 and "not the ones leakscan sample drew" in res.output


def test_the_sample_never_replaces_an_input_or_the_report(tmp_path):
    leak = _leak(tmp_path, a_rows=5, c_rows=1)
    report = _report(tmp_path, [leak])
    before = open(leak, "rb").read()
    for target in (str(leak), report):
        res = CliRunner().invoke(main, ["sample", report, str(leak), "--n", "2", "-o", target])
        assert res.exit_code == 2, res.output
    assert open(leak, "rb").read() == before


def test_unmasked_sample_holds_full_values_and_warns(tmp_path):
    leak = _leak(tmp_path, a_rows=6, c_rows=0)
    report = _report(tmp_path, [leak])
    out = str(tmp_path / "mine.csv")
    res = CliRunner().invoke(main, ["sample", report, str(leak), "--n", "3", "-o", out,
                                    "--unmasked"])
    assert res.exit_code == 0 and "WARNING" in res.output and "unmasked" in res.output
    first, rows = _read_sample(out)
    assert "values=unmasked" in first
    assert all(r["bank_card"] == bank_card(int(r["row"])) for r in rows)


def test_confidence_is_recorded_and_needs_verification(tmp_path):
    leak, sample = _drawn(tmp_path)
    filled = str(tmp_path / "f.csv")
    _fill(sample, filled, lambda r: "yes")
    doc = leakscan.scan([str(leak)], verification=filled, confidence="0.99").to_dict()
    v = doc["verification"]
    assert v["confidence"] == 0.99 and doc["options"]["confidence"] == 0.99
    # 5 of 5 at 99 %: lower = 0.005^(1/5)
    assert _close(v["tiers"]["A"]["lower"], Decimal("0.005") ** (Decimal(1) / 5), "1e-12")
    res = CliRunner().invoke(main, ["scan", str(leak), "--confidence", "0.9", "-q"])
    assert res.exit_code == 2 and "--confidence applies to --verification only" in res.output


def test_the_verification_is_rendered_in_both_languages(tmp_path):
    leak, sample = _drawn(tmp_path)
    filled = str(tmp_path / "f.csv")
    _fill(sample, filled, lambda r: "yes")
    report = leakscan.scan([str(leak)], verification=filled)
    doc = report.to_dict()
    from leakscan.html import render_html
    from leakscan.render import render_markdown, render_table

    for lang, words in (("en", "Verification by sampling"), ("zh", "抽样核实")):
        for render in (render_table, render_markdown, render_html):
            text = render(doc, lang)
            assert words in text, (render.__name__, lang)
            assert "Clopper-Pearson" in text


def test_sample_help_documents_the_command_and_its_exit_codes():
    res = CliRunner().invoke(main, ["sample", "--help"])
    assert res.exit_code == 0 and "Usage:" in res.output
    text = " ".join(res.output.split())
    for words in ("--n N", "--seed-from-report", "--unmasked", "5 PATH... are not the files"):
        assert words in text
    assert "docs/" not in res.output  # an installed package has no docs folder
    scan_help = " ".join(CliRunner().invoke(main, ["scan", "--help"]).output.split())
    assert "--verification FILE.csv" in scan_help and "--confidence LEVEL" in scan_help


def test_hostile_text_in_the_sample_file_never_reaches_a_terminal(tmp_path):
    leak, sample = _drawn(tmp_path)
    filled = str(tmp_path / "f.csv")
    _fill(sample, filled, lambda r: "\x1b[2Jyes" if r["sample_id"] == "A-0002" else "yes")
    res = CliRunner().invoke(main, ["scan", str(leak), "--verification", filled, "-q"])
    assert res.exit_code == 2 and "line 4" in res.output
    assert "\x1b" not in res.output and "Traceback" not in res.output
    # a file that is no sample at all
    bogus = tmp_path / "bogus.csv"
    for junk, said in ((b"name,phone\n1,2\n", "not a leakscan sample file"),
                       (b"\xff\xfe\x00garbage,\x00\n", "neither UTF-8 nor GB18030"),
                       (b"# leakscan sample v1 x=1\n", "lacks report_sha256=")):
        bogus.write_bytes(junk)
        res = CliRunner().invoke(main, ["scan", str(leak), "--verification", str(bogus), "-q"])
        assert res.exit_code == 2 and said in res.output, res.output
