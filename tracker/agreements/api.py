"""The agreements and workstreams resources: the agreements your party signed, their workstreams."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from flask_babel import gettext as _
from pydantic import Field
from sqlalchemy.orm import selectinload

from tracker.agreements import services as agreements
from tracker.agreements.models import Agreement, Workstream, WorkstreamLead
from tracker.api.blueprint import bp
from tracker.api.common import current_api_user, page_of
from tracker.api.schemas import (
    ApiModel,
    Links,
    PageInfo,
    PageQuery,
    PartyOut,
    PersonOut,
    Texts,
    answer,
    page_answer,
)
from tracker.api.spec import API_PREFIX as API
from tracker.api.spec import responses, spec
from tracker.core.db import db
from tracker.core.errors import NotFound


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

    @classmethod
    def of(cls, a: Agreement) -> AgreementOut:
        return cls(
            slug=a.slug,
            title=Texts.of(a, "title"),
            summary=Texts.of(a, "summary"),
            signed_on=a.signed_on,
            starts_on=a.starts_on,
            ends_on=a.ends_on,
            status=str(a.status),
            timezone=a.timezone,
            parties=[PartyOut.of(s.party) for s in a.signatories],
            succeeds=a.succeeds.slug if a.succeeds_id is not None and a.succeeds else None,
            succeeded_by=a.succeeded_by.slug if a.succeeded_by else None,
            links=Links(
                self=f"{API}/agreements/{a.slug}",
                workstreams=f"{API}/workstreams?agreement={a.slug}",
                actions=f"{API}/actions?agreement={a.slug}",
            ),
        )


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


@bp.get("/agreements")
@spec.validate(query=PageQuery, resp=responses(HTTP_200=AgreementList), tags=["agreements"])
def list_agreements(query: PageQuery) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The agreements your party signed, newest first."""
    user = current_api_user()
    stmt = (
        agreements.visible_agreements(user)
        .options(
            selectinload(Agreement.signatories),
            selectinload(Agreement.succeeds).load_only(Agreement.slug),
            selectinload(Agreement.succeeded_by).load_only(Agreement.slug),
        )
        .order_by(Agreement.id)  # after the newest-first order of visible_agreements
    )
    result = page_of(stmt, query)
    return page_answer(AgreementList, result, [AgreementOut.of(a) for a in result.items])


@bp.get("/agreements/<slug>")
@spec.validate(resp=responses(HTTP_200=AgreementOut), tags=["agreements"])
def get_agreement(slug: str) -> dict[str, Any]:
    """One agreement."""
    return answer(AgreementOut.of(agreements.get_agreement(current_api_user(), slug)))


def _workstreams(user: Any) -> Any:
    return agreements.visible_workstreams(user).options(
        selectinload(Workstream.agreement).load_only(Agreement.id, Agreement.slug),
        selectinload(Workstream.leads).joinedload(WorkstreamLead.user),
    )


@bp.get("/workstreams")
@spec.validate(query=WorkstreamQuery, resp=responses(HTTP_200=WorkstreamList), tags=["workstreams"])
def list_workstreams(query: WorkstreamQuery) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The workstreams of the agreements you see (filter with `agreement`); commitments are on each one's page."""
    stmt = _workstreams(current_api_user())
    if query.agreement:
        stmt = stmt.where(Agreement.slug == query.agreement)
    result = page_of(stmt.order_by(Agreement.id, Workstream.position, Workstream.id), query)
    return page_answer(WorkstreamList, result, [WorkstreamSummary.of(ws) for ws in result.items])


@bp.get("/workstreams/<int:workstream_id>")
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
