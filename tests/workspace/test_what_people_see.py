"""What people need to see on the pages: late actions flagged everywhere, health as last reported, truncated lists
that say how many are hidden and link to them all, milestone moves behind a disclosure, approvals in words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import factories
from tests.api.helpers import Api, token_for
from tests.forms import find_form, form_data, form_path, page_forms, submit_form
from tests.helpers import login, text
from tests.workspace.conftest import World
from tracker.actions import services
from tracker.actions.models import ActionStatus, Health
from tracker.agreements import cache
from tracker.core import clock
from tracker.core.audit import AuditEntry
from tracker.core.db import db

DASHBOARD = "/agreements/idf-bxl-2021/dashboard"
ECO_DEV = "/agreements/idf-bxl-2021/workstreams/ECO-DEV"
NBSP = "\u00a0"


@pytest.fixture
def cached(app: Flask) -> Iterator[None]:
    """Pages kept per process, as in production: what they newly show must follow every change."""
    stores = (cache.dashboards, cache.workstreams, cache.action_records)
    for store in stores:
        store.clear()
    app.config["PAGE_CACHE_SIZE"] = 16
    yield
    app.config["PAGE_CACHE_SIZE"] = 0
    for store in stores:
        store.clear()


def _doc(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(text(response))


def _late_titles(doc: lxml.html.HtmlElement, scope: str = "//main") -> set[str]:
    """Titles of the actions linked next to a "late" badge within `scope`."""
    links = doc.xpath(f"{scope}//li[span[contains(@class, 'badge--late')]]/a[contains(@href, '/actions/')]")
    cells = doc.xpath(f"{scope}//tr[.//span[contains(@class, 'badge--late')]]//a[contains(@href, '/actions/')]")
    return {a.text_content().strip() for a in [*links, *cells]}


@pytest.fixture
def late(world: World, frozen_clock):  # today is 2026-11-27
    late = factories.make_action(world.ws, world.owner, title="Forum en retard", due_on=date(2026, 11, 20))
    factories.make_action(world.ws, world.owner, title="Forum terminé", status=ActionStatus.COMPLETED,
                          due_on=date(2026, 11, 1))  # fmt: skip
    factories.make_action(world.ws, world.owner, title="Forum annulé", status=ActionStatus.CANCELLED,
                          due_on=date(2026, 11, 1))  # fmt: skip
    factories.make_action(world.ws, world.owner, title="Forum du jour", due_on=date(2026, 11, 27))
    return late


def test_a_late_action_is_flagged_on_every_list_and_counted(client: FlaskClient, world: World, late) -> None:
    login(client, world.owner.email)
    assert _late_titles(_doc(client.get(ECO_DEV))) == {"Forum en retard"}
    assert _late_titles(_doc(client.get("/"))) == {"Forum en retard"}  # my work
    assert _late_titles(_doc(client.get("/search?q=forum"))) == {"Forum en retard"}
    assert _late_titles(_doc(client.get("/my-work/actions"))) == {"Forum en retard"}
    page = _doc(client.get(f"/actions/{late.id}"))
    assert page.xpath("//h1/following-sibling::p[1]/span[contains(@class, 'badge--late')]")

    board = _doc(client.get(DASHBOARD))
    assert board.xpath("string(//dd[@class='figure-late'])") == "1"
    link = board.xpath("//a[contains(@href, 'late=1')]")
    assert [a.text_content().split("–")[0].strip() for a in link] == ["1 action en retard"]
    # The link leads to the workstream's actions filtered on lateness: only the late one.
    filtered = _doc(client.get(link[0].get("href")))
    rows = filtered.xpath("//table[@class='actions-table']/tbody/tr")
    assert [r.xpath("string(td[1])").strip() for r in rows] == ["Forum en retard"]


def test_the_workstream_filter_and_the_api_list_late_actions(client: FlaskClient, world: World, late) -> None:
    login(client, world.owner.email)
    (form,) = [f for f in _doc(client.get(ECO_DEV)).xpath("//form[@class='filters']")]
    assert form.get("method") == "get" and form.xpath(".//input[@type='checkbox'][@name='late'][@value='1']")
    doc = _doc(client.get(ECO_DEV, query_string={"late": "1"}))
    assert doc.xpath("//input[@name='late']/@checked")
    assert {r.xpath("string(td[1])").strip() for r in doc.xpath("//table[@class='actions-table']/tbody/tr")} == {
        "Forum en retard"
    }
    api = Api(client, token_for(world.owner, scope="read"))
    assert [a["title"] for a in api.get("/actions?late=true").get_json()["items"]] == ["Forum en retard"]
    on_time = {a["title"] for a in api.get("/actions?late=false").get_json()["items"]}
    assert (
        "Forum en retard" not in on_time and {"Forum du jour", "Forum terminé", "Mission économique croisée"} <= on_time
    )


def test_the_kept_dashboard_follows_lateness_by_day_and_by_completion(
    client: FlaskClient, world: World, late, cached
) -> None:
    login(client, world.reviewer.email)
    figure = "string(//dd[@class='figure-late'])"
    assert _doc(client.get(DASHBOARD)).xpath(figure) == "1"
    clock.advance(timedelta(days=1))  # "Forum du jour" was due yesterday
    assert _doc(client.get(DASHBOARD)).xpath(figure) == "2"
    services.transition_action(world.owner, late, "completed")
    db.session.commit()
    assert _doc(client.get(DASHBOARD)).xpath(figure) == "1"


def test_health_is_the_one_last_reported_and_the_form_starts_from_it(
    client: FlaskClient, world: World, frozen_clock
) -> None:
    login(client, world.owner.email)
    path = f"/actions/{world.action.id}/progress"
    response = submit_form(client, path, fields={"text": "Salle introuvable", "percent": "30", "health": "at_risk"})
    assert response.status_code == 303
    page = _doc(client.get(f"/actions/{world.action.id}"))
    assert page.xpath("string(//h1/following-sibling::p[1]//span[contains(@class, 'badge--at_risk')])") == "À risque"
    assert "selon le point du 27 novembre 2026" in page.xpath("string(//h1/following-sibling::p[1])")
    form = find_form(text(client.get(path)), path, base_url=f"http://localhost{path}")
    assert form.xpath("string(.//select[@name='health']/option[@selected]/@value)") == "at_risk"
    assert form.xpath("string(.//input[@name='percent']/@value)") == "30"
    entry = db.session.query(AuditEntry).filter_by(entity="progress_update").one()
    assert entry.changes["health"] == ["on_track", "at_risk"]


def test_the_progress_form_starts_from_the_last_report_not_the_stored_health(client: FlaskClient, world: World):
    services.log_progress(world.owner, world.action, text="Retard des salles", percent=20, health="off_track")
    world.action.health = Health.ON_TRACK  # stored otherwise (an import, an old demo database)
    db.session.commit()
    login(client, world.owner.email)
    path = f"/actions/{world.action.id}/progress"
    form = find_form(text(client.get(path)), path, base_url=f"http://localhost{path}")
    assert form.xpath("string(.//select[@name='health']/option[@selected]/@value)") == "off_track"


def test_every_cut_list_says_how_many_are_hidden_and_links_to_all(client: FlaskClient, world: World, frozen_clock):
    ws2 = factories.workstream(world.agreement, "CULTURE")
    for n in range(19):  # overdue milestones, over two workstreams
        factories.make_milestone(world.action if n % 2 else factories.make_action(ws2, world.owner, title=f"Culture {n}"),
                                 date(2026, 10, 1) + timedelta(days=n), title=f"Jalon en retard {n:02d}")  # fmt: skip
    for n in range(22):
        factories.make_action(world.ws, world.owner, title=f"Action à moi {n:02d}", due_on=date(2027, 1, 1))
    login(client, world.owner.email)

    board = _doc(client.get(DASHBOARD))
    more = board.xpath("//section[@aria-labelledby='overdue-heading']//p[@class='more']/a")
    assert more and more[0].text_content().startswith("9 de plus")
    everything = _doc(client.get(more[0].get("href")))
    assert len(everything.xpath("//main//tbody/tr")) == 19
    assert "Jalon en retard 00" in everything.text_content() and "Jalon en retard 18" in everything.text_content()

    home = _doc(client.get("/"))
    more = home.xpath("//section[@aria-labelledby='my-actions']//p[@class='more']/a")
    # 22 + Mission économique croisée + the ten "Culture" actions = 33 open actions, 20 shown.
    assert more and more[0].text_content().startswith("13 de plus")
    mine = client.get(more[0].get("href"), query_string={"per_page": "100"})
    assert len(_doc(mine).xpath("//main//tbody/tr")) == 33

    # A commitment served by more actions than the workstream page lists links to them all.
    commitment = world.ws.commitments[0]
    for n in range(7):
        services.update_action(world.owner, factories.make_action(world.ws, world.owner, title=f"Au service {n}"),
                               version=1, commitment_ids=[str(commitment.id)])  # fmt: skip
    db.session.commit()
    page = _doc(client.get(ECO_DEV))
    more = page.xpath(f"//li[@id='commitment-{commitment.id}']//p[@class='more']/a")
    assert more and more[0].text_content().startswith("2 de plus")
    serving = _doc(client.get(more[0].get("href")))
    titles = {r.xpath("string(td[1])").strip() for r in serving.xpath("//table[@class='actions-table']/tbody/tr")}
    assert titles == {f"Au service {n}" for n in range(7)}


def test_the_action_page_shows_one_main_move_per_milestone_and_the_rest_behind_a_disclosure(
    client: FlaskClient, world: World, frozen_clock
) -> None:
    for n in range(6):
        factories.make_milestone(world.action, date(2026, 12, 1) + timedelta(days=n), title=f"Étape {n}")
    login(client, world.owner.email)
    page = _doc(client.get(f"/actions/{world.action.id}"))
    rows = page.xpath("//table[@class='milestones-table']/tbody/tr")
    assert len(rows) == 6
    for row in rows:
        visible = row.xpath(".//button[not(ancestor::details)]")
        assert [b.text_content().split("–")[0].strip() for b in visible] == ["Marquer comme atteint"]
        hidden = row.xpath(".//details")
        assert len(hidden) == 1
        assert hidden[0].xpath("string(summary)").startswith("Autres modifications")
        assert hidden[0].xpath(".//button[contains(@class, 'button--danger')]")
        assert hidden[0].xpath(".//a[contains(@href, '/edit')]")
    # The cancel form, as rendered inside the disclosure, works and needs its reason.
    milestone = world.action.milestones[0]
    (cancel,) = (
        page_forms(text(client.get(f"/actions/{world.action.id}")))[0]
        .getroottree()
        .xpath(f"//tr[@id='milestone-{milestone.id}']//details//form")
    )
    assert cancel.xpath(".//textarea[@name='comment'][@required]")
    data = form_data(cancel, {"comment": "Plus nécessaire"})
    response = client.post(form_path(cancel), data=data, follow_redirects=True)
    assert response.status_code == 200
    db.session.refresh(milestone)
    assert milestone.status == "cancelled"


def test_approvals_in_words_and_what_is_approved_before_the_buttons(client: FlaskClient, world: World, frozen_clock):
    idf_lead = factories.make_user("IDF", "coordinator", name="Claire Martin")
    factories.make_co_lead(world.ws, idf_lead)
    proposed = factories.make_action(world.ws, world.owner, title="Salon des PME", status=ActionStatus.PROPOSED)
    proposed.description = "Un **salon** commun à Bruxelles."
    factories.make_milestone(proposed, date(2027, 2, 3), title="Réservation du hall")
    services.approve_action(world.co_lead, proposed)
    db.session.commit()
    login(client, idf_lead.email)
    page = text(client.get("/approvals"))
    doc = lxml.html.fromstring(page)
    item = doc.xpath("//article")[0]
    body = item.text_content()
    for shown in ("salon", "Réservation du hall", "5 janvier 2026", "18 décembre 2026"):
        assert shown in body, shown
    assert f"Région de Bruxelles-Capitale{NBSP}: approuvée par Lotte Peeters le" in body
    assert f"Région Île-de-France{NBSP}: approbation en attente" in body
    before = body.index("Réservation du hall")
    assert before < body.index("Approuver pour ma région")
    action_page = text(client.get(f"/actions/{proposed.id}"))
    assert f"Région Île-de-France{NBSP}: approbation en attente" in action_page
    assert f"Région de Bruxelles-Capitale{NBSP}: approuvée par Lotte Peeters le" in action_page


def test_a_long_history_says_how_many_older_changes_and_links_to_them(client: FlaskClient, world: World, cached):
    for n in range(104):  # 104 milestones added: 104 changes, the page shows the latest 100
        services.add_milestone(world.owner, world.action, title=f"Étape {n:03d}", due_on="2026-12-01")
    db.session.commit()
    login(client, world.reviewer.email)
    page = _doc(client.get(f"/actions/{world.action.id}"))
    older = page.xpath("//section[contains(@class, 'history')]//a[@rel='next']")
    assert older and older[0].text_content().strip() == "4 changements plus anciens"
    assert "Changements 1 à 100 sur 104" in page.xpath("string(//section[contains(@class, 'history')])")
    rest = _doc(client.get(older[0].get("href")))
    entries = rest.xpath("//section[contains(@class, 'history')]//li[@class='history__entry']")
    assert len(entries) == 4 and "Étape 000" in entries[-1].text_content()
    assert rest.xpath("//section[contains(@class, 'history')]//a[@rel='prev']")
