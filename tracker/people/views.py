"""The admins' people pages (/admin/people: list, invite, change, deactivate; /admin/co-leads) — thin views
over tracker.people.services."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.core.db import discard
from tracker.core.errors import ValidationFailed
from tracker.core.pagination import clamp
from tracker.people import services as people
from tracker.people.forms import CoLeadForm, DeactivateForm, InviteForm, PersonForm

bp = Blueprint("people", __name__, template_folder="templates", url_prefix="/admin")


def _admin():
    return current_user._get_current_object()


def _errors(form, exc: ValidationFailed) -> None:
    discard()
    form.show_errors(exc)


def _list(form: InviteForm, status: int = 200) -> tuple[str, int]:
    query = (request.args.get("q") or "").strip()
    page, per_page = clamp(request.args.get("page"), request.args.get("per_page"), 25)
    found = people.list_people(_admin(), query, page, per_page)
    return render_template("people/index.html", page=found, q=query, form=form), status


@bp.get("/people")
@login_required
def index() -> tuple[str, int]:
    return _list(InviteForm())


@bp.post("/people")
@login_required
def invite() -> Response | tuple[str, int]:
    form = InviteForm()
    if not form.validate_on_submit():
        return _list(form, 422)
    try:
        person = people.invite(
            _admin(),
            email=form.email.data or "",
            name=form.name.data or "",
            role=form.role.data,
            language=form.language.data,
        )
    except ValidationFailed as exc:
        _errors(form, exc)
        return _list(form, 422)
    flash(_("%(name)s is invited: the mail with their link is in the outbox.", name=person.name), "success")
    return redirect(url_for("people.show", person_id=person.id))


def _person_page(
    person_id: int, form: PersonForm | None = None, leave: DeactivateForm | None = None, status: int = 200
):
    admin = _admin()
    person = people.get_person(admin, person_id)
    form = form or PersonForm(obj=person)
    leave = leave or DeactivateForm()
    leave.successor.choices = [("", "—")] + [
        (str(u.id), u.name) for u in people.co_lead_choices(admin) if u.id != person.id
    ]
    held = people.holdings(admin, person)
    return render_template("people/show.html", person=person, form=form, leave=leave, held=held), status


@bp.get("/people/<int:person_id>")
@login_required
def show(person_id: int) -> tuple[str, int]:
    return _person_page(person_id)


@bp.post("/people/<int:person_id>")
@login_required
def update(person_id: int) -> Response | tuple[str, int]:
    admin = _admin()
    person = people.get_person(admin, person_id)
    form = PersonForm()
    if not form.validate_on_submit():
        return _person_page(person_id, form=form, status=422)
    try:
        people.update_person(
            admin,
            person,
            role=form.role.data,
            language=form.language.data,
            digest=form.digest.data,
            function=form.function.data,
        )
    except ValidationFailed as exc:
        _errors(form, exc)
        return _person_page(person_id, form=form, status=422)
    flash(_("The changes are saved."), "success")
    return redirect(url_for("people.show", person_id=person_id))


@bp.post("/people/<int:person_id>/deactivate")
@login_required
def deactivate(person_id: int) -> Response | tuple[str, int]:
    admin = _admin()
    person = people.get_person(admin, person_id)
    leave = DeactivateForm()
    if not leave.validate_on_submit():
        return _person_page(person_id, leave=leave, status=422)
    try:
        people.deactivate(admin, person, successor_id=leave.successor.data)
    except ValidationFailed as exc:
        _errors(leave, exc)
        return _person_page(person_id, leave=leave, status=422)
    flash(_("%(name)s is deactivated; what they held is handed over.", name=person.name), "success")
    return redirect(url_for("people.show", person_id=person_id))


@bp.get("/co-leads")
@login_required
def co_leads() -> str:
    admin = _admin()
    choices = [("", "—")] + [(str(u.id), u.name) for u in people.co_lead_choices(admin)]
    rows = []
    for ws in people.workstreams_with_leads(admin):
        current = ws.lead_for(admin.party_id)
        form = CoLeadForm(prefix=f"ws{ws.id}", data={"person": str(current.id) if current else ""})
        form.person.choices = choices
        rows.append((ws, current, form))
    return render_template("people/co_leads.html", rows=rows)


@bp.post("/co-leads/<int:workstream_id>")
@login_required
def set_co_lead(workstream_id: int) -> Response:
    form = CoLeadForm(prefix=f"ws{workstream_id}")
    if not form.validate_on_submit():
        flash(_("The form expired: please try again."), "error")
        return redirect(url_for("people.co_leads"))
    try:
        people.set_co_lead(_admin(), workstream_id, form.person.data)
    except ValidationFailed as exc:
        discard()
        flash(str(exc.message), "error")
        return redirect(url_for("people.co_leads"))
    flash(_("The co-lead is named."), "success")
    return redirect(url_for("people.co_leads"))
