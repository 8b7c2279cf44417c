"""My work, the dashboard, the workstream page and search, as their readers see them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import lxml.html
from flask.testing import FlaskClient

from tests import factories
from tests.helpers import login, logout, switch_language, text
from tests.workspace.conftest import World, add_update, at
from tracker.actions.models import ActionStatus, Health, MilestoneStatus
from tracker.core import clock
from tracker.core.db import db

DASHBOARD = "/agreements/idf-bxl-2021/dashboard"
ECO_DEV = "/agreements/idf-bxl-2021/workstreams/ECO-DEV"


def test_my_work_lists_my_actions_milestones_approvals_and_logs(client: FlaskClient, world: World, frozen_clock):
    factories.make_milestone(world.action, date(2026, 11, 20), title="Comité en retard")
    factories.make_milestone(world.action, date(2026, 12, 4), title="Comité proche")
    factories.make_milestone(world.action, date(2027, 3, 1), title="Comité lointain")
    add_update(world.action, world.owner, "Premier bilan", 40, Health.AT_RISK, at(date(2026, 11, 2)))
    proposed = factories.make_action(world.ws, world.other, title="Action proposée", status=ActionStatus.PROPOSED)
    login(client, world.owner.email)
    page = text(client.get("/"))
    assert "Mon travail" in page and "Mission économique croisée" in page
    assert "Comité en retard" in page and "Comité proche" in page and "Comité lointain" not in page
    assert "En retard" in page  # the overdue milestone is marked as such
    assert "Premier bilan" not in page and "40" in page  # last logs: date, action, percent, health
    assert proposed.title not in page  # not a co-lead: nothing waits on this coordinator
    logout(client)
    login(client, world.co_lead.email)
    assert proposed.title in text(client.get("/"))


def test_dashboard_puts_time_elapsed_beside_progress(client: FlaskClient, world: World):
    done = factories.make_action(world.ws, world.other, title="Action terminée", status=ActionStatus.COMPLETED)
    world.action.percent = 40
    world.agreement.ends_on = date(2026, 9, 22)  # its real five-year term
    db.session.commit()
    factories.make_milestone(done, date(2023, 1, 10), status=MilestoneStatus.DONE, completed_on=date(2023, 1, 9))
    factories.make_milestone(world.action, date(2024, 1, 15), title="Jalon en retard")
    factories.make_milestone(world.action, date(2024, 4, 1), title="Jalon à venir")
    login(client, world.reviewer.email)
    with clock.frozen(datetime(2024, 3, 23, 12, tzinfo=UTC)):  # half-way through the five years
        page = text(client.get(DASHBOARD))
    assert re.search(r'class="figure-elapsed">50\s%<', page)
    assert re.search(r'class="figure-progress">70\s%<', page)  # (40 + 100) / 2
    assert "1 sur 3" in page  # milestones done out of planned
    assert "Jalon en retard" in page and "Jalon à venir" in page
    # ECO-DEV-1..3 have no action yet: listed as not addressed, with the other workstreams' commitments, each by its
    # workstream's title and its number there (never by its code).
    unaddressed = page.split("Engagements qu’aucune action ne porte encore")[1]
    assert "<strong>Le développement économique, N°\u00a03</strong> Développer des services" in unaddressed
    assert "ECO-DEV" not in unaddressed
    assert '<svg class="period-chart"' in page and 'role="img"' in page


def test_dashboard_counts_actions_by_status_and_health(client: FlaskClient, world: World):
    factories.make_action(world.ws, world.other, title="À risque", health=Health.AT_RISK)
    factories.make_action(
        world.ws, world.other, title="Suspendue", status=ActionStatus.ON_HOLD, health=Health.OFF_TRACK
    )
    login(client, world.admin.email)
    switch_language(client, "en")
    page = text(client.get(DASHBOARD))
    row = page.split(">Economic development<")[1].split("</tr>")[0]
    assert "On track: 1" in row and "At risk: 1" in row and "Off track: 1" in row
    assert "Active: 2" in row and "On hold: 1" in row


def test_workstream_page_shows_objective_co_leads_commitments_and_timeline(client: FlaskClient, world: World):
    world.action.commitments = [world.ws.commitments[0]]
    db.session.commit()
    factories.make_milestone(world.action, date(2026, 6, 1), title="Jalon de juin")
    login(client, world.reviewer.email)
    page = text(client.get(ECO_DEV))
    assert "Le développement économique" in page and "Valoriser l’attractivité" in page
    assert "Lotte Peeters" in page  # the BXL co-lead
    first = page.split('id="commitment-')[1]
    assert "Mission économique croisée" in first
    assert "Aucune action ne porte encore cet engagement." in page  # ECO-DEV-2 and -3
    assert '<svg class="timeline"' in page and "Jalon de juin" in page


def test_the_workstream_table_names_each_lead_party_by_its_short_name_in_the_readers_language(
    client: FlaskClient, world: World
):
    factories.make_action(world.ws, world.co_lead, title="Action bruxelloise")
    expected = {"fr": ["Bruxelles-Capitale", "Île-de-France"], "nl": ["Brussel-Hoofdstad", "Île-de-France"]}
    for language, names in expected.items():
        reader = factories.make_user("IDF", language=language)
        browser = client.application.test_client()
        login(browser, reader.email)
        table = lxml.html.fromstring(browser.get(ECO_DEV).get_data(as_text=True)).find_class("actions-table")[0]
        column = [th.text_content() for th in table.iter("th")].index(
            "Leidende partij" if language == "nl" else "Partie pilote"
        )
        parties = sorted(
            row.findall("td")[column].text_content().strip() for row in table.iter("tr") if row.findall("td")
        )
        assert parties == names, language  # never the code (« IDF », « BXL »), nor the long name « Région de … »


def test_workstream_filters_sort_and_paginate(client: FlaskClient, world: World, frozen_clock):
    for n in range(30):
        factories.make_action(world.ws, world.other, title=f"Action numéro {n:02d}", due_on=date(2027, 1, 1 + n % 28))
    at_risk = factories.make_action(world.ws, world.co_lead, title="Action bruxelloise", health=Health.AT_RISK)
    factories.make_milestone(at_risk, date(2026, 10, 1))
    login(client, world.owner.email)
    first = text(client.get(ECO_DEV + "?sort=title"))
    assert "Page 1 sur 2 (32 au total)" in first and "Action bruxelloise" in first
    second = text(client.get(ECO_DEV + "?sort=title&page=2"))
    assert "Mission économique croisée" in second and "Action numéro 00" not in second
    assert _titles(text(client.get(ECO_DEV + "?health=at_risk"))) == ["Action bruxelloise"]
    assert _titles(text(client.get(ECO_DEV + "?party=bxl"))) == ["Action bruxelloise"]
    assert _titles(text(client.get(ECO_DEV + f"?owner={world.owner.id}"))) == ["Mission économique croisée"]
    assert _titles(text(client.get(ECO_DEV + "?overdue=1"))) == ["Action bruxelloise"]
    descending = _titles(text(client.get(ECO_DEV + "?sort=title&order=desc")))
    assert descending[0] == "Mission économique croisée"
    assert client.get(ECO_DEV + "?status=nope&page=-3&per_page=x&sort=drop+table&owner=abc").status_code == 200


def _titles(page: str) -> list[str]:
    table = page.split('class="actions-table"')[1].split("</table>")[0] if 'class="actions-table"' in page else ""
    return re.findall(r'<a href="/actions/\d+">([^<]+)</a>', table)


def test_outsiders_and_unknown_objects_get_404(client: FlaskClient, world: World):
    login(client, world.outsider.email)
    for path in (DASHBOARD, ECO_DEV, f"/actions/{world.action.id}"):
        assert client.get(path).status_code == 404, path
    assert _result_titles(text(client.get("/search?q=Mission"))) == []
    logout(client)
    login(client, world.reviewer.email)
    assert client.get("/actions/999999").status_code == 404
    assert client.get("/agreements/idf-bxl-2021/workstreams/NOPE").status_code == 404


def test_search_finds_actions_by_words_in_title_or_description(client: FlaskClient, world: World):
    factories.make_action(world.ws, world.other, title="Salon des entreprises")
    world.action.description = "Une délégation de 100% des PME"
    db.session.commit()
    login(client, world.reviewer.email)
    assert _result_titles(text(client.get("/search?q=mission+CROISÉE"))) == ["Mission économique croisée"]
    assert _result_titles(text(client.get("/search?q=délégation"))) == ["Mission économique croisée"]
    assert _result_titles(text(client.get("/search?q=100%25"))) == ["Mission économique croisée"]
    assert _result_titles(text(client.get("/search?q=%25"))) == ["Mission économique croisée"]  # % is literal
    assert "Aucune action ne contient ces mots." in text(client.get("/search?q=introuvable"))
    assert client.get("/search?q=" + "x" * 5000).status_code == 200


def _result_titles(page: str) -> list[str]:
    return re.findall(r'<li><a href="/actions/\d+">([^<]+)</a>', page)
