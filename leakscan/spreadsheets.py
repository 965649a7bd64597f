"""Excel workbooks (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``): every sheet is an input.

python-calamine (Rust) reads the cells; each sheet is written once to a UTF-8 CSV in the
scan's temporary directory and read from there like any delimited file, so one reader does
all the counting. Numbers are written the way Excel's "General" format shows them
(``1.10101199001011E+17``, ``13800138000``): a resident ID that Excel stored as a number has
already lost its last digits and its X, and writing it in that form keeps it from passing a
check digit by chance; ``damage.py`` then warns that the column was damaged by a spreadsheet.
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import BinaryIO

from .errors import InputError

SPREADSHEET_EXTENSIONS = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}


def sheet_names(path: str, shown: str) -> list[str]:
    """The workbook's sheet names, in workbook order."""
    wb = _open(path, shown)
    try:
        return list(wb.sheet_names)
    finally:
        wb.close()


def export_sheet(path: str, shown: str, sheet: str, dst: BinaryIO) -> int:
    """Write one sheet to ``dst`` as UTF-8 CSV; return the number of rows written."""
    from python_calamine import CalamineError

    wb = _open(path, shown)
    text = io.TextIOWrapper(dst, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\n")
        n = 0
        for row in wb.get_sheet_by_name(sheet).iter_rows():
            writer.writerow([excel_text(v) for v in row])
            n += 1
        text.flush()
        return n
    except (CalamineError, ValueError, OSError) as e:
        raise InputError(f"{shown}!{sheet}", f"cannot read the sheet ({_reason(e)})") from None
    except BaseException as e:  # a Rust panic surfaces as pyo3's PanicException
        if isinstance(e, KeyboardInterrupt | SystemExit):
            raise
        raise InputError(f"{shown}!{sheet}", f"cannot read the sheet ({_reason(e)})") from None
    finally:
        text.detach()
        wb.close()


def excel_text(value) -> str:
    """A cell as Excel's General format would show it.

    >>> excel_text(110101199001011000.0), excel_text(13800138000.0), excel_text(0.5)
    ('1.10101199001011E+17', '13800138000', '0.5')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15G}"
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _open(path: str, shown: str):
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(path)
    except (CalamineError, ValueError, OSError) as e:
        raise InputError(shown, f"is not a readable workbook ({_reason(e)})") from None
    except BaseException as e:  # a Rust panic surfaces as pyo3's PanicException
        if isinstance(e, KeyboardInterrupt | SystemExit):
            raise
        raise InputError(shown, f"is not a readable workbook ({_reason(e)})") from None


def _reason(e: BaseException) -> str:
    return " ".join((str(e) or type(e).__name__).split())[:200]
