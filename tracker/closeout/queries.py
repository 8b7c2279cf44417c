"""The close-out domain's reads: actions still awaiting a decision, and the parties' closure confirmations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select

from tracker.actions.models import OPEN_STATUSES, Action
from tracker.agreements.models import Workstream, WorkstreamTally
from tracker.closeout.models import CloseoutDecision, ClosureConfirmation
from tracker.core.db import db


def awaiting_decision() -> ColumnElement[bool]:
    """SQL condition on `Action`: still open (neither completed nor cancelled) and without a close-out decision.

    The caller restricts it to the actions of an ended agreement (by joining `Workstream` and `Agreement`)."""
    return and_(Action.status.in_(OPEN_STATUSES), Action.id.not_in(select(CloseoutDecision.action_id)))


def awaiting_decision_count(agreement_id: Any) -> ColumnElement[int]:
    """Return the SQL expression of how many actions of the agreement are `awaiting_decision()`, without reading
    its actions: its open actions, from the workstreams' tallies (kept by triggers), less the open ones already
    decided. `agreement_id` is an id or a bound parameter (statements built once)."""
    open_actions = (
        select(func.coalesce(func.sum(WorkstreamTally.count), 0))
        .join(Workstream, Workstream.id == WorkstreamTally.workstream_id)
        .where(
            Workstream.agreement_id == agreement_id,
            WorkstreamTally.subject == "action",
            WorkstreamTally.status.in_(OPEN_STATUSES),
        )
        .scalar_subquery()
    )
    decided = (
        select(func.count())
        .select_from(CloseoutDecision)
        .join(Action, Action.id == CloseoutDecision.action_id)
        .join(Workstream, Workstream.id == Action.workstream_id)
        .where(Workstream.agreement_id == agreement_id, Action.status.in_(OPEN_STATUSES))
        .scalar_subquery()
    )
    return open_actions - decided


def count_awaiting_decision(agreement_id: int) -> int:
    """Return how many actions of the agreement are `awaiting_decision()` (one query, `awaiting_decision_count`)."""
    return int(db.session.scalar(select(awaiting_decision_count(agreement_id))) or 0)


def undecided_actions(agreement_id: int) -> list[tuple[int, str, str, str]]:
    """Return (action id, title, workstream code, status) of the agreement's actions `awaiting_decision()`, in
    workstream then action order (one query)."""
    rows = db.session.execute(
        select(Action.id, Action.title, Workstream.code, Action.status)
        .join(Workstream, Workstream.id == Action.workstream_id)
        .where(Workstream.agreement_id == agreement_id, awaiting_decision())
        .order_by(Workstream.position, Action.id)
    ).all()
    return [(action_id, title, code, str(status)) for action_id, title, code, status in rows]


def closure_confirmations(agreement_id: int) -> Sequence[ClosureConfirmation]:
    """Return the closure confirmations given for the agreement so far (at most one per signatory party; one query)."""
    return db.session.scalars(select(ClosureConfirmation).where(ClosureConfirmation.agreement_id == agreement_id)).all()
