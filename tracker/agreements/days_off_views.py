"""The admins' page of their administration's days off: the list, adding a day, removing one."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length

from tracker.agreements import days_off
from tracker.core.db import discard
from tracker.core.errors import ValidationFailed
from tracker.core.forms import Form

bp = Blueprint("days_off", __name__, template_folder="templates", url_prefix="/admin/days-off")


class DayOffForm(Form):
    on = DateField(_l("Date"), [DataRequired()])
    label = StringField(_l("What it is"), [Length(max=200)])


class RemoveForm(Form):
    pass


def _page(form: DayOffForm, status: int = 200) -> tuple[str, int]:
    user = current_user._get_current_object()
    return render_template(
        "agreements/days_off.html",
        days=days_off.list_days_off(user),
        yearly=[(date(2000, month, day), label) for month, day, label in days_off.yearly_defaults(user.party)],
        form=form,
        remove_form=RemoveForm(),
    ), status


@bp.get("")
@login_required
def index() -> tuple[str, int]:
    return _page(DayOffForm())


@bp.post("")
@login_required
def add() -> Response | tuple[str, int]:
    user = current_user._get_current_object()
    form = DayOffForm()
    if not form.validate_on_submit():
        days_off.list_days_off(user)  # refuses non-admins before the form's errors are shown
        return _page(form, 422)
    try:
        days_off.add_day_off(user, form.on.data, form.label.data or "")
    except ValidationFailed as exc:
        discard()
        form.on.errors = [str(m) for m in exc.errors.get("on", [exc.message])]
        return _page(form, 422)
    flash(_("The day off is saved: no digest goes to your people that day."), "success")
    return redirect(url_for("days_off.index"))


@bp.post("/<on>/delete")
@login_required
def remove(on: str) -> Response:
    user = current_user._get_current_object()
    try:
        day = date.fromisoformat(on)
    except ValueError:
        abort(404)
    if not RemoveForm().validate_on_submit():
        abort(400)
    days_off.remove_day_off(user, day)
    flash(_("The day off is removed."), "success")
    return redirect(url_for("days_off.index"))
