"""What awaits a person's approval: proposed actions of workstreams they co-lead, not yet approved by their party."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, exists, false, select, true
from sqlalchemy.orm import joinedload, selectinload

from tracker.accounts.models import Role, User
from tracker.actions.models import Action, ActionApproval, ActionStatus
from tracker.agreements.models import Agreement, AgreementParty, Workstream, WorkstreamLead
from tracker.agreements.services import workstream_visible_to
from tracker.core.pagination import Page, paginate


def awaiting_approval_query(user: User) -> Select[Any]:
    """Return a select of the proposed actions waiting on the user's approval, oldest first."""
    already = exists().where(ActionApproval.action_id == Action.id, ActionApproval.party_id == user.party_id)
    leads = exists().where(
        WorkstreamLead.workstream_id == Action.workstream_id,
        WorkstreamLead.user_id == user.id,
        WorkstreamLead.party_id == user.party_id,
    )
    allowed = user.active and user.role in {Role.COORDINATOR, Role.ADMIN}
    return (
        select(Action)
        .join(Action.workstream)
        .where(
            Action.status == ActionStatus.PROPOSED,
            workstream_visible_to(user),
            leads,
            ~already,
            true() if allowed else false(),
        )
        .order_by(Action.updated_at, Action.id)
    )


def awaiting_approval(user: User, page: int = 1, per_page: int = 25) -> Page[Action]:
    """Return one page of the actions waiting on the user's approval, with what the list shows loaded."""
    statement = awaiting_approval_query(user).options(
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
