"""Files of reports not yet kept for good (drafts, signed ones), prepared by the scheduler on demand.

A PDF takes seconds to lay out (15 s and more on a busy machine), the HTML and XLSX files draw charts and fill
sheets: no web request renders any of them. A download of a file that is not ready leaves a request (a small
file, not a database row: a read stays a read) and answers "being prepared"; the scheduler's `report_files` job
renders the requested files and keeps them under REPORT_DIR/prepared/, one per report, state of its sign-off
(`lock_version`, bumped by every signature or return), language and format. Each request succeeds or fails on
its own: a failure is recorded in the request with its reason and tried again at the next runs; after
MAX_ATTEMPTS it stays failed (the page says so, the log has it).

Layout: prepared/<report id>-v<lock_version>-<lang>.<fmt> and prepared/requests/<report id>-<lang>.<fmt>.json,
the latter holding {"attempts": int, "error": str | None} (a request named <report id>-<lang>.json, from before
other formats were prepared, stands for the PDF).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from flask import current_app

from tracker.core.db import db, reading

if TYPE_CHECKING:
    from tracker.reports.models import Report

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3

State = Literal["ready", "preparing", "failed"]


@dataclass(frozen=True)
class Prepared:
    """Where a report's file stands: `data` is the file once ready, `error` the reason once failed for good."""

    state: State
    data: bytes | None = None
    error: str | None = None


def _folder() -> Path:
    return Path(current_app.config["REPORT_DIR"]) / "prepared"


def _file(report_id: int, lock_version: int, lang: str, fmt: str) -> Path:
    return _folder() / f"{report_id}-v{lock_version}-{lang}.{fmt}"


def _request(report_id: int, lang: str, fmt: str) -> Path:
    return _folder() / "requests" / f"{report_id}-{lang}.{fmt}.json"


def _parse_key(key: str) -> tuple[str, str, str]:
    """Return (report id, lang, fmt) of a request's key, `12-fr.xlsx` (or `12-fr`, a PDF); parts may be bad."""
    report_id, _sep, rest = key.partition("-")
    lang, _dot, fmt = rest.partition(".")
    return report_id, lang, fmt or "pdf"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
    scratch.write_bytes(data)
    scratch.replace(path)  # a reader never sees half a file


def _read_request(path: Path) -> dict[str, object]:
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return {}


def is_ready(report: Report, lang: str, fmt: str) -> bool:
    """Whether the file of the report's current state in `lang` and `fmt` is prepared (one stat, no rendering)."""
    return _file(report.id, report.lock_version, lang, fmt).exists()


def prepared_file(report: Report, lang: str, fmt: str) -> Prepared:
    """Return the file if it is prepared; else ask the scheduler for it (once) and say it is being prepared."""
    path = _file(report.id, report.lock_version, lang, fmt)
    try:
        return Prepared("ready", path.read_bytes())
    except FileNotFoundError:
        pass
    request = _request(report.id, lang, fmt)
    state = _read_request(request)
    if int(state.get("attempts", 0) or 0) >= MAX_ATTEMPTS:  # type: ignore[call-overload]
        return Prepared("failed", error=str(state.get("error") or ""))
    if not request.exists():
        request.parent.mkdir(parents=True, exist_ok=True)
        try:
            with request.open("x", encoding="utf-8") as handle:  # "x": two requests at once leave one file
                json.dump({"attempts": 0, "error": None}, handle)
        except FileExistsError:
            pass
    return Prepared("preparing")


def prepare_requested(stopping: threading.Event | None = None) -> dict[str, list[str]]:
    """Render every requested file (oldest request first); return {"prepared": [...], "prepare_failed": [...]}
    of "<report id>-<lang>.<fmt>" keys.

    Each is rendered in a read transaction of its own (no write lock held while rendering) and succeeds or
    fails alone. Stops between two files when `stopping` is set.
    """
    from tracker.reports.models import Report
    from tracker.reports.render import FORMATS, LANGUAGES, render

    result: dict[str, list[str]] = {"prepared": [], "prepare_failed": []}
    requests = sorted(_folder().glob("requests/*.json"), key=lambda p: p.stat().st_mtime)
    for request in requests:
        if stopping is not None and stopping.is_set():
            break
        report_id, lang, fmt = _parse_key(request.stem)
        key = f"{report_id}-{lang}.{fmt}"
        state = _read_request(request)
        attempts = int(state.get("attempts", 0) or 0)  # type: ignore[call-overload]
        if attempts >= MAX_ATTEMPTS:
            continue  # failed for good: kept so that the page says so
        try:
            with reading():
                report = db.session.get(Report, int(report_id)) if report_id.isdigit() else None
                if report is not None and lang in LANGUAGES and fmt in FORMATS:
                    path = _file(report.id, report.lock_version, lang, fmt)
                    if not path.exists():
                        _write_atomically(path, render(report, lang, fmt))
                        _forget_older(report.id, lang, fmt, keep=path)
            request.unlink(missing_ok=True)
            result["prepared"].append(key)
        except Exception as exc:  # one report that cannot be rendered never holds up the others
            log.exception("report %s: its file could not be prepared (attempt %d)", key, attempts + 1)
            error = f"{type(exc).__name__}: {exc}"[:500]
            request.write_text(json.dumps({"attempts": attempts + 1, "error": error}), encoding="utf-8")
            result["prepare_failed"].append(key)
    return result


def _forget_older(report_id: int, lang: str, fmt: str, keep: Path) -> None:
    """Remove the files prepared for earlier states of the report (before a signature or a return)."""
    for old in _folder().glob(f"{report_id}-v*-{lang}.{fmt}"):
        if old != keep:
            old.unlink(missing_ok=True)
