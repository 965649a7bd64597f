"""Login accounts (issue 12, point 3): QQ numbers and login names, SQL = Python, counted only
on strong evidence (a login header or a credential list), tier C, linking no persons.

Truth comes from how the values are built: QQ numbers are 5-10 digits without a leading 0,
login names ASCII words with a letter; phones and e-mail addresses are not accounts.
"""

from __future__ import annotations

import random
import string

import leakscan
from categorizers import account
from leakscan.registry import default_registry
from tests.helpers import bank_card, mobile, write_csv

CAT = default_registry().get("account")


def qq(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + "".join(rng.choice(string.digits)
                                            for _ in range(rng.randint(4, 9)))


def login(rng: random.Random) -> str:
    chars = string.ascii_letters + string.digits + "._-"
    return rng.choice(string.ascii_letters) + "".join(rng.choice(chars)
                                                      for _ in range(rng.randint(2, 20)))


def test_python_accepts_what_the_generator_builds_and_rejects_the_rest():
    rng = random.Random(1)
    for _ in range(5_000):
        assert account.is_valid(qq(rng)) and account.is_valid(login(rng))
    for bad in ["0" + qq(rng) for _ in range(50)] + [mobile(k) for k in range(50)] \
            + [f"user{k}@example.com" for k in range(50)] + ["1234", "12345678901", "ab",
                                                              "张三", "a b", "x" * 65, "___"]:
        assert not account.is_valid(bad), bad


EDGES = ["10001", "9999", "01234", "1234567890", "12345678901", "ZhangWei_88", "zhang wei",
         "ＺｈａｎｇＷｅｉ", "a.b-c_d", "abc", "ab", "a" * 64, "a" * 65, "___", "...", "123abc",
         "user@example.com", "张三", "", " ", None, "\u3000qq10001\u3000", "É123", "a\tb"]


def test_sql_agrees_with_python_on_generated_values_and_edge_cases(agree):
    rng = random.Random(7)
    values = []
    for k in range(10_000):
        v = qq(rng) if k % 2 else login(rng)
        values.append(rng.choice([v, v.upper(), f" {v} ", "0" + v, v + "@qq.com",
                                  "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c
                                          for c in v)]))
    agree(CAT, values + EDGES)


def test_counted_under_a_login_header_tier_c_without_linking(tmp_path):
    rows = [["张三", "zhangsan"], ["李四", "10001"], ["王五", "ZhangSan"], ["赵六", "-"]]
    f = write_csv(tmp_path / "users.csv", ["姓名", "用户名"], rows)
    doc = leakscan.scan([str(f)]).to_dict()
    col = next(c for c in doc["columns"] if c["column"] == "用户名")
    # '-' is a null marker (blank); 'ZhangSan' and 'zhangsan' are one normalised value
    assert (col["category"], col["detected"], col["valid"]) == ("account", 3, 3)
    cat = doc["categories"]["account"]
    assert (cat["unique"], cat["tier"]) == (2, "C")
    # rows 1 and 3 share the login but not the person: four persons (no linking)
    assert doc["subjects"]["estimated"] == 4
    assert "zhangsan" not in str(doc["columns"])


def test_not_counted_on_values_alone_nor_under_an_id_or_bank_header(tmp_path):
    rng = random.Random(3)
    qqs = [qq(rng) for _ in range(20)]
    f = write_csv(tmp_path / "x.csv", ["f1", "account_id", "银行账号"],
                  [[v, v, bank_card(k)] for k, v in enumerate(qqs)])
    doc = leakscan.scan([str(f)]).to_dict()
    cats = {c["column"]: c["category"] for c in doc["columns"]}
    assert "account" not in cats.values()
    assert cats["银行账号"] == "bank_card"
