"""The agreement dashboard: time elapsed beside progress, per-workstream figures, milestones, latest logs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, select
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
from tracker.core.pagination import CappedCount, count_capped
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
    late, overdue and coming ones counted up to a cap (_count_late)."""
    today = agreement_today(agreement)
    figures = {ws.id: WorkstreamFigures(ws) for ws in agreement.workstreams}
    updates_count = _read_tallies(figures)
    if agreement.has_ended(today):
        _set_apart_continued(figures)
    actions_late, overdue_count = _count_late(figures, today, agreement.starts_on)
    overdue = list(
        db.session.scalars(
            planned_milestones(figures, milestones_when("overdue", today, agreement.starts_on)).limit(LIST_SIZE)
        )
    )
    upcoming_when = milestones_when("upcoming", today, agreement.starts_on)
    upcoming = list(db.session.scalars(planned_milestones(figures, upcoming_when).limit(LIST_SIZE)))
    return Dashboard(
        agreement=agreement,
        today=today,
        elapsed=elapsed_percent(agreement, today),
        workstreams=list(figures.values()),
        overdue=overdue,
        overdue_count=overdue_count,
        actions_late=actions_late,
        upcoming=upcoming,
        upcoming_count=count_capped(_live_ids(figures, upcoming_when), COUNT_CAP),
        latest_updates=list(db.session.scalars(progress_of_workstreams(figures).limit(LIST_SIZE))),
        updates_count=updates_count,
        unaddressed=_unaddressed_commitments(figures),
        indicators=indicators_with_latest(agreement.id, None),
    )


def _read_tallies(figures: dict[int, WorkstreamFigures]) -> int:
    """Fill the figures that do not depend on the date from the workstreams' tallies (kept by triggers, one row
    per workstream, subject, status and health); return how many progress logs the workstreams hold."""
    updates = 0
    rows = db.session.scalars(select(WorkstreamTally).where(WorkstreamTally.workstream_id.in_(list(figures))))
    for tally in rows:
        fig, count = figures[tally.workstream_id], tally.count
        if tally.subject == "update":
            updates += count
        elif tally.subject == "milestone" and tally.status != MilestoneStatus.CANCELLED:
            fig.milestones_total += count
            fig.milestones_done += count if tally.status == MilestoneStatus.DONE else 0
        elif tally.subject == "action":
            status = ActionStatus(tally.status)
            fig.by_status[status] += count
            if status in ONGOING:
                fig.by_health[Health(tally.health)] += count
            if status in COUNTED_STATUSES:
                fig.counted += count
                fig.percent_sum += 100 * count if status == ActionStatus.COMPLETED else tally.percent_sum
    return updates


def _set_apart_continued(figures: dict[int, WorkstreamFigures]) -> None:
    """Move the actions carried over into the successor (`continued_elsewhere`) out of their status and health in
    the tallies, and count them as carried over: one grouped query, read from the index of `continues_action_id`."""
    for ws_id, status, health, count in db.session.execute(continued_by_workstream(figures)):
        fig = figures[ws_id]
        fig.carried_over += count
        fig.by_status[ActionStatus(status)] -= count
        if status in ONGOING:
            fig.by_health[Health(health)] -= count


def _count_late(figures: dict[int, WorkstreamFigures], today: date, starts_on: date) -> tuple[CappedCount, CappedCount]:
    """Count each workstream's late actions and overdue milestones (of actions not cancelled) on `today`, up to
    WORKSTREAM_COUNT_CAP each, then the agreement's late actions and the overdue milestones open actions hold
    (the dashboard's list of them), up to COUNT_CAP each; return those two. Their cost stops growing with the
    data at the caps: past them, pages say « more than … » and the filtered lists give the exact figure."""
    per_workstream = (
        (_late_actions(Action.workstream_id == Workstream.id, today, starts_on), "actions_late"),
        (_overdue_milestones(Action.workstream_id == Workstream.id, today, starts_on), "milestones_overdue"),
    )
    columns = [
        select(func.count())
        .select_from(rows.correlate(Workstream).limit(WORKSTREAM_COUNT_CAP).subquery())
        .scalar_subquery()
        for rows, _name in per_workstream
    ]
    for ws_id, *counts in db.session.execute(select(Workstream.id, *columns).where(Workstream.id.in_(list(figures)))):
        for (_rows, name), count in zip(per_workstream, counts, strict=True):
            setattr(figures[ws_id], name, CappedCount(count or 0, WORKSTREAM_COUNT_CAP))
    in_agreement = Action.workstream_id.in_(list(figures))
    late = count_capped(_late_actions(in_agreement, today, starts_on), COUNT_CAP)
    overdue = count_capped(_live_ids(figures, milestones_when("overdue", today, starts_on)), COUNT_CAP)
    return late, overdue


def _late_actions(scope: ColumnElement[bool], today: date, starts_on: date) -> Select[Any]:
    """Late actions (Action.is_late) within `scope`, unless due before the agreement's start (to reschedule) or
    continued in a successor agreement."""
    return select(Action.id).where(
        scope, Action.is_late(today), ~inherited(Action.due_on, starts_on), ~continued_elsewhere()
    )


def _overdue_milestones(scope: ColumnElement[bool], today: date, starts_on: date) -> Select[Any]:
    """Overdue milestones of actions within `scope`, not cancelled and not continued in a successor agreement."""
    return (
        select(Milestone.id)
        .join(Action, Milestone.action_id == Action.id)
        # Not cancelled, said as the statuses it may have: read from the index of actions by workstream and status.
        .where(
            scope,
            Action.status.in_(NOT_CANCELLED),
            milestones_when("overdue", today, starts_on),
            ~continued_elsewhere(),
        )
    )


def _live_ids(figures: dict[int, WorkstreamFigures], condition: ColumnElement[bool]) -> Select[Any]:
    """The ids of the planned milestones meeting `condition` (what a count reads)."""
    return live_milestones(figures, condition).with_only_columns(Milestone.id)


def _unaddressed_commitments(figures: dict[int, WorkstreamFigures]) -> list[Commitment]:
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
    statement = (
        select(Commitment)
        .join(Workstream, Commitment.workstream_id == Workstream.id)
        .where(Commitment.workstream_id.in_(list(figures)), served.is_(None))
        .options(contains_eager(Commitment.workstream))  # each line names its workstream
        .order_by(Workstream.position, Commitment.position)
    )
    return list(db.session.scalars(statement))
