"""Regenerate ``cn_surnames.dat``: Chinese surnames with their frequency (percent).

Sources:

- the weighted surname list of Faker's ``zh_CN`` person provider
  (``faker.providers.person.zh_CN.Provider.last_names``), a frequency table of the most common
  Chinese surnames (it holds one compound surname, 欧阳);
- the compound surnames (复姓) of the 百家姓 (*Hundred Family Surnames*, Northern Song, public
  domain), the two-character surnames of its closing part (万俟 to 第五) less the pairs of
  single surnames the text runs together (仉督, 晋楚, 闫法, 汝鄢, 涂钦, 岳帅, 缑亢, 况后, 商牟,
  佘佴, 墨哈, 谯笪, 年爱, 阳佟, 言福: each is two one-character surnames, not one compound),
  in the text's order. The text gives no frequencies, so their frequency is ``-``.

A column without a name header is taken for names when its values start with one of these
(``categorizers/name.py``, ``DETECT_SQL``): without the compound surnames a roster in which
欧阳, 司马 and 诸葛 are common would miss its 90 %.

Run from the repository root with Faker installed (a test extra):

    python3 categorizers/data/make_cn_surnames.py
"""

from __future__ import annotations

from pathlib import Path

import faker
from faker.providers.person.zh_CN import Provider

#: The compound surnames of the 百家姓, in the order of the text (see the module docstring).
COMPOUND_SURNAMES = (
    "万俟", "司马", "上官", "欧阳", "夏侯", "诸葛", "闻人", "东方", "赫连", "皇甫", "尉迟", "公羊",
    "澹台", "公冶", "宗政", "濮阳", "淳于", "单于", "太叔", "申屠", "公孙", "仲孙", "轩辕", "令狐",
    "钟离", "宇文", "长孙", "慕容", "鲜于", "闾丘", "司徒", "司空", "亓官", "司寇", "子车", "颛孙",
    "端木", "巫马", "公西", "漆雕", "乐正", "壤驷", "公良", "拓跋", "夹谷", "宰父", "谷梁", "段干",
    "百里", "东郭", "南门", "呼延", "归海", "羊舌", "微生", "梁丘", "左丘", "东门", "西门", "南宫",
    "第五",
)


def main() -> None:
    out = Path(__file__).with_name("cn_surnames.dat")
    rows = sorted(Provider.last_names.items(), key=lambda kv: (-kv[1], kv[0]))
    compound = [s for s in COMPOUND_SURNAMES if s not in Provider.last_names]
    lines = [
        "# Chinese surnames and their frequency in percent, most common first.",
        f"# Source: Faker {faker.VERSION}, faker.providers.person.zh_CN.Provider.last_names.",
        "# Then the compound surnames of the 百家姓 not in that list (frequency unknown: -).",
        "# Regenerate: python3 categorizers/data/make_cn_surnames.py",
        f"# {len(rows)} surnames, then {len(compound)} compound surnames.",
    ] + [f"{name}\t{freq}" for name, freq in rows] + [f"{name}\t-" for name in compound]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
