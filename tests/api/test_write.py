"""Changing actions, milestones, progress and measurements through the API (the same services as pages)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.api.helpers import Api, assert_problem, token_for
from tests.factories import make_action, make_milestone
from tracker.actions.models import ActionStatus, Indicator, Milestone
from tracker.core.db import db


def test_create_then_update_with_version_or_if_match(client, team, frozen_clock):
    api = Api(client, token_for(team.owner))
    created = api.post(
        "/actions",
        json={"workstream_id": team.ws.id, "title": "Forum des start-up", "due_on": "2027-06-30", "lead_party": "bxl"},
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["status"], body["owner"]["id"], body["lead_party"]) == ("draft", team.owner.id, "BXL")
    assert created.headers["Location"] == f"/api/v1/actions/{body['id']}"
    path = f"/actions/{body['id']}"

    changed = api.patch(path, json={"version": body["version"], "title": "Forum des jeunes pousses"})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["title"] == "Forum des jeunes pousses"
    assert changed.get_json()["version"] == body["version"] + 1

    stale = api.patch(path, json={"due_on": "2027-07-15"}, headers={"If-Match": f'"{body["version"]}"'})
    problem = assert_problem(stale, 409, "conflict")
    assert problem["current"] == {"due_on": "2027-06-30"} and problem["mine"] == {"due_on": "2027-07-15"}
    assert (problem["your_version"], problem["current_version"]) == (body["version"], body["version"] + 1)
    fresh = api.patch(path, json={"due_on": "2027-07-15"}, headers={"If-Match": changed.headers["ETag"]})
    assert fresh.status_code == 200 and fresh.get_json()["due_on"] == "2027-07-15"

    assert_problem(api.patch(path, json={"title": "No version"}), 428, "precondition-required")
    for unknown in ('"zzz"', "*", 'W/"abc"'):  # an ETag this API never gave: it matches no version
        refused = api.patch(path, json={"title": "Forum"}, headers={"If-Match": unknown})
        assert "If-Match" in assert_problem(refused, 412, "precondition-failed")["title"]
    assert api.get(path).get_json()["title"] == "Forum des jeunes pousses"
    bad = assert_problem(api.patch(path, json={"version": 99, "due_on": "not a date"}), 422, "validation-failed")
    assert "due_on" in bad["errors"]


def test_service_rules_apply_to_the_api(client, team):
    reviewer = Api(client, token_for(team.reviewer))
    refused = reviewer.post("/actions", json={"workstream_id": team.ws.id, "title": "Nope"})
    assert_problem(refused, 403, "forbidden")
    outsider = Api(client, token_for(team.outsider))
    assert_problem(outsider.post("/actions", json={"workstream_id": team.ws.id, "title": "Nope"}), 404, "not-found")
    action = make_action(team.ws, team.owner)
    other = Api(client, token_for(team.idf_coordinator))
    assert_problem(other.patch(f"/actions/{action.id}", json={"version": 1, "title": "x"}), 403, "forbidden")
    empty = Api(client, token_for(team.owner)).post("/actions", json={"workstream_id": team.ws.id, "title": " "})
    assert "title" in assert_problem(empty, 422, "validation-failed")["errors"]


def test_propose_and_approve_by_both_parties(client, team):
    action = make_action(team.ws, team.owner, status=ActionStatus.DRAFT)
    owner = Api(client, token_for(team.owner))
    options = owner.get(f"/actions/{action.id}/transitions").get_json()
    assert "proposed" in [o["to"] for o in options["items"] if o["allowed"]]
    proposed = owner.post(f"/actions/{action.id}/transitions", json={"to": "proposed"})
    assert proposed.get_json()["status"] == "proposed"
    assert_problem(owner.post(f"/actions/{action.id}/transitions", json={"to": "completed"}), 409, "invalid-transition")

    first = Api(client, token_for(team.idf_lead)).post(f"/actions/{action.id}/approvals", json={})
    assert first.status_code == 201 and first.get_json()["status"] == "proposed"
    second = Api(client, token_for(team.bxl_lead)).post(f"/actions/{action.id}/approvals", json={"comment": "OK"})
    assert second.get_json()["status"] == "active"
    assert {a["party"] for a in owner.get(f"/actions/{action.id}/approvals").get_json()["items"]} == {"IDF", "BXL"}


def test_milestones_move_complete_and_cancel(client, team, frozen_clock):
    action = make_action(team.ws, team.owner)
    api = Api(client, token_for(team.owner))
    added = api.post(f"/actions/{action.id}/milestones", json={"title": "Atelier", "due_on": "2026-12-10"})
    assert added.status_code == 201, added.get_json()
    ms = added.get_json()
    moved = api.patch(f"/milestones/{ms['id']}", json={"version": ms["version"], "due_on": "2027-01-12"})
    assert moved.get_json()["reschedule_count"] == 1
    done = api.post(
        f"/milestones/{ms['id']}/transitions",
        json={"to": "done", "completed_on": "2026-11-20", "version": moved.get_json()["version"]},
    )
    assert done.status_code == 200, done.get_json()
    assert (done.get_json()["status"], done.get_json()["completed_on"]) == ("done", "2026-11-20")

    other = make_milestone(action, date(2027, 3, 1))
    no_reason = api.post(f"/milestones/{other.id}/transitions", json={"to": "cancelled", "version": other.version})
    assert no_reason.status_code == 422
    cancelled = api.post(
        f"/milestones/{other.id}/transitions", json={"to": "cancelled", "version": other.version, "comment": "Reporté"}
    )
    assert cancelled.get_json()["status"] == "cancelled"
    assert db.session.scalar(select(Milestone.status).where(Milestone.id == other.id)) == "cancelled"


def test_a_milestone_cannot_be_done_before_its_action_starts_nor_in_the_future(client, team, frozen_clock):
    action = make_action(team.ws, team.owner, start_on=date(2026, 3, 2))
    milestone = make_milestone(action, date(2026, 4, 1))
    api = Api(client, token_for(team.owner))
    url = f"/milestones/{milestone.id}/transitions"
    early = assert_problem(
        api.post(url, json={"to": "done", "completed_on": "2026-03-01", "version": 1}), 422, "validation-failed"
    )
    assert early["errors"]["completed_on"] == [
        "The completion date cannot be before the action starts (March 2, 2026)."
    ]
    late = assert_problem(
        api.post(url, json={"to": "done", "completed_on": "2026-11-28", "version": 1}), 422, "validation-failed"
    )
    assert late["errors"]["completed_on"] == ["The completion date cannot be in the future."]
    assert db.session.scalar(select(Milestone.status).where(Milestone.id == milestone.id)) == "planned"


def test_progress_and_measurements(client, team, frozen_clock):
    action = make_action(team.ws, team.owner)
    api = Api(client, token_for(team.owner))
    logged = api.post(
        f"/actions/{action.id}/updates", json={"text": "Délégation reçue", "percent": 40, "health": "at_risk"}
    )
    assert logged.status_code == 201, logged.get_json()
    again = api.get(f"/actions/{action.id}").get_json()
    assert (again["percent"], again["health"]) == (40, "at_risk")
    assert api.get(f"/actions/{action.id}/updates").get_json()["items"][0]["text"] == "Délégation reçue"

    indicator = db.session.scalars(select(Indicator).where(Indicator.workstream_id == team.ws.id)).first()
    lead = Api(client, token_for(team.idf_lead))
    recorded = lead.post(f"/indicators/{indicator.id}/measurements", json={"measured_on": "2026-06-30", "value": 4})
    assert recorded.status_code == 201, recorded.get_json()
    assert lead.get(f"/indicators/{indicator.id}").get_json()["latest"]["value"] == 4
    share = db.session.scalars(select(Indicator).where(Indicator.code == "BE-FR-EXPORT-SHARE")).one()
    for outside in (100.5, -1):
        refused = assert_problem(
            lead.post(f"/indicators/{share.id}/measurements", json={"measured_on": "2026-06-30", "value": outside}),
            422,
            "validation-failed",
        )
        assert refused["errors"]["value"] == ["A percentage is between 0 and 100."]
    assert_problem(
        api.post(f"/indicators/{indicator.id}/measurements", json={"measured_on": "2026-06-30", "value": 3}),
        403,
        "forbidden",
    )


def test_a_form_or_multipart_body_is_refused_as_not_json(client, team, frozen_clock):
    action = make_action(team.ws, team.owner)
    headers = {"Authorization": f"Bearer {token_for(team.owner)}"}
    for body, content_type in (({"text": "x", "percent": "1"}, None), ({"text": "x"}, "multipart/form-data")):
        response = client.post(
            f"/api/v1/actions/{action.id}/updates", data=body, headers=headers, content_type=content_type
        )
        assert response.status_code == 415, response.get_data(as_text=True)[:300]
        assert response.get_json()["type"].endswith("unsupported-media-type")
