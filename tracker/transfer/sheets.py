"""Writing tables as CSV or XLSX, safe against formula injection, with dates and numbers typed in XLSX.

CSV has no cell types: a text a spreadsheet would run as a formula gets an apostrophe. XLSX has them: such a
text is a text cell with the quote prefix style, its value unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
# A spreadsheet runs a cell starting with one of these as a formula (or DDE); an apostrophe keeps it text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return safe_text(str(value))


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Return UTF-8 CSV (with a BOM, so that spreadsheets pick the encoding) of the rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    """Return what to append for one value: the value itself, or a text cell marked to stay text."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)  # Excel has no time zones: instants are written in UTC
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        # The text as it is (no apostrophe added to the data), stored as text and marked to stay text when
        # edited (the quote prefix style), as the report workbook does.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


def to_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "data") -> bytes:
    """Return an XLSX workbook of one sheet: a bold header row, dates as dates, numbers as numbers."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for name in headers:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        # Plain values (not styled cells) keep this fast; openpyxl gives dates a date format by itself.
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render(fmt: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    return to_csv(headers, rows) if fmt == "csv" else to_xlsx(headers, rows, title)
