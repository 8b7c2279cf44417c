"""The actions resource: list with filters, read, create, change; an action's transitions and approvals."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from flask_babel import gettext as _
from pydantic import ConfigDict, Field

from tracker.accounts.services import find_party
from tracker.actions import services
from tracker.actions.models import Action
from tracker.actions.queries import ActionFilters, page_of_actions
from tracker.actions.validation import MAX_OUTCOME, MAX_TITLE
from tracker.agreements.models import Workstream
from tracker.api.blueprint import Route
from tracker.api.common import current_api_user, etag, expected_version, today
from tracker.api.inputs import ID, VERSION_HELP, Day, Strict
from tracker.api.schemas import ApiModel, Instant, Links, PageInfo, PageQuery, PersonOut, answer, page_answer
from tracker.api.spec import API_PREFIX as API
from tracker.api.spec import WRITE_ERRORS, accepts_if_match, responses, spec
from tracker.core.db import db, refresh
from tracker.core.errors import NotFound, ValidationFailed
from tracker.core.lifecycle import MAX_COMMENT_LENGTH, Option

ActionStatusName = Literal["draft", "proposed", "active", "on_hold", "completed", "cancelled"]
HealthName = Literal["on_track", "at_risk", "off_track"]


def action_page_path(action_id: int) -> str:
    """Return the path of the action's page for people (the workspace's /actions/<id>)."""
    return f"/actions/{action_id}"


class ActionOut(ApiModel):
    id: int
    agreement: str
    workstream_id: int
    workstream: str
    title: str
    description: str
    status: ActionStatusName
    health: HealthName
    percent: int
    owner: PersonOut | None
    lead_party: str
    start_on: date | None
    due_on: date | None
    last_progress_at: Instant | None
    outcome: str = Field("", description="What the action achieved (« résultat »), recorded on completion or close-out")
    commitment_ids: list[int]
    continues: int | None = Field(description="Id of the action of the previous agreement that this one continues")
    continued_by: int | None = Field(description="Id of the action that continues this one in the successor agreement")
    created_at: Instant
    updated_at: Instant
    version: int
    links: Links

    @classmethod
    def of(cls, a: Action) -> ActionOut:
        """A list's actions come with their continuation joined (tracker.actions.queries.with_continuation)."""
        return cls(
            id=a.id,
            agreement=a.workstream.agreement.slug,
            workstream_id=a.workstream_id,
            workstream=a.workstream.code,
            title=a.title,
            description=a.description or "",
            status=str(a.status),
            health=str(a.health),
            percent=a.percent,
            owner=PersonOut.of(a.owner),
            lead_party=a.lead_party.code,
            start_on=a.start_on,
            due_on=a.due_on,
            last_progress_at=a.last_progress_at,
            outcome=a.outcome or "",
            commitment_ids=[c.id for c in a.commitments],
            continues=a.continues_action_id,
            continued_by=a.continued_by.id if a.continued_by is not None else None,
            created_at=a.created_at,
            updated_at=a.updated_at,
            version=a.version,
            links=Links(
                self=f"{API}/actions/{a.id}",
                milestones=f"{API}/actions/{a.id}/milestones",
                updates=f"{API}/actions/{a.id}/updates",
                html=action_page_path(a.id),
            ),
        )


class ActionList(PageInfo):
    items: list[ActionOut]


class ActionFilterQuery(ApiModel):
    """The filters of actions, shared by the list and the exports (which take no page: they hold every row)."""

    model_config = ConfigDict(extra="forbid")

    agreement: str | None = Field(None, max_length=64, description="Slug of an agreement")
    workstream: int | None = Field(None, ge=1, le=2**31 - 1, description="Id of a workstream")
    status: ActionStatusName | None = None
    health: HealthName | None = None
    owner: int | None = Field(None, ge=1, le=2**31 - 1, description="Id of the owner")
    lead_party: str | None = Field(None, max_length=16, description="Code of the lead party, e.g. IDF")
    overdue: bool | None = Field(None, description="Only actions with (or without) an overdue milestone")
    late: bool | None = Field(
        None,
        description="Only actions past (or not past) their due date while still open (neither completed nor cancelled)",
    )
    q: str | None = Field(None, max_length=200, description="Words searched in titles and descriptions")

    def filters(self) -> ActionFilters:
        """The listing filters these query arguments ask for (lists and exports share them)."""
        return ActionFilters(
            agreement=self.agreement,
            workstream_id=self.workstream,
            status=self.status,
            health=self.health,
            owner_id=self.owner,
            lead_party=self.lead_party.upper() if self.lead_party else None,
            overdue=self.overdue,
            late=self.late,
            q=self.q,
        )


class ActionQuery(ActionFilterQuery, PageQuery):
    """One page of the filtered actions."""


class ActionCreate(Strict):
    workstream_id: int = ID
    title: str = Field(max_length=MAX_TITLE)
    description: str = Field("", max_length=100_000)
    owner_id: int | None = Field(None, ge=1, le=2**31 - 1, description="Default: you")
    lead_party: str | None = Field(None, max_length=16, description="Party code; default: the owner's party")
    start_on: Day | None = None
    due_on: Day | None = None
    commitment_ids: list[int] = Field(default_factory=list, max_length=200)


class ActionUpdate(Strict):
    """Only the fields sent are changed."""

    version: int | None = Field(None, ge=1, le=2**31 - 1, description=VERSION_HELP)
    title: str | None = Field(None, max_length=MAX_TITLE)
    description: str | None = Field(None, max_length=100_000)
    owner_id: int | None = Field(None, ge=1, le=2**31 - 1)
    lead_party: str | None = Field(None, max_length=16)
    start_on: Day | None = None
    due_on: Day | None = None
    commitment_ids: list[int] | None = Field(None, max_length=200)


class TransitionIn(Strict):
    to: Literal["draft", "proposed", "active", "on_hold", "completed", "cancelled"]
    comment: str | None = Field(
        None, max_length=MAX_COMMENT_LENGTH, description="Needed for some moves (return, cancel)"
    )
    outcome: str | None = Field(
        None, max_length=MAX_OUTCOME, description="What the action achieved (« résultat »), kept when `to` is completed"
    )


class TransitionOut(ApiModel):
    name: str
    to: str
    label: str
    comment: Literal["none", "optional", "required"]
    allowed: bool
    blocked: str | None

    @classmethod
    def of(cls, option: Option) -> TransitionOut:
        return cls(
            name=option.name,
            to=str(option.to),
            label=option.label,
            comment=str(option.comment),
            allowed=option.allowed,
            blocked=str(option.blocked) if option.blocked else None,
        )


class TransitionList(ApiModel):
    status: str
    items: list[TransitionOut]

    @classmethod
    def of(cls, action: Action, options: list[Option]) -> TransitionList:
        return cls(status=str(action.status), items=[TransitionOut.of(o) for o in options])


class ApprovalIn(Strict):
    comment: str | None = Field(None, max_length=MAX_COMMENT_LENGTH)


class ApprovalOut(ApiModel):
    party: str
    person: str
    approved_at: Instant


class ApprovalList(ApiModel):
    status: str
    items: list[ApprovalOut]

    @classmethod
    def of(cls, action: Action) -> ApprovalList:
        """The approvals of the action, oldest first."""
        items = [
            ApprovalOut(party=a.party.code, person=a.user.name, approved_at=a.approved_at)
            for a in sorted(action.approvals, key=lambda a: a.approved_at)
        ]
        return cls(status=str(action.status), items=items)


def find_action(action_id: int) -> Action:
    """Return an action the API user may see, or raise NotFound."""
    return services.get_action(current_api_user(), action_id)


@spec.validate(query=ActionQuery, resp=responses(HTTP_200=ActionList), tags=["actions"])
def list_actions(query: ActionQuery) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The actions you see, newest first, filtered by agreement, workstream, status, health, owner,
    lead party, overdue milestones, lateness (`late`: past the due date, still open) and words (`q`)."""
    result = page_of_actions(current_api_user(), query.filters(), today(), query.page, query.per_page)
    return page_answer(ActionList, result, [ActionOut.of(a) for a in result.items])


@spec.validate(resp=responses(HTTP_200=ActionOut), tags=["actions"])
def get_action(action_id: int) -> tuple[dict[str, Any], int, dict[str, str]]:
    """One action; its `version` (also the ETag) is what an update must be based on."""
    action = find_action(action_id)
    return answer(ActionOut.of(action)), 200, etag(action.version)


def _party_id(code: str | None) -> int | None:
    """Return the id of the party with this code (the service checks it signed the agreement)."""
    if code is None:
        return None
    party = find_party(code)
    if party is None:
        message = _("Unknown party %(code)s.", code=code)
        raise ValidationFailed(message, {"lead_party": [message]})
    return party.id


def _action_answer(action: Action, status: int = 200) -> tuple[dict[str, Any], int, dict[str, str]]:
    refresh()
    fresh = services.get_action(current_api_user(), action.id)
    headers = etag(fresh.version)
    if status == 201:
        headers["Location"] = f"{API}/actions/{fresh.id}"
    return answer(ActionOut.of(fresh)), status, headers


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
    return answer(TransitionList.of(action, options))


@spec.validate(resp=responses(HTTP_200=TransitionList), tags=["actions"])
def list_transitions(action_id: int) -> dict[str, Any]:
    """The moves you may make now (and those waiting on a condition, with the reason)."""
    return _transitions(services.get_action(current_api_user(), action_id))


@spec.validate(json=TransitionIn, resp=responses(errors=WRITE_ERRORS, HTTP_200=ActionOut), tags=["actions"])
def make_transition(action_id: int, json: TransitionIn) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Move the action to another status (propose, return, hold, resume, complete, cancel...)."""
    user = current_api_user()
    action = services.get_action(user, action_id)
    services.transition_action(user, action, json.to, comment=json.comment, outcome=json.outcome)
    return _action_answer(action)


def _approvals(action: Action) -> dict[str, Any]:
    return answer(ApprovalList.of(action))


@spec.validate(resp=responses(HTTP_200=ApprovalList), tags=["actions"])
def list_approvals(action_id: int) -> dict[str, Any]:
    """The approvals a proposed action has received, one per party."""
    return _approvals(services.get_action(current_api_user(), action_id))


@spec.validate(json=ApprovalIn, resp=responses(errors=WRITE_ERRORS, HTTP_201=ApprovalList), tags=["actions"])
def approve(action_id: int, json: ApprovalIn) -> tuple[dict[str, Any], int]:
    """Approve a proposed action for your party; the last party's approval activates it."""
    user = current_api_user()
    services.approve_action(user, services.get_action(user, action_id), comment=json.comment)
    refresh()
    return _approvals(services.get_action(user, action_id)), 201


# This resource's routes, which its domain's init_app declares on the API blueprint.
ROUTES: tuple[Route, ...] = (
    ("/actions", list_actions, ("GET",)),
    ("/actions/<int:action_id>", get_action, ("GET",)),
    ("/actions", create_action, ("POST",)),
    ("/actions/<int:action_id>", update_action, ("PATCH",)),
    ("/actions/<int:action_id>/transitions", list_transitions, ("GET",)),
    ("/actions/<int:action_id>/transitions", make_transition, ("POST",)),
    ("/actions/<int:action_id>/approvals", list_approvals, ("GET",)),
    ("/actions/<int:action_id>/approvals", approve, ("POST",)),
)
