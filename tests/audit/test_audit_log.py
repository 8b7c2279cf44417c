"""The administrators' audit log: filters, pages, CSV export safe against formula injection."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import lxml.html
import pytest
from flask.testing import FlaskClient

from tests import factories
from tests.actions.conftest import Team
from tests.helpers import login, text
from tracker.actions import services
from tracker.core import clock
from tracker.core.db import db


def _some_changes(team: Team):
    clock.freeze(datetime(2026, 3, 10, 10, 0, tzinfo=UTC))
    action = services.create_action(team.owner, team.ws, title="=cmd|' /C calc'!A0")
    db.session.commit()
    clock.freeze(datetime(2026, 4, 20, 10, 0, tzinfo=UTC))
    services.add_milestone(team.idf_lead, action, title="@SUM(1+1)", due_on="2026-05-01")
    db.session.commit()
    return action


def _action_id(team: Team) -> int:
    from sqlalchemy import select

    from tracker.actions.models import Action

    return db.session.scalars(select(Action.id).where(Action.workstream_id == team.ws.id)).one()


def test_only_administrators_see_the_log(client: FlaskClient, team: Team) -> None:
    login(client, team.idf_lead.email)
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit/export.csv").status_code == 403


def test_the_log_filters_by_entity_actor_and_dates(client: FlaskClient, team: Team, frozen_clock) -> None:
    _some_changes(team)
    login(client, team.admin.email)
    page = text(client.get(f"/admin/audit?entity=milestone&actor={team.idf_lead.id}"))
    assert "1 entrée correspond." in page and "@SUM(1+1)" in page and "Claire Martin" in page
    page = text(client.get("/admin/audit?entity=action&date_from=2026-03-01&date_to=2026-03-31"))
    assert "1 entrée correspond." in page and "=cmd" in page
    page = text(client.get("/admin/audit?entity=action&date_from=2026-04-01"))
    assert "0 entrée correspond." in page
    page = text(client.get(f"/admin/audit?agreement={team.agreement.id}&verb=create&date_from=31/12/2026&page=x"))
    assert "n’est pas une date" in page
    assert client.get("/admin/audit?actor=abc&entity=<script>&per_page=100000").status_code == 200


def test_the_log_is_paginated(client: FlaskClient, team: Team) -> None:
    login(client, team.admin.email)
    first = text(client.get("/admin/audit?per_page=5"))
    assert "Page 1 sur" in first and 'rel="next"' in first


def test_the_csv_export_holds_the_filtered_entries_with_formulas_defused(
    client: FlaskClient, team: Team, frozen_clock
) -> None:
    _some_changes(team)
    login(client, team.admin.email)
    query = f"agreement={team.agreement.id}&date_from=2026-03-01&date_to=2026-06-30"
    response = client.get(f"/admin/audit/export.csv?{query}&sep=comma")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    # Read as the log page reads: headings, people, agreement, objects, verbs and changed fields in the reader's
    # words; the object's own number is the one column for machines.
    assert rows[0] == [
        "Quand",
        "Qui",
        "Accord",
        "Type d’élément",
        "Élément",
        "N° d’élément",
        "Changement",
        "Changements",
        "Commentaire",
    ]
    title = "Accord de coopération entre la Région Île-de-France et la Région de Bruxelles-Capitale"
    assert [(r[1], r[2], r[3], r[6]) for r in rows[1:]] == [
        ("Claire Martin", title, "Jalon", "Création"),
        ("Amélie Durand", title, "Action", "Création"),
    ]
    assert rows[2][0] == "10/03/2026 11:00"  # the time in the agreement's zone, as a French spreadsheet writes it
    assert rows[2][5] == str(_action_id(team))
    page = lxml.html.document_fromstring(text(client.get(f"/admin/audit?{query}")))
    shown = [" ".join(li.text_content().split()) for li in page.find_class("history__changes")[0].iter("li")]
    written = [" ".join(line.split()) for line in rows[1][7].split("\n")]
    assert written == shown and "1er mai 2026" in rows[1][7]  # the page's words, line by line
    assert not any(key in str(rows) for key in ("due_on", "milestone", "create", "{", "idf-bxl-2021", "2026-05-01"))
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t")) for cell in row)


@pytest.mark.parametrize(
    ("language", "delimiter", "name"),
    [("fr", ";", "journal-d-audit"), ("nl", ";", "auditlogboek"), ("en", ",", "audit-log")],
)
def test_the_csv_export_offered_first_opens_in_columns_in_the_readers_spreadsheet(
    client: FlaskClient, team: Team, frozen_clock, language: str, delimiter: str, name: str
) -> None:
    _some_changes(team)
    team.admin.language = language
    db.session.commit()
    login(client, team.admin.email)
    page = lxml.html.document_fromstring(text(client.get("/admin/audit")))
    links = page.xpath("//p[@class='audit-summary']/a/@href")
    assert len(links) == 2  # the reader's separator first, the other one offered too
    response = client.get(links[0])
    today = clock.today(client.application.config["TRACKER_TIMEZONE"]).isoformat()
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}-{today}.csv"'  # in words
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the accents right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=delimiter))
    assert all(len(row) == 9 for row in rows)
    assert {row[1] for row in rows[1:]} >= {"Amélie Durand", "Claire Martin"}


def test_a_name_starting_with_a_formula_is_defused_in_the_export(client: FlaskClient, team: Team) -> None:
    trickster = factories.make_user("IDF", name='=HYPERLINK("http://evil","x")')
    services.create_action(trickster, team.ws, title="Action")
    db.session.commit()
    login(client, team.admin.email)
    body = text(client.get("/admin/audit/export.csv?entity=action"))
    assert "'=HYPERLINK" in body and "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body


def test_the_who_filter_names_the_other_partys_people_only_when_they_appear(client: FlaskClient, team: Team) -> None:
    _some_changes(team)
    clock.unfreeze()
    invitee = factories.make_user("IDF", name="Zoé Jamais-Vue")  # of the other party, never did anything
    bxl_admin = factories.make_user("BXL", "admin", name="Admin BXL")
    login(client, bxl_admin.email)
    page = text(client.get("/admin/audit"))
    who = page.split('name="actor"')[1].split("</select>")[0]
    assert team.owner.name in who  # created an action of the shared agreement
    assert invitee.name not in who and invitee.email not in who
    assert team.bxl_coordinator.name in who  # the admin's own party


def test_indicators_and_workstreams_are_named_by_their_title_in_the_readers_language(
    client: FlaskClient, team: Team
) -> None:
    reader = factories.make_user("BXL", "admin", language="nl")
    login(client, reader.email)
    for entity, name in (("indicator", "Franstaligen in België"), ("workstream", "Economische ontwikkeling")):
        page = lxml.html.fromstring(client.get(f"/admin/audit?entity={entity}&per_page=100").get_data(as_text=True))
        about = [" ".join(td.text_content().split()) for td in page.xpath("//table[@class='audit-table']//tr/td[3]")]
        assert about and not [a for a in about if "#" in a], about[:3]  # « Indicator #9 » once
        assert any(f"· {name} —" in a for a in about), about[:3]
