"""Where an action comes from and where it went: the action of the ended agreement it continues, and for an action
of an ended agreement its close-out decision and the action that continues it in the successor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.actions.models import Action
from tracker.actions.rescheduling import old_dates
from tracker.agreements.models import Workstream
from tracker.closeout.models import CloseoutDecision
from tracker.core import clock
from tracker.core.db import db


@dataclass(frozen=True)
class Lineage:
    """`continues` and `continued_by` come with their workstream and agreement loaded; `old_dates` are the carried-
    over dates still to reschedule (tracker/actions/rescheduling.py)."""

    continues: Action | None
    decision: CloseoutDecision | None
    continued_by: Action | None
    old_dates: tuple[date, ...] = ()


def action_lineage(action: Action) -> Lineage | None:
    """Return the action's links to other agreements and its close-out decision, or None when it has none
    (no query for an action of an agreement in force that continues nothing; at most three otherwise)."""
    agreement = action.workstream.agreement
    ended = agreement.has_ended(clock.today(agreement.timezone))
    if action.continues_action_id is None and not ended:
        return None
    continues = _with_agreement(action.continues_action_id)
    decision = db.session.get(CloseoutDecision, action.id) if ended else None
    continued_by = _with_agreement(decision.successor_action_id) if decision is not None else None
    if continues is None and decision is None:
        return None
    return Lineage(continues, decision, continued_by, tuple(old_dates(action)))


def _with_agreement(action_id: int | None) -> Action | None:
    if action_id is None:
        return None
    return db.session.scalar(
        select(Action)
        .where(Action.id == action_id)
        .options(joinedload(Action.workstream).joinedload(Workstream.agreement))
    )
