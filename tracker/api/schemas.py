"""Pydantic models of what the API reads and writes; the OpenAPI document is generated from them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tracker.actions.queries import ActionFilters
from tracker.core.pagination import MAX_PAGE, MAX_PER_PAGE

ActionStatusName = Literal["draft", "proposed", "active", "on_hold", "completed", "cancelled"]
HealthName = Literal["on_track", "at_risk", "off_track"]
MilestoneStatusName = Literal["planned", "done", "cancelled"]


class ApiModel(BaseModel):
    """What every API shape derives from. Its validator and schema are built when first used, not when the app
    starts: about seventy shapes would otherwise cost every worker and every `flask` command a third of a second
    of CPU before it starts, for shapes most of them never use."""

    model_config = ConfigDict(defer_build=True)


class Texts(ApiModel):
    """A text in the three languages of the tracker."""

    fr: str
    en: str
    nl: str


class Links(ApiModel):
    model_config = ConfigDict(extra="allow")

    self: str


class PageLinks(ApiModel):
    self: str
    first: str
    last: str
    next: str | None = None
    prev: str | None = None


class PageQuery(ApiModel):
    """Page-based pagination: at most 100 items a page."""

    model_config = ConfigDict(extra="forbid")

    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(25, ge=1, le=MAX_PER_PAGE)


class PageInfo(ApiModel):
    page: int
    per_page: int
    total: int
    pages: int
    links: PageLinks


class PartyOut(ApiModel):
    code: str
    name: Texts


class PersonOut(ApiModel):
    id: int
    name: str
    party: str


class Me(ApiModel):
    id: int
    email: str
    name: str
    party: PartyOut
    role: Literal["admin", "coordinator", "reviewer"]
    language: Literal["fr", "en", "nl"]
    token_name: str
    token_scope: Literal["read", "write"]
    token_expires_at: datetime | None


class AgreementOut(ApiModel):
    slug: str
    title: Texts
    summary: Texts
    signed_on: date
    starts_on: date
    ends_on: date
    # in_force, then ended the day after `ends_on` (an amendment moves `ends_on`), closed, archived.
    status: Literal["in_force", "ended", "closed", "archived"]
    timezone: str
    parties: list[PartyOut]
    succeeds: str | None = Field(description="Slug of the ended agreement this one renews")
    succeeded_by: str | None = Field(description="Slug of the agreement that renews this one")
    links: Links


class AgreementList(PageInfo):
    items: list[AgreementOut]


class CommitmentOut(ApiModel):
    id: int
    code: str
    text: Texts


class LeadOut(ApiModel):
    party: str
    person: PersonOut


class WorkstreamSummary(ApiModel):
    id: int
    agreement: str
    code: str
    title: Texts
    objective: Texts
    starts_on: date | None
    leads: list[LeadOut]
    links: Links


class WorkstreamOut(WorkstreamSummary):
    """A workstream with the commitments of the agreement it must honour."""

    commitments: list[CommitmentOut]


class WorkstreamList(PageInfo):
    items: list[WorkstreamSummary]


class WorkstreamQuery(PageQuery):
    agreement: str | None = Field(None, max_length=64, description="Slug of an agreement")


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
    last_progress_at: datetime | None
    outcome: str = Field("", description="What the action achieved (« résultat »), recorded on completion or close-out")
    commitment_ids: list[int]
    continues: int | None = Field(description="Id of the action of the previous agreement that this one continues")
    continued_by: int | None = Field(description="Id of the action that continues this one in the successor agreement")
    created_at: datetime
    updated_at: datetime
    version: int
    links: Links


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


class MilestoneList(PageInfo):
    items: list[MilestoneOut]


class UpdateOut(ApiModel):
    id: int
    action_id: int
    author: PersonOut | None
    text: str
    percent: int
    health: HealthName
    created_at: datetime


class UpdateCreated(UpdateOut):
    """A progress update just logged, with the version of its action it produced."""

    action_version: int = Field(description="The action's version after this update (also the ETag)")


class UpdateList(PageInfo):
    items: list[UpdateOut]


class MeasurementOut(ApiModel):
    id: int
    indicator_id: int
    measured_on: date
    value: float
    source: str
    note: str
    created_at: datetime


class MeasurementList(PageInfo):
    items: list[MeasurementOut]


class IndicatorOut(ApiModel):
    id: int
    agreement: str
    workstream_id: int | None
    code: str
    name: Texts
    unit: str
    direction: Literal["increase", "decrease", "maintain"]
    baseline_value: float
    baseline_on: date
    target_value: float | None
    target_on: date | None
    source: str
    latest: MeasurementOut | None
    version: int
    links: Links


class IndicatorList(PageInfo):
    items: list[IndicatorOut]


class IndicatorQuery(PageQuery):
    agreement: str | None = Field(None, max_length=64, description="Slug of an agreement")
    workstream: int | None = Field(None, ge=1, le=2**31 - 1, description="Id of a workstream")
