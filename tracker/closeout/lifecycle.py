"""The agreement's lifecycle as a table: in force -> ended (by itself, the day after its end date) -> closed (the
final report published, every unfinished action decided, confirmed by an admin of each party) -> archived (its
archive package built, tracker/closeout/archive.py), and
ended -> in force again when an amendment moves the end date past today (tracker/agreements/amendments.py)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext, lazy_pgettext

from tracker.actions.validation import reader_date
from tracker.agreements.confirmations import is_signatory_admin
from tracker.agreements.models import Agreement, AgreementStatus
from tracker.closeout.models import AgreementArchive, ClosureConfirmation
from tracker.closeout.notice import end_notice
from tracker.closeout.queries import closure_confirmations
from tracker.core import clock
from tracker.core.db import db
from tracker.core.lifecycle import CommentNeed, Lifecycle, Transition
from tracker.reports.models import Report
from tracker.reports.snapshot import outdated_reason

S = AgreementStatus

STATE_LABELS = {
    S.IN_FORCE.value: lazy_pgettext("agreement", "in force"),
    S.ENDED.value: lazy_pgettext("agreement", "ended"),
    S.CLOSED.value: lazy_pgettext("agreement", "closed"),
    S.ARCHIVED.value: lazy_pgettext("agreement", "archived"),
}


def _system_only(_agreement: Agreement, user: Any) -> Any:
    """The end comes with the calendar, never from a person."""
    return None if user is None else _l("An agreement ends by itself the day after its end date.")


def _by_amendment(_agreement: Agreement, user: Any) -> Any:
    """An ended agreement is in force again only through an amendment (confirmed by admins, or from a data file)."""
    return None if user is None or user.role == "admin" else _l("Only an amendment can extend an agreement.")


def _by_the_archiver(_agreement: Agreement, user: Any) -> Any:
    """The archive package is built by the scheduler (or `flask agreements archive`), never from a page."""
    return None if user is None else _l("An agreement is archived once its archive package is built.")


def _archive_built(agreement: Agreement, _user: Any) -> Any:
    archive = db.session.get(AgreementArchive, agreement.id)
    return None if archive is not None and archive.built else _l("The archive package is not built yet.")


def _before_end_date(agreement: Agreement, _user: Any) -> Any:
    if clock.today(agreement.timezone) <= agreement.ends_on:
        return None
    return _l("The new end date is already past.")


def _past_end_date(agreement: Agreement, _user: Any) -> Any:
    if clock.today(agreement.timezone) > agreement.ends_on:
        return None
    return _l("The agreement is in force until %(date)s.", date=reader_date(agreement.ends_on))


def _signatory_admin(agreement: Agreement, user: Any) -> Any:
    if user is not None and is_signatory_admin(user, agreement):
        return None
    return _l("Only an administrator of each signatory party confirms the closing of the agreement.")


def _parties(agreement: Agreement) -> set[int]:
    return {s.party_id for s in agreement.signatories}


def _confirmed_parties(agreement: Agreement) -> set[int]:
    return {c.party_id for c in closure_confirmations(agreement.id)}


def _not_yet_confirmed_by_my_party(agreement: Agreement, user: Any) -> Any:
    if user.party_id in _confirmed_parties(agreement):
        return _l("Your party has already confirmed the closing.")
    return None


def _final_report_published(agreement: Agreement, _user: Any) -> Any:
    notice = end_notice(agreement)
    if notice is not None and notice.final_report == "published":
        return None
    return _l("The final report must be published (signed by both parties) first.")


def _final_report_current(agreement: Agreement, _user: Any) -> Any:
    """The published final report must list every close-out decision as it stands (generated after the last)."""
    notice = end_notice(agreement)
    report = db.session.get(Report, notice.final_report_id) if notice and notice.final_report_id else None
    if report is None or outdated_reason(report) is None:
        return None
    return _l(
        "A close-out decision was recorded after the final report was generated: regenerate the final report and "
        "have it signed again before closing."
    )


def _every_action_decided(agreement: Agreement, _user: Any) -> Any:
    notice = end_notice(agreement)
    if notice is None or not notice.open_actions:
        return None
    return lazy_ngettext(
        "%(num)d action still waits for its close-out decision.",
        "%(num)d actions still wait for their close-out decision.",
        notice.open_actions,
    )


def _confirm_closing(agreement: Agreement, user: Any, _comment: Any) -> dict[str, Any]:
    db.session.add(ClosureConfirmation(agreement_id=agreement.id, party_id=user.party_id, user_id=user.id))
    db.session.flush()
    return {"closing_confirmed_for": user.party.code}


def _every_party_confirmed(agreement: Agreement) -> bool:
    return _parties(agreement) <= _confirmed_parties(agreement)


AGREEMENT_LIFECYCLE = Lifecycle(
    entity="agreement",
    states=tuple(s.value for s in S),
    transitions=(
        Transition(
            name="end",
            sources=(S.IN_FORCE.value,),
            target=S.ENDED.value,
            label=lazy_pgettext("agreement", "End"),
            who=_system_only,
            when=(_past_end_date,),
        ),
        Transition(
            name="close",
            sources=(S.ENDED.value,),
            target=S.CLOSED.value,
            label=_l("Confirm the closing for my party"),
            who=_signatory_admin,
            when=(
                _not_yet_confirmed_by_my_party,
                _final_report_published,
                _every_action_decided,
                _final_report_current,
            ),
            effect=_confirm_closing,
            completes=_every_party_confirmed,
            comment=CommentNeed.OPTIONAL,
            style="primary",
        ),
        Transition(
            name="archive",
            sources=(S.CLOSED.value,),
            target=S.ARCHIVED.value,
            label=lazy_pgettext("agreement", "Archive"),
            who=_by_the_archiver,
            when=(_archive_built,),
        ),
        Transition(
            name="extend",
            sources=(S.ENDED.value,),
            target=S.IN_FORCE.value,
            label=lazy_pgettext("agreement", "Extend"),
            who=_by_amendment,
            when=(_before_end_date,),
        ),
    ),
    agreement_id=lambda agreement: agreement.id,
    state_labels=STATE_LABELS,
)
# The agreement's own moves (closing, archiving) are what make it read-only: a closed agreement takes them
# (tracker/closeout/readonly.py `allow_on_closed`).
OWN_MOVES = tuple((AGREEMENT_LIFECYCLE.entity, t.name) for t in AGREEMENT_LIFECYCLE.transitions)
