"""Detection quality on a small labelled corpus (benchmarks/accuracy.py at test size).

Decoys (timestamps, order and waybill numbers, IMEIs, UUIDs...) must yield no personal
information; every labelled column must be found, and nothing else; checksum-validated
counts must be exact.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _accuracy_module():
    spec = importlib.util.spec_from_file_location("accuracy", ROOT / "benchmarks" / "accuracy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_labelled_corpus(tmp_path):
    res = _accuracy_module().evaluate(tmp_path, rows=300, seed=3)
    assert res["decoy_personal_records"] == 0
    assert res["precision"] == 1.0
    assert res["recall"] == 1.0
    for key in ("cn_resident_id.valid", "bank_card.valid", "phone.valid",
                "cn_resident_id.unique", "bank_card.unique", "phone.unique"):
        assert res["count_error"][key] == 0.0, key
