"""Uploaded files: what their content is (its signature), checked against what their name says it is.

A file's extension is a claim; its first bytes (and, for ZIP-based documents, the parts inside) are what it
holds. `check_declared_type` refuses a file whose name claims another type than its content shows (an XLSX
named .csv, a PDF named .xlsx, a program named .png), naming both. Every upload goes through it at the edge:
the site's forms check their file fields (tracker/core/forms.py), the API its multipart operations
(tracker/api/blueprint.py); the services that store or read a file may call it again. Which types an upload
accepts is that upload's own rule (evidence files, imports); this module only says whether name and content agree.
"""

from __future__ import annotations

import codecs
import zipfile
from typing import Any, BinaryIO

from flask_babel import lazy_gettext as _l

from tracker.core.errors import ValidationFailed

HEAD_BYTES = 8192
ZIP_SIGNATURE = b"PK\x03\x04"
TEXT = "text/plain"
ZIP = "application/zip"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
# Office Open XML files are ZIP archives recognised by a part inside them; OpenDocument ones by their `mimetype`.
OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
ODF_TYPES = frozenset({ODT, ODS})

# What a name's extension claims. Names ending otherwise (or without an extension) claim nothing.
EXTENSION_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": DOCX,
    "xlsx": XLSX,
    "pptx": PPTX,
    "odt": ODT,
    "ods": ODS,
    "csv": TEXT,
    "txt": TEXT,
    "zip": ZIP,
}
# How a type is named to people (format names are the same in every language; text is translated).
TYPE_NAMES: dict[str, Any] = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    DOCX: "Word (DOCX)",
    XLSX: "Excel (XLSX)",
    PPTX: "PowerPoint (PPTX)",
    ODT: "OpenDocument (ODT)",
    ODS: "OpenDocument (ODS)",
    TEXT: _l("text"),
    ZIP: "ZIP",
}


def sniff(stream: BinaryIO) -> str | None:
    """Return the MIME type the content shows from the stream's position (left where it was), or None.

    Binary types by their signature (the `filetype` library), ZIP-based documents by their parts, and
    text/plain for content with no NUL byte whose first bytes read as UTF-8 or Windows-1252 (a CSV saved by a
    spreadsheet). None: empty of any signature and not text.
    """
    import filetype  # on first use: only uploads need it

    start = stream.tell()
    head = stream.read(HEAD_BYTES)
    try:
        if head.startswith(ZIP_SIGNATURE):
            stream.seek(start)
            return _zipped_type(stream)
        kind = filetype.guess(head)
        if kind is not None:
            return str(kind.mime)
        return TEXT if b"\x00" not in head and _reads_as_text(head) else None
    finally:
        stream.seek(start)


def _reads_as_text(head: bytes) -> bool:
    for encoding in ("utf-8", "cp1252"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _zipped_type(stream: BinaryIO) -> str | None:
    """Return the document type of a ZIP archive (OOXML, OpenDocument), ZIP for another archive, None if broken."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                for part, mime in OOXML_PARTS.items():
                    if part in names:
                        return mime
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if declared in ODF_TYPES:
                    return declared
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError, EOFError):
        return None
    return ZIP


def declared_type(filename: str | None) -> tuple[str, str] | None:
    """Return (extension, MIME type) that a file name claims, or None when it claims none we know."""
    stem, dot, extension = str(filename or "").rpartition(".")
    mime = EXTENSION_TYPES.get(extension.strip().lower()) if dot and stem else None
    return (extension.strip(), mime) if mime else None


def type_name(mime: str) -> Any:
    """Return how people call a type: PDF, Excel (XLSX), text... or the usual extension of another (EXE)."""
    import filetype

    if mime in TYPE_NAMES:
        return TYPE_NAMES[mime]
    kind = filetype.get_type(mime=mime)
    return kind.extension.upper() if kind is not None else mime


def check_declared_type(filename: str | None, stream: BinaryIO, field: str = "file") -> str | None:
    """Return the content's MIME type (see sniff); raise ValidationFailed on `field` when the name claims another.

    A name without a known extension claims nothing; a text file may be named .csv or .txt. The stream is left
    where it was.
    """
    claim = declared_type(filename)
    found = sniff(stream)
    if claim is None or claim[1] == found:
        return found
    extension, _mime = claim
    if found is None:
        message = _l("The file name ends in .%(ext)s, but its content is not of that type.", ext=extension)
    else:
        message = _l(
            "The file name ends in .%(ext)s, but its content is in %(found)s format.",
            ext=extension,
            found=type_name(found),
        )
    raise ValidationFailed(message, {field: [message]})
