"""One-click unsubscribe (no login) and the admins' reminder settings."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.accounts.permissions import is_admin
from tracker.core.db import discard
from tracker.core.errors import DomainError, PermissionDenied, ValidationFailed
from tracker.extensions import csrf
from tracker.reminders import settings as cadence_settings
from tracker.reminders.forms import CadenceForm
from tracker.reminders.unsubscribe import unsubscribe, user_for_token

bp = Blueprint("reminders", __name__, template_folder="templates")


@bp.get("/unsubscribe/<token>")
def unsubscribe_page(token: str) -> str:
    user = user_for_token(token)
    return render_template("reminders/unsubscribe.html", user=user, token=token, done=False)


@bp.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe_now(token: str) -> str:
    user = unsubscribe(token)
    return render_template("reminders/unsubscribe.html", user=user, token=token, done=True)


@bp.route("/admin/reminders", methods=["GET", "POST"])
@login_required
def settings_page() -> str | Response | tuple[str, int]:
    user = current_user._get_current_object()
    if not is_admin(user):
        raise PermissionDenied(_("Only administrators change the reminder settings."))
    cadence = cadence_settings.current_cadence(user.party_id)
    form = CadenceForm(data={**cadence.as_dict(), "due_soon_days": ", ".join(map(str, cadence.due_soon_days))})
    if request.method == "POST":
        form = CadenceForm()
        if form.validate_on_submit():
            try:
                chosen = cadence_settings.Cadence(
                    due_soon_days=cadence_settings.parse_days(form.due_soon_days.data or ""),
                    overdue_first_day=form.overdue_first_day.data,
                    overdue_repeat_days=form.overdue_repeat_days.data,
                    overdue_escalation_day=form.overdue_escalation_day.data,
                    stale_after_days=form.stale_after_days.data,
                    quarter_call_days=form.quarter_call_days.data,
                )
                cadence_settings.save_cadence(user, chosen, version=int(form.version.data or 0))
            except (ValidationFailed, DomainError) as exc:
                discard()
                for name, messages in getattr(exc, "errors", {}).items():
                    getattr(form, name).errors = [str(m) for m in messages]
                form.form_errors.append(str(exc.message))
            else:
                flash(_("The reminder settings are saved; the next digests follow them."), "success")
                return redirect(url_for("reminders.settings_page"))
        return render_template("reminders/settings.html", form=form, version=form.version.data), 422
    return render_template(
        "reminders/settings.html", form=form, version=cadence_settings.current_version(user.party_id)
    )
