"""The digest's "reports waiting for your sign-off" section: the same rule as `reports_awaiting(user)`,
for every recipient at once (one query), less the outdated reports: those are regenerated, never signed (their
administrators hear of them instead, e.g. tracker/closeout/digest.py)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import aliased, selectinload

from tracker.accounts.models import Role, User
from tracker.agreements.models import READ_ONLY_STATUSES, Agreement, AgreementParty
from tracker.core.db import db
from tracker.mail.render import link
from tracker.reminders.rules import Rows, Scope
from tracker.reminders.sections import Line, Section
from tracker.reports.labels import loc, report_title
from tracker.reports.models import OPEN_STATUSES, Report, ReportSignature
from tracker.reports.snapshot import outdated_reason


def awaiting_clause(user: type[User]) -> ColumnElement[bool]:
    """True for the open reports of the user's agreements that their party has not signed, for a reviewer; never
    for a closed (or archived) agreement's, whose unpublished reports stay as they are (signoff.may_sign)."""
    signed_for_party = exists().where(ReportSignature.report_id == Report.id, ReportSignature.party_id == user.party_id)
    closed = exists().where(Agreement.id == Report.agreement_id, Agreement.status.in_(READ_ONLY_STATUSES))
    return and_(
        user.active.is_(True),
        user.role == Role.REVIEWER,
        Report.status.in_(OPEN_STATUSES),
        ~signed_for_party,
        ~closed,
    )


def reports_to_sign(scope: Scope) -> Rows:
    """Return (reviewer id, report id) for every recipient of the scope; an outdated report is left out."""
    u = aliased(User)
    statement = (
        select(u.id, Report.id)
        .join(AgreementParty, AgreementParty.agreement_id == Report.agreement_id)
        .join(u, u.party_id == AgreementParty.party_id)
        .where(awaiting_clause(u), or_(*(g.matches(u) for g in scope.groups)))
    )
    rows = [(int(a), int(b)) for a, b in db.session.execute(statement)]
    outdated = outdated_ids({report_id for _, report_id in rows})
    return [(user_id, report_id) for user_id, report_id in rows if report_id not in outdated]


def outdated_ids(ids: set[int]) -> set[int]:
    """Return those of the reports `ids` whose snapshot is outdated (`snapshot.outdated_reason`): one query for the
    reports, then one build per part kept current and report (only a final report builds a close-out part)."""
    if not ids:
        return set()
    reports = db.session.scalars(select(Report).where(Report.id.in_(ids)).options(selectinload(Report.agreement))).all()
    return {r.id for r in reports if outdated_reason(r) is not None}


def describe(ids: Sequence[int], _scope: Scope) -> dict[int, Line]:
    """Return a line per report, its texts rendered later in each recipient's language."""
    reports = db.session.scalars(select(Report).where(Report.id.in_(ids))).all()
    return {
        r.id: Line(
            title=LazyString(report_title, r.snapshot),
            url=link(f"/reports/{r.id}"),
            note=LazyString(lambda s: loc(s["agreement"]["title"]), r.snapshot),
        )
        for r in reports
    }


# Registered by tracker.reports.init_app.
SECTION = Section("reports", 55, _l("Reports waiting for your sign-off"), reports_to_sign, describe)
