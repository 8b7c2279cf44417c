"""Carrying over: an action of an ended agreement whose close-out decision is *carried over* moves into the
successor agreement — a new action in the workstream of the same code, with the same owner, texts, dates, progress
and approvals, its milestones still planned and the commitments of the same codes — linked both ways (the new
action's `continues_action_id`, the decision's `successor_action_id`), each move audited on both actions. The old
action stays as it was in the ended agreement, and no longer changes there (tracker/actions/lifecycle.py,
`not_continued`). Its dates before the successor's start are to reschedule (tracker/actions/rescheduling.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from tracker.accounts.models import User
from tracker.actions.models import Action, ActionApproval, Milestone, MilestoneStatus
from tracker.agreements.models import Agreement
from tracker.closeout.models import CloseoutDecision, Decision
from tracker.core import audit
from tracker.core.db import db
from tracker.core.errors import ValidationFailed
from tracker.web.i18n import localized

# What the continuing action takes from the one it continues (its log and files stay with the old one).
CARRIED_FIELDS = (
    "title",
    "description",
    "owner_id",
    "lead_party_id",
    "status",
    "health",
    "percent",
    "start_on",
    "due_on",
    "last_progress_at",
    "is_demo",
)


def actions_to_move(agreement: Agreement) -> int:
    """Return how many carried-over actions of the agreement wait to move into a successor (one query)."""
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(CloseoutDecision)
            .where(
                CloseoutDecision.agreement_id == agreement.id,
                CloseoutDecision.decision == Decision.CARRIED_OVER,
                CloseoutDecision.successor_action_id.is_(None),
            )
        )
        or 0
    )


def carry_over_decided(predecessor: Agreement, successor: Agreement, *, by: User | None) -> list[Action]:
    """Move every action of `predecessor` carried over and not moved yet into `successor`; return the new actions.
    Raises ValidationFailed when the successor lacks the workstream of one of them. Flushes."""
    rows = db.session.scalars(
        select(CloseoutDecision)
        .where(
            CloseoutDecision.agreement_id == predecessor.id,
            CloseoutDecision.decision == Decision.CARRIED_OVER,
            CloseoutDecision.successor_action_id.is_(None),
        )
        .options(selectinload(CloseoutDecision.action).options(*move_options()))
        .order_by(CloseoutDecision.action_id)
    ).all()
    return [carry_over(row, successor, by=by) for row in rows]


def move_options() -> Sequence[Any]:
    """Loader options for actions about to be carried over: what `carry_over` reads of them."""
    return (
        joinedload(Action.workstream),
        selectinload(Action.milestones),
        selectinload(Action.commitments),
        selectinload(Action.approvals),
    )


def carry_over(decision: CloseoutDecision, successor: Agreement, *, by: User | None) -> Action:
    """Create in `successor` the action that continues the decided one (same owner, lead party, texts, dates,
    progress and approvals; its planned milestones; the commitments of the same codes), link both ways and audit
    both. Raises ValidationFailed when the successor has no workstream of the same code. Flushes."""
    old = decision.action
    target = next((ws for ws in successor.workstreams if ws.code == old.workstream.code), None)
    if target is None:
        message = _l(
            "The agreement “%(agreement)s” has no workstream “%(workstream)s” to carry this action into.",
            agreement=localized(successor, "title"),
            workstream=localized(old.workstream, "title"),
        )
        raise ValidationFailed(message, {"decision": [message]})
    codes = {c.code for c in old.commitments}
    new = Action(
        workstream_id=target.id,
        continues_action_id=old.id,
        created_by_id=by.id if by is not None else old.created_by_id,
        commitments=[c for c in target.commitments if c.code in codes],
        milestones=[
            Milestone(title=m.title, due_on=m.due_on, reschedule_count=m.reschedule_count, is_demo=m.is_demo)
            for m in old.milestones
            if m.status == MilestoneStatus.PLANNED
        ],
        approvals=[
            ActionApproval(party_id=a.party_id, user_id=a.user_id, approved_at=a.approved_at) for a in old.approvals
        ],
        **{f: getattr(old, f) for f in CARRIED_FIELDS},
    )
    db.session.add(new)
    db.session.flush()
    decision.successor_action_id = new.id
    predecessor_slug = old.workstream.agreement.slug
    audit.record(
        actor=by,
        entity="action",
        entity_id=old.id,
        verb="carry_over",
        changes={"continued_in": f"{successor.slug} · {new.id}"},
        agreement_id=old.workstream.agreement_id,
    )
    audit.record(
        actor=by,
        entity="action",
        entity_id=new.id,
        verb="continue",
        changes={"continues": f"{predecessor_slug} · {old.id}", "milestones": len(new.milestones)},
        agreement_id=successor.id,
    )
    return new
