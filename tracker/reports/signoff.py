"""The report sign-off lifecycle: draft -> signed by one party -> published once every party has signed.

Who signs: the *reviewers* of each party of the agreement, for their own party (DESIGN.md: reviewers "sign
progress reports off for their region"; admins manage accounts and settings, so they generate and
regenerate reports but do not sign). A reviewer may also return an open report with a comment: the
signatures are withdrawn and it goes back to draft. Regenerating supersedes the versions not yet published.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from tracker.accounts.models import Role
from tracker.core import clock
from tracker.core.db import db
from tracker.core.errors import Conflict
from tracker.core.lifecycle import CommentNeed, Lifecycle, Outcome, Transition, transition
from tracker.core.versioning import lock
from tracker.reports import notify
from tracker.reports.labels import REPORT_STATUS
from tracker.reports.models import Report, ReportSignature, ReportStatus
from tracker.reports.snapshot import outdated_reason

if TYPE_CHECKING:
    from tracker.accounts.models import User

R = ReportStatus
OPEN = (R.DRAFT, R.SIGNED)


def party_ids(report: Report) -> set[int]:
    return {s.party_id for s in report.agreement.signatories}


def missing_parties(report: Report) -> set[int]:
    return party_ids(report) - {s.party_id for s in report.signatures}


# --- guards --------------------------------------------------------------------------------------


def may_sign(report: Report, user: User | None) -> Any:
    """Active reviewers of a party of the agreement sign (and return) for their party, until the agreement is
    closed: its reports not published by then stay as they are, unsigned (offered to no one)."""
    if report.agreement.is_read_only:
        return _l("This agreement is closed: its reports not published by then stay unsigned.")
    if user is not None and user.active and user.role == Role.REVIEWER and user.party_id in party_ids(report):
        return None
    return _l("Only the reviewers of each party sign off reports, for their own party.")


def system_only(_report: Report, user: User | None) -> Any:
    return None if user is None else _l("Reports are superseded by generating a new version.")


def not_signed_by_my_party(report: Report, user: User) -> Any:
    existing = report.signature_for(user.party_id)
    if existing is None:
        return None
    return _l("Your party signed this report already (%(name)s).", name=existing.user.name)


def others_still_to_sign(report: Report, user: User) -> Any:
    if missing_parties(report) - {user.party_id}:
        return None
    return _l("Your signature is the last one: it publishes the report.")


def last_to_sign(report: Report, user: User) -> Any:
    if missing_parties(report) <= {user.party_id}:
        return None
    return _l("The other party has not signed yet.")


def current(report: Report, _user: User) -> Any:
    """An outdated report (what it must show changed since it was generated) is regenerated, never signed."""
    return outdated_reason(report)


# --- effects -------------------------------------------------------------------------------------


def add_signature(report: Report, user: User, comment: str | None) -> dict[str, Any]:
    report.signatures.append(
        ReportSignature(
            party_id=user.party_id,
            user_id=user.id,
            user=user,
            signer_name=user.name,
            signer_function=user.function or "",
            signed_at=clock.now(),
            comment=comment or "",
        )
    )
    report.returned_comment = None
    return {"signed_for": user.party.code}


def publish(report: Report, user: User, comment: str | None) -> dict[str, Any]:
    changes = add_signature(report, user, comment)
    report.published_at = clock.now()
    return changes


def withdraw_signatures(report: Report, _user: User, comment: str | None) -> dict[str, Any]:
    withdrawn = sorted(s.party.code for s in report.signatures)
    report.signatures.clear()
    report.returned_comment = comment
    return {"signatures_withdrawn": withdrawn} if withdrawn else {}


def _agreement_of(report: Report) -> int:
    return report.agreement_id


SIGN_LABEL = _l("Sign for my party")

REPORT_LIFECYCLE = Lifecycle(
    entity="report",
    states=tuple(s.value for s in ReportStatus),
    state_labels=REPORT_STATUS,
    agreement_id=_agreement_of,
    transitions=(
        Transition(
            "sign",
            OPEN,
            R.SIGNED,
            SIGN_LABEL,
            may_sign,
            when=(not_signed_by_my_party, others_still_to_sign, current),
            effect=add_signature,
            comment=CommentNeed.OPTIONAL,
            style="primary",
        ),
        Transition(
            "sign_and_publish",
            OPEN,
            R.PUBLISHED,
            SIGN_LABEL,
            may_sign,
            when=(not_signed_by_my_party, last_to_sign, current),
            effect=publish,
            comment=CommentNeed.OPTIONAL,
            style="primary",
        ),
        Transition(
            "return",
            OPEN,
            R.DRAFT,
            _l("Return with a comment"),
            may_sign,
            effect=withdraw_signatures,
            comment=CommentNeed.REQUIRED,
            comment_label=_l("What should change"),
            style="danger",
        ),
        Transition("supersede", OPEN, R.SUPERSEDED, _l("Supersede"), system_only),
    ),
)


def supersede_older(report: Report) -> None:
    """Mark the open (unpublished) earlier versions of the report's period as superseded."""
    older = db.session.scalars(
        select(Report).where(
            Report.agreement_id == report.agreement_id,
            Report.kind == report.kind,
            Report.period == report.period,
            Report.version < report.version,
            Report.status.in_(OPEN),
        )
    ).all()
    for previous in older:
        REPORT_LIFECYCLE.apply(previous, REPORT_LIFECYCLE.find(previous, R.SUPERSEDED), None)  # type: ignore[arg-type]


def sign_report(user: User, report: Report, comment: str | None = None) -> Outcome:
    """Sign `report` for the user's party; the last party's signature publishes it (flushed; caller commits).

    Once published, the report and its snapshot never change; the scheduler renders its files in every
    language and format within a minute and keeps their SHA-256 (tracker.reports.storage).
    """
    _lock(report)
    target = R.PUBLISHED if report.status in OPEN and missing_parties(report) <= {user.party_id} else R.SIGNED
    outcome = _move(report, target, user, comment)
    if report.status == R.PUBLISHED:
        notify.published(report, party_ids(report))
    else:
        notify.awaiting(report, missing_parties(report))
    return outcome


def return_report(user: User, report: Report, comment: str | None) -> Outcome:
    """Send an open report back to draft with the reviewer's comment, withdrawing its signatures."""
    _lock(report)
    outcome = _move(report, R.DRAFT, user, comment)
    notify.returned(report, party_ids(report), user, report.returned_comment or "")
    return outcome


def _lock(report: Report) -> None:
    lock(report)
    db.session.refresh(report, attribute_names=["signatures"])


def _move(report: Report, target: ReportStatus, user: User, comment: str | None) -> Outcome:
    try:
        return transition(report, target, by=user, comment=comment)
    except StaleDataError:
        raise Conflict(_l("Someone signed or returned this report meanwhile. Please reload the page.")) from None
