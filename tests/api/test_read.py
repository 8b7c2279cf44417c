"""Reading agreements, workstreams, actions, milestones and indicators through the API."""

from __future__ import annotations

from datetime import date

from tests.api.helpers import Api, assert_problem, token_for
from tests.factories import load_agreement, make_action, make_milestone, make_party, make_user, workstream
from tracker.actions.models import ActionStatus, Health
from tracker.agreements.models import Agreement, AgreementParty, Workstream
from tracker.core.db import db


def _foreign_agreement() -> Workstream:
    """An agreement that neither IDF nor BXL signed, with one workstream."""
    party = make_party("XYZ", "DE")
    agreement = Agreement(
        slug="xyz-2024",
        title_fr="Autre",
        title_en="Other",
        title_nl="Ander",
        signed_on=date(2024, 1, 1),
        starts_on=date(2024, 1, 1),
        ends_on=date(2028, 1, 1),
    )
    agreement.signatories.append(AgreementParty(party=party))
    ws = Workstream(
        code="W1", title_fr="t", title_en="t", title_nl="t", objective_fr="o", objective_en="o", objective_nl="o"
    )
    agreement.workstreams.append(ws)
    db.session.add(agreement)
    db.session.commit()
    return ws


def test_lists_and_reads_what_the_party_sees_only(client, frozen_clock):
    agreement = load_agreement()
    foreign_ws = _foreign_agreement()
    stranger = make_user("XYZ")
    foreign_action = make_action(foreign_ws, stranger, title="Secret")
    user = make_user("IDF")
    mine = make_action(workstream(agreement), user, title="Mission économique croisée")
    api = Api(client, token_for(user))

    agreements = api.get("/agreements").get_json()
    assert [a["slug"] for a in agreements["items"]] == ["idf-bxl-2021"]
    assert_problem(api.get("/agreements/xyz-2024"), 404, "not-found")
    assert_problem(api.get(f"/workstreams/{foreign_ws.id}"), 404, "not-found")
    assert_problem(api.get(f"/actions/{foreign_action.id}"), 404, "not-found")
    assert [a["id"] for a in api.get("/actions").get_json()["items"]] == [mine.id]

    one = api.get(f"/actions/{mine.id}")
    assert one.headers["ETag"] == f'"{mine.version}"'
    assert one.get_json()["owner"]["id"] == user.id
    assert one.get_json()["agreement"] == "idf-bxl-2021"

    workstreams = api.get("/workstreams?agreement=idf-bxl-2021&per_page=100").get_json()
    assert {w["code"] for w in workstreams["items"]} >= {"ECO-DEV"}
    assert api.get("/agreements/idf-bxl-2021").get_json()["parties"][0]["code"] in {"IDF", "BXL"}


def test_action_filters(client, frozen_clock):
    agreement = load_agreement()
    idf, bxl = make_user("IDF"), make_user("BXL")
    ws = workstream(agreement)
    late = make_action(ws, idf, title="Salon des mobilités", health=Health.AT_RISK)
    make_milestone(late, date(2026, 11, 1))
    done = make_action(ws, bxl, title="Échange de stagiaires", status=ActionStatus.COMPLETED)
    api = Api(client, token_for(idf, scope="read"))

    def ids(query: str) -> list[int]:
        response = api.get("/actions?" + query)
        assert response.status_code == 200, response.get_data(as_text=True)
        return [a["id"] for a in response.get_json()["items"]]

    assert ids("status=completed") == [done.id]
    assert ids("health=at_risk") == [late.id]
    assert ids(f"owner={bxl.id}") == [done.id]
    assert ids("lead_party=bxl") == [done.id]
    assert ids("overdue=true") == [late.id]
    assert ids("overdue=false") == [done.id]
    assert ids("q=mobilités") == [late.id]
    assert ids("q=100%25") == []
    assert ids(f"workstream={ws.id}&agreement=idf-bxl-2021") == [done.id, late.id]


def test_pages_are_bounded_and_linked(client, frozen_clock):
    agreement = load_agreement()
    user = make_user("IDF")
    for n in range(5):
        make_action(workstream(agreement), user, title=f"Action {n}")
    api = Api(client, token_for(user))
    first = api.get("/actions?per_page=2&status=active")
    body = first.get_json()
    assert (body["total"], body["pages"], len(body["items"])) == (5, 3, 2)
    assert body["links"]["next"] == "/api/v1/actions?status=active&page=2&per_page=2"
    assert body["links"]["prev"] is None
    assert 'rel="next"' in first.headers["Link"]
    last = api.get(body["links"]["last"].removeprefix("/api/v1")).get_json()
    assert len(last["items"]) == 1 and last["links"]["next"] is None


def test_milestones_updates_and_indicators(client, frozen_clock):
    agreement = load_agreement()
    user = make_user("IDF")
    action = make_action(workstream(agreement), user)
    late = make_milestone(action, date(2026, 11, 2), title="Atelier")
    make_milestone(action, date(2027, 2, 2), title="Bilan")
    api = Api(client, token_for(user))
    milestones = api.get(f"/actions/{action.id}/milestones").get_json()["items"]
    assert [(m["title"], m["overdue"]) for m in milestones] == [("Atelier", True), ("Bilan", False)]
    assert api.get(f"/milestones/{late.id}").headers["ETag"] == f'"{late.version}"'
    assert api.get(f"/actions/{action.id}/updates").get_json()["total"] == 0
    indicators = api.get("/indicators?agreement=idf-bxl-2021").get_json()
    for item in indicators["items"]:
        assert api.get(f"/indicators/{item['id']}/measurements").status_code == 200


def test_openapi_document_and_docs_page(client):
    doc = client.get("/api/v1/openapi.json")
    assert doc.status_code == 200
    spec = doc.get_json()
    assert spec["openapi"].startswith("3.1")
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert "/api/v1/actions/{action_id}" in spec["paths"]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "GET /api/v1/actions" in html
    assert "Authorization: Bearer" in html
    # Readable as served: no documentation viewer's script (the site's own form helper is on every page).
    assert "<script" not in html.replace('<script src="/static/js/forms.js" defer></script>', "")
