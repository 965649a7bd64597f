"""Regenerate ``cn_region_intervals.tsv``: the region-code year intervals of python-stdnum.

The file is ``categorizers.cn_resident_id.derive_region_intervals()`` written once, stamped
with the SHA-256 of the installed stdnum's ``cn/loc.dat``; a scan reads it only when the stamp
matches and derives the table itself otherwise. Run from the repository root after upgrading
python-stdnum:

    python3 categorizers/data/make_cn_region_intervals.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from categorizers.cn_resident_id import write_region_file  # noqa: E402


def main() -> None:
    out = Path(__file__).with_name("cn_region_intervals.tsv")
    print(f"{write_region_file(out)} intervals written to {out}")


if __name__ == "__main__":
    main()
