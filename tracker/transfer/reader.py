"""Reading an uploaded CSV or XLSX file into numbered rows of text, dates and numbers."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from tracker.transfer.sheets import FORMULA_TRIGGERS

MAX_ROWS = 5000


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


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise FileRejected(_("This is not a CSV or XLSX file.")) from None
    sheet = book.worksheets[0]
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, list(row)


def read_rows(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """Return the header (lower-cased) and the non-empty data rows keyed by column, with their line numbers."""
    rows = _xlsx_rows(data) if data[:4] == b"PK\x03\x04" else _csv_rows(data)
    header: list[str] | None = None
    found: list[tuple[int, dict[str, Any]]] = []
    for line, values in rows:
        cells = [_unescape(v) for v in values]
        if all(v in (None, "") for v in cells):
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
