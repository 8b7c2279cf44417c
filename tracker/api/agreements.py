"""Agreements, workstreams and the caller's own account."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.agreements import services as agreements
from tracker.agreements.models import Agreement, Workstream, WorkstreamLead
from tracker.api import serialize
from tracker.api.blueprint import bp
from tracker.api.common import current_api_user, page_of
from tracker.api.schemas import (
    AgreementList,
    AgreementOut,
    Me,
    PageQuery,
    WorkstreamList,
    WorkstreamOut,
    WorkstreamQuery,
)
from tracker.api.spec import responses, spec
from tracker.core.db import db
from tracker.core.errors import NotFound


@bp.get("/me")
@spec.validate(resp=responses(HTTP_200=Me), tags=["me"])
def me() -> dict[str, Any]:
    """Your account and the token you are using."""
    user, token = current_api_user(), g.api_token
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "party": serialize.party(user.party),
        "role": str(user.role),
        "language": str(user.language),
        "token_name": token.name,
        "token_scope": str(token.scope),
        "token_expires_at": token.expires_at.isoformat() if token.expires_at else None,
    }


@bp.get("/agreements")
@spec.validate(query=PageQuery, resp=responses(HTTP_200=AgreementList), tags=["agreements"])
def list_agreements(query: PageQuery) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The agreements your party signed, newest first."""
    user = current_api_user()
    stmt = (
        select(Agreement)
        .where(Agreement.id.in_(agreements.visible_agreement_ids(user)))
        .options(
            selectinload(Agreement.signatories),
            selectinload(Agreement.succeeds).load_only(Agreement.slug),
            selectinload(Agreement.succeeded_by).load_only(Agreement.slug),
        )
        .order_by(Agreement.signed_on.desc(), Agreement.id)
    )
    result = page_of(stmt, query)
    body, headers = serialize.page(result, [serialize.agreement(a) for a in result.items])
    return body, 200, headers


@bp.get("/agreements/<slug>")
@spec.validate(resp=responses(HTTP_200=AgreementOut), tags=["agreements"])
def get_agreement(slug: str) -> dict[str, Any]:
    """One agreement."""
    return serialize.agreement(agreements.get_agreement(current_api_user(), slug))


def _workstreams(user: Any) -> Any:
    return (
        select(Workstream)
        .join(Agreement, Workstream.agreement_id == Agreement.id)
        .where(Agreement.id.in_(agreements.visible_agreement_ids(user)))
        .options(
            selectinload(Workstream.agreement).load_only(Agreement.id, Agreement.slug),
            selectinload(Workstream.leads).joinedload(WorkstreamLead.user),
        )
    )


@bp.get("/workstreams")
@spec.validate(query=WorkstreamQuery, resp=responses(HTTP_200=WorkstreamList), tags=["workstreams"])
def list_workstreams(query: WorkstreamQuery) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The workstreams of the agreements you see (filter with `agreement`); commitments are on each one's page."""
    stmt = _workstreams(current_api_user())
    if query.agreement:
        stmt = stmt.where(Agreement.slug == query.agreement)
    result = page_of(stmt.order_by(Agreement.id, Workstream.position, Workstream.id), query)
    items = [serialize.workstream(ws, ws.agreement.slug, commitments=False) for ws in result.items]
    body, headers = serialize.page(result, items)
    return body, 200, headers


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
    return serialize.workstream(ws, ws.agreement.slug)
