"""Reading an uploaded CSV or XLSX file into numbered rows of text, dates and numbers, within bounds.

An uploaded file is untrusted: a few kilobytes can declare a million rows, 16,384 columns or shared strings
that inflate a thousandfold. Reading never trusts what the file declares: a workbook's members are checked
against their uncompressed sizes before parsing, its declared dimension is ignored, and reading stops at the
first line, column, cell or second past the bounds below, with a FileRejected naming the bound.
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _

from tracker.transfer.sheets import FORMULA_TRIGGERS

MAX_ROWS = 5000  # data rows (non-empty) in one file
MAX_LINES = 2 * MAX_ROWS  # lines read, empty ones included
MAX_COLUMNS = 40  # the import has 10 columns, an export 14
MAX_CELL_CHARS = 20_000  # an action's description may have 20,000 characters
MAX_UNCOMPRESSED_BYTES = 32 * 1024 * 1024  # all the members of a workbook, once inflated
MAX_READ_SECONDS = 10  # a backstop: no file of the sizes above takes this long


class FileRejected(Exception):
    """The file as a whole cannot be read (not a CSV or XLSX, empty, too many rows)."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message, self.line = message, line


def _unescape(value: Any) -> Any:
    """Undo the apostrophe that exports put before text a spreadsheet would run as a formula."""
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
            return value[1:]
    return value


def _too_many_lines(line: int) -> FileRejected:
    return FileRejected(_("Too many lines: at most %(n)d in one file. Split it.", n=MAX_LINES), line)


def _check_row(line: int, values: list[Any], deadline: float) -> None:
    """Refuse a row past the bounds of lines, columns, cell size or reading time (FileRejected)."""
    if line > MAX_LINES:
        raise _too_many_lines(line)
    if len(values) > MAX_COLUMNS and any(v not in (None, "") for v in values[MAX_COLUMNS:]):
        raise FileRejected(_("Too many columns: at most %(n)d.", n=MAX_COLUMNS), line)
    if any(isinstance(v, str) and len(v) > MAX_CELL_CHARS for v in values):
        raise FileRejected(_("A cell has more than %(n)d characters.", n=MAX_CELL_CHARS), line)
    if time.monotonic() > deadline:
        raise FileRejected(_("The file takes too long to read: at most %(n)d seconds.", n=MAX_READ_SECONDS), line)


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    if b"\x00" in data[:4096]:
        raise FileRejected(_("This is not a CSV or XLSX file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise FileRejected(_("This is not a CSV or XLSX file.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for row in reader:
            yield line, row
            line = reader.line_num + 1
    except csv.Error:
        raise FileRejected(_("The CSV file is malformed near line %(line)d.", line=line), line) from None


def _check_inflated_size(data: bytes) -> None:
    """Refuse a workbook whose members, inflated, would exceed MAX_UNCOMPRESSED_BYTES (before any parsing).

    The sizes are those the archive declares; zipfile never inflates a member past its declared size.
    """
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRejected(_("This is not a CSV or XLSX file.")) from None
    if sum(m.file_size for m in members) > MAX_UNCOMPRESSED_BYTES:
        raise FileRejected(
            _("The workbook is too large once unpacked: at most %(n)d MB.", n=MAX_UNCOMPRESSED_BYTES // 2**20)
        )


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    # Imported here: openpyxl costs about a second of CPU at import, which every command and worker would pay.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_inflated_size(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError):
        raise FileRejected(_("This is not a CSV or XLSX file.")) from None
    # The declared dimension (A1:XFD1048576 costs nothing to write) would pad every row and fill every gap.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(max_row=MAX_LINES + 1, max_col=MAX_COLUMNS + 1, values_only=True)
    try:
        for number, row in enumerate(rows, start=1):
            yield number, list(row)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError):
        raise FileRejected(_("This is not a CSV or XLSX file.")) from None


def read_rows(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """Return the header (lower-cased) and the non-empty data rows keyed by column, with their line numbers.

    Raises FileRejected when the file is not a CSV or XLSX, is empty, or goes past a bound (MAX_*).
    """
    deadline = time.monotonic() + MAX_READ_SECONDS
    rows = _xlsx_rows(data) if data[:4] == b"PK\x03\x04" else _csv_rows(data)
    header: list[str] | None = None
    found: list[tuple[int, dict[str, Any]]] = []
    for line, values in rows:
        _check_row(line, values, deadline)
        cells = [_unescape(v) for v in values]
        while cells and cells[-1] in (None, ""):
            cells.pop()
        if not cells or all(v in (None, "") for v in cells):
            continue
        if header is None:
            header = [str(v or "").strip().lower() for v in cells]
            continue
        if len(found) >= MAX_ROWS:
            raise FileRejected(_("Too many rows: at most %(n)d in one file. Split it.", n=MAX_ROWS), line)
        padded = cells + [None] * (len(header) - len(cells))
        found.append((line, dict(zip(header, padded, strict=False))))
    if header is None:
        raise FileRejected(_("The file is empty."))
    return header, found
