"""The agreement dashboard: time elapsed beside progress, per-workstream figures, milestones, latest logs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Date, Select, bindparam, literal, select
from sqlalchemy.orm import contains_eager

from tracker.actions.models import (
    NOT_CANCELLED,
    Action,
    ActionStatus,
    Health,
    Milestone,
    MilestoneStatus,
    ProgressUpdate,
    action_commitments,
)
from tracker.actions.queries import (
    UPCOMING_DAYS,
    IndicatorLine,
    continued_by_workstream,
    continued_elsewhere,
    indicators_with_latest,
    live_milestones,
    milestones_when,
    planned_milestones,
    progress_of_workstreams,
)
from tracker.actions.rescheduling import inherited
from tracker.agreements.models import Agreement, Commitment, Workstream, WorkstreamTally
from tracker.core.db import db
from tracker.core.pagination import CappedCount, capped_count_of
from tracker.workspace.queries.common import COUNTED_STATUSES, agreement_today, elapsed_percent

LIST_SIZE = 10
# Counts that depend on the date (overdue, late, coming up) read at most this many rows: the agreement's, then
# each workstream's (beyond them, pages say « more than 999 », « more than 99 »).
COUNT_CAP = 1000
WORKSTREAM_COUNT_CAP = 100
NONE_COUNTED = CappedCount(0, WORKSTREAM_COUNT_CAP)
ONGOING = (ActionStatus.ACTIVE, ActionStatus.ON_HOLD)


@dataclass
class WorkstreamFigures:
    workstream: Workstream
    by_status: dict[ActionStatus, int] = field(default_factory=lambda: dict.fromkeys(ActionStatus, 0))
    by_health: dict[Health, int] = field(default_factory=lambda: dict.fromkeys(Health, 0))
    milestones_done: int = 0
    milestones_total: int = 0
    milestones_overdue: CappedCount = NONE_COUNTED
    actions_late: CappedCount = NONE_COUNTED  # past their due date and still open (Action.is_late)
    carried_over: int = 0  # moved into the successor: counted here, under none of the statuses nor healths
    percent_sum: int = 0
    counted: int = 0

    @property
    def actions_total(self) -> int:
        return sum(self.by_status.values())

    @property
    def percent(self) -> float | None:
        return self.percent_sum / self.counted if self.counted else None


@dataclass
class Dashboard:
    agreement: Agreement
    today: date
    elapsed: int
    workstreams: list[WorkstreamFigures]
    overdue: list[Milestone]
    overdue_count: CappedCount
    actions_late: CappedCount
    upcoming: list[Milestone]
    upcoming_count: CappedCount
    latest_updates: list[ProgressUpdate]
    updates_count: int
    unaddressed: list[Commitment]
    indicators: list[IndicatorLine]

    @property
    def progress(self) -> float:
        counted = sum(w.counted for w in self.workstreams)
        return sum(w.percent_sum for w in self.workstreams) / counted if counted else 0.0

    @property
    def milestones_done(self) -> int:
        return sum(w.milestones_done for w in self.workstreams)

    @property
    def milestones_total(self) -> int:
        return sum(w.milestones_total for w in self.workstreams)


def load_dashboard(agreement: Agreement) -> Dashboard:
    """Return the dashboard of an agreement (already found visible to the reader), in a fixed number of queries
    whose cost does not grow with the agreement's data: its figures are read from the workstreams' tallies, the
    late, overdue and coming ones counted up to a cap (_COUNTS). The statements are built once per process, with
    bound parameters: building them anew cost milliseconds of CPU on every view."""
    today = agreement_today(agreement)
    figures = {ws.id: WorkstreamFigures(ws) for ws in agreement.workstreams}
    ws_ids = list(figures)
    updates_count = _read_tallies(figures)
    if agreement.has_ended(today):
        _set_apart_continued(figures)
    statements = _statements()
    dates = {"today": today, "starts_on": agreement.starts_on, "soon": today + timedelta(days=UPCOMING_DAYS)}
    params = {"ws_ids": ws_ids, **dates}
    late = overdue_count = upcoming_count = CappedCount(0, COUNT_CAP)
    for ws_id, ws_late, ws_overdue, late_n, overdue_n, upcoming_n in db.session.execute(statements.counts, params):
        figures[ws_id].actions_late = CappedCount(ws_late or 0, WORKSTREAM_COUNT_CAP)
        figures[ws_id].milestones_overdue = CappedCount(ws_overdue or 0, WORKSTREAM_COUNT_CAP)
        late, overdue_count = CappedCount(late_n or 0, COUNT_CAP), CappedCount(overdue_n or 0, COUNT_CAP)
        upcoming_count = CappedCount(upcoming_n or 0, COUNT_CAP)
    return Dashboard(
        agreement=agreement,
        today=today,
        elapsed=elapsed_percent(agreement, today),
        workstreams=list(figures.values()),
        overdue=list(db.session.scalars(statements.overdue, params)),
        overdue_count=overdue_count,
        actions_late=late,
        upcoming=list(db.session.scalars(statements.upcoming, params)),
        upcoming_count=upcoming_count,
        latest_updates=list(db.session.scalars(statements.latest_updates, {"ws_ids": ws_ids})),
        updates_count=updates_count,
        unaddressed=list(db.session.scalars(statements.unaddressed, {"ws_ids": ws_ids})),
        indicators=indicators_with_latest(agreement.id, None),
    )


def _read_tallies(figures: dict[int, WorkstreamFigures]) -> int:
    """Fill the figures that do not depend on the date from the workstreams' tallies (kept by triggers, one row
    per workstream, subject, status and health); return how many progress logs the workstreams hold."""
    updates = 0
    rows = db.session.execute(_statements().tallies, {"ws_ids": list(figures)})
    for ws_id, subject, status, health, count, percent_sum in rows:
        fig = figures[ws_id]
        if subject == "update":
            updates += count
        elif subject == "milestone" and status != MilestoneStatus.CANCELLED:
            fig.milestones_total += count
            fig.milestones_done += count if status == MilestoneStatus.DONE else 0
        elif subject == "action":
            action_status = _STATUSES[status]
            fig.by_status[action_status] += count
            if action_status in ONGOING:
                fig.by_health[_HEALTHS[health]] += count
            if action_status in COUNTED_STATUSES:
                fig.counted += count
                fig.percent_sum += 100 * count if action_status == ActionStatus.COMPLETED else percent_sum
    return updates


_STATUSES = {status.value: status for status in ActionStatus}
_HEALTHS = {health.value: health for health in Health}


def _set_apart_continued(figures: dict[int, WorkstreamFigures]) -> None:
    """Move the actions carried over into the successor (`continued_elsewhere`) out of their status and health in
    the tallies, and count them as carried over: one grouped query, read from the index of `continues_action_id`."""
    for ws_id, status, health, count in db.session.execute(continued_by_workstream(figures)):
        fig = figures[ws_id]
        fig.carried_over += count
        fig.by_status[ActionStatus(status)] -= count
        if status in ONGOING:
            fig.by_health[Health(health)] -= count


@dataclass(frozen=True)
class _Statements:
    tallies: Select[Any]
    counts: Select[Any]
    overdue: Select[Any]
    upcoming: Select[Any]
    latest_updates: Select[Any]
    unaddressed: Select[Any]


@cache
def _statements() -> _Statements:
    """The dashboard's statements, built on first use with bound parameters: `ws_ids` (the agreement's workstreams),
    `today`, `soon` (the last day of « coming up ») and `starts_on` (the agreement's start)."""
    ws_ids = bindparam("ws_ids", expanding=True)
    today, soon, starts_on = (
        bindparam("today", type_=Date),
        bindparam("soon", type_=Date),
        bindparam("starts_on", type_=Date),
    )
    tallies = select(
        WorkstreamTally.workstream_id,
        WorkstreamTally.subject,
        WorkstreamTally.status,
        WorkstreamTally.health,
        WorkstreamTally.count,
        WorkstreamTally.percent_sum,
    ).where(WorkstreamTally.workstream_id.in_(ws_ids))
    overdue_when = milestones_when("overdue", today, starts_on)
    upcoming_when = milestones_when("upcoming", (today, soon), starts_on)
    # Each workstream's late actions and overdue milestones (of actions not cancelled) up to WORKSTREAM_COUNT_CAP,
    # then the agreement's late actions, and the overdue and coming milestones its open actions hold (the
    # dashboard's lists of them), up to COUNT_CAP: one row per workstream, the agreement's counts repeated on each
    # (PostgreSQL counts them once). Their cost stops growing with the data at the caps: past them, pages say
    # « more than … » and the filtered lists give the exact figure.
    in_workstream = Action.workstream_id == Workstream.id
    counts = select(
        Workstream.id,
        capped_count_of(_late_actions(in_workstream, today, starts_on).correlate(Workstream), WORKSTREAM_COUNT_CAP),
        capped_count_of(
            _overdue_milestones(in_workstream, today, starts_on).correlate(Workstream), WORKSTREAM_COUNT_CAP
        ),
        capped_count_of(_late_actions(Action.workstream_id.in_(ws_ids), today, starts_on), COUNT_CAP),
        capped_count_of(live_milestones(ws_ids, overdue_when).with_only_columns(Milestone.id), COUNT_CAP),
        capped_count_of(live_milestones(ws_ids, upcoming_when).with_only_columns(Milestone.id), COUNT_CAP),
    ).where(Workstream.id.in_(ws_ids))
    return _Statements(
        tallies=tallies,
        counts=counts,
        overdue=planned_milestones(ws_ids, overdue_when).limit(LIST_SIZE),
        upcoming=planned_milestones(ws_ids, upcoming_when).limit(LIST_SIZE),
        latest_updates=progress_of_workstreams(ws_ids).limit(LIST_SIZE),
        unaddressed=_unaddressed_commitments(ws_ids),
    )


def _late_actions(scope: ColumnElement[bool], today: Any, starts_on: Any) -> Select[Any]:
    """Late actions (Action.is_late) within `scope`, unless due before the agreement's start (to reschedule) or
    continued in a successor agreement: read from the index of actions by workstream, status and due date alone."""
    return select(Action.id).where(
        scope, Action.is_late(today), ~inherited(Action.due_on, starts_on), ~continued_elsewhere()
    )


def _overdue_milestones(scope: ColumnElement[bool], today: Any, starts_on: Any) -> Select[Any]:
    """Overdue milestones of actions within `scope`, not cancelled and not continued in a successor agreement."""
    return (
        select(Milestone.id)
        .join(Action, Milestone.action_id == Action.id)
        # Not cancelled, said as the statuses it may have: read from the index of actions by workstream and status.
        .where(
            scope,
            Action.status.in_(NOT_CANCELLED),
            Milestone.is_overdue(today),
            ~inherited(Milestone.due_on, starts_on),
            ~continued_elsewhere(),
        )
    )


def _unaddressed_commitments(ws_ids: BindParameter[Any]) -> Select[tuple[Commitment]]:
    # A correlated scalar subquery stops at each commitment's first live action (read from the index of
    # action_commitments by commitment); an EXISTS would be planned as an anti-join over every action.
    served = (
        select(literal(1))
        .select_from(action_commitments)
        .join(Action, action_commitments.c.action_id == Action.id)
        .where(action_commitments.c.commitment_id == Commitment.id, Action.status != ActionStatus.CANCELLED)
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(Commitment)
        .join(Workstream, Commitment.workstream_id == Workstream.id)
        .where(Commitment.workstream_id.in_(ws_ids), served.is_(None))
        .options(contains_eager(Commitment.workstream))  # each line names its workstream
        .order_by(Workstream.position, Commitment.position)
    )
