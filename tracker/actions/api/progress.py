"""The progress updates resource: an action's progress log, read and added to."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from tracker.actions import services
from tracker.actions.api.actions import HealthName, find_action
from tracker.actions.models import ProgressUpdate
from tracker.actions.queries import progress_log_of
from tracker.api.blueprint import Route
from tracker.api.common import current_api_user, etag, page_of
from tracker.api.inputs import Strict
from tracker.api.schemas import ApiModel, Instant, PageInfo, PageQuery, PersonOut, answer, page_answer
from tracker.api.spec import WRITE_ERRORS, responses, spec
from tracker.core.db import refresh


class UpdateOut(ApiModel):
    id: int
    action_id: int
    author: PersonOut | None
    text: str
    percent: int
    health: HealthName
    created_at: Instant

    @classmethod
    def fields_of(cls, u: ProgressUpdate) -> dict[str, Any]:
        """The values of this shape's fields, which the shapes extending it complete."""
        return {
            "id": u.id,
            "action_id": u.action_id,
            "author": PersonOut.of(u.author),
            "text": u.text,
            "percent": u.percent,
            "health": str(u.health),
            "created_at": u.created_at,
        }

    @classmethod
    def of(cls, u: ProgressUpdate) -> UpdateOut:
        return cls(**cls.fields_of(u))


class UpdateCreated(UpdateOut):
    """A progress update just logged, with the version of its action it produced."""

    action_version: int = Field(description="The action's version after this update (also the ETag)")


class UpdateList(PageInfo):
    items: list[UpdateOut]


class UpdateCreate(Strict):
    text: str = Field(max_length=100_000)
    percent: int = Field(ge=0, le=100)
    health: HealthName


@spec.validate(query=PageQuery, resp=responses(HTTP_200=UpdateList), tags=["progress updates"])
def list_updates(action_id: int, query: PageQuery) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The progress log of an action, newest first."""
    action = find_action(action_id)
    result = page_of(progress_log_of(action.id), query)
    return page_answer(UpdateList, result, [UpdateOut.of(u) for u in result.items])


@spec.validate(
    json=UpdateCreate, resp=responses(errors=WRITE_ERRORS, HTTP_201=UpdateCreated), tags=["progress updates"]
)
def log_progress(action_id: int, json: UpdateCreate) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Log progress: a text, the percent done and the health; they become the action's.

    The answer's `action_version` (also its ETag) is the action's new version: base the next edit on it.
    """
    user = current_api_user()
    update = services.log_progress(
        user, services.get_action(user, action_id), text=json.text, percent=json.percent, health=json.health
    )
    refresh()
    action_version = services.get_action(user, action_id).version
    body = UpdateCreated(**UpdateOut.fields_of(update), action_version=action_version)
    return answer(body), 201, etag(action_version)


# This resource's routes, which its domain's init_app declares on the API blueprint.
ROUTES: tuple[Route, ...] = (
    ("/actions/<int:action_id>/updates", list_updates, ("GET",)),
    ("/actions/<int:action_id>/updates", log_progress, ("POST",)),
)
