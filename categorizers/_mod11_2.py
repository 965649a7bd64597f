"""ISO 7064 MOD 11-2, the check character of GB 11643 resident IDs and of the 2023
foreign permanent-resident ID (``cn_resident_id``, ``foreign_pr_id``): one copy of the
weights, the check characters and their SQL.

The weight of digit ``i`` (1-based, of 17) is ``2 ** (18 - i) mod 11``; the check character is
``CHECK_CHARS[sum mod 11]``. python-stdnum's ``stdnum.iso7064.mod_11_2`` is the reference:

>>> WEIGHTS == tuple(pow(2, 18 - i, 11) for i in range(1, 18))
True
>>> from stdnum.iso7064 import mod_11_2
>>> body = "11010519491231002"
>>> CHECK_CHARS[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11] == \\
...     mod_11_2.calc_check_digit(body)
True
"""

from __future__ import annotations

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def check_char_sql(expr: str, cast: str = "CAST") -> str:
    """SQL for the check character of the 17 leading digits of ``expr`` (``cast``:
    ``TRY_CAST`` where a non-digit may reach it, making the character NULL)."""
    terms = " + ".join(f"{cast}(substr({expr}, {i}, 1) AS INTEGER) * {w}"
                       for i, w in enumerate(WEIGHTS, start=1))
    return f"substr('{CHECK_CHARS}', ({terms}) % 11 + 1, 1)"
