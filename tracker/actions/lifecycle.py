"""The action and milestone lifecycles, as tables (see DESIGN.md, "Lifecycles")."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from tracker.actions import permissions
from tracker.actions.labels import ACTION_STATUS, MILESTONE_STATUS
from tracker.actions.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Action,
    ActionApproval,
    ActionStatus,
    Milestone,
    MilestoneStatus,
)
from tracker.actions.validation import MAX_OUTCOME, check_completed_on, clean_text, clean_url, reader_date
from tracker.agreements.permissions import is_co_lead
from tracker.core import clock
from tracker.core.db import db
from tracker.core.errors import InvalidTransition, PermissionDenied
from tracker.core.lifecycle import CommentNeed, Input, Lifecycle, Transition, transition

if TYPE_CHECKING:
    from tracker.accounts.models import User

S = ActionStatus


# --- guards: who ---------------------------------------------------------------------------------


def may_edit(action: Action, user: User) -> Any:
    if permissions.can_edit_action(user, action):
        return None
    return _l("Only the action's owner, the workstream's co-leads and administrators may do this.")


def may_review(action: Action, user: User) -> Any:
    """Co-leads of the workstream (of either party) and administrators decide on proposals."""
    if permissions.can_review_action(user, action):
        return None
    return _l("Only the workstream's co-leads and administrators may decide on a proposed action.")


def may_approve(action: Action, user: User) -> Any:
    """The co-lead of a party (or an administrator of that party) approves for that party."""
    if not user.active or user.party_id not in signatory_party_ids(action):
        return _l("Only the co-leads of the parties of the agreement may approve an action.")
    if permissions.can_approve_action(user, action):
        return None
    return _l("Only your party's co-lead of this workstream may approve this action for your party.")


def is_lead(user: User, action: Action, party_id: int | None = None) -> bool:
    """Whether the user co-leads the action's workstream (for `party_id` when given)."""
    return is_co_lead(user, action.workstream, party_id)


def signatory_party_ids(action: Action) -> set[int]:
    return {s.party_id for s in action.workstream.agreement.signatories}


# --- guards: when --------------------------------------------------------------------------------


def not_yet_approved_by_my_party(action: Action, user: User) -> Any:
    existing = next((a for a in action.approvals if a.party_id == user.party_id), None)
    if existing is None:
        return None
    return _l("Your party already approved this action (%(name)s).", name=existing.user.name)


def milestones_settled(action: Action, _user: User) -> Any:
    planned = sum(1 for m in action.milestones if m.status == MilestoneStatus.PLANNED)
    if not planned:
        return None
    return lazy_ngettext(
        "%(num)d milestone is still planned: mark it done or cancel it before completing the action.",
        "%(num)d milestones are still planned: mark each done or cancel it before completing the action.",
        planned,
    )


def action_is_open(milestone: Milestone, _user: User) -> Any:
    return still_open(milestone.action, MILESTONES_CLOSED)


def not_continued(action: Action, _user: User | None = None) -> Any:
    """An action carried over into a successor agreement lives on there (its continuation, `continued_by`): the
    one it continues, in the ended agreement, no longer changes (edits, milestones, progress, files, moves). Returns
    the reason pointing to the continuation, or None. Only an ended agreement's actions are carried over: no query
    for the others; one (the continuation) otherwise, unless already loaded."""
    agreement = action.workstream.agreement
    if not agreement.has_ended(clock.today(agreement.timezone)):
        return None
    continuation = action.continued_by
    if continuation is None:
        return None
    return _l(
        "This action was carried over into the agreement %(agreement)s: it continues there (action %(id)s), "
        "where it is changed.",
        agreement=continuation.workstream.agreement.slug,
        id=continuation.id,
    )


def agreement_in_force(action: Action, _user: User | None = None) -> Any:
    """Once its agreement has ended, an action is no longer proposed nor approved: no proposal waits for approval
    (tracker/actions/approvals.py lists none), each gets a close-out decision instead (tracker/closeout/decisions.py).
    The continuation of one carried over is approved in the successor, in force. Returns the reason, or None."""
    agreement = action.workstream.agreement
    if not agreement.has_ended(clock.today(agreement.timezone)):
        return None
    return _l(
        "This agreement ended on %(date)s: its actions are no longer proposed or approved; their owners and the "
        "workstreams' co-leads decide their close-out instead.",
        date=reader_date(agreement.ends_on),
    )


ACTION_CLOSED = _l("A completed or cancelled action can no longer be changed.")
MILESTONES_CLOSED = _l("The action is completed or cancelled: its milestones can no longer change.")


def still_open(action: Action, closed: Any = ACTION_CLOSED) -> Any:
    """Return why the action's content (its fields, milestones, progress log, files) can no longer change: completed
    or cancelled (`closed` says so), or carried over (`not_continued`); None while it can."""
    if action.status in CLOSED_STATUSES:
        return closed
    return not_continued(action)


def milestones_closed(action: Action) -> Any:
    """Return why the action's milestones can no longer change (`still_open`, said of its milestones), or None."""
    return still_open(action, MILESTONES_CLOSED)


def ensure_open(action: Action, closed: Any = ACTION_CLOSED) -> None:
    """Raise InvalidTransition (409) when the action's content can no longer change (`still_open`)."""
    reason = still_open(action, closed)
    if reason is not None:
        raise InvalidTransition(reason)


def ensure_editable(user: User, action: Action, closed: Any = ACTION_CLOSED) -> None:
    """Raise PermissionDenied when the user may not edit the action (`may_edit`), InvalidTransition when its content
    can no longer change (`still_open`)."""
    refusal = may_edit(action, user)
    if refusal is not None:
        raise PermissionDenied(refusal)
    ensure_open(action, closed)


# --- effects -------------------------------------------------------------------------------------


def record_approval(action: Action, user: User, _comment: str | None) -> dict[str, Any]:
    approval = ActionApproval(action=action, party_id=user.party_id, user_id=user.id, approved_at=clock.now())
    db.session.add(approval)
    return {"approved_for": user.party.code}


def all_parties_approved(action: Action) -> bool:
    return signatory_party_ids(action) <= {a.party_id for a in action.approvals}


def withdraw_approvals(action: Action, _user: User, _comment: str | None) -> dict[str, Any]:
    withdrawn = sorted(a.party.code for a in action.approvals)
    action.approvals.clear()
    return {"approvals_withdrawn": withdrawn} if withdrawn else {}


def record_outcome(action: Action, _user: User, _comment: str | None, *, outcome: str | None = None) -> dict[str, Any]:
    """Keep what the completed action achieved (optional, at most MAX_OUTCOME characters; ValidationFailed beyond)."""
    text = clean_text(outcome, "outcome", MAX_OUTCOME)
    if not text or text == action.outcome:
        return {}
    before, action.outcome = action.outcome, text
    return {"outcome": [before or None, text]}


def keep_reason(action: Action, _user: User, comment: str | None) -> dict[str, Any]:
    """A cancelled action's outcome is the reason it was cancelled (the reports list it beside the action)."""
    if not comment:
        return {}
    before, action.outcome = action.outcome, comment[:MAX_OUTCOME]
    return {"outcome": [before or None, action.outcome]}


def mark_milestone_done(
    milestone: Milestone,
    _user: User,
    _comment: str | None,
    *,
    completed_on: date | None = None,
    evidence_url: str | None = None,
) -> dict[str, Any]:
    action = milestone.action
    today = clock.today(action.workstream.agreement.timezone)
    completed_on = check_completed_on(completed_on, today, started_on=action.start_on)
    url = clean_url(evidence_url)
    milestone.completed_on = completed_on
    milestone.evidence_url = url
    changes: dict[str, Any] = {"completed_on": [None, completed_on.isoformat()]}
    if url:
        changes["evidence_url"] = [None, url]
    return changes


def settle_planned_milestones(action: Action, user: User, comment: str | None) -> dict[str, Any]:
    """Cancel the action's still-planned milestones while the action is still open, each through the milestone
    lifecycle (guarded, and audited on its own with `comment` as its reason, or a default one); returns no change
    for the action's own audit entry. Raises what the milestone transition raises. Flushes."""
    reason = comment or str(_l("Cancelled with its action."))
    for milestone in [m for m in action.milestones if m.status == MilestoneStatus.PLANNED]:
        transition(milestone, MilestoneStatus.CANCELLED.value, by=user, comment=reason)
    return {}


def cancel_with_reason(action: Action, user: User, comment: str | None) -> dict[str, Any]:
    """The cancel transition's effect: the reason becomes the action's outcome and no milestone stays planned (nor
    overdue). Returns the audit changes of `keep_reason`. Raises what the milestone transitions raise. Flushes."""
    changes = keep_reason(action, user, comment)
    settle_planned_milestones(action, user, comment)
    return changes


def _agreement_of_action(action: Action) -> int:
    return action.workstream.agreement_id


ACTION_LIFECYCLE = Lifecycle(
    entity="action",
    states=tuple(s.value for s in ActionStatus),
    state_labels=ACTION_STATUS,
    agreement_id=_agreement_of_action,
    # An action carried over into a successor agreement continues there: here, none of its moves is possible.
    when=(not_continued,),
    transitions=(
        Transition(
            "propose",
            (S.DRAFT,),
            S.PROPOSED,
            _l("Propose for approval"),
            may_edit,
            when=(agreement_in_force,),
            style="primary",
        ),
        Transition(
            "approve",
            (S.PROPOSED,),
            S.ACTIVE,
            _l("Approve for my party"),
            may_approve,
            when=(agreement_in_force, not_yet_approved_by_my_party),
            effect=record_approval,
            comment=CommentNeed.OPTIONAL,
            completes=all_parties_approved,
            style="primary",
        ),
        Transition(
            "return",
            (S.PROPOSED,),
            S.DRAFT,
            _l("Return to draft"),
            may_review,
            effect=withdraw_approvals,
            comment=CommentNeed.REQUIRED,
            comment_label=_l("What should change"),
        ),
        Transition(
            "hold",
            (S.ACTIVE,),
            S.ON_HOLD,
            _l("Put on hold"),
            may_edit,
            comment=CommentNeed.OPTIONAL,
        ),
        Transition("resume", (S.ON_HOLD,), S.ACTIVE, _l("Resume"), may_edit, style="primary"),
        Transition(
            "complete",
            (S.ACTIVE,),
            S.COMPLETED,
            _l("Mark as completed"),
            may_edit,
            when=(milestones_settled,),
            effect=record_outcome,
            inputs=(Input("outcome", _l("Outcome: what the action achieved (optional)"), "textarea"),),
            style="primary",
        ),
        Transition(
            "cancel",
            OPEN_STATUSES,
            S.CANCELLED,
            _l("Cancel the action"),
            may_edit,
            effect=cancel_with_reason,
            comment=CommentNeed.REQUIRED,
            comment_label=_l("Reason for cancelling"),
            style="danger",
        ),
    ),
)


def _milestone_today(milestone: Milestone) -> str:
    return clock.today(milestone.action.workstream.agreement.timezone).isoformat()


def _may_edit_milestone(milestone: Milestone, user: User) -> Any:
    return may_edit(milestone.action, user)


def _agreement_of_milestone(milestone: Milestone) -> int:
    return milestone.action.workstream.agreement_id


M = MilestoneStatus
MILESTONE_LIFECYCLE = Lifecycle(
    entity="milestone",
    states=tuple(s.value for s in MilestoneStatus),
    state_labels=MILESTONE_STATUS,
    agreement_id=_agreement_of_milestone,
    transitions=(
        Transition(
            "complete",
            (M.PLANNED,),
            M.DONE,
            _l("Mark as done"),
            _may_edit_milestone,
            when=(action_is_open,),
            effect=mark_milestone_done,
            comment=CommentNeed.OPTIONAL,
            inputs=(
                Input("completed_on", _l("Done on"), "date", required=True, default=_milestone_today),
                Input("evidence_url", _l("Link to the evidence (optional)"), "url"),
            ),
            style="primary",
        ),
        Transition(
            "cancel",
            (M.PLANNED,),
            M.CANCELLED,
            _l("Cancel the milestone"),
            _may_edit_milestone,
            when=(action_is_open,),
            comment=CommentNeed.REQUIRED,
            comment_label=_l("Reason for cancelling"),
            style="danger",
        ),
    ),
)
