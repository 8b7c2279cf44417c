"""The milestones resource: an action's milestones listed and read; adding, moving, completing, cancelling one."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from tracker.actions import services
from tracker.actions.api.actions import find_action
from tracker.actions.models import Milestone
from tracker.actions.queries import milestones_of
from tracker.actions.validation import MAX_TITLE
from tracker.api.blueprint import Route
from tracker.api.common import current_api_user, etag, expected_version, page_of, today
from tracker.api.inputs import VERSION_HELP, Day, Strict
from tracker.api.schemas import ApiModel, Links, PageInfo, PageQuery, answer, page_answer
from tracker.api.spec import API_PREFIX as API
from tracker.api.spec import WRITE_ERRORS, accepts_if_match, responses, spec
from tracker.core.db import refresh
from tracker.core.lifecycle import MAX_COMMENT_LENGTH

MilestoneStatusName = Literal["planned", "done", "cancelled"]


class MilestoneOut(ApiModel):
    id: int
    action_id: int
    title: str
    due_on: date
    status: MilestoneStatusName
    completed_on: date | None
    evidence_url: str | None
    reschedule_count: int
    overdue: bool
    version: int
    links: Links

    @classmethod
    def of(cls, m: Milestone, today: date) -> MilestoneOut:
        """`overdue` is derived: planned and due before `today`."""
        return cls(
            id=m.id,
            action_id=m.action_id,
            title=m.title,
            due_on=m.due_on,
            status=str(m.status),
            completed_on=m.completed_on,
            evidence_url=m.evidence_url,
            reschedule_count=m.reschedule_count,
            overdue=m.is_overdue(today),
            version=m.version,
            links=Links(self=f"{API}/milestones/{m.id}"),
        )


class MilestoneList(PageInfo):
    items: list[MilestoneOut]


class MilestoneCreate(Strict):
    title: str = Field(max_length=MAX_TITLE)
    due_on: Day


class MilestoneUpdate(Strict):
    """Change the title or move the due date (a move counts as a reschedule for calendars)."""

    version: int | None = Field(None, ge=1, le=2**31 - 1, description=VERSION_HELP)
    title: str | None = Field(None, max_length=MAX_TITLE)
    due_on: Day | None = None
    comment: str | None = Field(None, max_length=MAX_COMMENT_LENGTH)


class MilestoneTransitionIn(Strict):
    to: Literal["done", "cancelled"]
    version: int | None = Field(None, ge=1, le=2**31 - 1, description=VERSION_HELP)
    completed_on: Day | None = Field(
        None, description="For done: the day it was done, from the action's start to today (default: today)"
    )
    evidence_url: str | None = Field(None, max_length=2000)
    comment: str | None = Field(None, max_length=MAX_COMMENT_LENGTH, description="For cancelled: the reason (needed)")


def find_milestone(milestone_id: int) -> Milestone:
    return services.get_milestone(current_api_user(), milestone_id)


@spec.validate(query=PageQuery, resp=responses(HTTP_200=MilestoneList), tags=["milestones"])
def list_milestones(action_id: int, query: PageQuery) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The milestones of an action, by due date."""
    action = find_action(action_id)
    result = page_of(milestones_of([action.id]), query)
    day = today()
    return page_answer(MilestoneList, result, [MilestoneOut.of(m, day) for m in result.items])


@spec.validate(resp=responses(HTTP_200=MilestoneOut), tags=["milestones"])
def get_milestone(milestone_id: int) -> tuple[dict[str, Any], int, dict[str, str]]:
    """One milestone; `overdue` is derived (planned and due before today)."""
    milestone = find_milestone(milestone_id)
    return answer(MilestoneOut.of(milestone, today())), 200, etag(milestone.version)


def _milestone_answer(milestone: Milestone, status: int = 200) -> tuple[dict[str, Any], int, dict[str, str]]:
    refresh()
    fresh = services.get_milestone(current_api_user(), milestone.id)
    body = answer(MilestoneOut.of(fresh, today()))
    headers = etag(fresh.version)
    if status == 201:
        headers["Location"] = body["links"]["self"]
    return body, status, headers


@spec.validate(json=MilestoneCreate, resp=responses(errors=WRITE_ERRORS, HTTP_201=MilestoneOut), tags=["milestones"])
def add_milestone(action_id: int, json: MilestoneCreate) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Add a planned milestone to an action."""
    user = current_api_user()
    milestone = services.add_milestone(user, services.get_action(user, action_id), title=json.title, due_on=json.due_on)
    return _milestone_answer(milestone, 201)


@accepts_if_match
@spec.validate(json=MilestoneUpdate, resp=responses(errors=WRITE_ERRORS, HTTP_200=MilestoneOut), tags=["milestones"])
def update_milestone(milestone_id: int, json: MilestoneUpdate) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Rename a planned milestone or move its due date (calendars see the move: SEQUENCE goes up)."""
    user = current_api_user()
    milestone = services.get_milestone(user, milestone_id)
    services.update_milestone(
        user,
        milestone,
        version=expected_version(json.version),
        title=json.title,
        due_on=json.due_on,
        comment=json.comment,
    )
    return _milestone_answer(milestone)


@accepts_if_match
@spec.validate(
    json=MilestoneTransitionIn, resp=responses(errors=WRITE_ERRORS, HTTP_200=MilestoneOut), tags=["milestones"]
)
def transition_milestone(milestone_id: int, json: MilestoneTransitionIn) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Mark a milestone done (with `completed_on`, optional `evidence_url`) or cancelled (with a `comment`)."""
    user = current_api_user()
    milestone = services.get_milestone(user, milestone_id)
    if json.to == "done":
        services.complete_milestone(
            user,
            milestone,
            completed_on=json.completed_on or today(),
            evidence_url=json.evidence_url,
            version=expected_version(json.version),
            comment=json.comment,
        )
    else:
        services.cancel_milestone(user, milestone, reason=json.comment or "", version=expected_version(json.version))
    return _milestone_answer(milestone)


# This resource's routes, which its domain's init_app declares on the API blueprint.
ROUTES: tuple[Route, ...] = (
    ("/actions/<int:action_id>/milestones", list_milestones, ("GET",)),
    ("/milestones/<int:milestone_id>", get_milestone, ("GET",)),
    ("/actions/<int:action_id>/milestones", add_milestone, ("POST",)),
    ("/milestones/<int:milestone_id>", update_milestone, ("PATCH",)),
    ("/milestones/<int:milestone_id>/transitions", transition_milestone, ("POST",)),
)
