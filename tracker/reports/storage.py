"""Files of published reports: rendered once after publication, kept under REPORT_DIR by SHA-256, never changed.

Publishing is acknowledged at once; the nine files (three languages, three formats) take seconds to render, so
the scheduler's `report_files` job renders them within a minute. Until then a download of any of them is "being
prepared" (tracker.reports.services.report_file): the files people get are the kept ones, byte for byte."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker.core.db import db, reading, writing
from tracker.core.errors import NotFound
from tracker.reports.render import LANGUAGES, render_all

if TYPE_CHECKING:
    from tracker.reports.models import Report

log = logging.getLogger(__name__)


def _path(digest: str) -> Path:
    return Path(current_app.config["REPORT_DIR"]) / digest[:2] / digest


def _write(data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    path = _path(digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_suffix(f".{os.getpid()}.part")
        scratch.write_bytes(data)
        scratch.replace(path)  # atomic: a reader never sees half a file
    return digest


def render_published_files(report: Report) -> dict[str, dict[str, dict[str, object]]]:
    """Render and store every language and format of the report; return {lang: {fmt: {sha256, size}}}."""
    files: dict[str, dict[str, dict[str, object]]] = {}
    for lang in LANGUAGES:
        files[lang] = {
            fmt: {"sha256": _write(data), "size": len(data)} for fmt, data in render_all(report, lang).items()
        }
    return files


def store_pending_files(stopping: threading.Event | None = None) -> dict[str, list[int]]:
    """Render and store the files of the published reports that have none yet, oldest first, one commit each.

    Return the ids stored and the ids that failed (logged, tried again at the next run; one report that cannot
    be rendered never holds up the others). The files are rendered in a read transaction (on SQLite, no write
    lock is held for the seconds a PDF takes), then recorded in a short write. Stops between two reports when
    `stopping` is set."""
    from tracker.reports.models import Report, ReportStatus

    pending = db.session.scalars(
        select(Report.id)
        .where(Report.status == ReportStatus.PUBLISHED, Report.files.is_(None))
        .order_by(Report.published_at, Report.id)
    ).all()
    result: dict[str, list[int]] = {"stored": [], "failed": []}
    for report_id in pending:
        if stopping is not None and stopping.is_set():
            break
        try:
            with reading():
                report = db.session.get(Report, report_id)
                files = render_published_files(report) if report is not None and report.files is None else None
            if files is not None:
                with writing():
                    report = db.session.get(Report, report_id, with_for_update=True, populate_existing=True)
                    if report is not None and report.files is None:  # the files are the same bytes either way
                        report.files = files
                result["stored"].append(report_id)
        except Exception:
            db.session.rollback()
            log.exception("report %s: its published files could not be rendered; will try again", report_id)
            result["failed"].append(report_id)
    return result


def published_file(report: Report, lang: str, fmt: str) -> bytes:
    """Return a stored file of a published report, checked against the hash recorded at publication."""
    entry = (report.files or {}).get(lang, {}).get(fmt)
    if entry is None:
        raise NotFound(_l("This file of the report does not exist."))
    path = _path(str(entry["sha256"]))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        log.error("report %s: file %s/%s is missing from %s", report.id, lang, fmt, path)
        raise NotFound(
            _l("This file of the report is missing from the storage; the administrators have been told.")
        ) from None
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        log.error("report %s: file %s/%s does not match its recorded hash", report.id, lang, fmt)
        raise NotFound(_l("This file of the report is damaged in the storage; the administrators have been told."))
    return data
