"""The digest's close-out section: once an agreement has ended, its owners and the co-leads of both parties hear of
the actions still waiting for a decision (completed, cancelled or carried over), the day after the end and then
weekly; lateness and silence of an ended agreement are no longer reminded (tracker/reminders/rules.py). And the
owners of actions carried over into a successor with dates from before its start are asked to reschedule them,
the day after they arrive and then weekly, until they do (tracker/actions/rescheduling.py). An open final report
generated before close-out decisions taken since is outdated: its reviewers no longer hear that it waits for their
signature (tracker/reports/digest.py); the administrators of the signatory parties hear that it must be
regenerated, and how many decisions were taken since."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import LazyString, lazy_ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select, union
from sqlalchemy.orm import aliased

from tracker.accounts.models import Role, User
from tracker.actions.models import OPEN_STATUSES, Action
from tracker.actions.rescheduling import to_reschedule
from tracker.agreements.models import Agreement, AgreementParty, AgreementStatus, Workstream, WorkstreamLead
from tracker.agreements.services import workstreams_in_force
from tracker.closeout.queries import awaiting_decision
from tracker.closeout.report_part import decisions_since
from tracker.core.db import db
from tracker.mail.render import link
from tracker.reminders.rules import Rows, Scope, cadence_terms
from tracker.reminders.sections import Line, Section
from tracker.reminders.sqlfuncs import day_of, local_day_of
from tracker.reports.labels import report_title
from tracker.reports.models import Report, ReportKind, ReportStatus

# The first reminder comes the day after the end date, then one a week.
FIRST_DAY, REPEAT_DAYS = 1, 7


def actions_to_close_out(scope: Scope) -> Rows:
    """Return (recipient id, action id): unfinished actions of ended agreements, for their owner and co-leads."""
    rows: list[tuple[int, int]] = []
    for group in scope.groups:
        u = aliased(User)
        due = and_(
            awaiting_decision(),
            Agreement.status.in_((AgreementStatus.IN_FORCE, AgreementStatus.ENDED)),
            Agreement.ends_on < scope.on,
            cadence_terms(day_of(Agreement.ends_on), group.days, FIRST_DAY, REPEAT_DAYS),
            group.matches(u),
        )
        base = select(u.id, Action.id).join(Workstream, Workstream.id == Action.workstream_id).join(Agreement)
        owners = base.join(u, u.id == Action.owner_id).where(due)
        leads = (
            base.join(WorkstreamLead, WorkstreamLead.workstream_id == Action.workstream_id)
            .join(u, u.id == WorkstreamLead.user_id)
            .where(due)
        )
        rows.extend((int(a), int(b)) for a, b in db.session.execute(union(owners, leads)))
    return rows


def actions_to_reschedule(scope: Scope) -> Rows:
    """Return (owner id, action id): unfinished actions of agreements in force, carried over with dates from before
    their agreement's start, the day after they arrived (their creation) and then weekly until rescheduled."""
    rows: list[tuple[int, int]] = []
    for group in scope.groups:
        u = aliased(User)
        statement = (
            select(u.id, Action.id)
            .join(u, u.id == Action.owner_id)
            .where(
                Action.status.in_(OPEN_STATUSES),
                Action.workstream_id.in_(workstreams_in_force(scope.on)),
                to_reschedule(),
                cadence_terms(local_day_of(Action.created_at, scope.timezone), group.days, FIRST_DAY, REPEAT_DAYS),
                group.matches(u),
            )
        )
        rows.extend((int(a), int(b)) for a, b in db.session.execute(statement))
    return rows


def describe(ids: Sequence[int], _scope: Scope) -> dict[int, Line]:
    """Return a line per action: its title, its page, and its workstream."""
    found = db.session.execute(
        select(Action.id, Action.title, Workstream)
        .join(Workstream, Workstream.id == Action.workstream_id)
        .where(Action.id.in_(ids))
    ).all()
    return {
        action_id: Line(title=title, url=link(f"/actions/{action_id}"), note=_WorkstreamTitle(workstream))
        for action_id, title, workstream in found
    }


class _WorkstreamTitle:
    """The workstream's title in the language the digest is rendered in."""

    def __init__(self, workstream: Workstream) -> None:
        self.workstream = workstream

    def __str__(self) -> str:
        from tracker.web.i18n import current_language

        return self.workstream.text("title", current_language())


REGENERATE = "final_to_regenerate"


def final_reports_to_regenerate(scope: Scope) -> Rows:
    """Return (admin id, report id): open final reports generated before close-out decisions taken since, for the
    active admins of the agreement's signatory parties. One query, then one build of the close-out part per final
    report found (`report_part.decisions_since`), whose count `describe_final_reports` shows (`scope.found`)."""
    u = aliased(User)
    statement = (
        select(u.id, Report)
        .join(AgreementParty, AgreementParty.agreement_id == Report.agreement_id)
        .join(u, u.party_id == AgreementParty.party_id)
        .where(
            u.active.is_(True),
            u.role == Role.ADMIN,
            Report.kind == ReportKind.FINAL,
            Report.status.in_((ReportStatus.DRAFT, ReportStatus.SIGNED)),
            or_(*(g.matches(u) for g in scope.groups)),
        )
    )
    rows = db.session.execute(statement).all()
    outdated = scope.found.setdefault(REGENERATE, {})  # report id -> decisions since
    for report in {report for _, report in rows}:
        if count := decisions_since(report):
            outdated[report.id] = count
    return [(int(user_id), report.id) for user_id, report in rows if report.id in outdated]


def describe_final_reports(ids: Sequence[int], scope: Scope) -> dict[int, Line]:
    """Return a line per final report: its title, its page, and how many decisions were taken since (as counted by
    `final_reports_to_regenerate` in the same pass)."""
    since = scope.found.get(REGENERATE, {})
    reports = db.session.scalars(select(Report).where(Report.id.in_(ids))).all()
    return {
        r.id: Line(
            title=LazyString(report_title, r.snapshot),
            url=link(f"/reports/{r.id}"),
            note=_since(since[r.id]),
        )
        for r in reports
    }


def _since(count: int) -> Any:
    return lazy_ngettext(
        "It must be regenerated: %(num)d close-out decision taken since.",
        "It must be regenerated: %(num)d close-out decisions taken since.",
        count,
    )


# All registered by tracker.closeout.init_app.
SECTION = Section(
    "closeout",
    30,
    _l("The agreement has ended: decide what becomes of these actions"),
    actions_to_close_out,
    describe,
)
REGENERATE_SECTION = Section(
    REGENERATE,
    56,
    _l("Final reports to regenerate before they are signed"),
    final_reports_to_regenerate,
    describe_final_reports,
)
RESCHEDULE_SECTION = Section(
    "to_reschedule",
    31,
    _l("Carried-over actions to reschedule: their dates are from before this agreement's start"),
    actions_to_reschedule,
    describe,
)
