"""The few SQL queries a snapshot is computed from (each returns plain rows; no query runs in a loop)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, String, and_, case, cast, func, not_, or_, select

from tracker.accounts.models import User
from tracker.actions.models import (
    Action,
    ActionStatus,
    Indicator,
    Measurement,
    Milestone,
    ProgressUpdate,
    action_commitments,
)
from tracker.actions.queries import latest_measurement_ids
from tracker.agreements.models import Commitment, Workstream
from tracker.core.db import db

# Milestones count for the figures once their action is agreed by both parties (not drafts, proposals or
# cancelled actions).
APPROVED_STATUSES = (ActionStatus.ACTIVE, ActionStatus.ON_HOLD, ActionStatus.COMPLETED)
HIGHLIGHTS_PER_WORKSTREAM = 5


@dataclass(frozen=True)
class MilestoneRow:
    id: int
    workstream_id: int
    action_title: str
    title: str
    due_on: date
    status: str
    completed_on: date | None


def _overlaps(start: date, end: date) -> Any:
    """True for the actions whose dates overlap the period (an open start or due date overlaps everything)."""
    return and_(
        or_(Action.start_on.is_(None), Action.start_on <= end), or_(Action.due_on.is_(None), Action.due_on >= start)
    )


def counted_status(conditions: dict[str, Any]) -> Any:
    """Return the status a report counts an action under (SQL): the first key of `conditions` whose condition on
    `Action` holds (a status registered by another package: tracker.reports.snapshot.register_status), else its
    own."""
    if not conditions:
        return Action.status
    whens = [(condition, key) for key, condition in conditions.items()]
    return case(*whens, else_=cast(Action.status, String))


def action_counts(
    agreement_id: int, start: date, end: date, status: ColumnElement[Any] | Any = Action.status
) -> list[tuple[int, str, str, int]]:
    """Return (workstream id, status, health, count) of the actions that overlap the period, each under `status`
    (`counted_status`)."""
    overlaps = _overlaps(start, end)
    status = status.label("status")
    rows = db.session.execute(
        select(Action.workstream_id, status, Action.health, func.count())
        .join(Workstream, Workstream.id == Action.workstream_id)
        .where(Workstream.agreement_id == agreement_id, overlaps)
        .group_by(Action.workstream_id, status, Action.health)
    ).all()
    return [(ws_id, str(status), str(health), int(n)) for ws_id, status, health, n in rows]


def actions(
    agreement_id: int, start: date, end: date, status: ColumnElement[Any] | Any = Action.status
) -> list[dict[str, Any]]:
    """Return the actions that overlap the period (those `action_counts` counts), as plain rows: id, workstream id,
    title, status (as `action_counts` counts it), health, percent, start_on, due_on, outcome and owner (name), by
    workstream then due date."""
    rows = db.session.execute(
        select(
            Action.id,
            Action.workstream_id,
            Action.title,
            status.label("status"),
            Action.health,
            Action.percent,
            Action.start_on,
            Action.due_on,
            Action.outcome,
            User.name.label("owner"),
        )
        .join(Workstream, Workstream.id == Action.workstream_id)
        .outerjoin(User, User.id == Action.owner_id)
        .where(Workstream.agreement_id == agreement_id, _overlaps(start, end))
        .order_by(Action.workstream_id, Action.due_on.is_(None), Action.due_on, Action.id)
    ).all()
    return [dict(r._mapping) for r in rows]


def milestones(agreement_id: int) -> list[MilestoneRow]:
    """Return every milestone of the agreement's approved actions."""
    rows = db.session.execute(
        select(
            Milestone.id,
            Action.workstream_id,
            Action.title,
            Milestone.title,
            Milestone.due_on,
            Milestone.status,
            Milestone.completed_on,
        )
        .join(Action, Action.id == Milestone.action_id)
        .join(Workstream, Workstream.id == Action.workstream_id)
        .where(Workstream.agreement_id == agreement_id, Action.status.in_(APPROVED_STATUSES))
        .order_by(Milestone.due_on, Milestone.id)
    ).all()
    return [MilestoneRow(r[0], r[1], r[2], r[3], r[4], str(r[5]), r[6]) for r in rows]


def unaddressed_commitments(agreement_id: int) -> list[Commitment]:
    """Return the commitments that no action (other than cancelled ones) addresses."""
    addressed = (
        select(action_commitments.c.commitment_id)
        .join(Action, Action.id == action_commitments.c.action_id)
        .where(Action.status != ActionStatus.CANCELLED)
    )
    return list(
        db.session.scalars(
            select(Commitment)
            .join(Workstream, Workstream.id == Commitment.workstream_id)
            .where(Workstream.agreement_id == agreement_id, not_(Commitment.id.in_(addressed)))
            .order_by(Workstream.position, Commitment.position)
        )
    )


def indicator_values(agreement_id: int, end: date) -> list[tuple[Indicator, float | None, date | None]]:
    """Return each indicator of the agreement, in its order, with its latest measurement on or before `end`
    (value and date, or None and None), in one query."""
    in_agreement = Indicator.agreement_id == agreement_id
    latest = latest_measurement_ids(select(Indicator.id).where(in_agreement), until=end)
    rows = db.session.execute(
        select(Indicator, Measurement.value, Measurement.measured_on)
        .outerjoin(latest, latest.c.indicator_id == Indicator.id)
        .outerjoin(Measurement, Measurement.id == latest.c.id)
        .where(in_agreement)
        .order_by(Indicator.position, Indicator.code)
    ).all()
    return [(indicator, value, measured_on) for indicator, value, measured_on in rows]


def highlights(agreement_id: int, start_at: datetime, end_at: datetime) -> list[dict[str, Any]]:
    """Return, per workstream, the latest progress entries of the period (one per action, newest first)."""
    per_action = (
        select(
            ProgressUpdate.id,
            ProgressUpdate.text,
            ProgressUpdate.percent,
            ProgressUpdate.health,
            ProgressUpdate.created_at,
            Action.title.label("action_title"),
            Action.workstream_id,
            func.row_number()
            .over(
                partition_by=ProgressUpdate.action_id,
                order_by=(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc()),
            )
            .label("action_rank"),
        )
        .join(Action, Action.id == ProgressUpdate.action_id)
        .join(Workstream, Workstream.id == Action.workstream_id)
        .where(
            Workstream.agreement_id == agreement_id,
            ProgressUpdate.created_at >= start_at,
            ProgressUpdate.created_at < end_at,
        )
        .subquery()
    )
    latest = (
        select(
            per_action,
            func.row_number()
            .over(
                partition_by=per_action.c.workstream_id,
                order_by=(per_action.c.created_at.desc(), per_action.c.id.desc()),
            )
            .label("ws_rank"),
        )
        .where(per_action.c.action_rank == 1)
        .subquery()
    )
    rows = db.session.execute(
        select(latest)
        .where(latest.c.ws_rank <= HIGHLIGHTS_PER_WORKSTREAM)
        .order_by(latest.c.workstream_id, latest.c.ws_rank)
    ).mappings()
    return [dict(row) for row in rows]
