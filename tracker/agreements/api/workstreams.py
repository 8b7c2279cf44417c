"""The workstreams resource: the workstreams of the agreements your party signed, with their co-leads and
commitments."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from pydantic import Field
from sqlalchemy.orm import selectinload

from tracker.agreements import services as agreements
from tracker.agreements.models import Agreement, Workstream, WorkstreamLead
from tracker.api.blueprint import Route
from tracker.api.common import current_api_user, page_of
from tracker.api.schemas import (
    ApiModel,
    Links,
    PageInfo,
    PageQuery,
    PersonOut,
    Texts,
    answer,
    page_answer,
)
from tracker.api.spec import API_PREFIX as API
from tracker.api.spec import responses, spec
from tracker.core.db import db
from tracker.core.errors import NotFound


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

    @classmethod
    def fields_of(cls, ws: Workstream) -> dict[str, Any]:
        """The values of this shape's fields, which the shapes extending it complete."""
        return {
            "id": ws.id,
            "agreement": ws.agreement.slug,
            "code": ws.code,
            "title": Texts.of(ws, "title"),
            "objective": Texts.of(ws, "objective"),
            "starts_on": ws.starts_on,
            "leads": [LeadOut(party=lead.user.party.code, person=PersonOut.of(lead.user)) for lead in ws.leads],
            "links": Links(self=f"{API}/workstreams/{ws.id}", actions=f"{API}/actions?workstream={ws.id}"),
        }

    @classmethod
    def of(cls, ws: Workstream) -> WorkstreamSummary:
        return cls(**cls.fields_of(ws))


class WorkstreamOut(WorkstreamSummary):
    """A workstream with the commitments of the agreement it must honour."""

    commitments: list[CommitmentOut]

    @classmethod
    def of(cls, ws: Workstream) -> WorkstreamOut:
        commitments = [CommitmentOut(id=c.id, code=c.code, text=Texts.of(c, "text")) for c in ws.commitments]
        return cls(**cls.fields_of(ws), commitments=commitments)


class WorkstreamList(PageInfo):
    items: list[WorkstreamSummary]


class WorkstreamQuery(PageQuery):
    agreement: str | None = Field(None, max_length=64, description="Slug of an agreement")


def _workstreams(user: Any) -> Any:
    return agreements.visible_workstreams(user).options(
        selectinload(Workstream.agreement).load_only(Agreement.id, Agreement.slug),
        selectinload(Workstream.leads).joinedload(WorkstreamLead.user),
    )


@spec.validate(query=WorkstreamQuery, resp=responses(HTTP_200=WorkstreamList), tags=["workstreams"])
def list_workstreams(query: WorkstreamQuery) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The workstreams of the agreements you see (filter with `agreement`); commitments are on each one's page."""
    stmt = _workstreams(current_api_user())
    if query.agreement:
        stmt = stmt.where(Agreement.slug == query.agreement)
    result = page_of(stmt.order_by(Agreement.id, Workstream.position, Workstream.id), query)
    return page_answer(WorkstreamList, result, [WorkstreamSummary.of(ws) for ws in result.items])


@spec.validate(resp=responses(HTTP_200=WorkstreamOut), tags=["workstreams"])
def get_workstream(workstream_id: int) -> dict[str, Any]:
    """One workstream, with its co-leads and commitments."""
    ws = db.session.scalar(
        _workstreams(current_api_user())
        .where(Workstream.id == workstream_id)
        .options(selectinload(Workstream.commitments))
    )
    if ws is None:
        raise NotFound(_("This workstream does not exist, or you may not see it."))
    return answer(WorkstreamOut.of(ws))


# This resource's routes, which its domain's init_app declares on the API blueprint.
ROUTES: tuple[Route, ...] = (
    ("/workstreams", list_workstreams, ("GET",)),
    ("/workstreams/<int:workstream_id>", get_workstream, ("GET",)),
)
