"""Inputs are classified in batches on one sample evaluation (``scan.Scan._prepare_all``,
``column_sample.sample_evidence_many``): each input's evidence and decisions must be exactly
what it gets when scanned alone, whatever else is in its batch, and an input that cannot be
read fails alone."""

from __future__ import annotations

import importlib

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
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really parquet PAR1")
    return [combo, contacts, cards, broken]


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
    broken = next(i for i in doc["inputs"] if i["path"] == paths[3])
    assert broken.get("error")
    for k, path in enumerate(paths[:3]):
        alone = leakscan.scan([path])
        assert _by_input(alone.to_dict())[path] == cols[path], path
        mine = [e for e in _evidence(together) if path in e]
        assert mine == _evidence(alone), path
        assert k < 3


def test_batches_of_one_input_give_the_same_report(tmp_path, monkeypatch):
    paths = [str(p) for p in _inputs(tmp_path)]
    batched = leakscan.scan(paths).to_dict()
    monkeypatch.setattr(scan_module, "BATCH_CELLS", 1)  # every input a batch of its own
    single = leakscan.scan(paths).to_dict()
    for doc in (batched, single):
        doc.pop("generated_at")
    assert single == batched
