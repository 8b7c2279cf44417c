"""Plain JSON representations of domain objects (shapes declared in tracker.api.schemas)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import request

from tracker.accounts.models import User
from tracker.actions.models import Action, Indicator, Measurement, Milestone, ProgressUpdate
from tracker.agreements.models import Agreement, Party, Workstream
from tracker.api.spec import API_PREFIX as API
from tracker.core.pagination import Page

LANGS = ("fr", "en", "nl")


def texts(obj: Any, field: str) -> dict[str, str]:
    return {lang: getattr(obj, f"{field}_{lang}", None) or "" for lang in LANGS}


def party(p: Party) -> dict[str, Any]:
    return {"code": p.code, "name": texts(p, "name")}


def person(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.id, "name": user.name, "party": user.party.code}


def agreement(a: Agreement) -> dict[str, Any]:
    return {
        "slug": a.slug,
        "title": texts(a, "title"),
        "summary": texts(a, "summary"),
        "signed_on": a.signed_on.isoformat(),
        "starts_on": a.starts_on.isoformat(),
        "ends_on": a.ends_on.isoformat(),
        "status": str(a.status),
        "timezone": a.timezone,
        "parties": [party(s.party) for s in a.signatories],
        "succeeds": a.succeeds.slug if a.succeeds_id is not None and a.succeeds else None,
        "succeeded_by": a.succeeded_by.slug if a.succeeded_by else None,
        "links": {
            "self": f"{API}/agreements/{a.slug}",
            "workstreams": f"{API}/workstreams?agreement={a.slug}",
            "actions": f"{API}/actions?agreement={a.slug}",
        },
    }


def workstream(ws: Workstream, agreement_slug: str, *, commitments: bool = True) -> dict[str, Any]:
    body = {
        "id": ws.id,
        "agreement": agreement_slug,
        "code": ws.code,
        "title": texts(ws, "title"),
        "objective": texts(ws, "objective"),
        "starts_on": ws.starts_on.isoformat() if ws.starts_on else None,
        "leads": [{"party": lead.user.party.code, "person": person(lead.user)} for lead in ws.leads],
        "links": {
            "self": f"{API}/workstreams/{ws.id}",
            "actions": f"{API}/actions?workstream={ws.id}",
        },
    }
    if commitments:
        body["commitments"] = [{"id": c.id, "code": c.code, "text": texts(c, "text")} for c in ws.commitments]
    return body


def action(a: Action, continued_by: dict[int, int] | None = None) -> dict[str, Any]:
    """`continued_by` maps the ids of a page of actions to the actions continuing them (read with
    tracker.actions.queries.continuations); without it, the one action's continuation is read."""
    if continued_by is None:
        continued_by = {a.id: a.continued_by.id} if a.continued_by is not None else {}
    return {
        "id": a.id,
        "agreement": a.workstream.agreement.slug,
        "workstream_id": a.workstream_id,
        "workstream": a.workstream.code,
        "title": a.title,
        "description": a.description or "",
        "status": str(a.status),
        "health": str(a.health),
        "percent": a.percent,
        "owner": person(a.owner),
        "lead_party": a.lead_party.code,
        "start_on": a.start_on.isoformat() if a.start_on else None,
        "due_on": a.due_on.isoformat() if a.due_on else None,
        "last_progress_at": a.last_progress_at.isoformat() if a.last_progress_at else None,
        "outcome": a.outcome or "",
        "commitment_ids": [c.id for c in a.commitments],
        "continues": a.continues_action_id,
        "continued_by": continued_by.get(a.id),
        "created_at": a.created_at.isoformat(),
        "updated_at": a.updated_at.isoformat(),
        "version": a.version,
        "links": {
            "self": f"{API}/actions/{a.id}",
            "milestones": f"{API}/actions/{a.id}/milestones",
            "updates": f"{API}/actions/{a.id}/updates",
            "html": action_page_path(a.id),
        },
    }


def milestone(m: Milestone, today: Any) -> dict[str, Any]:
    return {
        "id": m.id,
        "action_id": m.action_id,
        "title": m.title,
        "due_on": m.due_on.isoformat(),
        "status": str(m.status),
        "completed_on": m.completed_on.isoformat() if m.completed_on else None,
        "evidence_url": m.evidence_url,
        "reschedule_count": m.reschedule_count,
        "overdue": m.is_overdue(today),
        "version": m.version,
        "links": {"self": f"{API}/milestones/{m.id}"},
    }


def update(u: ProgressUpdate) -> dict[str, Any]:
    return {
        "id": u.id,
        "action_id": u.action_id,
        "author": person(u.author),
        "text": u.text,
        "percent": u.percent,
        "health": str(u.health),
        "created_at": u.created_at.isoformat(),
    }


def measurement(m: Measurement) -> dict[str, Any]:
    return {
        "id": m.id,
        "indicator_id": m.indicator_id,
        "measured_on": m.measured_on.isoformat(),
        "value": m.value,
        "source": m.source or "",
        "note": m.note or "",
        "created_at": m.created_at.isoformat(),
    }


def indicator(i: Indicator, latest: Measurement | None) -> dict[str, Any]:
    return {
        "id": i.id,
        "agreement": i.agreement.slug,
        "workstream_id": i.workstream_id,
        "code": i.code,
        "name": texts(i, "name"),
        "unit": i.unit,
        "direction": str(i.direction),
        "baseline_value": i.baseline_value,
        "baseline_on": i.baseline_on.isoformat(),
        "target_value": i.target_value,
        "target_on": i.target_on.isoformat() if i.target_on else None,
        "source": i.source or "",
        "latest": measurement(latest) if latest else None,
        "version": i.version,
        "links": {
            "self": f"{API}/indicators/{i.id}",
            "measurements": f"{API}/indicators/{i.id}/measurements",
        },
    }


def action_page_path(action_id: int) -> str:
    """Return the path of the action's page for people (the workspace's /actions/<id>)."""
    return f"/actions/{action_id}"


def _page_url(number: int, per_page: int) -> str:
    args = {k: v for k, v in request.args.items() if k not in {"page", "per_page"}}
    args.update(page=str(number), per_page=str(per_page))
    return f"{request.path}?{urlencode(args)}"


def page(result: Page[Any], items: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the page envelope and a Link header (RFC 8288) for a list answer."""
    links = {
        "self": _page_url(result.page, result.per_page),
        "first": _page_url(1, result.per_page),
        "last": _page_url(result.pages, result.per_page),
        "next": _page_url(result.page + 1, result.per_page) if result.has_next else None,
        "prev": _page_url(result.page - 1, result.per_page) if result.has_prev else None,
    }
    header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url and rel != "self")
    body = {
        "items": items,
        "page": result.page,
        "per_page": result.per_page,
        "total": result.total,
        "pages": result.pages,
        "links": links,
    }
    return body, {"Link": header}
