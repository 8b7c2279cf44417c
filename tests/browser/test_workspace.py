"""The coordinator's day in the browser, a reviewer and an outsider, with axe-core on every main page."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in
from tracker.agreements import cache
from tracker.core import clock

DASHBOARD = "/agreements/idf-bxl-2021/dashboard"
ECO_DEV = "/agreements/idf-bxl-2021/workstreams/ECO-DEV"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_a_coordinator_logs_an_action_and_sees_the_dashboard_move(page: Page, live_app) -> None:
    cache.dashboards.clear()
    live_app.config["PAGE_CACHE_SIZE"] = 16  # as in production: the kept dashboard must move too
    factories.load_agreement()
    user = factories.make_user("IDF", "coordinator", email="camille@example.org", name="Camille Martin")
    today = clock.today("Europe/Paris")
    log_in(page, user.email)
    assert_accessible(page)
    page.goto(DASHBOARD)
    expect(page.locator(".figure-milestones")).to_have_text("0 sur 0")
    assert_accessible(page)

    page.goto(ECO_DEV)
    assert_accessible(page)
    page.get_by_role("link", name="Nouvelle action").click()
    page.get_by_label("Titre").fill("Rencontres économiques franco-belges")
    page.get_by_label("Description").fill("Deux **rencontres** par an")
    page.get_by_label("Début").fill((today - timedelta(days=30)).isoformat())
    page.get_by_label("Échéance").fill((today + timedelta(days=300)).isoformat())
    # A commitment reads by its number in the workstream and its text, never by its code (`ECO-DEV-1`).
    page.get_by_label(re.compile(r"^N°\s1 — Valoriser l’attractivité des 2 territoires\.$")).check()
    assert_accessible(page)
    page.get_by_role("button", name="Créer l’action").click()
    expect(page.get_by_role("heading", name="Rencontres économiques franco-belges")).to_be_visible()
    served = page.locator("#description-heading ~ ul")
    expect(served).to_have_text(re.compile(r"^N°\s1 Valoriser l’attractivité des 2 territoires\.$"))

    for title, days in (("Premier comité", 10), ("Second comité", 40)):
        page.get_by_role("link", name="Ajouter un jalon").click()
        page.get_by_label("Titre").fill(title)
        page.get_by_label("Échéance").fill((today + timedelta(days=days)).isoformat())
        page.get_by_role("button", name="Ajouter le jalon").click()
        expect(page.get_by_role("cell", name=title, exact=True)).to_be_visible()

    page.get_by_role("link", name="Consigner l’avancement").click()
    page.get_by_label("Ce qui s’est passé depuis le dernier point").fill("Premier comité préparé avec Bruxelles.")
    page.get_by_label("Avancement (%)").fill("30")
    page.get_by_label("Santé").select_option("at_risk")
    page.get_by_label("Justificatifs (facultatif)").set_input_files(
        {"name": "ordre-du-jour.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer l’avancement").click()
    expect(page.get_by_role("link", name="ordre-du-jour.pdf")).to_be_visible()

    row = page.locator("tr", has_text="Premier comité")
    row.get_by_role("button", name="Marquer comme atteint").click()
    expect(page.locator("tr", has_text="Premier comité").locator(".badge--m-done")).to_be_visible()
    assert_accessible(page)

    page.goto(DASHBOARD)
    expect(page.locator(".figure-milestones")).to_have_text("1 sur 2")
    expect(page.locator(".latest-updates")).to_contain_text("Rencontres économiques franco-belges")


def test_a_reviewer_reads_but_cannot_edit(page: Page, live_app) -> None:
    factories.load_agreement()
    ws = factories.workstream(factories.load_agreement(), "ECO-DEV")
    owner = factories.make_user("IDF", "coordinator")
    action = factories.make_action(ws, owner, title="Mission économique croisée")
    reviewer = factories.make_user("BXL", "reviewer", email="an@example.org")
    log_in(page, reviewer.email)
    page.goto(f"/actions/{action.id}")
    expect(page.get_by_role("heading", name="Mission économique croisée")).to_be_visible()
    expect(page.get_by_role("link", name="Modifier l’action")).to_have_count(0)
    expect(page.get_by_role("link", name="Consigner l’avancement")).to_have_count(0)
    assert_accessible(page)
    response = page.goto(f"/actions/{action.id}/edit")
    assert response is not None and response.status == 403


def test_a_user_of_a_party_outside_the_agreement_gets_404_everywhere(page: Page, live_app) -> None:
    ws = factories.workstream(factories.load_agreement(), "ECO-DEV")
    action = factories.make_action(ws, factories.make_user("IDF", "coordinator"))
    factories.make_party("OTH")
    outsider = factories.make_user("OTH", "coordinator", email="out@example.org")
    log_in(page, outsider.email)
    for path in (
        DASHBOARD,
        ECO_DEV,
        f"/actions/{action.id}",
        f"/actions/{action.id}/edit",
        "/agreements/idf-bxl-2021/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 404, path
    page.goto("/search?q=Mission")
    expect(page.get_by_role("heading", name="0 action trouvée")).to_be_visible()


def test_the_language_switch_changes_the_dashboard_and_the_keyboard_reaches_it(page: Page, live_app) -> None:
    factories.load_agreement()
    user = factories.make_user("BXL", "coordinator", email="lotte@example.org")
    log_in(page, user.email)
    page.goto(DASHBOARD)
    expect(page.get_by_role("heading", name="Chantiers")).to_be_visible()
    english = page.get_by_role("button", name="EN")
    english.focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Time elapsed and progress achieved")).to_be_visible()
    page.get_by_role("button", name="NL").click()
    expect(page.get_by_role("heading", name="Werksporen")).to_be_visible()
    assert_accessible(page)
