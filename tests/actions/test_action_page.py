"""The action page as its readers see it: Markdown rendered and HTML inert, health as last reported, milestone
moves behind a disclosure, approvals in words, a long history cut with a link to the rest."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import factories
from tests.forms import find_form, form_data, form_path, page_forms, submit_form
from tests.helpers import login, text
from tests.workspace.conftest import World, add_update, at
from tracker.actions import services
from tracker.actions.models import ActionStatus, Health
from tracker.agreements import cache
from tracker.core.audit import AuditEntry
from tracker.core.db import db

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


def test_action_page_renders_markdown_and_keeps_html_inert(client: FlaskClient, world: World):
    world.action.description = "**Objectif** partagé\n\n<script>alert('x')</script> [lien](javascript:alert(1))"
    world.action.title = "<img src=x onerror=alert(1)>"
    world.action.commitments = [world.ws.commitments[1]]
    db.session.commit()
    factories.make_milestone(world.action, date(2026, 3, 1), title="<b>Jalon</b>")
    add_update(
        world.action, world.co_lead, "<script>bad()</script> Réunion tenue", 30, Health.ON_TRACK, at(date(2026, 2, 1))
    )
    login(client, world.reviewer.email)
    page = text(client.get(f"/actions/{world.action.id}"))
    assert "<strong>Objectif</strong>" in page
    assert "<script>" not in page and "javascript:" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "&lt;b&gt;Jalon&lt;/b&gt;" in page
    assert "&lt;script&gt;bad()&lt;/script&gt; Réunion tenue" in page
    assert "Développer des projets communs." in page  # commitment served
    assert "Camille Martin" in page and "Région Île-de-France" in page


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


def test_the_action_page_reads_its_log_and_history_with_their_counts(client: FlaskClient, world: World, count_queries):
    """Each list comes with its count (no count query of its own), and the history pane reuses the visibility the
    page found for the action: 9 statements with the user's, whatever the log and history hold."""
    for k in range(25):  # two pages of progress log
        add_update(world.action, world.owner, f"Point {k:02d}", k, Health.ON_TRACK, at(date(2026, 1, 1) + timedelta(k)))
    login(client, world.reviewer.email)
    path = f"/actions/{world.action.id}"
    before = count_queries.count
    page = _doc(client.get(path))
    assert count_queries.count - before == 9, "\n".join(
        " ".join(s.split())[:150] for s in count_queries.statements[before:]
    )
    assert "Point 24" in page.text_content() and "Point 04" not in page.text_content()
    second = _doc(client.get(f"{path}?page=2"))
    assert "Point 04" in second.text_content() and "Point 05" not in second.text_content()
    past = _doc(client.get(f"{path}?page=9"))  # past the end: an empty page
    assert "Point" not in past.xpath("string(//section[@aria-labelledby='log-heading'])")
