"""The agreement dashboard: time elapsed beside progress, per-workstream figures, milestones, latest logs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, case, func, literal, select
from sqlalchemy.orm import aliased, contains_eager

from tracker.actions.models import (
    OPEN_STATUSES,
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
    continued_elsewhere,
    indicators_with_latest,
    milestones_when,
    planned_milestones,
    progress_of_workstreams,
)
from tracker.actions.rescheduling import inherited
from tracker.agreements.models import Agreement, Commitment, Workstream, WorkstreamTally
from tracker.core.db import db
from tracker.core.pagination import paginate
from tracker.workspace.queries.common import COUNTED_STATUSES, agreement_today, elapsed_percent

LIST_SIZE = 10
ONGOING = (ActionStatus.ACTIVE, ActionStatus.ON_HOLD)


@dataclass
class WorkstreamFigures:
    workstream: Workstream
    by_status: dict[ActionStatus, int] = field(default_factory=lambda: dict.fromkeys(ActionStatus, 0))
    by_health: dict[Health, int] = field(default_factory=lambda: dict.fromkeys(Health, 0))
    milestones_done: int = 0
    milestones_total: int = 0
    milestones_overdue: int = 0
    actions_late: int = 0  # past their due date and still open (Action.is_late)
    carried_over: int = 0  # moved into the successor: counted here, under none of the statuses nor healths
    percent_sum: int = 0
    counted: int = 0

    @property
    def actions_total(self) -> int:
        return sum(self.by_status.values()) + self.carried_over

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
    overdue_count: int
    upcoming: list[Milestone]
    upcoming_count: int
    latest_updates: list[ProgressUpdate]
    updates_count: int
    unaddressed: list[Commitment]
    indicators: list[IndicatorLine]

    @property
    def progress(self) -> float:
        counted = sum(w.counted for w in self.workstreams)
        return sum(w.percent_sum for w in self.workstreams) / counted if counted else 0.0

    @property
    def actions_late(self) -> int:
        return sum(w.actions_late for w in self.workstreams)

    @property
    def milestones_done(self) -> int:
        return sum(w.milestones_done for w in self.workstreams)

    @property
    def milestones_total(self) -> int:
        return sum(w.milestones_total for w in self.workstreams)


def load_dashboard(agreement: Agreement) -> Dashboard:
    """Return the dashboard of an agreement (already found visible to the reader), in a fixed number of queries
    whose cost does not grow with the agreement's data: its figures are read from the workstreams' tallies, the
    late and overdue ones from indexes that hold only open or planned rows."""
    today = agreement_today(agreement)
    figures = {ws.id: WorkstreamFigures(ws) for ws in agreement.workstreams}
    updates_count = _read_tallies(figures)
    if agreement.has_ended(today):
        _set_apart_continued(figures)
    overdue_count = _count_late(figures, today, agreement.starts_on)
    overdue = list(
        db.session.scalars(
            planned_milestones(figures, milestones_when("overdue", today, agreement.starts_on)).limit(LIST_SIZE)
        )
    )
    upcoming, upcoming_count = _first(figures, milestones_when("upcoming", today, agreement.starts_on))
    return Dashboard(
        agreement=agreement,
        today=today,
        elapsed=elapsed_percent(agreement, today),
        workstreams=list(figures.values()),
        overdue=overdue,
        overdue_count=overdue_count,
        upcoming=upcoming,
        upcoming_count=upcoming_count,
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
    continuation = aliased(Action)
    rows = db.session.execute(
        select(Action.workstream_id, Action.status, Action.health, func.count())
        .select_from(continuation)
        .join(Action, continuation.continues_action_id == Action.id)
        .where(Action.workstream_id.in_(list(figures)))
        .group_by(Action.workstream_id, Action.status, Action.health)
    )
    for ws_id, status, health, count in rows:
        fig = figures[ws_id]
        fig.carried_over += count
        fig.by_status[ActionStatus(status)] -= count
        if status in ONGOING:
            fig.by_health[Health(health)] -= count


def _count_late(figures: dict[int, WorkstreamFigures], today: date, starts_on: date) -> int:
    """Count each workstream's late actions and overdue milestones (of actions not cancelled) on `today`, reading
    only open actions and planned milestones due before it; return how many overdue milestones open actions
    hold (the dashboard's list of them)."""
    late_actions = db.session.execute(
        select(Action.workstream_id, func.count())
        .where(
            Action.workstream_id.in_(list(figures)),
            Action.is_late(today),
            ~inherited(Action.due_on, starts_on),
            ~continued_elsewhere(),
        )
        .group_by(Action.workstream_id)
    )
    for ws_id, count in late_actions:
        figures[ws_id].actions_late = count
    open_action = case((Action.status.in_(OPEN_STATUSES), 1), else_=0)
    overdue = db.session.execute(
        select(Action.workstream_id, func.count(), func.sum(open_action))
        .select_from(Milestone)
        .join(Action, Milestone.action_id == Action.id)
        .where(
            Action.workstream_id.in_(list(figures)),
            Action.status != ActionStatus.CANCELLED,
            milestones_when("overdue", today, starts_on),
            ~continued_elsewhere(),
        )
        .group_by(Action.workstream_id)
    )
    listed = 0
    for ws_id, count, of_open_actions in overdue:
        figures[ws_id].milestones_overdue = count
        listed += int(of_open_actions or 0)
    return listed


def _first(figures: dict[int, WorkstreamFigures], condition: ColumnElement[bool]) -> tuple[list[Milestone], int]:
    """Return the first LIST_SIZE planned milestones meeting `condition`, and how many meet it (two queries)."""
    page = paginate(planned_milestones(figures, condition), 1, LIST_SIZE)
    return list(page.items), page.total


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
