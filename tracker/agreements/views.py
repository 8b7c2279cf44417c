"""Agreement list, agreement home page, and its amendments."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.accounts.permissions import is_admin
from tracker.agreements import amendments, services
from tracker.agreements.forms import AmendmentForm, ConfirmAmendmentForm
from tracker.core.db import discard
from tracker.core.errors import InvalidTransition, ValidationFailed

bp = Blueprint("agreements", __name__, template_folder="templates")


@bp.get("/agreements/")
@login_required
def index() -> str:
    return render_template("agreements/index.html", agreements=services.list_agreements(current_user))


@bp.get("/agreements/<slug>/")
@login_required
def show(slug: str) -> str:
    agreement = services.get_agreement(current_user, slug)
    return render_template("agreements/show.html", agreement=agreement)


@bp.route("/agreements/<slug>/amendments", methods=["GET", "POST"])
@login_required
def amendments_page(slug: str) -> str | Response | tuple[str, int]:
    agreement = services.get_agreement(current_user, slug)
    form = AmendmentForm()
    if form.validate_on_submit():
        try:
            amendment = amendments.record_amendment(
                current_user,
                agreement,
                reference=form.reference.data or "",
                signed_on=form.signed_on.data,
                new_ends_on=form.new_ends_on.data,
                text=form.text.data or "",
            )
        except ValidationFailed as exc:
            discard()
            form.show_errors(exc)
        except InvalidTransition as exc:  # not about a field (a closed agreement shows no form): said at the top
            discard()
            flash(str(exc.message), "error")
        else:
            if amendment.in_effect_at is None:
                flash(_("The amendment is recorded; it takes effect once the other party confirms it."), "success")
            else:
                flash(_("The amendment is in effect: the agreement now ends on the new date."), "success")
            return redirect(url_for("agreements.amendments_page", slug=slug), code=303)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "agreements/amendments.html",
        agreement=agreement,
        amendments=amendments.list_amendments(agreement),
        form=form if is_admin(current_user) else None,
        confirm_form=ConfirmAmendmentForm(),
    ), status


@bp.post("/agreements/<slug>/amendments/<int:amendment_id>/confirm")
@login_required
def confirm_amendment(slug: str, amendment_id: int) -> Response:
    agreement = services.get_agreement(current_user, slug)
    amendment = amendments.get_amendment(agreement, amendment_id)
    if ConfirmAmendmentForm().validate_on_submit():
        try:
            amendments.confirm_amendment(current_user, agreement, amendment)
        except InvalidTransition as exc:
            discard()
            flash(str(exc.message), "error")
        else:
            if amendment.in_effect_at is None:
                flash(_("Your party's confirmation is recorded."), "success")
            else:
                flash(_("The amendment is in effect: the agreement now ends on the new date."), "success")
    return redirect(url_for("agreements.amendments_page", slug=slug), code=303)
