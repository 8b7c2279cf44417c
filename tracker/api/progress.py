"""Adding, moving, completing and cancelling milestones; logging progress; recording measurements."""

from __future__ import annotations

from typing import Any

from tracker.actions import services
from tracker.actions.models import Milestone
from tracker.api import serialize
from tracker.api.blueprint import bp
from tracker.api.common import current_api_user, etag, expected_version, today
from tracker.api.inputs import MeasurementCreate, MilestoneCreate, MilestoneTransitionIn, MilestoneUpdate, UpdateCreate
from tracker.api.schemas import MeasurementOut, MilestoneOut, UpdateCreated
from tracker.api.spec import WRITE_ERRORS, accepts_if_match, responses, spec
from tracker.core.db import refresh


def _milestone_answer(milestone: Milestone, status: int = 200) -> tuple[dict[str, Any], int, dict[str, str]]:
    refresh()
    fresh = services.get_milestone(current_api_user(), milestone.id)
    body = serialize.milestone(fresh, today())
    headers = etag(fresh.version)
    if status == 201:
        headers["Location"] = body["links"]["self"]
    return body, status, headers


@bp.post("/actions/<int:action_id>/milestones")
@spec.validate(json=MilestoneCreate, resp=responses(errors=WRITE_ERRORS, HTTP_201=MilestoneOut), tags=["milestones"])
def add_milestone(action_id: int, json: MilestoneCreate) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Add a planned milestone to an action."""
    user = current_api_user()
    milestone = services.add_milestone(user, services.get_action(user, action_id), title=json.title, due_on=json.due_on)
    return _milestone_answer(milestone, 201)


@bp.patch("/milestones/<int:milestone_id>")
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


@bp.post("/milestones/<int:milestone_id>/transitions")
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


@bp.post("/actions/<int:action_id>/updates")
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
    return {**serialize.update(update), "action_version": action_version}, 201, etag(action_version)


@bp.post("/indicators/<int:indicator_id>/measurements")
@spec.validate(
    json=MeasurementCreate, resp=responses(errors=WRITE_ERRORS, HTTP_201=MeasurementOut), tags=["indicators"]
)
def record_measurement(indicator_id: int, json: MeasurementCreate) -> tuple[dict[str, Any], int]:
    """Record a value of an indicator on a date."""
    user = current_api_user()
    measurement = services.record_measurement(
        user,
        services.get_indicator(user, indicator_id),
        measured_on=json.measured_on,
        value=json.value,
        source=json.source,
        note=json.note,
    )
    refresh()
    return serialize.measurement(measurement), 201
