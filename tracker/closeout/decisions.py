"""Close-out: once an agreement has ended, each action that is neither completed nor cancelled gets a decision,
by its owner or a co-lead of its workstream: completed (with its outcome; planned milestones are cancelled with
it), cancelled (with a reason), or carried over to the successor agreement (where it moves at once when the
successor exists, tracker/closeout/carry_over.py). One by one or for a selection, each
action decided on its own and audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tracker.accounts.models import User
from tracker.actions.lifecycle import is_lead, settle_planned_milestones
from tracker.actions.models import OPEN_STATUSES, Action, ActionStatus
from tracker.agreements.models import Agreement, AgreementStatus, Workstream
from tracker.closeout import carry_over
from tracker.closeout.models import CloseoutDecision, Decision
from tracker.core import audit, clock
from tracker.core.db import db
from tracker.core.errors import DomainError, InvalidTransition, PermissionDenied, ValidationFailed
from tracker.core.lifecycle import transition
from tracker.core.numbers import DB_INT_MAX

DECISION_LABELS = {
    Decision.COMPLETED.value: _l("completed"),
    Decision.CANCELLED.value: _l("cancelled"),
    Decision.CARRIED_OVER.value: _l("carried over"),
}
MAX_NOTE = 2000


@dataclass(frozen=True)
class Row:
    """An action of the close-out list, its decision if any, and whether the reader may decide it."""

    action: Action
    decision: CloseoutDecision | None
    may_decide: bool


def closeout_rows(user: User, agreement: Agreement) -> list[Row]:
    """Return the agreement's actions that were unfinished at its end, with their decisions (two queries)."""
    actions = db.session.scalars(
        select(Action)
        .join(Workstream, Workstream.id == Action.workstream_id)
        .outerjoin(CloseoutDecision, CloseoutDecision.action_id == Action.id)
        .where(
            Workstream.agreement_id == agreement.id,
            (Action.status.in_(OPEN_STATUSES)) | (CloseoutDecision.action_id.is_not(None)),
        )
        .options(
            joinedload(Action.owner),
            joinedload(Action.workstream).selectinload(Workstream.leads),
        )
        .order_by(Workstream.position, Action.id)
    ).all()
    decisions = {
        d.action_id: d
        for d in db.session.scalars(
            select(CloseoutDecision)
            .where(CloseoutDecision.agreement_id == agreement.id)
            .options(selectinload(CloseoutDecision.decided_by))
        )
    }
    # Decisions are taken between the end and the closing only (an amendment may bring the agreement back in force).
    deciding = agreement.has_ended(clock.today(agreement.timezone)) and agreement.status not in (
        AgreementStatus.CLOSED,
        AgreementStatus.ARCHIVED,
    )
    return [Row(a, decisions.get(a.id), deciding and a.id not in decisions and _may_decide(user, a)) for a in actions]


def _may_decide(user: User, action: Action) -> bool:
    return user.active and (action.owner_id == user.id or is_lead(user, action))


@dataclass
class Outcome:
    """What a batch did: the actions decided, and for each refused one its reason."""

    decided: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)
    titles: dict[int, str] = field(default_factory=dict)  # of the actions found, to name them to people


def decide_many(user: User, agreement: Agreement, action_ids: Iterable[int], decision: str, note: str) -> Outcome:
    """Decide each selected action on its own (a savepoint each): one refusal stops none of the others.
    Raises ValidationFailed for an unknown decision or an overlong note, before touching anything."""
    chosen = _decision(decision)
    note = _note(chosen, note)
    named = sorted({int(i) for i in action_ids})
    if not named:
        raise ValidationFailed(_l("Select at least one action."), {"action_ids": [_l("Select at least one action.")]})
    ids = [i for i in named if 0 < i <= DB_INT_MAX]  # beyond the column's range no action can have that id
    actions = {
        a.id: a
        for a in db.session.scalars(
            select(Action)
            .join(Workstream, Workstream.id == Action.workstream_id)
            .where(Action.id.in_(ids), Workstream.agreement_id == agreement.id)
            .options(
                joinedload(Action.workstream).selectinload(Workstream.leads),
                *carry_over.move_options(),  # what a carry-over reads, for the whole selection at once
            )
        )
    }
    decided = set(
        db.session.scalars(select(CloseoutDecision.action_id).where(CloseoutDecision.action_id.in_(ids)))
    )  # read once for the whole selection, not once per action
    result = Outcome(titles={action_id: action.title for action_id, action in actions.items()})
    for action_id in named:
        action = actions.get(action_id)
        if action is None:
            result.refused[action_id] = str(_l("This action does not exist, or you may not see it."))
            continue
        try:
            with db.session.begin_nested():
                decide(user, agreement, action, chosen, note, already_decided=action_id in decided)
            result.decided.append(action_id)
        except DomainError as exc:
            result.refused[action_id] = str(exc.message)
    return result


def decide(
    user: User,
    agreement: Agreement,
    action: Action,
    decision: Decision,
    note: str,
    *,
    already_decided: bool | None = None,
) -> CloseoutDecision:
    """Record the decision for one action and apply it (status, milestones, audit); flushes.
    `already_decided` spares the lookup when the caller read the decisions of a whole selection."""
    if not agreement.has_ended(clock.today(agreement.timezone)):
        raise InvalidTransition(_l("Actions are closed out once the agreement has ended."))
    if agreement.status in (AgreementStatus.CLOSED, AgreementStatus.ARCHIVED):
        raise InvalidTransition(_l("The agreement is closed: its actions can no longer change."))
    if not _may_decide(user, action):
        raise PermissionDenied(_l("Only the action's owner and the workstream's co-leads decide its close-out."))
    if already_decided is None:
        already_decided = db.session.get(CloseoutDecision, action.id) is not None
    if action.status not in OPEN_STATUSES or already_decided:
        raise InvalidTransition(_l("This action already has its close-out decision."))
    if decision == Decision.COMPLETED:
        _complete(user, action, note)
    elif decision == Decision.CANCELLED:
        transition(action, ActionStatus.CANCELLED.value, by=user, comment=note)  # the reason becomes its outcome
    elif note:
        action.outcome = note  # carried over: what the successor takes up
    row = CloseoutDecision(
        action_id=action.id, agreement_id=agreement.id, decision=decision, note=note, decided_by_id=user.id
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        actor=user,
        entity="action",
        entity_id=action.id,
        verb="close_out",
        changes={"decision": decision.value},
        comment=note or None,
        agreement_id=agreement.id,
    )
    if decision == Decision.CARRIED_OVER and agreement.succeeded_by is not None:
        carry_over.carry_over(row, agreement.succeeded_by, by=user)  # the successor exists: the action moves now
    return row


def _complete(user: User, action: Action, outcome: str) -> None:
    """Complete an action under way (resumed first if on hold); its still-planned milestones are cancelled first,
    as cancelling an action does (tracker/actions/lifecycle.py), since completing one needs them settled."""
    if action.status not in (ActionStatus.ACTIVE, ActionStatus.ON_HOLD):
        raise InvalidTransition(_l("Only an action under way can be completed: cancel it or carry it over."))
    if action.status == ActionStatus.ON_HOLD:
        transition(action, ActionStatus.ACTIVE.value, by=user)
    settle_planned_milestones(action, user, str(_l("Closed out with its action at the end of the agreement.")))
    transition(action, ActionStatus.COMPLETED.value, by=user, comment=outcome or None, outcome=outcome)


def _decision(raw: Any) -> Decision:
    try:
        return Decision(str(raw))
    except ValueError:
        message = _l("Choose what becomes of the actions: completed, cancelled or carried over.")
        raise ValidationFailed(message, {"decision": [message]}) from None


def _note(decision: Decision, raw: Any) -> str:
    note = str(raw or "").strip()
    if len(note) > MAX_NOTE:
        message = _l("At most %(n)d characters (this text has %(count)d).", n=MAX_NOTE, count=len(note))
        raise ValidationFailed(message, {"note": [message]})
    if decision == Decision.CANCELLED and not note:
        message = _l("Say why the actions are cancelled.")
        raise ValidationFailed(message, {"note": [message]})
    return note


def decision_label(decision: Any) -> str:
    """Return a decision's name in the reader's language."""
    return str(DECISION_LABELS.get(str(decision), decision))
