"""Mail about reports, through the outbox, each message on its own and in its recipient's language: to the reviewers
of the agreement's parties (a report to sign, returned), and once published to everyone who worked on it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, or_, select

from tracker.accounts.models import Role, User
from tracker.actions.models import Action
from tracker.agreements.models import Workstream, WorkstreamLead
from tracker.core.db import db
from tracker.mail.outbox import queue_mail
from tracker.mail.render import link
from tracker.reports.labels import KIND, loc, period_title

if TYPE_CHECKING:
    from tracker.reports.models import Report


def reviewers(party_ids: Iterable[int]) -> Sequence[User]:
    """Return the active reviewers of these parties (one query)."""
    ids = list(party_ids)
    if not ids:
        return []
    return db.session.scalars(
        select(User).where(User.party_id.in_(ids), User.role == Role.REVIEWER, User.active.is_(True)).order_by(User.id)
    ).all()


def people_of_agreement(agreement_id: int, party_ids: Iterable[int]) -> Sequence[User]:
    """Return the active people of these parties who worked on the agreement (one query): its reviewers and
    administrators, the co-leads of its workstreams and the owners of its actions."""
    ids = list(party_ids)
    if not ids:
        return []
    workstreams = select(Workstream.id).where(Workstream.agreement_id == agreement_id)
    co_lead = exists().where(WorkstreamLead.user_id == User.id, WorkstreamLead.workstream_id.in_(workstreams))
    owner = exists().where(Action.owner_id == User.id, Action.workstream_id.in_(workstreams))
    return db.session.scalars(
        select(User)
        .where(
            User.party_id.in_(ids),
            User.active.is_(True),
            or_(User.role.in_((Role.REVIEWER, Role.ADMIN)), co_lead, owner),
        )
        .order_by(User.id)
    ).all()


def _context(report: Report, **extra: Any) -> dict[str, Any]:
    snapshot = report.snapshot
    return {
        "report": report,
        # Called inside the recipient's locale by the mail renderer.
        "report_kind": lambda: str(KIND[snapshot["period"]["kind"]]),
        "report_period": lambda: period_title(snapshot["period"]),
        "agreement_title": lambda: loc(snapshot["agreement"]["title"]),
        "report_url": link(f"/reports/{report.id}"),
        **extra,
    }


def _send(report: Report, users: Iterable[User], template: str, key: str, **extra: Any) -> int:
    sent = 0
    for user in users:
        message = queue_mail(
            to=user,
            template=f"reports/mail/{template}",
            context=_context(report, **extra),
            dedupe_key=f"report:{report.id}:{key}:{user.id}",
            agreement_id=report.agreement_id,
        )
        sent += message is not None
    return sent


def awaiting(report: Report, party_ids: Iterable[int]) -> int:
    """Tell the reviewers of these parties that the report awaits their sign-off; return how many were queued."""
    return _send(report, reviewers(party_ids), "awaiting", f"awaiting:v{report.lock_version}")


def published(report: Report, party_ids: Iterable[int]) -> int:
    """Tell everyone of these parties who worked on the agreement that the report is published; return how many
    messages were queued (one each, deduplicated per person)."""
    return _send(report, people_of_agreement(report.agreement_id, party_ids), "published", "published")


def returned(report: Report, party_ids: Iterable[int], by: User, comment: str) -> int:
    users = [u for u in reviewers(party_ids) if u.id != by.id]
    return _send(report, users, "returned", f"returned:v{report.lock_version}", returned_by=by, comment=comment)
