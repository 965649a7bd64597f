"""Inputs are classified in batches on one sample evaluation (``scan.Scan._prepare_all``,
``column_sample.sample_evidence_many``): each input's evidence and decisions must be exactly
what it gets when scanned alone, whatever else is in its batch, and an input that cannot be
read fails alone."""

from __future__ import annotations

import importlib
from pathlib import Path

import leakscan
from tests.helpers import bank_card, han_name, mobile, write_csv

scan_module = importlib.import_module("leakscan.scan")


def _inputs(tmp_path):
    """Inputs whose candidate categories differ: a credential list (its account column a
    mixed column with ``account`` among its candidates), a contact column of phones and
    e-mails, bank cards beside names, and a file that is not Parquet."""
    combo = tmp_path / "combo.txt"
    accounts = [mobile(k) for k in range(6)] + [f"user{k}@qq.com" for k in range(5)] \
        + [str(10000 + 7919 * k) for k in range(4)]
    combo.write_text("".join(f"{a}:Pw{k}#x\n" for k, a in enumerate(accounts)), encoding="utf-8")
    contacts = write_csv(tmp_path / "contacts.csv", ["姓名", "联系方式"],
                         [[han_name(k), mobile(100 + k)] for k in range(40)]
                         + [[han_name(40 + k), f"li{k}@163.com"] for k in range(20)])
    cards = write_csv(tmp_path / "cards.csv", ["持卡人", "银行卡号"],
                      [[han_name(k, "王"), bank_card(k)] for k in range(30)])
    # Excel's damage (resident IDs in scientific notation) and MySQL's \\N null marker
    damaged = write_csv(tmp_path / "damaged.csv", ["姓名", "身份证号", "手机号"],
                        [[han_name(k, "李"), f"1.1010519900{k % 10}E+17",
                          mobile(200 + k) if k % 3 else "\\N"] for k in range(40)])
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really parquet PAR1")
    return [combo, contacts, cards, damaged, broken]


def _by_input(doc: dict) -> dict:
    out: dict = {}
    for col in doc["columns"]:
        out.setdefault(col["input"], []).append(col)
    return out


def _evidence(report) -> list[str]:
    return [repr(e) for e in report.column_evidence]


def test_each_input_of_a_batch_is_classified_as_it_is_alone(tmp_path):
    paths = [str(p) for p in _inputs(tmp_path)]
    together = leakscan.scan(paths)
    doc = together.to_dict()
    cols = _by_input(doc)
    # hand-counted from the construction above
    contact = next(c for c in cols[paths[1]] if c["column"] == "联系方式")
    assert (contact["category"], contact["detected"], contact["valid"]) == ("phone", 40, 40)  # a mixed column: its main category's share
    assert contact["also"] == [{"category": "email", "detected": 20, "valid": 20}]
    card = next(c for c in cols[paths[2]] if c["column"] == "银行卡号")
    assert (card["category"], card["valid"]) == ("bank_card", 30)
    account = next(c for c in cols[paths[0]] if c["column"] == "account")
    assert (account["category"], account["valid"]) == ("phone", 6)
    phones = next(c for c in cols[paths[3]] if c["column"] == "手机号")
    assert (phones["detected"], phones["valid"]) == (26, 26)  # 14 of 40 are \\N: blank
    assert not any(c["column"] == "身份证号" for c in cols[paths[3]])  # damaged: not counted
    assert any("身份证号" in w and "spreadsheet" in w for w in doc["warnings"])
    broken = next(i for i in doc["inputs"] if i["path"] == paths[4])
    assert broken.get("error")
    for path in paths[:4]:
        alone = leakscan.scan([path])
        solo = alone.to_dict()
        assert _by_input(solo)[path] == cols[path], path
        assert [w for w in doc["warnings"] if path in w] == solo["warnings"], path
        mine = [e for e in _evidence(together) if path in e]
        assert mine == _evidence(alone), path


def test_batches_of_one_input_give_the_same_report(tmp_path, monkeypatch):
    paths = [str(p) for p in _inputs(tmp_path)]
    batched = leakscan.scan(paths).to_dict()
    monkeypatch.setattr(scan_module, "BATCH_CELLS", 1)  # every input a batch of its own
    single = leakscan.scan(paths).to_dict()
    for doc in (batched, single):
        doc.pop("generated_at")
    assert single == batched


# -- reduce: inputs that read alike, one statement (``Scanner._reduce_all``) -----------------

def _same_layout(tmp_path, n: int) -> list[str]:
    """``n`` exports of one system: the same header, 50 rows each, every row unique; file 2
    repeats two rows of file 1 (cross-input duplicates) and file 3 has a row of wrong width."""
    paths = []
    for f in range(n):
        rows = [[han_name(f * 50 + k), mobile(f * 50 + k)] for k in range(50)]
        if f == 2:
            rows[:2] = [[han_name(50 + k), mobile(50 + k)] for k in range(2)]
        path = write_csv(tmp_path / f"part{f}.csv", ["姓名", "手机号"], rows)
        if f == 3:
            with open(path, "a", encoding="utf-8") as out:
                out.write("王五,13800138000,extra\n")
        paths.append(str(path))
    return paths


def test_inputs_reduced_together_count_as_reduced_alone(tmp_path, monkeypatch):
    paths = _same_layout(tmp_path, 5)
    batched = leakscan.scan(paths).to_dict()
    # hand-counted: 250 rows read (the wrong-width row rejected), 2 repeated across inputs
    assert batched["records"]["total"] == 250
    assert batched["records"]["duplicates"] == 2
    assert batched["categories"]["phone"]["valid"] == 250
    assert batched["categories"]["phone"]["unique"] == 248
    part3 = next(i for i in batched["inputs"] if i["path"].endswith("part3.csv"))
    assert part3["rows_rejected"] == 1
    monkeypatch.setattr(scan_module, "BATCH_BYTES", 2 * Path(paths[0]).stat().st_size)
    pairs = leakscan.scan(paths).to_dict()  # batches of two inputs, and one alone
    monkeypatch.setattr(scan_module, "BATCH_INPUTS", 1)
    alone = leakscan.scan(paths).to_dict()
    for doc in (batched, pairs, alone):
        doc.pop("generated_at")
    assert alone == batched
    assert pairs == batched


def test_an_input_gone_before_its_pass_fails_alone(tmp_path, monkeypatch):
    """A file that vanishes between classification and the pass (a network share) makes
    the batch's statement fail; every input is then read on its own and only that one
    fails."""
    paths = _same_layout(tmp_path, 4)
    reduce_all = scan_module.Scanner._reduce_all

    def vanish_then_reduce(self, con, inputs, prepared):
        Path(paths[1]).unlink()
        return reduce_all(self, con, inputs, prepared)

    monkeypatch.setattr(scan_module.Scanner, "_reduce_all", vanish_then_reduce)
    doc = leakscan.scan(paths).to_dict()
    errors = {Path(i["path"]).name: i.get("error") for i in doc["inputs"]}
    assert errors["part1.csv"] and not any(e for n, e in errors.items() if n != "part1.csv")
    assert doc["records"]["total"] == 150  # parts 0, 2 and 3 (its bad row rejected)


def test_a_batched_input_with_a_stray_quote_is_read_again_alone(tmp_path, monkeypatch):
    """An unterminated quote swallows lines in the batch's read; that input is then read
    again line by line (``inputs.quoting``) on its own, its batch-mates keep their counts."""
    paths = []
    for f in range(3):
        path = tmp_path / f"q{f}.csv"
        rows = [[f'"n{i}' if (f == 1 and i == 3) else f"n{i}", mobile(f * 1000 + i)]
                for i in range(1, 301)]
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write("name,phone\n")
            out.writelines(f"{a},{b}\n" for a, b in rows)
        paths.append(str(path))
    doc = leakscan.scan(paths).to_dict()
    # hand-counted: 3 files of 300 rows, nothing lost, every phone distinct and valid
    assert doc["records"]["total"] == 900
    assert doc["categories"]["phone"]["valid"] == 900
    q1 = next(i for i in doc["inputs"] if i["path"].endswith("q1.csv"))
    assert (q1["rows"], q1["rows_rejected"]) == (300, 0)
    assert any("unterminated quote" in w and "q1.csv" in w for w in doc["warnings"])
    monkeypatch.setattr(scan_module, "BATCH_INPUTS", 1)
    alone = leakscan.scan(paths).to_dict()
    for d in (doc, alone):
        d.pop("generated_at")
    assert alone == doc


def test_per_input_sums_a_batch_once_and_gives_an_empty_input_zeros():
    """``count.per_input`` reads the inputs of one batch in one grouped branch
    (``plan.BatchPart``): the same sums as each input's own view, hand-computed here, and
    zeros for an input with no rows (no group of its own)."""
    import duckdb

    from leakscan.count import per_input
    from leakscan.plan import BatchPart

    con = duckdb.connect()
    con.execute("CREATE TABLE b AS SELECT * FROM (VALUES (1, 'x', 2), (1, NULL, 3), "
                "(2, 'y', 5)) AS t(inp, k, n)")
    for i in (1, 2, 3):
        con.execute(f"CREATE VIEW v{i} AS SELECT * EXCLUDE (inp) FROM b WHERE inp = {i}")
    aggs = ["sum(n)", "count(*) FILTER (WHERE k IS NOT NULL)"]
    batched = per_input(con, [(i, BatchPart("b", "inp", i), aggs) for i in (1, 2, 3)])
    viewed = per_input(con, [(i, f"v{i}", aggs) for i in (1, 2, 3)])
    assert batched == viewed == {1: [5, 1], 2: [5, 1], 3: [0, 0]}
