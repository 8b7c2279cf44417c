"""Actions: list with filters, read; and what hangs below an action (milestones, progress updates)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.actions import services
from tracker.actions.models import Action, Milestone, ProgressUpdate
from tracker.actions.queries import continuations, page_of_actions
from tracker.api import serialize
from tracker.api.blueprint import bp
from tracker.api.common import current_api_user, etag, page_of, today
from tracker.api.schemas import ActionList, ActionOut, ActionQuery, MilestoneList, MilestoneOut, PageQuery, UpdateList
from tracker.api.spec import responses, spec


def find_action(action_id: int) -> Action:
    """Return an action the API user may see, or raise NotFound."""
    return services.get_action(current_api_user(), action_id)


def find_milestone(milestone_id: int) -> Milestone:
    return services.get_milestone(current_api_user(), milestone_id)


@bp.get("/actions")
@spec.validate(query=ActionQuery, resp=responses(HTTP_200=ActionList), tags=["actions"])
def list_actions(query: ActionQuery) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The actions you see, newest first, filtered by agreement, workstream, status, health, owner,
    lead party, overdue milestones, lateness (`late`: past the due date, still open) and words (`q`)."""
    result = page_of_actions(current_api_user(), query.filters(), today(), query.page, query.per_page)
    continued_by = continuations([a.id for a in result.items])
    body, headers = serialize.page(result, [serialize.action(a, continued_by) for a in result.items])
    return body, 200, headers


@bp.get("/actions/<int:action_id>")
@spec.validate(resp=responses(HTTP_200=ActionOut), tags=["actions"])
def get_action(action_id: int) -> tuple[dict[str, Any], int, dict[str, str]]:
    """One action; its `version` (also the ETag) is what an update must be based on."""
    action = find_action(action_id)
    return serialize.action(action), 200, etag(action.version)


@bp.get("/actions/<int:action_id>/milestones")
@spec.validate(query=PageQuery, resp=responses(HTTP_200=MilestoneList), tags=["milestones"])
def list_milestones(action_id: int, query: PageQuery) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The milestones of an action, by due date."""
    action = find_action(action_id)
    stmt = select(Milestone).where(Milestone.action_id == action.id).order_by(Milestone.due_on, Milestone.id)
    result = page_of(stmt, query)
    day = today()
    body, headers = serialize.page(result, [serialize.milestone(m, day) for m in result.items])
    return body, 200, headers


@bp.get("/milestones/<int:milestone_id>")
@spec.validate(resp=responses(HTTP_200=MilestoneOut), tags=["milestones"])
def get_milestone(milestone_id: int) -> tuple[dict[str, Any], int, dict[str, str]]:
    """One milestone; `overdue` is derived (planned and due before today)."""
    milestone = find_milestone(milestone_id)
    return serialize.milestone(milestone, today()), 200, etag(milestone.version)


@bp.get("/actions/<int:action_id>/updates")
@spec.validate(query=PageQuery, resp=responses(HTTP_200=UpdateList), tags=["progress updates"])
def list_updates(action_id: int, query: PageQuery) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The progress log of an action, newest first."""
    action = find_action(action_id)
    stmt = (
        select(ProgressUpdate)
        .where(ProgressUpdate.action_id == action.id)
        .options(joinedload(ProgressUpdate.author))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
    )
    result = page_of(stmt, query)
    body, headers = serialize.page(result, [serialize.update(u) for u in result.items])
    return body, 200, headers
