"""The agreements resource: the agreements your party signed."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field
from sqlalchemy.orm import selectinload

from tracker.agreements import services as agreements
from tracker.agreements.models import Agreement
from tracker.api.blueprint import Route
from tracker.api.common import current_api_user, page_of
from tracker.api.schemas import (
    ApiModel,
    Links,
    PageInfo,
    PageQuery,
    PartyOut,
    Texts,
    answer,
    page_answer,
)
from tracker.api.spec import API_PREFIX as API
from tracker.api.spec import responses, spec


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


@spec.validate(resp=responses(HTTP_200=AgreementOut), tags=["agreements"])
def get_agreement(slug: str) -> dict[str, Any]:
    """One agreement."""
    return answer(AgreementOut.of(agreements.get_agreement(current_api_user(), slug)))


# This resource's routes, which its domain's init_app declares on the API blueprint.
ROUTES: tuple[Route, ...] = (
    ("/agreements", list_agreements, ("GET",)),
    ("/agreements/<slug>", get_agreement, ("GET",)),
)
