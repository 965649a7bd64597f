"""E-mail addresses whose lower case differs between DuckDB and Python (issue 18).

DuckDB lower-cases by Unicode's simple mapping, Python by the full one. They differ on
``İ`` (U+0130): DuckDB gave ``i``, so the SQL twin counted ``İLKER@EXAMPLE.COM`` as the valid
address ``ilker@example.com`` while the Python reference (``i`` + U+0307, not ASCII) did not.
The SQL now spells out the full mapping; the expected values below are Python's own
``str.lower`` (the reference), not leakscan's.
"""

from __future__ import annotations

import pytest

from leakscan.registry import default_registry

CAT = default_registry().get("email")


@pytest.mark.parametrize("value, valid", [
    ("İLKER@EXAMPLE.COM", False),   # Python: "i̇lker@example.com", not ASCII
    ("ilker@İXAMPLE.COM", False),
    ("ILKER@EXAMPLE.COM", True),
    ("\u212a@example.com", True),   # KELVIN SIGN lower-cases to ASCII "k" in both mappings
    ("STRAßE@EXAMPLE.DE", False),
])
def test_case_mapping_agrees_with_python(value, valid, agree):
    assert CAT.is_valid(value) is valid
    assert CAT.normalize(value) == value.strip(" ").lower()
    agree(CAT, [value])
