"""Mail about reports, through the outbox, to the reviewers of the agreement's parties, each in their language."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from tracker.accounts.models import Role, User
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
    return _send(report, reviewers(party_ids), "published", "published")


def returned(report: Report, party_ids: Iterable[int], by: User, comment: str) -> int:
    users = [u for u in reviewers(party_ids) if u.id != by.id]
    return _send(report, users, "returned", f"returned:v{report.lock_version}", returned_by=by, comment=comment)
