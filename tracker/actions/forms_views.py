"""The action pages' forms: create and edit actions, milestones, progress logs with evidence, measurements.

Each view parses its form, calls one service and redirects (the request's unit of work commits); a refusal
puts the service's messages back on the form (422) and changes nothing; an edit based on an older version
shows the conflict page (409).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from tracker.actions import permissions, services
from tracker.actions.conflicts import render_conflict
from tracker.actions.evidence import open_evidence
from tracker.actions.forms import ActionForm, MeasurementForm, MilestoneForm, ProgressForm
from tracker.actions.queries import fill_action_choices
from tracker.agreements.services import get_workstream, new_action_refusal
from tracker.core.db import discard
from tracker.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from tracker.web.downloads import content_disposition

Page = str | Response | tuple[str, int]


def _save(form: Any, call: Callable[[], Any]) -> Any:
    """Run the service call; on a refusal, discard its changes and show its messages on the form (None)."""
    try:
        result = call()
    except ValidationFailed as exc:
        discard()
        form.show_errors(exc)
        return None
    except InvalidTransition as exc:
        discard()
        form.form_errors.append(str(exc.message))
        return None
    return result


def _render(template: str, form: Any, **context: Any) -> tuple[str, int]:
    status = 422 if request.method == "POST" else 200
    return render_template(template, form=form, **context), status


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def new_action(slug: str, code: str) -> Page:
    workstream = get_workstream(current_user, slug, code)
    _require(permissions.can_create_action(current_user, workstream))
    form = ActionForm(data={"owner_id": str(current_user.id), "lead_party_id": str(current_user.party_id)})
    fill_action_choices(form, workstream)
    if form.validate_on_submit():
        action = _save(form, lambda: services.create_action(current_user, workstream, **form.service_values()))
        if action is not None:
            flash(_("The action is created as a draft."), "success")
            return redirect(url_for("actions.action", action_id=action.id), code=303)
    refusal = new_action_refusal(workstream.agreement)  # ended or closed: the form would only be refused
    return _render("actions/action_form.html", form, workstream=workstream, action=None, refusal=refusal)


def edit_action(action_id: int) -> Page:
    action = services.get_action(current_user, action_id)
    _require(permissions.can_edit_action(current_user, action))
    form = ActionForm(data=_action_data(action))
    fill_action_choices(form, action.workstream)
    if form.validate_on_submit():
        values = form.service_values()
        try:
            saved = _save(
                form, lambda: services.update_action(current_user, action, version=form.version.data, **values)
            )
        except Conflict as exc:
            discard()
            return render_conflict(exc, url_for("actions.edit_action", action_id=action_id))
        if saved is not None:
            flash(_("The action is saved."), "success")
            return redirect(url_for("actions.action", action_id=action.id), code=303)
    return _render("actions/action_form.html", form, workstream=action.workstream, action=action)


def _action_data(action: Any) -> dict[str, Any]:
    return {
        "title": action.title,
        "description": action.description,
        "owner_id": str(action.owner_id or ""),
        "lead_party_id": str(action.lead_party_id),
        "start_on": action.start_on.isoformat() if action.start_on else "",
        "due_on": action.due_on.isoformat() if action.due_on else "",
        "commitment_ids": [str(c.id) for c in action.commitments],
        "version": action.version,
    }


def new_milestone(action_id: int) -> Page:
    action = services.get_action(current_user, action_id)
    _require(permissions.can_edit_action(current_user, action))
    form = MilestoneForm()
    if form.validate_on_submit():
        title, due_on = form.title.data or "", form.due_on.data or ""
        milestone = _save(form, lambda: services.add_milestone(current_user, action, title=title, due_on=due_on))
        if milestone is not None:
            flash(_("The milestone is added."), "success")
            return redirect(url_for("actions.action", action_id=action.id, _anchor="milestones-heading"), code=303)
    return _render("actions/milestone_form.html", form, action=action, milestone=None)


def edit_milestone(milestone_id: int) -> Page:
    milestone = services.get_milestone(current_user, milestone_id)
    action = milestone.action
    _require(permissions.can_edit_action(current_user, action))
    form = MilestoneForm(
        data={"title": milestone.title, "due_on": milestone.due_on.isoformat(), "version": milestone.version}
    )
    if form.validate_on_submit():
        fields = {"title": form.title.data or "", "due_on": form.due_on.data or "", "comment": form.comment.data}
        try:
            saved = _save(
                form,
                lambda: services.update_milestone(current_user, milestone, version=form.version.data, **fields),
            )
        except Conflict as exc:
            discard()
            return render_conflict(exc, url_for("actions.edit_milestone", milestone_id=milestone_id))
        if saved is not None:
            flash(_("The milestone is saved."), "success")
            return redirect(url_for("actions.action", action_id=action.id, _anchor=f"milestone-{milestone.id}"), 303)
    return _render("actions/milestone_form.html", form, action=action, milestone=milestone)


def log_progress(action_id: int) -> Page:
    action = services.get_action(current_user, action_id)
    _require(permissions.can_log_progress(current_user, action))
    try:
        request.files  # noqa: B018 - reads the body now, so that a too-large one is answered on the form
    except RequestEntityTooLarge:
        form = ProgressForm(formdata=None)
        form.files.errors = [_("The file is too large.")]
        return render_template("actions/progress_form.html", form=form, action=action), 413
    # The form starts from what was last reported (the stored values before any report).
    last = services.last_reported(action)
    reported = last if last is not None else action
    form = ProgressForm(data={"percent": reported.percent, "health": str(reported.health)})
    if form.validate_on_submit():
        # A field posted as text instead of a file (a script, not the page) is no file.
        files = [(f.filename, f.stream) for f in form.files.data or [] if isinstance(f, FileStorage) and f.filename]
        try:
            update = _save(
                form,
                lambda: services.log_progress(
                    current_user,
                    action,
                    text=form.text.data or "",
                    percent=form.percent.data,
                    health=form.health.data,
                    attachments=files,
                    form_token=form.form_token.data or "",
                ),
            )
        except services.AlreadySaved as exc:  # Back and send again, or a double click: the log saved the first time
            discard()
            flash(str(exc.message), "info")
            return redirect(url_for("actions.action", action_id=action.id, _anchor="log-heading"), code=303)
        if update is not None:
            flash(_("Your progress log is saved."), "success")
            return redirect(url_for("actions.action", action_id=action.id, _anchor="log-heading"), code=303)
    return _render("actions/progress_form.html", form, action=action)


def new_measurement(indicator_id: int) -> Page:
    indicator = services.get_indicator(current_user, indicator_id)
    _require(permissions.can_manage_indicators(current_user, indicator.workstream))
    form = MeasurementForm()
    if form.validate_on_submit():
        values = {k: getattr(form, k).data or "" for k in ("measured_on", "value", "source", "note")}
        measurement = _save(form, lambda: services.record_measurement(current_user, indicator, **values))
        if measurement is not None:
            flash(_("The measurement is recorded."), "success")
            return redirect(_indicator_home(indicator), code=303)
    return _render("actions/measurement_form.html", form, indicator=indicator, back=_indicator_home(indicator))


def _indicator_home(indicator: Any) -> str:
    slug = indicator.agreement.slug
    if indicator.workstream is not None:
        return url_for("workspace.workstream", slug=slug, code=indicator.workstream.code, _anchor="indicators-heading")
    return url_for("workspace.dashboard", slug=slug, _anchor="indicators-heading")


def download(attachment_id: int) -> Response:
    """Send an evidence file as a download, only to people who may see its action."""
    attachment, path = open_evidence(current_user, attachment_id)
    response = send_file(
        path,
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.filename,
        conditional=True,
        max_age=0,
    )
    response.headers["Content-Disposition"] = content_disposition(attachment.filename)  # as its author named it
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
