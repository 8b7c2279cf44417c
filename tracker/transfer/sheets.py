"""Writing tables as CSV or XLSX, safe against formula injection, with dates and numbers typed in XLSX.

CSV files are written the way the reader's spreadsheet opens them on a double click: Excel and LibreOffice
set up in French or Dutch split on `;` and read `1,5` as a number, in English on `,` with `1.5`. Both get a
UTF-8 BOM (so that the accents are read right); the importer reads either separator.

CSV has no cell types: a text a spreadsheet would run as a formula gets an apostrophe. XLSX has them: such a
text is a text cell with the quote prefix style, its value unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from functools import partial
from itertools import islice
from typing import Any

FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
# A spreadsheet runs a cell starting with one of these as a formula (or DDE); an apostrophe keeps it text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# The `sep` choice offered on export links and in the API: name -> separator.
SEPARATORS = {"comma": ",", "semicolon": ";"}
# Languages whose spreadsheets split CSV on semicolons (their decimal separator is the comma).
SEMICOLON_LANGUAGES = frozenset({"fr", "nl"})


def separator_for(language: str) -> str:
    """Return the `sep` name ("semicolon" or "comma") that spreadsheets in this language expect."""
    return "semicolon" if language.split("_")[0].lower() in SEMICOLON_LANGUAGES else "comma"


def safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _csv_cell(value: Any, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return str(value).replace(".", ",") if decimal_comma else str(value)
    if isinstance(value, int):
        return str(value)
    return safe_text(str(value))


def _csv_rows(rows: Iterable[Sequence[Any]], decimal_comma: bool) -> Iterator[list[Any]]:
    """Yield each row's cells as `_csv_cell` writes them. The common types are looked up by their exact type (one
    dictionary lookup a cell, where a file of every action holds a few hundred thousand cells); None and integers
    go to the csv module as they are (it writes them as "" and their digits); any other type, `_csv_cell`."""
    cells: dict[type, Any] = {
        type(None): None,
        int: None,
        str: safe_text,
        bool: lambda value: "true" if value else "false",
        date: date.isoformat,
        datetime: datetime.isoformat,
        float: (lambda value: str(value).replace(".", ",")) if decimal_comma else str,
    }
    other = partial(_csv_cell, decimal_comma=decimal_comma)
    get = cells.get
    for row in rows:
        yield [value if (write := get(type(value), other)) is None else write(value) for value in row]


# Rows written at a time by `csv_lines` (a file streamed in pieces of some tens of kilobytes).
CSV_BATCH = 200


def csv_lines(headers: Sequence[str], rows: Iterable[Sequence[Any]], sep: str = "comma") -> Iterator[str]:
    """Yield the CSV text in pieces of CSV_BATCH lines, the BOM first, split on `,` (sep "comma") or `;` with
    decimal commas (sep "semicolon"), for exports written as they are read from the database.

    Raises KeyError on another `sep`.
    """
    delimiter = SEPARATORS[sep]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow(headers)
    cells = _csv_rows(rows, delimiter == ";")
    while batch := list(islice(cells, CSV_BATCH)):
        writer.writerows(batch)
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]], sep: str = "comma") -> bytes:
    """Return UTF-8 CSV with a BOM, split on `,` (sep "comma") or `;` with decimal commas (sep "semicolon").

    Raises KeyError on another `sep`.
    """
    delimiter = SEPARATORS[sep]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow(headers)
    writer.writerows(_csv_rows(rows, delimiter == ";"))
    return out.getvalue().encode("utf-8")


# Excel's built-in number format 14: a date shown the way the reader's system writes short dates (01/12/2026 in
# French, 1-12-2026 in Dutch), where openpyxl's default shows 2026-12-01 to everyone.
READER_DATE_FORMAT = "mm-dd-yy"


def _xlsx_cell(sheet: Any, value: Any, reader_dates: bool = False) -> Any:
    """Return what to append for one value: the value itself, or a cell marked to stay text (or, with
    `reader_dates`, a date shown in the reader's short date format)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)  # Excel has no time zones: instants are written in UTC
    if reader_dates and isinstance(value, date):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = READER_DATE_FORMAT
        return cell
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        # The text as it is (no apostrophe added to the data), stored as text and marked to stay text when
        # edited (the quote prefix style), as the report workbook does.
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


def to_xlsx(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "data", reader_dates: bool = False
) -> bytes:
    """Return an XLSX workbook of one sheet: a bold header row, dates as dates, numbers as numbers.

    Dates show as 2026-12-01, or with `reader_dates` in the reader's own short date format (READER_DATE_FORMAT).
    """
    # Imported here: openpyxl costs about a second of CPU at import, which every command and worker would pay.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

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
        sheet.append([_xlsx_cell(sheet, v, reader_dates) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render(
    fmt: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    title: str,
    sep: str = "comma",
    reader_dates: bool = False,
) -> bytes:
    """Return the table as a `fmt` file ("csv" split by `sep`, or "xlsx", its dates in the reader's format when
    `reader_dates`)."""
    return to_csv(headers, rows, sep) if fmt == "csv" else to_xlsx(headers, rows, title, reader_dates)
