"""Make the corpus of nasty input files that ``tests/test_inputs.py`` scans.

    python3 tests/corpus/make_corpus.py OUT_DIR     # writes the files and prints their names

Nothing here is committed as a binary: every file is generated at test time from synthetic
identifiers (``tests/helpers.py``), so the expected count of each file follows from how it
was written. Each ``Case`` names one file (or one archive member or sheet) and what a scan
of it must report.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.helpers import han_name, mobile, resident_id  # noqa: E402

N = 20  # data rows in every well-formed file
HEADER = ["姓名", "身份证号", "手机号"]


@dataclass
class Case:
    """One input and its expected outcome in the report's ``inputs[]`` and ``warnings``."""

    path: str  # as it appears in the report, relative to the corpus directory
    rows: int = N
    rows_rejected: int = 0
    valid_ids: int | None = N  # valid resident IDs counted in this input (None: not checked)
    encoding: str | None = "utf-8"
    format: str = "csv"
    warning: str | None = None  # a substring of some warning about this input
    error: str | None = None  # a substring of the input's error
    extra: dict = field(default_factory=dict)


def people(n: int = N, start: int = 0) -> list[list[str]]:
    return [[han_name(i), resident_id(i), mobile(i)] for i in range(start, start + n)]


def delimited(rows, header=HEADER, delimiter=",", newline="\n") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    if header:
        w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    """A minimal valid .xlsx: inline strings and numbers, one worksheet per entry."""
    def cell(ref: str, v) -> str:
        if isinstance(v, int | float):
            return f'<c r="{ref}"><v>{v!r}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'

    def col(j: int) -> str:
        return chr(ord("A") + j)

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        names = list(sheets)
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
                   'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/><Override '
                   'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.sheet.main+xml"/>'
                   + "".join(f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
                             f'ContentType="application/vnd.openxmlformats-officedocument.'
                             f'spreadsheetml.worksheet+xml"/>' for i in range(len(names)))
                   + "</Types>")
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                   'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                   'officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
                   'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   + "".join(f'<sheet name="{escape(n)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                             for i, n in enumerate(names))
                   + "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships">'
                   + "".join(f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats'
                             f'.org/officeDocument/2006/relationships/worksheet" '
                             f'Target="worksheets/sheet{i + 1}.xml"/>' for i in range(len(names)))
                   + "</Relationships>")
        for i, n in enumerate(names):
            rows = "".join(f'<row r="{r + 1}">'
                           + "".join(cell(f"{col(j)}{r + 1}", v) for j, v in enumerate(row))
                           + "</row>" for r, row in enumerate(sheets[n]))
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml",
                       '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                       'openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + rows
                       + "</sheetData></worksheet>")
    return buf.getvalue()


def make_corpus(out: Path) -> list[Case]:
    """Write the readable corpus into ``out`` (a directory); return the expected outcomes."""
    out.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def text(name: str, content: str, enc="utf-8", **expect) -> None:
        (out / name).write_bytes(content.encode(enc))
        cases.append(Case(name, **expect))

    good = delimited(people())
    # Encodings
    text("utf8_bom.csv", "\ufeff" + good)
    text("utf16le_bom_excel.txt", "\ufeff" + delimited(people(), delimiter="\t", newline="\r\n"),
         "utf-16-le", encoding="utf-16-le")
    text("utf16be_bom.csv", "\ufeff" + good, "utf-16-be", encoding="utf-16-be")
    text("hotel_checkins_gbk.csv", delimited(
        [[*p, f"北京市朝阳区建国路{i}号酒店"] for i, p in enumerate(people())],
        header=[*HEADER, "入住酒店"]), "gbk", encoding="gb18030", warning="guessed as gb18030")
    text("taipei_big5.csv", delimited(
        [[f"陳{'文明華玲芬'[i % 5]}{'志偉傑安平'[i // 5]}", resident_id(i), mobile(i),
          f"臺北市中正區忠孝東路{i}號"]
         for i in range(N)], header=["姓名", "身份證號", "手機號", "地址"]), "big5",
         encoding="big5")
    # Delimiters and line dumps
    text("pipe.txt", delimited(people(), delimiter="|"))
    text("semicolon.csv", delimited(people(), delimiter=";"))
    text("tabs.tsv", delimited(people(), delimiter="\t"), format="tsv")
    text("dump_dashes.txt", "".join("----".join(p) + "\n" for p in people()))
    text("dump_colon.txt", "".join(":".join(p) + "\n" for p in people()))
    # Line ends
    text("cr_only.csv", delimited(people(), newline="\r"))
    text("crlf.csv", delimited(people(), newline="\r\n"))
    mixed = delimited(people(), newline="\r\n")
    text("mixed_line_ends.csv", mixed.replace("\r\n", "\n", 7))
    late = delimited(people() * 400) + delimited(people() * 50, header=None, newline="\r\n")
    text("mixed_line_ends_late.csv", late, rows=N * 450, valid_ids=N * 450)  # past the sample
    # Malformed rows
    rows = people()
    lines = delimited(rows).splitlines()
    lines.insert(5, lines[5] + ",extra,fields")  # line 6: too many fields
    lines.insert(9, "只有一个字段")  # line 10: too few
    text("ragged.csv", "\n".join(lines) + "\n", rows_rejected=2, warning="lines 6, 10")
    text("unclosed_quote.csv", good + '"张三,110105199001010011\n', rows_rejected=1,
         warning="could not be parsed")
    nul = delimited([[p[0] + ("\x00" if i % 3 == 0 else ""), p[1], p[2]]
                     for i, p in enumerate(people())])
    text("nul_bytes.csv", nul)
    huge = delimited([[*p, ("备注" * 600_000 if i == 3 else "")] for i, p in enumerate(people())],
                     header=[*HEADER, "备注"])
    text("huge_field.csv", huge)
    text("dup_and_empty_headers.csv", delimited([[p[0], "", p[1], p[2], p[2]] for p in people()],
                                                header=["姓名", "", "身份证号", "手机号", "手机号"]))
    text("header_only.csv", delimited([]), rows=0, valid_ids=0)
    text("empty.csv", "", rows=0, valid_ids=0, warning="empty file")
    # JSON
    recs = [{"name": p[0], "id_card": p[1], "mobile": p[2], "tags": ["a", "b"]} for p in people()]
    text("records.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs[:10])
         + "{not json\n[1, 2]\n"
         + "".join(json.dumps(r, ensure_ascii=False) + "\r\n" for r in recs[10:]),
         format="jsonl", rows_rejected=2, warning="lines 11, 12")
    text("records.json", json.dumps(recs, ensure_ascii=False, indent=2), format="json")
    # Parquet
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({h: [p[j] for p in people()] for j, h in enumerate(HEADER)}),
                   out / "people.parquet")
    cases.append(Case("people.parquet", encoding=None, format="parquet"))
    # Spreadsheets: two sheets; the second stores IDs and phones as numbers
    (out / "book.xlsx").write_bytes(xlsx({
        "客户": [HEADER, *people()],
        "导出": [HEADER, *[[p[0], float(p[1]) if p[1].isdigit() else p[1], int(p[2])]
                         for p in people()]],
    }))
    cases.append(Case("book.xlsx!客户", encoding=None, format="xlsx"))
    cases.append(Case("book.xlsx!导出", encoding=None, format="xlsx", valid_ids=0,
                      warning="damaged by a spreadsheet"))
    # A CSV that went through Excel: IDs in scientific notation, phones without their +
    text("ids_damaged_by_excel.csv", delimited(
        [[p[0], f"{float(p[1][:17] + '0'):.15G}", "86" + p[2]] for p in people()]),
        valid_ids=0, warning="scientific notation")
    # Compressed
    (out / "dump.csv.gz").write_bytes(gzip.compress(good.encode("gbk")))
    cases.append(Case("dump.csv.gz", encoding="gb18030"))
    (out / "download_no_extension").write_bytes(gzip.compress(good.encode("utf-8")))
    cases.append(Case("download_no_extension"))  # gzip found by its magic bytes
    with zipfile.ZipFile(out / "archive.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.csv", good)
        z.writestr("sub/b.tsv", delimited(people(), delimiter="\t"))
        z.writestr("../escape.csv", good)
        z.writestr("/abs.csv", good)
    cases.append(Case("archive.zip!a.csv", extra={"archive": "archive.zip"}))
    cases.append(Case("archive.zip!sub/b.tsv", format="tsv", extra={"archive": "archive.zip"}))
    # Directory rules: unknown extension sniffed as text; hidden and binary files skipped
    text("export.dat", good)
    (out / ".hidden.csv").write_text(good, encoding="utf-8")
    (out / "photo.bin").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    return cases


#: Warnings the directory scan must give that belong to no single input.
SCAN_WARNINGS = ("archive.zip!../escape.csv: refused", "archive.zip!/abs.csv: refused",
                 "skipped 1 hidden file(s)", "skipped 1 binary file(s)")


def make_zip_bomb(path: Path, megabytes: int = 40) -> Path:
    """A zip whose one member inflates ~1000x: refused by the ratio cap, never written out."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.csv", b"0" * (megabytes << 20))
    return path


def make_broken_zip(path: Path) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.csv", delimited(people()) * 50)
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus-out")
    for case in make_corpus(target):
        print(case.path)
