"""Progress reports through the API: list, read, sign by both parties, return, download."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.api.helpers import Api, assert_problem, token_for
from tests.factories import make_action, make_milestone, make_user
from tracker.core.db import db
from tracker.reports import services
from tracker.reports.prepared import prepare_requested


@pytest.fixture
def report(team, frozen_clock):
    action = make_action(team.ws, team.owner, start_on=date(2026, 7, 1))
    make_milestone(action, date(2026, 8, 20))
    generated = services.generate_report(team.agreement, "2026-Q3")
    db.session.commit()
    return generated


def test_list_read_and_download(client, team, report):
    api = Api(client, token_for(team.owner, scope="read"))
    listed = api.get("/reports?agreement=idf-bxl-2021").get_json()
    assert [r["id"] for r in listed["items"]] == [report.id]
    one = api.get(f"/reports/{report.id}").get_json()
    assert (one["period"], one["status"], one["signatures"]) == ("2026-Q3", "draft", [])
    for fmt in ("html", "xlsx", "pdf"):
        assert api.get(f"/reports/{report.id}/{fmt}?lang=nl").status_code == 202  # the scheduler prepares it
    prepare_requested()
    html = api.get(f"/reports/{report.id}/html?lang=nl")
    assert html.status_code == 200 and html.mimetype == "text/html"
    assert html.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "<script" not in html.get_data(as_text=True)
    xlsx = api.get(f"/reports/{report.id}/xlsx")
    assert xlsx.status_code == 202  # in French, the default: not asked for yet
    prepare_requested()
    assert load_workbook(io.BytesIO(api.get(f"/reports/{report.id}/xlsx").get_data())).worksheets
    assert api.get(f"/reports/{report.id}/pdf?lang=nl").get_data().startswith(b"%PDF")
    assert_problem(api.get(f"/reports/{report.id}/docx"), 404, "not-found")
    assert_problem(Api(client, token_for(team.outsider)).get(f"/reports/{report.id}"), 404, "not-found")


def test_both_parties_sign_and_the_report_is_published(client, team, report):
    idf = Api(client, token_for(team.reviewer))
    bxl = Api(client, token_for(make_user("BXL", "reviewer")))
    assert_problem(Api(client, token_for(team.owner)).post(f"/reports/{report.id}/sign", json={}), 403, "forbidden")
    first = idf.post(f"/reports/{report.id}/sign", json={"comment": "Lu et approuvé"})
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["status"] == "signed"
    assert_problem(idf.post(f"/reports/{report.id}/sign", json={}), 409, "invalid-transition")
    second = bxl.post(f"/reports/{report.id}/sign", json={"comment": "Akkoord"})
    assert second.get_json()["status"] == "published"
    assert {s["party"] for s in second.get_json()["signatures"]} == {"IDF", "BXL"}


def test_return_needs_a_comment(client, team, report):
    idf = Api(client, token_for(team.reviewer))
    assert idf.post(f"/reports/{report.id}/return", json={}).status_code == 422
    returned = idf.post(f"/reports/{report.id}/return", json={"comment": "Chiffres du T3 à revoir"})
    assert returned.status_code == 200, returned.get_json()
    assert returned.get_json()["returned_comment"] == "Chiffres du T3 à revoir"
