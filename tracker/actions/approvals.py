"""What awaits a person's approval: proposed actions of workstreams they co-lead, not yet approved by their party."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, and_, exists, select
from sqlalchemy.orm import joinedload, selectinload

from tracker.accounts.models import Role, User
from tracker.actions.models import Action, ActionApproval, ActionStatus
from tracker.agreements.models import Agreement, AgreementParty, Workstream, WorkstreamLead
from tracker.agreements.services import workstream_visible_to, workstreams_in_force
from tracker.core.pagination import Page, paginate


def awaiting_approval_pairs(u: type[User], on: date) -> Select[tuple[int, int]]:
    """Return a select of (user id, action id): each proposed action of an agreement in force on date `on` with
    each of its workstream's co-leads (the user `u`, an entity or an alias of it) whose own party has not approved it
    yet, when that co-lead may approve (an active coordinator or administrator:
    tracker.actions.permissions.can_approve_action). An ended agreement's proposals wait for no approval: they get a
    close-out decision instead (tracker.actions.lifecycle.agreement_in_force refuses their approval). The one
    source of « awaiting my approval », for the my-work and approvals pages and for the reminder digest (callers
    narrow it)."""
    approved = exists().where(ActionApproval.action_id == Action.id, ActionApproval.party_id == WorkstreamLead.party_id)
    return (
        select(u.id.label("user_id"), Action.id.label("action_id"))
        .join(WorkstreamLead, WorkstreamLead.workstream_id == Action.workstream_id)
        .join(u, and_(u.id == WorkstreamLead.user_id, u.party_id == WorkstreamLead.party_id))
        .where(
            Action.status == ActionStatus.PROPOSED,
            Action.workstream_id.in_(workstreams_in_force(on)),
            ~approved,
            u.active.is_(True),
            u.role.in_((Role.COORDINATOR, Role.ADMIN)),
        )
    )


def awaiting_approval_query(user: User, today: date) -> Select[Any]:
    """Return a select of the proposed actions waiting on the user's approval on `today`, oldest first."""
    mine = awaiting_approval_pairs(User, today).where(User.id == user.id).subquery()
    return (
        select(Action)
        .join(Action.workstream)
        .where(Action.id.in_(select(mine.c.action_id)), workstream_visible_to(user))
        .order_by(Action.updated_at, Action.id)
    )


def awaiting_approval(user: User, today: date, page: int = 1, per_page: int = 25) -> Page[Action]:
    """Return one page of the actions waiting on the user's approval on `today`, with what the list shows loaded."""
    statement = awaiting_approval_query(user, today).options(
        joinedload(Action.workstream)
        .joinedload(Workstream.agreement)
        .selectinload(Agreement.signatories)
        .joinedload(AgreementParty.party),
        joinedload(Action.workstream).selectinload(Workstream.leads),
        joinedload(Action.owner),
        joinedload(Action.lead_party),
        selectinload(Action.milestones),
        selectinload(Action.approvals).joinedload(ActionApproval.party),
        selectinload(Action.approvals).joinedload(ActionApproval.user),
    )
    return paginate(statement, page, per_page)
