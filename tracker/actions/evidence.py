"""Evidence files: size limit, an allow-list of types checked by content, storage by SHA-256 outside static/."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any, BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l

from tracker.accounts.models import User
from tracker.actions import lifecycle as action_lifecycle
from tracker.actions.access import ensure_visible, get_attachment
from tracker.actions.models import Action, Attachment
from tracker.core import audit, clock, uploads
from tracker.core.db import db
from tracker.core.errors import NotFound, ValidationFailed

CHUNK = 64 * 1024
# Types recognised by their signature (magic numbers), by MIME type.
BINARY_TYPES = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/webp",
    "image/gif",
}
# Office Open XML and OpenDocument files are ZIP archives: recognised by the parts inside them.
DOCUMENT_TYPES = {*uploads.OOXML_PARTS.values(), *uploads.ODF_TYPES}


def _refuse(message: Any) -> ValidationFailed:
    return ValidationFailed(message, {"file": [message]})


def store_evidence(user: User, action: Action, filename: str, stream: BinaryIO) -> Attachment:
    """Check and store an evidence file of the action; return its (flushed) Attachment."""
    ensure_visible(user, action.workstream.agreement_id)
    action_lifecycle.ensure_editable(user, action)
    name = clean_filename(filename)
    upload_dir = Path(current_app.config["UPLOAD_DIR"])
    limit = int(current_app.config["MAX_UPLOAD_BYTES"])
    (upload_dir / "tmp").mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=upload_dir / "tmp")
    tmp = Path(tmp_name)
    try:
        digest, size = _copy(stream, fd, limit)
        if size == 0:
            raise _refuse(_l("The file is empty."))
        content_type = detect_type(tmp, name)
        target = evidence_path(digest)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Same content, same name: storing it twice keeps one copy.
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    attachment = Attachment(
        action_id=action.id,
        uploaded_by_id=user.id,
        filename=name,
        content_type=content_type,
        size=size,
        sha256=digest,
        created_at=clock.now(),
    )
    db.session.add(attachment)
    db.session.flush()
    audit.record(
        actor=user,
        entity="attachment",
        entity_id=attachment.id,
        verb="upload",
        changes={"action_id": action.id, "filename": name, "content_type": content_type, "size": size},
        agreement_id=action.workstream.agreement_id,
    )
    db.session.flush()
    return attachment


def _copy(stream: BinaryIO, fd: int, limit: int) -> tuple[str, int]:
    """Write the stream to `fd`, returning its SHA-256 and size; refuse it past `limit` bytes."""
    digest = hashlib.sha256()
    size = 0
    with os.fdopen(fd, "wb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise _refuse(_l("The file is too large: at most %(mb)s MB are accepted.", mb=_megabytes(limit)))
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


def _megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):g}"


def detect_type(path: Path, filename: str) -> str:
    """Return the MIME type of an accepted file, judged by its content; refuse any other, and a file whose
    name claims another type than its content (tracker/core/uploads.py)."""
    with path.open("rb") as fh:
        mime = uploads.check_declared_type(filename, fh)
    if mime in BINARY_TYPES or mime in DOCUMENT_TYPES:
        return mime
    if mime == uploads.TEXT and _is_text(path):
        return "text/csv" if filename.lower().endswith(".csv") else "text/plain"
    raise _refuse(
        _l(
            "This type of file is not accepted. Accepted: PDF, PNG, JPEG, WebP, GIF, Word, Excel, PowerPoint, "
            "OpenDocument text and spreadsheet, CSV and plain text (UTF-8)."
        )
    )


def _is_text(path: Path) -> bool:
    """Whether the file is UTF-8 text without NUL bytes (the whole file is checked, in chunks)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            if b"\x00" in chunk:
                return False
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
# Bidirectional controls reorder what follows them: `résumé\u202egpj.exe` displays as `résuméexe.jpg`.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_filename(filename: str | None) -> str:
    """Return a displayable file name: no directories, no control, bidi-control or reserved characters,
    ≤ 255 chars."""
    name = unicodedata.normalize("NFC", str(filename or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", _BIDI_CONTROLS.sub("", name)).strip(" .")
    if not name:
        raise _refuse(_l("The file needs a name."))
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 250 - len(ext)] + dot + ext) if dot and len(ext) < 10 else name[:255]
    return name


def evidence_path(sha256: str) -> Path:
    """Return where the file with this SHA-256 is stored, under UPLOAD_DIR (never under static/)."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256 or ""):
        raise NotFound(_l("This file does not exist, or you may not see it."))
    return Path(current_app.config["UPLOAD_DIR"]) / sha256[:2] / sha256


def open_evidence(user: User, attachment_id: Any) -> tuple[Attachment, Path]:
    """Return the attachment and its stored file, only for a user who may see its action."""
    attachment = get_attachment(user, attachment_id)
    path = evidence_path(attachment.sha256)
    if not path.is_file():
        raise NotFound(_l("This file is missing from the storage. Please tell an administrator."))
    return attachment, path
