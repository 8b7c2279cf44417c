"""The close-out page of an ended agreement (its unfinished actions and the decisions taken on them), its closing,
and the page where an admin starts its successor."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.accounts.permissions import is_admin
from tracker.agreements import confirmations
from tracker.agreements.models import Agreement
from tracker.agreements.services import get_agreement
from tracker.closeout import carry_over, decisions, renewal, renewal_proposal
from tracker.closeout.archive import archive_download, archive_of, may_download_archive
from tracker.closeout.forms import CloseForm, CloseoutForm, ConfirmRenewalForm, RenewalForm, WithdrawRenewalForm
from tracker.closeout.queries import closure_confirmations
from tracker.core.db import discard
from tracker.core.errors import DomainError, InvalidTransition, PermissionDenied, ValidationFailed
from tracker.core.lifecycle import available_transitions, transition
from tracker.core.numbers import parse_db_int
from tracker.web.downloads import content_disposition
from tracker.web.i18n import current_language

bp = Blueprint("closeout", __name__, template_folder="templates")


@bp.route("/agreements/<slug>/close-out", methods=["GET", "POST"])
@login_required
def page(slug: str) -> str | Response | tuple[str, int]:
    agreement = get_agreement(current_user, slug)
    form = CloseoutForm()
    if form.validate_on_submit():
        try:
            ids = [n for n in map(parse_db_int, request.form.getlist("action_ids")) if n is not None]
            outcome = decisions.decide_many(current_user, agreement, ids, form.decision.data, form.note.data or "")
        except ValidationFailed as exc:
            discard()
            form.show_errors(exc)
        else:
            if outcome.decided:
                n = len(outcome.decided)
                flash(ngettext("%(num)d action is closed out.", "%(num)d actions are closed out.", n), "success")
            for action_id, reason in outcome.refused.items():
                title = outcome.titles.get(action_id)
                if title is None:  # no such action: its number is all there is to name it
                    flash(_("Action %(id)s: %(reason)s", id=action_id, reason=reason), "error")
                else:
                    flash(_("“%(title)s”: %(reason)s", title=title, reason=reason), "error")
            return redirect(url_for("closeout.page", slug=slug), code=303)
    rows = decisions.closeout_rows(current_user, agreement)
    status = 422 if form.is_submitted() else 200
    closing = next(
        (o for o in available_transitions(agreement, current_user, include_blocked=True) if o.name == "close"), None
    )
    confirmations = closure_confirmations(agreement.id)
    return render_template(
        "closeout/page.html",
        agreement=agreement,
        rows=rows,
        form=form,
        note_max=decisions.MAX_NOTE,
        selected={i for i in request.form.getlist("action_ids")},  # ticks kept when the form comes back
        closing=closing,
        close_form=CloseForm(prefix="close"),
        confirmations=confirmations,
        archive=archive_of(agreement),
        may_download=may_download_archive(current_user),
        show_failure=is_admin(current_user),
    ), status


@bp.post("/agreements/<slug>/close")
@login_required
def close(slug: str) -> Response:
    agreement = get_agreement(current_user, slug)
    form = CloseForm(prefix="close")
    if form.validate_on_submit():
        try:
            outcome = transition(agreement, "closed", by=current_user, comment=form.comment.data)
        except DomainError as exc:
            discard()
            if exc.status == 404:
                raise
            flash(str(exc.message), "error")
        else:
            if outcome.moved:
                flash(_("The agreement is closed: everything stays readable and exportable."), "success")
            else:
                flash(_("Your party's confirmation is recorded; the other party confirms too."), "success")
    return redirect(url_for("closeout.page", slug=slug), code=303)


@bp.route("/agreements/<slug>/renew", methods=["GET", "POST"])
@login_required
def renew(slug: str) -> str | Response | tuple[str, int]:
    """The successor's form (a proposal for the reader's party), or the proposal waiting for confirmation."""
    agreement = get_agreement(current_user, slug)
    if not is_admin(current_user):
        raise PermissionDenied(renewal.renewal_refusal(current_user, agreement))
    offer = renewal.proposal(agreement)
    form = RenewalForm(
        data={"slug": offer.slug, "starts_on": offer.starts_on.isoformat(), "ends_on": offer.ends_on.isoformat()}
        | {f"title_{lang}": title for lang, title in offer.titles.items()}
    )
    if form.validate_on_submit():
        try:
            step = renewal_proposal.propose(
                current_user,
                agreement,
                slug=form.slug.data,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                title={lang: getattr(form, f"title_{lang}").data for lang in renewal.LANGUAGES},
                signed_on=form.signed_on.data,
            )
        except (ValidationFailed, InvalidTransition) as exc:
            discard()
            form.show_errors(exc if isinstance(exc, ValidationFailed) else ValidationFailed(exc.message))
        else:
            return _after_step(agreement, step)
    return _renew_page(agreement, form=form, confirm_form=ConfirmRenewalForm(prefix="confirm"))


@bp.post("/agreements/<slug>/renew/confirm")
@login_required
def confirm_renewal(slug: str) -> str | Response | tuple[str, int]:
    """An admin of another party confirms the proposed successor; the last confirmation starts it."""
    agreement = get_agreement(current_user, slug)
    if not confirmations.is_signatory_admin(current_user, agreement):
        raise PermissionDenied(renewal.renewal_refusal(current_user, agreement))
    form = ConfirmRenewalForm(prefix="confirm")
    if form.validate_on_submit():
        try:
            step = renewal_proposal.confirm(current_user, agreement, signed_on=form.signed_on.data)
        except ValidationFailed as exc:
            discard()
            if "signed_on" in exc.errors:
                form.signed_on.errors = [str(m) for m in exc.errors["signed_on"]]
            else:
                form.form_errors.append(str(exc.message))
        except InvalidTransition as exc:
            discard()
            form.form_errors.append(str(exc.message))
        else:
            return _after_step(agreement, step)
    return _renew_page(agreement, form=RenewalForm(), confirm_form=form)


@bp.post("/agreements/<slug>/renew/withdraw")
@login_required
def withdraw_renewal(slug: str) -> Response:
    """Withdraw (proposing party) or decline (other party) the proposed successor."""
    agreement = get_agreement(current_user, slug)
    if not confirmations.is_signatory_admin(current_user, agreement):
        raise PermissionDenied(renewal.renewal_refusal(current_user, agreement))
    if WithdrawRenewalForm(prefix="withdraw").validate_on_submit():
        try:
            verb = renewal_proposal.withdraw(current_user, agreement)
        except InvalidTransition as exc:
            discard()
            flash(str(exc.message), "error")
        else:
            if verb == "withdraw_renewal":
                flash(_("The proposed successor is withdrawn."), "success")
            else:
                flash(_("The proposed successor is declined."), "success")
    return redirect(url_for("closeout.renew", slug=slug), code=303)


def _after_step(agreement: Agreement, step: renewal_proposal.Step) -> Response:
    if step.successor is not None:
        flash(_("The successor agreement is ready: edit what changes in it."), "success")
        return redirect(url_for("agreements.show", slug=step.successor.slug), code=303)
    flash(
        ngettext(
            "Your party’s confirmation is recorded; the successor starts once %(parties)s confirms it.",
            "Your party’s confirmation is recorded; the successor starts once %(parties)s confirm it.",
            len(step.waiting_for),
            parties=", ".join(p.text("name", current_language()) for p in step.waiting_for),
        ),
        "success",
    )
    return redirect(url_for("closeout.renew", slug=agreement.slug), code=303)


def _renew_page(agreement: Agreement, *, form: RenewalForm, confirm_form: ConfirmRenewalForm) -> tuple[str, int]:
    waiting = renewal_proposal.open_proposal(agreement)
    if waiting is not None and waiting.signed_on is not None and not confirm_form.is_submitted():
        confirm_form.signed_on.data = waiting.signed_on.isoformat()
    return render_template(
        "closeout/renew.html",
        agreement=agreement,
        form=form,
        confirm_form=confirm_form,
        withdraw_form=WithdrawRenewalForm(prefix="withdraw"),
        waiting=waiting,
        waiting_for=confirmations.waiting_for(agreement, waiting) if waiting else [],
        refusal=renewal.renewal_refusal(current_user, agreement),
        moves=carry_over.actions_to_move(agreement),
    ), 422 if form.is_submitted() or confirm_form.is_submitted() else 200


@bp.get("/agreements/<slug>/archive.zip")
@login_required
def archive(slug: str) -> Response:
    """Send the archive package (a zipped BagIt bag) to an admin or reviewer of a signing party."""
    package, path = archive_download(current_user, slug)
    response = send_file(
        path,
        mimetype="application/zip",
        as_attachment=True,
        download_name=str(package.filename),
        conditional=True,
        max_age=0,
    )
    response.headers["Content-Disposition"] = content_disposition(str(package.filename))
    response.headers["Cache-Control"] = "private, no-store"
    return response
