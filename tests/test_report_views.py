"""The human-readable reports (issue 16): the verdict line first in every format, scores as
their terms, level names from the ruleset, the vocabulary, the per-input summary, provenance,
Chinese reports, and no Python literal or dead reference anywhere.

Expected figures come from how the data was built: ``tests/sample_data_expected.json``
(written by ``sample_data/make_samples.py`` from what it planted) or files written here from
rows whose counts are worked out by hand.
"""

from __future__ import annotations

import json
import re
import string
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner

import leakscan
from leakscan.cli import main
from leakscan.messages import LANGUAGES, MESSAGES, default_language, msg
from leakscan.present import decimal, verdict
from leakscan.render import render_markdown, render_table
from tests.helpers import han_name, mobile, resident_id, write_csv

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = json.loads((ROOT / "tests" / "sample_data_expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sample():
    return leakscan.scan(str(ROOT / "sample_data"))


@pytest.fixture(scope="module")
def doc(sample):
    return sample.to_dict()


def run(*args, **kw):
    return CliRunner(**kw).invoke(main, [str(a) for a in args], catch_exceptions=False)


# -- the verdict line ------------------------------------------------------------------------

def test_the_verdict_names_records_persons_level_article_and_deciding_item(doc):
    c = EXPECTED["combined"]  # 699 unique records, 666 persons, tier A 62 (>= 50)
    line = verdict(doc)
    assert line.startswith(f"Verdict: {c['records']['unique']} records with personal "
                           f"information, {c['subjects']} persons (estimated) — ")
    assert ("情节严重 (serious) under Criminal Law Art. 253-1, by Fa Shi [2017] No. 10 "
            f"Art. 5(1)(3): {c['tiers']['A']} tier-A items ≥ 50") in line
    # 62/500 + 119/5000 + 518/50000 = 0.124 + 0.0238 + 0.01036 = 0.15816 -> 0.15 (rounded down)
    assert ("Criminal Law Art. 286-1: no level reached (62/500 + 119/5,000 + 518/50,000 = "
            "0.15 of the 1 needed)") in line
    assert doc["verdict"] == line  # the JSON carries it too (an addition, docs/report.md)


@pytest.mark.slow
def test_every_format_opens_with_the_verdict(tmp_path, doc):
    line = verdict(doc)
    table = run("scan", ROOT / "sample_data").output
    assert table.splitlines()[0] == line
    md = run("scan", ROOT / "sample_data", "--format", "markdown").output.splitlines()
    assert md[0] == "# leakscan report" and md[2] == f"**{line}**"
    out = tmp_path / "r.html"
    assert run("scan", ROOT / "sample_data", "-o", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    body = html.split("<body>", 1)[1]
    assert re.match(r"\s*<h1>leakscan report</h1>\s*<p class=\"verdict\" id=\"verdict\">", body)
    assert "Criminal Law Art. 253-1, by Fa Shi [2017] No. 10 Art. 5(1)(3): 62 tier-A items" \
        in html


def _tier_a_and_header_only(tmp_path: Path, n: int) -> Path:
    """``n`` people: a name and a phone (tier C, recognised by header and values) and a
    balance column (property, tier A), whose numbers prove nothing: header alone."""
    return write_csv(tmp_path / "balances.csv", ["姓名", "手机号", "余额"],
                     [[han_name(i), mobile(i), f"{1000 + i}.50"] for i in range(n)])


def test_a_level_that_rests_on_a_header_only_column_says_so(tmp_path):
    # 50 records: tier A 50 (>= 50: serious) with the balance column; without it, tier C 50:
    # 50/5000 = 0.01, no level.
    doc = leakscan.scan(str(_tier_a_and_header_only(tmp_path, 50))).to_dict()
    a = doc["assessments"][0]
    assert a["level"] == "serious"
    assert a["header_only"] == {"categories": ["property"], "counts_used": {"A": 0, "B": 0,
                                                                             "C": 50},
                                "level": "none", "level_name": "none", "score_exact": "1/100"}
    assert ("50 tier-A items ≥ 50 (without the columns recognised by header alone (property): "
            "no level reached)") in doc["verdict"]
    assert "不计仅凭列名识别的列（property）：未达到任何等级" in verdict(doc, "zh")


def test_an_alternative_reading_that_changes_the_level_is_in_the_verdict(tmp_path):
    # 500 records of name + resident ID: literally tier C (500/5000 = 0.1, no level); read as
    # tier B under Guiding Case No. 193, 500 >= 500: serious.
    f = write_csv(tmp_path / "ids.csv", ["姓名", "身份证号"],
                  [[han_name(i), resident_id(i % 1000, birth=f"1990{1 + i // 1000:02d}01")]
                   for i in range(500)])
    doc = leakscan.scan(str(f)).to_dict()
    a = doc["assessments"][0]
    assert a["level"] == "none" and a["alternatives"][0]["level"] == "serious"
    assert ("Criminal Law Art. 253-1: no level reached (0/50 + 0/500 + 500/5,000 = 0.10 of the "
            "1 needed) (under the alternative reading Records holding a resident ID number "
            "together with a name are read as tier B (the 500-item class) — SPC Guiding Case "
            "No. 193 (闻巍等): 情节严重 (serious))") in doc["verdict"]


def test_a_level_reached_by_illegal_income_says_so(tmp_path):
    # 5 records (tier C 5/5000), illegal income 6,000 CNY >= 5,000 (Art. 5(1)(7))
    f = write_csv(tmp_path / "few.csv", ["姓名", "手机号"],
                  [[han_name(i), mobile(i)] for i in range(5)])
    doc = leakscan.scan(str(f), illegal_income="6000").to_dict()
    assert ("情节严重 (serious) under Criminal Law Art. 253-1, by Fa Shi [2017] No. 10 "
            "Art. 5(1)(7): illegal income 6,000 CNY ≥ 5,000 CNY (reached by illegal income, "
            "not by counts)") in doc["verdict"]


def test_sums_are_rounded_down_so_a_shortfall_never_reads_as_reaching():
    from fractions import Fraction

    assert decimal(Fraction(999, 1000)) == "0.99"
    assert decimal(Fraction(1977, 1250)) == "1.58"  # 1.5816
    assert decimal(Fraction(1)) == "1.00"


# -- readable scores and names ---------------------------------------------------------------

def test_scores_are_their_terms_and_levels_their_names(doc):
    table = render_table(doc)
    # 62/50 + 119/500 + 518/5000 = 1.24 + 0.238 + 0.1036 = 1.5816
    assert "score: 62/50 + 119/500 + 518/5,000 = 1.58 of the 1 needed" in table
    assert "1977/1250" not in table  # a reduced fraction reads as "1977 of 1250"
    assert "cn-cl253-1-2017: 情节严重 (serious)" in table
    for fmt in (render_table(doc), render_markdown(doc), leakscan.Report.to_html):
        if callable(fmt):
            continue
        assert "especially_serious" not in fmt and "SERIOUS" not in fmt


def test_machine_level_ids_are_never_shown(tmp_path):
    f = write_csv(tmp_path / "p.csv", ["姓名", "手机号"],
                  [[han_name(i), mobile(i)] for i in range(3)])
    for fmt in ("table", "markdown", "html"):
        out = run("scan", f, "--ruleset", "us-hipaa-breach", "--format", fmt).output
        assert "notify_hhs" not in out and "NOTIFY" not in out, fmt
        assert "none" not in re.findall(r"\b[A-Z_]{4,}\b", out)


PY_LITERAL = re.compile(r"\b(True|False|None)\b|\[\{|\{'|\['|': ")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_python_literal_in_any_human_format(doc, lang, tmp_path):
    f = write_csv(tmp_path / "a.csv", ["姓名", "手机号"], [[han_name(1), mobile(1)]])
    other = leakscan.scan(str(f), columns=["手机号=phone"], include=["*.csv"],
                          evidence_out=str(tmp_path / "e.csv")).to_dict()
    for d in (doc, other):
        for text in (render_table(d, lang), render_markdown(d, lang),
                     leakscan.html.render_html(d, lang)):
            found = [m.group(0) for m in PY_LITERAL.finditer(re.sub(r"<[^>]+>", " ", text))]
            assert not found, found


def test_no_dead_reference_to_a_project_file(doc):
    """Basis, citations and method cite articles, not files a reader of the report lacks
    (the sample data's own README.md is named only as a file that was not read)."""
    for lang in LANGUAGES:
        for text in (render_table(doc, lang), render_markdown(doc, lang),
                     leakscan.html.render_html(doc, lang), json.dumps(doc)):
            text = re.sub(r"\S*sample\S*data/README\.md", "", text)
            assert not re.search(r"[\w-]+\.md\b|legal-reference|docs/", text)


def test_warnings_are_issued_in_the_words_of_the_api(tmp_path):
    from leakscan.errors import LeakscanWarning
    from leakscan.scan import api_words

    f = write_csv(tmp_path / "few.csv", ["姓名", "手机号"], [[han_name(1), mobile(1)]])
    with pytest.warns(LeakscanWarning) as caught:
        leakscan.scan(str(f), illegal_income="6000")
    texts = [str(w.message) for w in caught]
    assert "illegal_income does not apply to cn-cl286-1-2019: it has no income threshold" \
        in texts
    assert not any("--" in t for t in texts)
    assert api_words("use --encoding gb18030 or --column 'f1=phone'; --no-free-text") == \
        "use encoding='gb18030' or columns=['f1=phone']; free_text=False"


# -- vocabulary, per input, provenance --------------------------------------------------------

def test_the_vocabulary_is_explained_with_the_articles(doc):
    md = render_markdown(doc)
    vocab = md.split("## What the terms mean", 1)[1].split("\n## ", 1)[0]
    assert "Tier A: 行踪轨迹信息、通信内容、征信信息、财产信息 (Art. 5(1)(3))" in vocab
    assert "Tier B: 住宿信息、通信记录、健康生理信息、交易信息等 (Art. 5(1)(4))" in vocab
    assert "Tier C: other personal information (Art. 5(1)(5))" in vocab
    for word in ("detected:", "valid:", "unique:", "records:", "persons (estimated):"):
        assert word in vocab
    assert "counts cells over several columns" in vocab


def test_the_per_input_summary_matches_each_file_as_built(doc):
    """Each input's records, tiers and persons as ``make_samples.py`` planted them (each file
    scanned alone); no person of the sample data links two of one file's persons through
    another file, so the case-level persons per file equal the file's own."""
    for inp in doc["inputs"]:
        exp = EXPECTED["files"][Path(inp["path"]).name]
        assert inp["summary"] == {"with_personal_info": exp["records"]["with_personal_info"],
                                  "unique": exp["records"]["unique"], "tiers": exp["tiers"],
                                  "persons": exp["subjects"]}, inp["path"]


def test_per_input_summary_counts_within_the_input_and_persons_of_the_case(tmp_path):
    # a.csv: 3 people, one row twice (4 rows, 3 unique); b.csv: 2 of a's people with the same
    # phone and a new name spelling, plus 1 new person. Case: persons linked by phone: 4.
    # Per input: a 3 persons, b 3 persons (2 of them also in a).
    write_csv(tmp_path / "d" / "a.csv", ["姓名", "手机号"],
              [[han_name(0), mobile(0)], [han_name(1), mobile(1)], [han_name(2), mobile(2)],
               [han_name(2), mobile(2)]])
    write_csv(tmp_path / "d" / "b.csv", ["姓名", "手机号"],
              [[han_name(10), mobile(0)], [han_name(11), mobile(1)], [han_name(12), mobile(9)]])
    doc = leakscan.scan(str(tmp_path / "d")).to_dict()
    a, b = (i["summary"] for i in doc["inputs"])
    assert a == {"with_personal_info": 4, "unique": 3, "tiers": {"A": 0, "B": 0, "C": 3},
                 "persons": 3}
    assert b == {"with_personal_info": 3, "unique": 3, "tiers": {"A": 0, "B": 0, "C": 3},
                 "persons": 3}
    assert doc["subjects"]["estimated"] == 4
    alone = leakscan.scan(str(tmp_path / "d" / "a.csv")).to_dict()  # one input: the case's
    assert alone["inputs"][0]["summary"] == a
    md = render_markdown(doc)
    assert "## Per input" in md and "| a.csv |" not in md  # paths as given, not bare names
    assert re.search(r"\| \S*a\.csv \| 4 \| 4 \| 3 \| 0 \| 0 \| 3 \| 3 \|", md)


def test_provenance_records_library_versions_categorizers_and_files_not_read(tmp_path):
    d = tmp_path / "dump"
    write_csv(d / "users.csv", ["姓名", "手机号"], [[han_name(1), mobile(1)]])
    write_csv(d / "old.CSV", ["姓名", "手机号"], [[han_name(2), mobile(2)]])
    (d / ".secret.csv").write_text("a,b\n", encoding="utf-8")
    (d / "README.md").write_text("notes\n", encoding="utf-8")
    (d / "blob.bin").write_bytes(b"\x7fELF" + bytes(range(256)))
    doc = leakscan.scan(str(d), exclude=["old.*"]).to_dict()
    p = doc["provenance"]
    for lib in ("duckdb", "python-stdnum", "phonenumbers"):
        assert p["libraries"][lib] == version(lib)
    used = {c["id"]: c for c in p["categorizers"] if c["used"]}
    assert set(used) == {"name", "phone"}
    assert used["phone"]["origin"] == "builtin" and used["phone"]["package"] == "leakscan"
    (d / "outside.csv").symlink_to(tmp_path / "elsewhere.csv")
    write_csv(tmp_path / "elsewhere.csv", ["姓名"], [[han_name(3)]])
    doc = leakscan.scan(str(d), exclude=["old.*"]).to_dict()
    p = doc["provenance"]
    reasons = {Path(f["path"]).name: f["reason"] for f in p["not_read"]}
    assert reasons == {".secret.csv": "hidden", "README.md": "not_data", "blob.bin": "binary",
                       "old.CSV": "excluded", "outside.csv": "linked_outside"}
    assert "a symbolic link out of the directory" in render_markdown(doc)
    md = render_markdown(doc)
    assert "### Files not read" in md and "documentation or code, not data" in md
    assert "python-stdnum" in md and "built-in" in md


def test_globs_fold_case_only_where_the_file_system_does(tmp_path):
    from leakscan.sources import _unselected, folds_case

    assert _unselected("a.csv", (), ("*.CSV",), fold=True) == "excluded"
    assert _unselected("a.csv", (), ("*.CSV",), fold=False) is None
    assert _unselected("Dump/A.CSV", ("dump/*.csv",), (), fold=True) is None
    # this machine's file system: does a.csv with its case swapped name the same file?
    (tmp_path / "probe").mkdir()
    probe = tmp_path / "probe"
    swapped = Path(str(probe).swapcase())
    assert folds_case(probe) == (swapped.exists() and swapped.samefile(probe))


# -- Chinese reports --------------------------------------------------------------------------

def test_every_message_has_both_languages_with_the_same_fields():
    fields = string.Formatter()
    for key, entry in MESSAGES.items():
        assert set(entry) == set(LANGUAGES), key
        names = [{f for _, f, _, _ in fields.parse(entry[lang]) if f} for lang in LANGUAGES]
        assert names[0] == names[1], key
        assert all(entry[lang].strip() for lang in LANGUAGES), key


def test_every_message_key_the_code_uses_is_in_the_catalogue():
    used = set()
    for f in (ROOT / "leakscan").glob("*.py"):
        used |= set(re.findall(r"""msg\(\s*["']([\w.]+)["'][,)]""", f.read_text(encoding="utf-8")))
    assert used and used <= set(MESSAGES), used - set(MESSAGES)


def test_chinese_reports_translate_headings_and_keep_statutory_text(doc):
    md = render_markdown(doc, "zh")
    for heading in ("# leakscan 报告", "## 评估", "## 记录", "## 各输入文件", "## 信息类别",
                    "## 术语说明", "## 列", "## 输入文件", "## 警告", "## 方法与依据",
                    "## 来源与版本"):
        assert f"\n{heading}\n" in f"\n{md}", heading
    assert md.splitlines()[2].startswith("**结论：含个人信息的记录 699 条，估计涉及 666 人")
    assert "情节严重，依据 Fa Shi [2017] No. 10 Art. 5(1)(3)：A类信息 62 条 ≥ 50" in md
    # the article's text stays in the original
    assert "行踪轨迹信息、通信内容、征信信息、财产信息五十条以上" in md
    assert "法释〔2017〕10号第十一条第一款" in md  # the method, in Chinese
    table = render_table(doc, "zh")
    assert "记录：共 731 行，含个人信息 728 行，重复 29 行，去重后 699 条" in table
    assert "Records:" not in table and "## Assessment" not in md


def test_lang_option_and_the_locale_default(tmp_path, monkeypatch):
    f = write_csv(tmp_path / "p.csv", ["姓名", "手机号"], [[han_name(1), mobile(1)]])
    assert run("scan", f, "--lang", "zh").output.startswith("结论：")
    assert run("scan", f, "--lang", "en").output.startswith("Verdict:")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert run("scan", f).output.startswith("结论：")
    js = json.loads(run("scan", f, "--format", "json").output)
    assert "records" in js and js["verdict"].startswith("Verdict:")  # JSON stays as in v1
    assert default_language({"LANG": "zh_TW.UTF-8"}) == "zh"
    assert default_language({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert default_language({}) == "en"
    assert "Default: from the locale (LC_ALL, LC_MESSAGES, LANG)" in " ".join(
        run("scan", "--help").output.split())


def test_msg_fills_fields():
    assert msg("tier", "zh", tier="A") == "A类" and msg("tier", "en", tier="A") == "tier A"


def test_help_points_to_no_file_an_installed_package_lacks():
    for cmd in (["scan", "--help"], ["verify", "--help"], ["--help"]):
        text = run(*cmd).output
        assert not re.search(r"docs/|[\w-]+\.md\b(?!,)", text.replace(".md, .html", "")), cmd


def test_input_derived_text_is_inert_in_markdown_and_on_a_terminal(tmp_path):
    """A column name and a file name written by an attacker: no control character reaches
    the table, no Markdown structure the Markdown (leakscan.inert does the escaping)."""
    d = tmp_path / "d"
    f = write_csv(d / "x|[a](http://e).csv", ["姓名\x1b[2J", "**手机号**"],
                  [[han_name(i), mobile(i)] for i in range(3)])
    doc = leakscan.scan(str(f), columns=["**手机号**=phone"]).to_dict()
    table, md = render_table(doc), render_markdown(doc)
    assert "\x1b" not in table and "\x1b" not in md
    assert "\\x1b[2J" in md.replace("\\[", "[")
    assert "[a](http://e)" not in md and "**手机号**" not in md
    assert "\\*\\*手机号\\*\\*" in md
