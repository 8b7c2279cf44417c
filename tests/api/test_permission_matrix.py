"""Who may call which API route: role × party × route. A route missing from the table fails the test."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from tests.api.helpers import Api, token_for
from tests.factories import make_action, make_milestone
from tracker.actions.models import ActionStatus, Indicator
from tracker.core.db import db
from tracker.reports.services import generate_report

ACTORS = ("admin", "owner", "bxl_lead", "idf_coordinator", "reviewer", "outsider")
CSV = (
    b"action_ref,workstream,title,description,owner_email,lead_party,start_on,due_on,milestone_title,milestone_due_on\n"
)


@dataclass
class World:
    team: Any
    action: Any
    milestone: Any
    proposed: Any
    indicator: Any
    report: Any = None


def expect(*, admin: int, owner: int, bxl_lead: int, idf_coordinator: int, reviewer: int, outsider: int) -> dict:
    return locals()


READ = expect(admin=200, owner=200, bxl_lead=200, idf_coordinator=200, reviewer=200, outsider=404)
EVERYONE = expect(admin=200, owner=200, bxl_lead=200, idf_coordinator=200, reviewer=200, outsider=200)
EDIT = expect(admin=200, owner=200, bxl_lead=200, idf_coordinator=403, reviewer=403, outsider=404)
ADD = {actor: 201 if status == 200 else status for actor, status in EDIT.items()}
CREATE = expect(admin=201, owner=201, bxl_lead=201, idf_coordinator=201, reviewer=403, outsider=404)
APPROVE = expect(admin=201, owner=403, bxl_lead=201, idf_coordinator=403, reviewer=403, outsider=404)
MEASURE = expect(admin=201, owner=403, bxl_lead=201, idf_coordinator=403, reviewer=403, outsider=404)
SIGN = expect(admin=403, owner=403, bxl_lead=403, idf_coordinator=403, reviewer=200, outsider=404)
IMPORT = expect(admin=200, owner=200, bxl_lead=200, idf_coordinator=200, reviewer=403, outsider=404)

Call = Callable[[Api, World], Any]


def upload(api: Api, w: World) -> Any:
    return api.client.post(
        "/api/v1/agreements/idf-bxl-2021/import?dry_run=true",
        data={"file": (io.BytesIO(CSV + f"A1,ECO-DEV,T,,{w.team.owner.email},IDF,,,,\n".encode()), "a.csv")},
        headers=api._headers(None),
        content_type="multipart/form-data",
    )


# (method, rule) -> (request, expected status by actor)
MATRIX: dict[tuple[str, str], tuple[Call, dict[str, int]]] = {
    ("GET", "/api/v1/me"): (lambda a, w: a.get("/me"), EVERYONE),
    ("GET", "/api/v1/agreements"): (lambda a, w: a.get("/agreements"), EVERYONE),
    ("GET", "/api/v1/agreements/<slug>"): (lambda a, w: a.get("/agreements/idf-bxl-2021"), READ),
    ("GET", "/api/v1/workstreams"): (lambda a, w: a.get("/workstreams"), EVERYONE),
    ("GET", "/api/v1/workstreams/<int:workstream_id>"): (lambda a, w: a.get(f"/workstreams/{w.team.ws.id}"), READ),
    ("GET", "/api/v1/actions"): (lambda a, w: a.get("/actions"), EVERYONE),
    ("POST", "/api/v1/actions"): (
        lambda a, w: a.post("/actions", json={"workstream_id": w.team.ws.id, "title": "Nouvelle"}),
        CREATE,
    ),
    ("GET", "/api/v1/actions/<int:action_id>"): (lambda a, w: a.get(f"/actions/{w.action.id}"), READ),
    ("PATCH", "/api/v1/actions/<int:action_id>"): (
        lambda a, w: a.patch(f"/actions/{w.action.id}", json={"version": w.action.version, "title": "Renommée"}),
        EDIT,
    ),
    ("GET", "/api/v1/actions/<int:action_id>/transitions"): (
        lambda a, w: a.get(f"/actions/{w.action.id}/transitions"),
        READ,
    ),
    ("POST", "/api/v1/actions/<int:action_id>/transitions"): (
        lambda a, w: a.post(f"/actions/{w.action.id}/transitions", json={"to": "on_hold"}),
        EDIT,
    ),
    ("GET", "/api/v1/actions/<int:action_id>/approvals"): (
        lambda a, w: a.get(f"/actions/{w.proposed.id}/approvals"),
        READ,
    ),
    ("POST", "/api/v1/actions/<int:action_id>/approvals"): (
        lambda a, w: a.post(f"/actions/{w.proposed.id}/approvals", json={}),
        APPROVE,
    ),
    ("GET", "/api/v1/actions/<int:action_id>/milestones"): (
        lambda a, w: a.get(f"/actions/{w.action.id}/milestones"),
        READ,
    ),
    ("POST", "/api/v1/actions/<int:action_id>/milestones"): (
        lambda a, w: a.post(f"/actions/{w.action.id}/milestones", json={"title": "Jalon", "due_on": "2027-03-01"}),
        ADD,
    ),
    ("GET", "/api/v1/milestones/<int:milestone_id>"): (lambda a, w: a.get(f"/milestones/{w.milestone.id}"), READ),
    ("PATCH", "/api/v1/milestones/<int:milestone_id>"): (
        lambda a, w: a.patch(
            f"/milestones/{w.milestone.id}", json={"version": w.milestone.version, "due_on": "2027-04-01"}
        ),
        EDIT,
    ),
    ("POST", "/api/v1/milestones/<int:milestone_id>/transitions"): (
        lambda a, w: a.post(
            f"/milestones/{w.milestone.id}/transitions",
            json={"to": "cancelled", "comment": "Reporté", "version": w.milestone.version},
        ),
        EDIT,
    ),
    ("GET", "/api/v1/actions/<int:action_id>/updates"): (lambda a, w: a.get(f"/actions/{w.action.id}/updates"), READ),
    ("POST", "/api/v1/actions/<int:action_id>/updates"): (
        lambda a, w: a.post(
            f"/actions/{w.action.id}/updates", json={"text": "Avancée", "percent": 10, "health": "on_track"}
        ),
        ADD,
    ),
    ("GET", "/api/v1/indicators"): (lambda a, w: a.get("/indicators"), EVERYONE),
    ("GET", "/api/v1/indicators/<int:indicator_id>"): (lambda a, w: a.get(f"/indicators/{w.indicator.id}"), READ),
    ("GET", "/api/v1/indicators/<int:indicator_id>/measurements"): (
        lambda a, w: a.get(f"/indicators/{w.indicator.id}/measurements"),
        READ,
    ),
    ("POST", "/api/v1/indicators/<int:indicator_id>/measurements"): (
        lambda a, w: a.post(
            f"/indicators/{w.indicator.id}/measurements", json={"measured_on": "2026-06-30", "value": 4}
        ),
        MEASURE,
    ),
    ("GET", "/api/v1/actions/export"): (lambda a, w: a.get("/actions/export?format=xlsx"), EVERYONE),
    ("GET", "/api/v1/milestones/export"): (lambda a, w: a.get("/milestones/export"), EVERYONE),
    ("GET", "/api/v1/import/template"): (lambda a, w: a.get("/import/template"), EVERYONE),
    ("POST", "/api/v1/agreements/<slug>/import"): (upload, IMPORT),
    ("GET", "/api/v1/reports"): (lambda a, w: a.get("/reports?agreement=idf-bxl-2021"), READ),
    ("GET", "/api/v1/reports/<int:report_id>"): (lambda a, w: a.get(f"/reports/{w.report.id}"), READ),
    ("GET", "/api/v1/reports/<int:report_id>/<any(pdf, xlsx, html):fmt>"): (
        lambda a, w: a.get(f"/reports/{w.report.id}/html"),  # a draft's file: the scheduler prepares it
        expect(admin=202, owner=202, bxl_lead=202, idf_coordinator=202, reviewer=202, outsider=404),
    ),
    ("POST", "/api/v1/reports/<int:report_id>/sign"): (
        lambda a, w: a.post(f"/reports/{w.report.id}/sign", json={"comment": "Lu"}),
        SIGN,
    ),
    ("POST", "/api/v1/reports/<int:report_id>/return"): (
        lambda a, w: a.post(f"/reports/{w.report.id}/return", json={"comment": "À revoir"}),
        SIGN,
    ),
    ("GET", "/api/v1/openapi.json"): (lambda a, w: a.client.get("/api/v1/openapi.json"), EVERYONE),
    ("GET", "/api/v1/docs"): (lambda a, w: a.client.get("/api/v1/docs"), EVERYONE),
}


def test_every_api_route_is_in_the_matrix(app):
    routes = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - set(MATRIX) == set(), "add these API routes to the permission matrix"
    assert set(MATRIX) - routes == set(), "these routes no longer exist"


@pytest.mark.parametrize("actor", ACTORS)
def test_permission_matrix(client, team, actor, frozen_clock):
    indicator = db.session.scalars(select(Indicator).where(Indicator.workstream_id == team.ws.id)).first()
    api = Api(client, token_for(team.by_name(actor)))
    wrong = []
    periods = iter(f"{year}-Q{q}" for year in range(2022, 2027) for q in range(1, 5))
    for (method, rule), (call, expected) in MATRIX.items():
        action = make_action(team.ws, team.owner)
        world = World(
            team=team,
            action=action,
            milestone=make_milestone(action, date(2027, 1, 15)),
            proposed=make_action(team.ws, team.owner, status=ActionStatus.PROPOSED),
            indicator=indicator,
            report=generate_report(team.agreement, next(periods)) if "/reports" in rule else None,
        )
        status = call(api, world).status_code
        if status != expected[actor]:
            wrong.append(f"{method} {rule}: {status}, expected {expected[actor]}")
    assert wrong == []
