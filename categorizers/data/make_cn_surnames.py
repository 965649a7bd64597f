"""Regenerate ``cn_surnames.dat``: Chinese surnames with their frequency (percent).

Source: the weighted surname list of Faker's ``zh_CN`` person provider
(``faker.providers.person.zh_CN.Provider.last_names``), a frequency table of the most common
Chinese surnames. Run from the repository root with Faker installed (a test extra):

    python3 categorizers/data/make_cn_surnames.py
"""

from __future__ import annotations

from pathlib import Path

import faker
from faker.providers.person.zh_CN import Provider


def main() -> None:
    out = Path(__file__).with_name("cn_surnames.dat")
    rows = sorted(Provider.last_names.items(), key=lambda kv: (-kv[1], kv[0]))
    lines = [
        "# Chinese surnames and their frequency in percent, most common first.",
        f"# Source: Faker {faker.VERSION}, faker.providers.person.zh_CN.Provider.last_names.",
        "# Regenerate: python3 categorizers/data/make_cn_surnames.py",
        f"# {len(rows)} surnames.",
    ] + [f"{name}\t{freq}" for name, freq in rows]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
