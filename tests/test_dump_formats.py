"""Dump formats (issue 13): SQL dumps, SQLite, nested JSON, credential lists, more archives,
stdin, a stray quote, a headerless first row of data, and ``verify`` for every input kind.

Every file is generated here with known contents; the expected numbers are worked out from
what was planted (identifiers built by ``tests.helpers`` from their definitions).
"""

from __future__ import annotations

import bz2
import io
import json
import sqlite3
import tarfile
import zipfile

import py7zr
from click.testing import CliRunner

import leakscan
from leakscan.cli import main
from leakscan.errors import ExitCode
from tests.corpus.make_corpus import xlsx
from tests.helpers import mobile, resident_id, write_csv


def _scan(*paths, **opts) -> dict:
    return leakscan.scan([str(p) for p in paths], **opts).to_dict()


def _inputs(doc) -> dict:
    """Inputs by file name (and member): ``shop.sql!users``, ``a.tar.gz!x.zip!dir/b.csv``."""
    out = {}
    for i in doc["inputs"]:
        head, bang, rest = i["path"].partition("!")
        out[head.rsplit("/", 1)[-1] + bang + rest] = i
    return out


def _valid(doc, category) -> int:
    return sum(c["valid"] for c in doc["columns"] if c["category"] == category)


def _cli(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kw)


# -- SQL dumps ---------------------------------------------------------------------------------
def mysqldump(n_users=20, n_orders=10) -> str:
    """Two tables; names with escaped quotes, a value holding ``'),(`` and a NULL phone."""
    users = []
    for i in range(n_users):
        name = "O\\'Brien" if i % 2 else "it''s \\\\ a\\'),(trap"
        users.append(f"({i + 1},'{name}{i}','{mobile(i)}','{resident_id(i)}')")
    orders = [f"({i + 1},{'NULL' if i == 0 else repr(mobile(100 + i))},_binary 'x',0x41)"
              for i in range(n_orders)]
    return ("-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n"
            "/*!40101 SET NAMES utf8mb4 */;\n"
            "DROP TABLE IF EXISTS `users`;\n"
            "CREATE TABLE `users` (\n  `id` int NOT NULL AUTO_INCREMENT,\n"
            "  `name` varchar(64) DEFAULT NULL,\n  `phone` char(11) DEFAULT NULL,\n"
            "  `id_no` char(18) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n"
            "  KEY `idx_phone` (`phone`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
            "LOCK TABLES `users` WRITE;\n"
            f"INSERT INTO `users` VALUES {','.join(users[:7])};\n"
            f"INSERT INTO `users` VALUES {','.join(users[7:])};\n"
            "UNLOCK TABLES;\n"
            "CREATE TABLE `orders` (`oid` int, `mobile` varchar(20), `blob` blob, `flag` "
            "binary(1));\n"
            f"INSERT INTO `orders` (`oid`,`mobile`,`blob`,`flag`) VALUES {','.join(orders)};\n")


def test_mysqldump_two_tables_with_escaped_quotes(tmp_path):
    dump = tmp_path / "shop.sql"
    dump.write_text(mysqldump(), encoding="utf-8")
    doc = _scan(dump)
    inputs = _inputs(doc)
    users, orders = inputs["shop.sql!users"], inputs["shop.sql!orders"]
    assert users["rows"] == 20 and users["rows_rejected"] == 0
    assert orders["rows"] == 10 and orders["rows_rejected"] == 0
    assert users["archive"]["member"] == "users" and users["sha256"] == orders["sha256"]
    # 20 phones + 20 IDs in users; 9 phones in orders (row 1 is NULL)
    assert _valid(doc, "cn_resident_id") == 20
    assert _valid(doc, "phone") == 29
    assert doc["records"]["total"] == 30


def test_mysqldump_values_are_unescaped(tmp_path):
    from leakscan.inputs import sqldump

    dump = tmp_path / "d.sql"
    dump.write_text(mysqldump(2, 2), encoding="utf-8")
    with open(dump, encoding="utf-8", newline="") as text:
        got = sqldump.read_dump(str(dump), text, str(tmp_path), str(tmp_path / "x"))
    rows = {t.name: list(__import__("csv").reader(open(t.csv_path, encoding="utf-8")))
            for t in got.tables}
    assert rows["users"][0] == ["id", "name", "phone", "id_no"]
    assert rows["users"][1][1] == "it's \\ a'),(trap0"
    assert rows["users"][2][1] == "O'Brien1"
    assert rows["orders"][1] == ["1", "", "x", "A"]


def pg_dump(n=10) -> str:
    lines = []
    for i in range(n):
        phone = "\\N" if i == 3 else mobile(i)
        lines.append(f"{i + 1}\tLi\\tSi{i}\t{phone}\t{resident_id(i)}")
    return ("--\n-- PostgreSQL database dump\n--\n\nSET standard_conforming_strings = on;\n"
            "CREATE TABLE public.people (\n    id integer NOT NULL,\n    name text,\n"
            "    mobile character varying(20),\n    sfz character(18)\n);\n\n"
            "COPY public.people (id, name, mobile, sfz) FROM stdin;\n"
            + "\n".join(lines) + "\n\\.\n\n"
            "INSERT INTO public.people VALUES (11, 'C:\\x''y', '13800139999', NULL);\n")


def test_pg_dump_copy_block_and_insert(tmp_path):
    dump = tmp_path / "pg.sql"
    dump.write_text(pg_dump(), encoding="utf-8")
    doc = _scan(dump)
    people = _inputs(doc)["pg.sql!public.people"]
    assert people["rows"] == 11 and people["format"] == "sql (postgresql)"
    assert _valid(doc, "phone") == 10  # 9 from COPY (one \N) + 1 from the INSERT
    assert _valid(doc, "cn_resident_id") == 10


def test_a_truncated_dump_is_not_read_and_says_why(tmp_path):
    dump = tmp_path / "cut.sql"
    text = mysqldump()
    dump.write_text(text[: text.rindex("),(") + 5], encoding="utf-8")
    good = write_csv(tmp_path / "ok.csv", ["phone"], [[mobile(i)] for i in range(10)])
    res = _cli("scan", good, dump, "--format", "json", "-o", tmp_path / "r.json")
    assert res.exit_code == ExitCode.PARTIAL, res.output
    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    orders = _inputs(doc)["cut.sql!orders"]
    assert "truncated" in orders["error"] and "not read completely" in orders["error"]
    assert _inputs(doc)["cut.sql!users"]["rows"] == 20
    res = _cli("scan", dump)  # the users table is read, the cut orders table is not
    assert res.exit_code == ExitCode.PARTIAL and "truncated" in res.output


# -- SQLite ------------------------------------------------------------------------------------
def test_sqlite_every_table_is_an_input(tmp_path):
    db = tmp_path / "app.dat"  # detected by its header, not its name
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE members (uid INTEGER, 手机号 TEXT, 身份证 TEXT)")
    con.executemany("INSERT INTO members VALUES (?, ?, ?)",
                    [(i, mobile(i), resident_id(i)) for i in range(15)])
    con.execute("CREATE TABLE logins (uid INTEGER, phone INTEGER)")
    con.executemany("INSERT INTO logins VALUES (?, ?)",
                    [(i, int(mobile(50 + i))) for i in range(8)])
    con.commit()
    con.close()
    before = db.read_bytes()
    doc = _scan(db)
    inputs = _inputs(doc)
    assert inputs["app.dat!members"]["rows"] == 15 and inputs["app.dat!logins"]["rows"] == 8
    assert _valid(doc, "phone") == 23 and _valid(doc, "cn_resident_id") == 15
    assert db.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["app.dat"]


# -- nested JSON -------------------------------------------------------------------------------
def test_mongoexport_arrays_and_nested_objects(tmp_path):
    path = tmp_path / "users.json"
    docs = []
    for i in range(12):
        docs.append({"_id": {"$oid": f"5f1d7a3e9c1b2a00123456{i:02d}"},
                     "phones": [mobile(2 * i), mobile(2 * i + 1)],
                     "profile": {"email": f"user{i}@example.com",
                                 "idcard": resident_id(i)},
                     "orders": [{"sku": "A1"}, {"sku": "B2"}],
                     "createdAt": {"$date": "2020-01-01T00:00:00Z"},
                     "qq": {"$numberLong": str(10000 + i)}})
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs),
                    encoding="utf-8")
    doc = _scan(path)
    inp = _inputs(doc)["users.json"]
    assert inp["rows"] == 12 and doc["records"]["total"] == 12
    cols = {c["column"]: c["category"] for c in doc["columns"]}
    assert cols["phones"] == cols["phones[2]"] == "phone"
    assert cols["profile.email"] == "email" and cols["profile.idcard"] == "cn_resident_id"
    assert doc["categories"]["phone"]["valid"] == 24  # two phones in each of 12 records
    assert doc["categories"]["phone"]["records"] == 12
    assert doc["categories"]["email"]["valid"] == 12


def test_wrapper_object_holding_one_array_is_unwrapped(tmp_path):
    path = tmp_path / "api.json"
    people = [{"name": f"user{i}", "contact": {"mobile": mobile(i)}} for i in range(30)]
    path.write_text(json.dumps({"code": 0, "total": 30, "data": people}, indent=2),
                    encoding="utf-8")
    doc = _scan(path)
    assert _inputs(doc)["api.json"]["rows"] == 30
    assert _valid(doc, "phone") == 30
    assert any("each element of 'data'" in w for w in doc["warnings"])


# -- credential lists --------------------------------------------------------------------------
def test_credential_list_reads_accounts_and_never_the_passwords(tmp_path):
    path = tmp_path / "combo.txt"
    passwords = [f"Pw{i}#secret{i * 7}" for i in range(15)]
    lines = [f"user{i}@example.com:{passwords[i]}" for i in range(14)]
    lines.append(f"user14@example.com:{passwords[14]}:with:colons")  # split at the first ':'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    evidence = tmp_path / "ev.csv"
    res = _cli("scan", path, "--format", "json", "-o", tmp_path / "r.json",
               "--evidence-out", evidence, "--unmasked")
    assert res.exit_code == 0, res.output
    text = (tmp_path / "r.json").read_text(encoding="utf-8")
    doc = json.loads(text)
    inp = _inputs(doc)["combo.txt"]
    assert inp["credentials"]["password_column"] == "not read"
    assert [c["column"] for c in doc["columns"]] == ["account"]
    assert _valid(doc, "email") == 15
    shown = text + res.output + evidence.read_text(encoding="utf-8")
    assert not any(p in shown for p in passwords)


def test_phone_dash_list_of_names_is_not_a_credential_list(tmp_path):
    from tests.helpers import han_name

    path = tmp_path / "sgk.txt"
    path.write_text("".join(f"{mobile(i)}----{resident_id(i)}\n" for i in range(20)),
                    encoding="utf-8")
    doc = _scan(path)
    assert "credentials" not in _inputs(doc)["sgk.txt"]
    assert _valid(doc, "cn_resident_id") == 20 and _valid(doc, "phone") == 20
    assert han_name(1)  # helpers import kept honest


# -- archives ----------------------------------------------------------------------------------
def _people_csv(n=25) -> bytes:
    buf = io.StringIO()
    buf.write("姓名,手机号\n")
    for i in range(n):
        buf.write(f"用户{i},{mobile(i)}\n")
    return buf.getvalue().encode("utf-8")


def test_tar_gz_holding_a_zip_holding_a_csv(tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("dump/people.csv", _people_csv(25))
    top = tmp_path / "leak.tar.gz"
    with tarfile.open(top, "w:gz") as t:
        data = inner.getvalue()
        info = tarfile.TarInfo("inner.zip")
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    doc = _scan(top)
    inp = _inputs(doc)["leak.tar.gz!inner.zip!dump/people.csv"]
    assert inp["rows"] == 25 and _valid(doc, "phone") == 25
    assert inp["archive"]["path"].endswith("leak.tar.gz")
    assert inp["archive"]["member"] == "inner.zip!dump/people.csv"
    res = _cli("verify", _report(tmp_path, top), top)
    assert res.exit_code == 0 and "VERIFIED" in res.output


def test_7z_and_bz2(tmp_path):
    seven = tmp_path / "leak.7z"
    with py7zr.SevenZipFile(seven, "w") as z:
        z.writestr(_people_csv(25), "people.csv")
    single = tmp_path / "more.csv.bz2"
    single.write_bytes(bz2.compress(_people_csv(10)))
    doc = _scan(seven, single)
    inputs = _inputs(doc)
    assert inputs["leak.7z!people.csv"]["rows"] == 25 and inputs["more.csv.bz2"]["rows"] == 10
    assert _valid(doc, "phone") == 35


def test_rar_is_refused_with_the_reason(tmp_path):
    rar = tmp_path / "leak.rar"
    rar.write_bytes(b"Rar!\x1a\x07\x01\x00" + b"\x00" * 64)
    res = _cli("scan", rar)
    assert res.exit_code == ExitCode.NOTHING_READABLE
    assert "RAR archives are not read" in res.output


# -- damaged text ------------------------------------------------------------------------------
def test_stray_quote_in_row_3_of_1000_loses_nothing(tmp_path):
    path = tmp_path / "q.csv"
    rows = [[f'"n{i}' if i == 3 else f"n{i}", mobile(i)] for i in range(1, 1001)]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("name,phone\n")
        f.writelines(f"{a},{b}\n" for a, b in rows)
    for opts in ({}, {"evidence_out": str(tmp_path / "ev.csv")}):
        doc = _scan(path, **opts)
        inp = _inputs(doc)["q.csv"]
        assert inp["rows"] == 1000 and inp["rows_rejected"] == 0
        assert _valid(doc, "phone") == 1000
        note = next(w for w in doc["warnings"] if "unterminated quote" in w)
        assert "1,000 row(s) read, 1 of them split without quoting (lines 4)" in note
        assert "no line lost" in note


def test_headerless_first_row_with_an_id_and_a_hotel_name_is_data(tmp_path):
    rows = [[resident_id(1), "如家酒店(北京国贸店)", mobile(1)]]
    rows += [[resident_id(i), f"汉庭酒店{i}号店", mobile(i)] for i in range(2, 9)]
    path = write_csv(tmp_path / "hotel.csv", None, rows)
    doc = _scan(path)
    inp = _inputs(doc)["hotel.csv"]
    assert inp["dialect"]["header"] is False and inp["rows"] == 8
    assert _valid(doc, "cn_resident_id") == 8 and _valid(doc, "phone") == 8
    assert resident_id(1) not in json.dumps(doc, ensure_ascii=False)


# -- stdin -------------------------------------------------------------------------------------
def test_stdin_is_spooled_hashed_and_named(tmp_path):
    import hashlib

    data = _people_csv(25)
    out = tmp_path / "r.json"
    res = _cli("scan", "-", "--format", "json", "-o", out, input=data)
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    inp = doc["inputs"][0]
    assert inp["path"] == "<stdin>" and inp["rows"] == 25
    assert inp["sha256"] == hashlib.sha256(data).hexdigest() and inp["bytes"] == len(data)
    saved = tmp_path / "saved.csv"
    saved.write_bytes(data)
    assert _cli("verify", out, saved).exit_code == 0


def test_a_device_is_refused(tmp_path):
    res = _cli("scan", "/dev/null")
    assert res.exit_code == ExitCode.NOTHING_READABLE and "is a device" in res.output


# -- verify ------------------------------------------------------------------------------------
def _report(tmp_path, *paths):
    out = tmp_path / "report.json"
    res = _cli("scan", *paths, "--format", "json", "-o", out)
    assert res.exit_code == 0, res.output
    return out


def test_verify_zip_members_sheets_and_sql_tables(tmp_path):
    case = tmp_path / "case"
    case.mkdir()
    with zipfile.ZipFile(case / "two.zip", "w") as z:
        z.writestr("a.csv", _people_csv(10))
        z.writestr("b.csv", _people_csv(12))
    rows = [["手机号"]] + [[mobile(i)] for i in range(10)]
    (case / "book.xlsx").write_bytes(xlsx({"S1": rows, "S2": rows}))
    (case / "shop.sql").write_text(mysqldump(), encoding="utf-8")
    report = _report(tmp_path, case)
    res = _cli("verify", report, case)
    assert res.exit_code == 0 and "VERIFIED: these are the 3 file(s)" in res.output, res.output
    dump = case / "shop.sql"
    dump.write_text(mysqldump().replace("O\\'Brien", "O\\'Brian"), encoding="utf-8")
    res = _cli("verify", report, case)
    assert res.exit_code == ExitCode.NOT_VERIFIED
    assert "CHANGED" in res.output and "shop.sql!users" in res.output


# -- nested Parquet ----------------------------------------------------------------------------
def test_parquet_struct_list_and_map_columns_are_flattened(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 20
    table = pa.table({
        "uid": list(range(n)),
        "contact": [{"phone": mobile(i), "email": f"u{i}@example.com"} for i in range(n)],
        "phones": [[mobile(100 + i)] + ([mobile(200 + i)] if i % 2 else []) for i in range(n)],
        "orders": [[{"sku": "A", "sfz": resident_id(i)}] for i in range(n)],
        "tags": pa.array([[("k", "v")] for _ in range(n)],
                         type=pa.map_(pa.string(), pa.string())),
    })
    path = tmp_path / "nested.parquet"
    pq.write_table(table, path)
    doc = _scan(path)
    cols = {c["column"]: c for c in doc["columns"] if not c["embedded"]}
    assert cols["contact.phone"]["valid"] == 20 and cols["contact.email"]["valid"] == 20
    assert cols["phones"]["valid"] == 20 and cols["phones[2]"]["valid"] == 10  # odd rows
    assert cols["orders.sfz"]["valid"] == 20
    assert doc["records"]["total"] == 20
    assert doc["categories"]["phone"]["records"] == 20
    assert any("flattened" in w for w in doc["warnings"])
