"""The agreement dashboard: time elapsed beside progress, per-workstream figures, milestones, latest logs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, and_, case, exists, func, select
from sqlalchemy.orm import contains_eager

from tracker.actions.models import (
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
    indicators_with_latest,
    milestones_when,
    planned_milestones,
    progress_of_workstreams,
)
from tracker.actions.rescheduling import inherited
from tracker.agreements.models import Agreement, Commitment, Workstream
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
    """Return the dashboard of an agreement (already found visible to the reader), in a fixed number of queries."""
    today = agreement_today(agreement)
    figures = {ws.id: WorkstreamFigures(ws) for ws in agreement.workstreams}
    _count_actions(figures, today, agreement.starts_on)
    _count_milestones(figures, today, agreement.starts_on)
    overdue, overdue_count = _first(figures, milestones_when("overdue", today, agreement.starts_on))
    upcoming, upcoming_count = _first(figures, milestones_when("upcoming", today, agreement.starts_on))
    latest = paginate(progress_of_workstreams(figures), 1, LIST_SIZE)
    return Dashboard(
        agreement=agreement,
        today=today,
        elapsed=elapsed_percent(agreement, today),
        workstreams=list(figures.values()),
        overdue=overdue,
        overdue_count=overdue_count,
        upcoming=upcoming,
        upcoming_count=upcoming_count,
        latest_updates=list(latest.items),
        updates_count=latest.total,
        unaddressed=_unaddressed_commitments(figures),
        indicators=indicators_with_latest(agreement.id, None),
    )


def _count_actions(figures: dict[int, WorkstreamFigures], today: date, starts_on: date) -> None:
    late = func.sum(case((and_(Action.is_late(today), ~inherited(Action.due_on, starts_on)), 1), else_=0))
    rows = db.session.execute(
        select(Action.workstream_id, Action.status, Action.health, func.count(), func.sum(Action.percent), late)
        .where(Action.workstream_id.in_(list(figures)))
        .group_by(Action.workstream_id, Action.status, Action.health)
    )
    for ws_id, status, health, count, percent_sum, late_count in rows:
        fig = figures[ws_id]
        fig.actions_late += int(late_count or 0)
        fig.by_status[status] += count
        if status in ONGOING:
            fig.by_health[health] += count
        if status in COUNTED_STATUSES:
            fig.counted += count
            fig.percent_sum += 100 * count if status == ActionStatus.COMPLETED else int(percent_sum or 0)


def _count_milestones(figures: dict[int, WorkstreamFigures], today: date, starts_on: date) -> None:
    late = func.sum(case((and_(Milestone.is_overdue(today), ~inherited(Milestone.due_on, starts_on)), 1), else_=0))
    rows = db.session.execute(
        select(Action.workstream_id, Milestone.status, func.count(), late)
        .join(Action, Milestone.action_id == Action.id)
        .where(Action.workstream_id.in_(list(figures)), Action.status != ActionStatus.CANCELLED)
        .group_by(Action.workstream_id, Milestone.status)
    )
    for ws_id, status, count, late_count in rows:
        fig = figures[ws_id]
        if status == MilestoneStatus.CANCELLED:
            continue
        fig.milestones_total += count
        if status == MilestoneStatus.DONE:
            fig.milestones_done += count
        else:
            fig.milestones_overdue += int(late_count or 0)


def _first(figures: dict[int, WorkstreamFigures], condition: ColumnElement[bool]) -> tuple[list[Milestone], int]:
    """Return the first LIST_SIZE planned milestones meeting `condition`, and how many meet it (two queries)."""
    page = paginate(planned_milestones(figures, condition), 1, LIST_SIZE)
    return list(page.items), page.total


def _unaddressed_commitments(figures: dict[int, WorkstreamFigures]) -> list[Commitment]:
    served = exists().where(
        action_commitments.c.commitment_id == Commitment.id,
        action_commitments.c.action_id == Action.id,
        Action.status != ActionStatus.CANCELLED,
    )
    statement = (
        select(Commitment)
        .join(Workstream, Commitment.workstream_id == Workstream.id)
        .where(Commitment.workstream_id.in_(list(figures)), ~served)
        .options(contains_eager(Commitment.workstream))  # each line names its workstream
        .order_by(Workstream.position, Commitment.position)
    )
    return list(db.session.scalars(statement))
