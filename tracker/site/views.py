"""Home, language switch, health check and the icon browsers ask for at /favicon.ico.

/healthz tells anyone whether the database answers and the scheduler beats; which hosts and processes run
it (names, process ids, leader) only to admins and to callers on this machine (loopback).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, redirect, request, send_from_directory, session, url_for
from flask_login import current_user
from sqlalchemy import select, text
from werkzeug.wrappers import Response as WerkzeugResponse

from tracker.accounts.permissions import is_admin
from tracker.core import clock
from tracker.core.db import db
from tracker.extensions import csrf
from tracker.scheduling.models import SchedulerHeartbeat
from tracker.web.security import is_safe_path

bp = Blueprint("web", __name__)

HEARTBEAT_STALE_AFTER_SECONDS = 180
LOOPBACK = {"127.0.0.1", "::1"}


@bp.get("/")
def index() -> WerkzeugResponse | str:
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    from tracker.workspace.pages import my_work

    return my_work()


@bp.post("/language")
def set_language() -> WerkzeugResponse:
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated and current_user.language != lang:
            from tracker.accounts.services import set_language as persist_language

            persist_language(current_user, lang)
    target = request.form.get("next", "")
    return redirect(target if is_safe_path(target) else url_for("web.index"))


FAVICON_MAX_AGE_SECONDS = 7 * 24 * 3600


@bp.get("/favicon.ico")
def favicon() -> Response:
    """The site's icon where browsers look for it by themselves: those without SVG icons (the pages name
    static/favicon.svg), and for answers that are not pages (JSON, downloads)."""
    folder = str(current_app.static_folder)
    return send_from_directory(folder, "favicon.ico", mimetype="image/x-icon", max_age=FAVICON_MAX_AGE_SECONDS)


@bp.get("/healthz")
@csrf.exempt
def healthz() -> tuple[Response, int]:
    status = 200
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
        beats = db.session.scalars(select(SchedulerHeartbeat).order_by(SchedulerHeartbeat.beat_at.desc())).all()
    except Exception:
        current_app.logger.exception("health check: database unreachable")
        database, beats, status = "error", [], 503
    return jsonify({"database": database, "scheduler": _scheduler_status(beats, _may_see_processes())}), status


def _may_see_processes() -> bool:
    """Admins, and callers on this machine (an operator's curl, the run script), see hosts and process ids."""
    if request.remote_addr in LOOPBACK:
        return True
    return bool(current_user.is_authenticated and is_admin(current_user))


def _scheduler_status(beats: list[SchedulerHeartbeat], detailed: bool) -> dict[str, object]:
    """Return {status, last_heartbeat_at, age_seconds} and, when `detailed`, the leader and every process."""
    if not beats:
        return {"status": "unknown", "last_heartbeat_at": None} | ({"processes": []} if detailed else {})
    now = clock.now()
    latest = beats[0]
    age = (now - latest.beat_at).total_seconds()
    summary: dict[str, object] = {
        "status": "ok" if age <= HEARTBEAT_STALE_AFTER_SECONDS else "stale",
        "last_heartbeat_at": latest.beat_at.isoformat(),
        "age_seconds": round(age, 1),
    }
    if not detailed:
        return summary
    return summary | {
        "leader": next((b.name for b in beats if b.is_leader), None),
        "processes": [
            {"name": b.name, "host": b.host, "pid": b.pid, "beat_at": b.beat_at.isoformat(), "is_leader": b.is_leader}
            for b in beats
        ],
    }
