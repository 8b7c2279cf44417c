"""The action pages' blueprint: the action page and its forms, an agreement's milestone and progress lists
(pages.py, forms_views.py), and here the thin views for lifecycle moves (POST) and the list of what awaits my
approval."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.actions import forms_views, pages, services
from tracker.actions.approvals import awaiting_approval
from tracker.actions.conflicts import render_conflict
from tracker.actions.labels import ACTION_STATUS, MILESTONE_STATUS
from tracker.core import clock
from tracker.core.db import discard
from tracker.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from tracker.core.pagination import clamp
from tracker.web.security import is_safe_path

bp = Blueprint("actions", __name__, template_folder="templates")


def _page(rule: str, view: Any, **options: Any) -> None:
    bp.add_url_rule(rule, view_func=login_required(view), **options)


FORM = {"methods": ["GET", "POST"]}
_page("/actions/<int:action_id>", pages.action, endpoint="action")
_page("/agreements/<slug>/workstreams/<code>/actions/new", forms_views.new_action, endpoint="new_action", **FORM)
_page("/actions/<int:action_id>/edit", forms_views.edit_action, endpoint="edit_action", **FORM)
_page("/actions/<int:action_id>/milestones/new", forms_views.new_milestone, endpoint="new_milestone", **FORM)
_page("/milestones/<int:milestone_id>/edit", forms_views.edit_milestone, endpoint="edit_milestone", **FORM)
_page("/actions/<int:action_id>/progress", forms_views.log_progress, endpoint="log_progress", **FORM)
_page(
    "/indicators/<int:indicator_id>/measurements/new", forms_views.new_measurement, endpoint="new_measurement", **FORM
)
_page("/attachments/<int:attachment_id>/download", forms_views.download, endpoint="download")
_page("/agreements/<slug>/milestones/<when>", pages.milestones, endpoint="milestones")
_page("/agreements/<slug>/progress", pages.progress, endpoint="progress")


def _back(default: str) -> str:
    target = request.form.get("next", "")
    return target if is_safe_path(target) else default


def _action_url(action_id: int) -> str:
    return url_for("actions.action", action_id=action_id)


def _refused(exc: DomainError, back: str) -> Response:
    """Undo, tell why on the page the user came from (a 403 or 404 is an error page instead)."""
    discard()
    if isinstance(exc, NotFound | PermissionDenied):
        raise exc
    messages = [str(exc.message)]
    if isinstance(exc, ValidationFailed):
        messages += [str(m) for field in exc.errors.values() for m in field if str(m) != messages[0]]
    flash(" ".join(messages), "error")
    return redirect(back, code=303)


@bp.post("/actions/<int:action_id>/transition")
@login_required
def action_transition(action_id: int) -> Response:
    back = _back(_action_url(action_id))
    try:
        action = services.get_action(current_user, action_id)
        outcome = services.transition_action(
            current_user,
            action,
            request.form.get("to", ""),
            comment=request.form.get("comment"),
            outcome=request.form.get("outcome"),
        )
    except DomainError as exc:
        return _refused(exc, back)
    if outcome.moved:
        state = ACTION_STATUS.get(action.status, action.status)
        flash(_("“%(title)s” is now %(state)s.", title=action.title, state=str(state).lower()), "success")
    else:
        flash(_("Your approval is recorded. The action becomes active once every party has approved it."), "success")
    return redirect(back, code=303)


@bp.post("/milestones/<int:milestone_id>/transition")
@login_required
def milestone_transition(milestone_id: int) -> Response | tuple[str, int]:
    form = request.form
    milestone = services.get_milestone(current_user, milestone_id)
    back = _back(_action_url(milestone.action_id) + f"#milestone-{milestone.id}")
    data = {k: form.get(k) for k in ("completed_on", "evidence_url") if k in form and form.get("to") == "done"}
    try:
        services.transition_milestone(
            current_user,
            milestone,
            form.get("to", ""),
            version=form.get("version"),
            comment=form.get("comment"),
            **data,
        )
    except Conflict as exc:
        discard()
        return render_conflict(exc, back)
    except DomainError as exc:
        return _refused(exc, back)
    state = MILESTONE_STATUS.get(milestone.status, milestone.status)
    flash(_("“%(title)s” is now %(state)s.", title=milestone.title, state=str(state).lower()), "success")
    return redirect(back, code=303)


@bp.get("/approvals")
@login_required
def approvals() -> str:
    page, per_page = clamp(request.args.get("page"), request.args.get("per_page"))
    today = clock.today(current_app.config["TRACKER_TIMEZONE"])
    return render_template(
        "actions/approvals.html", page=awaiting_approval(current_user, today, page, per_page), today=today
    )
