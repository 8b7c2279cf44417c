"""The close-out domain's reads: actions still awaiting a decision, and the parties' closure confirmations."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, select

from tracker.actions.models import OPEN_STATUSES, Action
from tracker.closeout.models import CloseoutDecision, ClosureConfirmation
from tracker.core.db import db


def awaiting_decision() -> ColumnElement[bool]:
    """SQL condition on `Action`: still open (neither completed nor cancelled) and without a close-out decision.

    The caller restricts it to the actions of an ended agreement (by joining `Workstream` and `Agreement`)."""
    return and_(Action.status.in_(OPEN_STATUSES), Action.id.not_in(select(CloseoutDecision.action_id)))


def closure_confirmations(agreement_id: int) -> Sequence[ClosureConfirmation]:
    """Return the closure confirmations given for the agreement so far (at most one per signatory party; one query)."""
    return db.session.scalars(select(ClosureConfirmation).where(ClosureConfirmation.agreement_id == agreement_id)).all()
