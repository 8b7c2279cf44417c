"""Creating and changing actions, their lifecycle and approvals, through the action services."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from tracker.actions import services
from tracker.actions.models import Action
from tracker.agreements.models import Party, Workstream
from tracker.api import serialize
from tracker.api.blueprint import bp
from tracker.api.common import current_api_user, etag, expected_version
from tracker.api.inputs import ActionCreate, ActionUpdate, ApprovalIn, ApprovalList, TransitionIn, TransitionList
from tracker.api.schemas import ActionOut
from tracker.api.spec import WRITE_ERRORS, accepts_if_match, responses, spec
from tracker.core.db import db, refresh
from tracker.core.errors import NotFound, ValidationFailed


def _party_id(code: str | None) -> int | None:
    """Return the id of the party with this code (the service checks it signed the agreement)."""
    if code is None:
        return None
    party_id = db.session.scalar(select(Party.id).where(Party.code == code.strip().upper()))
    if party_id is None:
        message = _("Unknown party %(code)s.", code=code)
        raise ValidationFailed(message, {"lead_party": [message]})
    return party_id


def _action_answer(action: Action, status: int = 200) -> tuple[dict[str, Any], int, dict[str, str]]:
    refresh()
    fresh = services.get_action(current_api_user(), action.id)
    headers = etag(fresh.version)
    if status == 201:
        headers["Location"] = serialize.action(fresh)["links"]["self"]
    return serialize.action(fresh), status, headers


@bp.post("/actions")
@spec.validate(json=ActionCreate, resp=responses(errors=WRITE_ERRORS, HTTP_201=ActionOut), tags=["actions"])
def create_action(json: ActionCreate) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Create a draft action in a workstream."""
    user = current_api_user()
    workstream = db.session.get(Workstream, json.workstream_id)
    if workstream is None:
        raise NotFound(_("This workstream does not exist, or you may not see it."))
    action = services.create_action(
        user,
        workstream,
        title=json.title,
        description=json.description,
        owner_id=json.owner_id,
        lead_party_id=_party_id(json.lead_party),
        start_on=json.start_on,
        due_on=json.due_on,
        commitment_ids=json.commitment_ids,
    )
    return _action_answer(action, 201)


@bp.patch("/actions/<int:action_id>")
@accepts_if_match
@spec.validate(json=ActionUpdate, resp=responses(errors=WRITE_ERRORS, HTTP_200=ActionOut), tags=["actions"])
def update_action(action_id: int, json: ActionUpdate) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Change some fields of an action; a stale `version` (or If-Match) answers 409 with both versions."""
    user = current_api_user()
    action = services.get_action(user, action_id)
    fields = {name: getattr(json, name) for name in json.model_fields_set if name != "version"}
    if "lead_party" in fields:
        fields["lead_party_id"] = _party_id(fields.pop("lead_party"))
    services.update_action(user, action, version=expected_version(json.version), **fields)
    return _action_answer(action)


def _transitions(action: Action) -> dict[str, Any]:
    options = services.available_transitions(action, current_api_user(), include_blocked=True)
    items = [
        {
            "name": o.name,
            "to": str(o.to),
            "label": o.label,
            "comment": str(o.comment),
            "allowed": o.allowed,
            "blocked": str(o.blocked) if o.blocked else None,
        }
        for o in options
    ]
    return {"status": str(action.status), "items": items}


@bp.get("/actions/<int:action_id>/transitions")
@spec.validate(resp=responses(HTTP_200=TransitionList), tags=["actions"])
def list_transitions(action_id: int) -> dict[str, Any]:
    """The moves you may make now (and those waiting on a condition, with the reason)."""
    return _transitions(services.get_action(current_api_user(), action_id))


@bp.post("/actions/<int:action_id>/transitions")
@spec.validate(json=TransitionIn, resp=responses(errors=WRITE_ERRORS, HTTP_200=ActionOut), tags=["actions"])
def make_transition(action_id: int, json: TransitionIn) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Move the action to another status (propose, return, hold, resume, complete, cancel...)."""
    user = current_api_user()
    action = services.get_action(user, action_id)
    services.transition_action(user, action, json.to, comment=json.comment, outcome=json.outcome)
    return _action_answer(action)


def _approvals(action: Action) -> dict[str, Any]:
    items = [
        {"party": a.party.code, "person": a.user.name, "approved_at": a.approved_at.isoformat()}
        for a in sorted(action.approvals, key=lambda a: a.approved_at)
    ]
    return {"status": str(action.status), "items": items}


@bp.get("/actions/<int:action_id>/approvals")
@spec.validate(resp=responses(HTTP_200=ApprovalList), tags=["actions"])
def list_approvals(action_id: int) -> dict[str, Any]:
    """The approvals a proposed action has received, one per party."""
    return _approvals(services.get_action(current_api_user(), action_id))


@bp.post("/actions/<int:action_id>/approvals")
@spec.validate(json=ApprovalIn, resp=responses(errors=WRITE_ERRORS, HTTP_201=ApprovalList), tags=["actions"])
def approve(action_id: int, json: ApprovalIn) -> tuple[dict[str, Any], int]:
    """Approve a proposed action for your party; the last party's approval activates it."""
    user = current_api_user()
    services.approve_action(user, services.get_action(user, action_id), comment=json.comment)
    refresh()
    return _approvals(services.get_action(user, action_id)), 201
