"""What is due for whom on a digest date, selected in SQL: each rule gives (recipient id, object id) rows.

A rule reads a `Scope`: the digest date, and per group of recipients (same region calendar, frequency and
cadence of their party) the days the digest covers, the cadence, and a filter on the recipient (an aliased
`users` row).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import ColumnElement

from tracker.accounts.models import User
from tracker.actions.approvals import awaiting_approval_pairs
from tracker.actions.models import Action, ActionStatus, Milestone, MilestoneStatus
from tracker.actions.rescheduling import to_reschedule
from tracker.agreements.models import WorkstreamLead
from tracker.agreements.services import workstreams_in_force
from tracker.core.db import db
from tracker.reminders.calendar import quarter_end
from tracker.reminders.settings import Cadence
from tracker.reminders.sqlfuncs import day_number, day_of, local_day_of

Recipient = Any  # an aliased User
Rows = Iterable[tuple[int, int]]


@dataclass(frozen=True)
class Group:
    """Recipients sharing one calendar, frequency and cadence, hence the same covered days and rules."""

    days: tuple[date, ...]
    weekly: bool
    matches: Callable[[Recipient], ColumnElement[bool]]
    cadence: Cadence = field(default_factory=Cadence)


@dataclass(frozen=True)
class Scope:
    """One pass over a digest date: a sweep, a delivery or a preview."""

    on: date
    groups: tuple[Group, ...]
    timezone: str
    # What a section's `collect` found out about its objects in this pass, for its `describe` to show without
    # computing it again: {section key: {object id: value}} (e.g. how many decisions since a final report).
    found: dict[str, dict[int, Any]] = field(default_factory=dict, compare=False)


def cadence_terms(day_expr: ColumnElement[int], days: tuple[date, ...], first: int, repeat: int) -> ColumnElement[bool]:
    """True when, on one of `days`, the event of day number `day_expr` is `first + k * repeat` days old."""
    terms = [
        and_(day_expr <= day_number(d) - first, day_expr % repeat == (day_number(d) - first) % repeat) for d in days
    ]
    return or_(*terms)


def _owned_active_actions(scope: Scope, group: Group, *conditions: ColumnElement[bool]) -> Select[Any]:
    """(owner id, action id) of the active actions of workstreams in force that meet `conditions`, for the owners
    in `group`."""
    u = aliased(User)
    return (
        select(u.id, Action.id)
        .join(u, u.id == Action.owner_id)
        .where(
            Action.status == ActionStatus.ACTIVE,
            Action.workstream_id.in_(workstreams_in_force(scope.on)),
            *conditions,
            group.matches(u),
        )
    )


def _run(statement: Any) -> Rows:
    return [(int(a), int(b)) for a, b in db.session.execute(statement)]


def owned_milestones(scope: Scope) -> Rows:
    """Milestones of active actions due in 14 or 3 days or on the day, or overdue by 1 day then weekly (not for an
    action carried over with dates still to reschedule: tracker/actions/rescheduling.py)."""
    rows: list[tuple[int, int]] = []
    for group in scope.groups:
        c = group.cadence
        u = aliased(User)
        due_dates = {d + timedelta(days=k) for d in group.days for k in c.due_soon_days}
        if group.weekly:  # a weekly reader also hears of what falls due before their next digest
            due_dates |= {scope.on + timedelta(days=k) for k in range(7)}
        overdue = and_(
            Milestone.is_overdue(scope.on),
            cadence_terms(day_of(Milestone.due_on), group.days, c.overdue_first_day, c.overdue_repeat_days),
            ~to_reschedule(),  # lateness inherited from an ended agreement: its owner is asked to reschedule instead
        )
        statement = (
            select(u.id, Milestone.id)
            .join(Action, Action.id == Milestone.action_id)
            .join(u, u.id == Action.owner_id)
            .where(
                Milestone.status == MilestoneStatus.PLANNED,
                Action.status == ActionStatus.ACTIVE,
                Action.workstream_id.in_(workstreams_in_force(scope.on)),
                or_(Milestone.due_on.in_(sorted(due_dates)), overdue),
                group.matches(u),
            )
        )
        rows.extend(_run(statement))
    return rows


def escalated_milestones(scope: Scope) -> Rows:
    """Milestones overdue for 14 days (then weekly), for both co-leads of the workstream (not for an action
    carried over with dates still to reschedule)."""
    rows: list[tuple[int, int]] = []
    for group in scope.groups:
        c = group.cadence
        u = aliased(User)
        statement = (
            select(u.id, Milestone.id)
            .join(Action, Action.id == Milestone.action_id)
            .join(WorkstreamLead, WorkstreamLead.workstream_id == Action.workstream_id)
            .join(u, u.id == WorkstreamLead.user_id)
            .where(
                Milestone.is_overdue(scope.on),
                Action.status == ActionStatus.ACTIVE,
                Action.workstream_id.in_(workstreams_in_force(scope.on)),
                cadence_terms(day_of(Milestone.due_on), group.days, c.overdue_escalation_day, c.overdue_repeat_days),
                ~to_reschedule(),
                group.matches(u),
            )
        )
        rows.extend(_run(statement))
    return rows


def stale_actions(scope: Scope) -> Rows:
    """Active actions with no progress logged for 60 days (then weekly), for their owner (not an action carried
    over with dates still to reschedule)."""
    rows: list[tuple[int, int]] = []
    silent_since = case(
        (Action.last_progress_at.is_not(None), local_day_of(Action.last_progress_at, scope.timezone)),
        (Action.start_on.is_not(None), day_of(Action.start_on)),
        else_=local_day_of(Action.created_at, scope.timezone),
    )
    for group in scope.groups:
        c = group.cadence
        statement = _owned_active_actions(
            scope,
            group,
            cadence_terms(silent_since, group.days, c.stale_after_days, c.overdue_repeat_days),
            ~to_reschedule(),  # its silence is the ended agreement's until it is rescheduled
        )
        rows.extend(_run(statement))
    return rows


def approvals_waiting(scope: Scope) -> Rows:
    """Proposed actions waiting for the approval of the recipient's party, for that party's co-lead (who may approve:
    tracker.actions.approvals.awaiting_approval_pairs, the page's « awaiting my approval »)."""
    u = aliased(User)
    statement = awaiting_approval_pairs(u, scope.on).where(or_(*(g.matches(u) for g in scope.groups)))
    return _run(statement)


def quarter_call(scope: Scope) -> Rows:
    """On the day 10 days before a quarter ends: the owner's active actions, to log their progress."""
    rows: list[tuple[int, int]] = []
    for group in scope.groups:
        if not any(d == quarter_end(d) - timedelta(days=group.cadence.quarter_call_days) for d in group.days):
            continue
        rows.extend(_run(_owned_active_actions(scope, group)))
    return rows
