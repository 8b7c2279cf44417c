"""Who may do what to an action or an indicator: the questions services ask before acting, and views ask
before showing a control.

Visibility (which agreements a user sees) is `tracker.agreements.services`; everything here assumes the
object is in an agreement the user's party signed, and answers what they may do to it. The lifecycle's
guards (`tracker.actions.lifecycle`) turn these answers into the reasons people read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.accounts.models import Role
from tracker.agreements.permissions import is_co_lead

if TYPE_CHECKING:
    from tracker.accounts.models import User
    from tracker.actions.models import Action
    from tracker.agreements.models import Workstream


def can_create_action(user: User, workstream: Workstream) -> bool:
    """Any coordinator (or admin) of a party of the agreement may propose actions in it."""
    return user.active and user.role in {Role.ADMIN, Role.COORDINATOR}


def can_edit_action(user: User, action: Action) -> bool:
    """Admins edit everything; coordinators edit the actions they own and those of workstreams they co-lead."""
    if not user.active:
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role != Role.COORDINATOR:
        return False
    return action.owner_id == user.id or is_co_lead(user, action.workstream)


def can_log_progress(user: User, action: Action) -> bool:
    """Whoever may edit the action logs its progress."""
    return can_edit_action(user, action)


def can_manage_indicators(user: User, workstream: Workstream | None) -> bool:
    """Admins, and coordinators co-leading the workstream (agreement-wide indicators: admins)."""
    if not user.active:
        return False
    if user.role == Role.ADMIN:
        return True
    return workstream is not None and user.role == Role.COORDINATOR and is_co_lead(user, workstream)


def can_review_action(user: User, action: Action) -> bool:
    """Co-leads of the workstream (of either party) and administrators decide on proposals."""
    if not user.active:
        return False
    return user.role == Role.ADMIN or (user.role == Role.COORDINATOR and is_co_lead(user, action.workstream))


def can_approve_action(user: User, action: Action) -> bool:
    """The co-lead of a party (or an administrator) approves a proposal for their own party; whether that party
    signed the agreement is the lifecycle's first question (a refusal with its own reason)."""
    if not user.active:
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.COORDINATOR and is_co_lead(user, action.workstream, user.party_id)
