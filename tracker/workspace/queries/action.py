"""The action page: the action with its place, people, commitments and milestones, and its progress log."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tracker.accounts.models import User
from tracker.actions.models import Action, ActionApproval, ProgressUpdate
from tracker.agreements.models import Workstream, WorkstreamLead
from tracker.core.db import db
from tracker.core.errors import NotFound
from tracker.core.pagination import Page, paginate
from tracker.workspace.queries.common import ACTION_NOT_FOUND, action_visible_to

UPDATES_PER_PAGE = 20


def find_action(user: User, action_id: int) -> Action:
    """Return the action with what its page shows, if the user may see it (NotFound otherwise)."""
    action = db.session.scalar(
        select(Action)
        .where(Action.id == action_id, action_visible_to(user))
        .options(
            # A proposed action's page also reads the agreement's signatories (one more query, their parties
            # joined): the approval state party by party.
            joinedload(Action.workstream).joinedload(Workstream.agreement),
            joinedload(Action.owner),
            joinedload(Action.lead_party),
            selectinload(Action.workstream, Workstream.leads).joinedload(WorkstreamLead.user),
            selectinload(Action.commitments),
            selectinload(Action.milestones),
            selectinload(Action.approvals).joinedload(ActionApproval.user),
        )
    )
    if action is None:
        raise NotFound(ACTION_NOT_FOUND)
    return action


def progress_log(action: Action, page: int = 1) -> Page[ProgressUpdate]:
    """Return a page of the action's progress log, newest first, with authors and evidence files."""
    return paginate(
        select(ProgressUpdate)
        .where(ProgressUpdate.action_id == action.id)
        .options(joinedload(ProgressUpdate.author), selectinload(ProgressUpdate.attachments))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc()),
        page,
        UPDATES_PER_PAGE,
    )
