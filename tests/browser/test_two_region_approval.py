"""Issue 4, "Done when": an IDF coordinator proposes an action, the Brussels and Île-de-France co-leads approve it
(in either order), it becomes active, and its history shows the three steps with names and times."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import log_in, log_out
from tracker.actions import services
from tracker.core.db import db

INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


def _people():
    agreement = factories.load_agreement()
    ws = factories.workstream(agreement, "ECO-DEV")
    coordinator = factories.make_user("IDF", email="amelie@example.org", name="Amélie Durand")
    idf_lead = factories.make_user("IDF", email="claire@example.org", name="Claire Martin")
    bxl_lead = factories.make_user("BXL", email="pieter@example.org", name="Pieter Janssens")
    factories.make_co_lead(ws, idf_lead)
    factories.make_co_lead(ws, bxl_lead)
    action = services.create_action(coordinator, ws, title="Forum de l'emploi transfrontalier", start_on="2026-01-05")
    db.session.commit()
    return action.id, coordinator, idf_lead, bxl_lead


@pytest.mark.parametrize("bxl_first", [True, False], ids=["brussels-first", "paris-first"])
def test_both_regions_approve_and_the_history_tells_it(page: Page, live_app, bxl_first: bool) -> None:
    action_id, coordinator, idf_lead, bxl_lead = _people()

    log_in(page, coordinator.email)
    page.goto(f"/actions/{action_id}")
    page.get_by_role("button", name="Proposer pour approbation").click()
    expect(page.get_by_role("status")).to_contain_text("est maintenant proposée")
    log_out(page)

    first, second = (bxl_lead, idf_lead) if bxl_first else (idf_lead, bxl_lead)
    log_in(page, first.email)
    page.get_by_role("link", name="Approbations", exact=True).click()
    item = page.get_by_role("article").filter(has_text="Forum de l'emploi transfrontalier")
    item.get_by_role("button", name="Approuver pour ma région").click()
    expect(page.get_by_role("status")).to_contain_text("Votre approbation est enregistrée")
    expect(page.get_by_text("Rien n’attend votre approbation.")).to_be_visible()
    log_out(page)

    log_in(page, second.email)
    page.goto(f"/actions/{action_id}")
    page.get_by_role("button", name="Approuver pour ma région").click()
    expect(page.get_by_role("status")).to_contain_text("est maintenant en cours")

    history = page.locator(".history__entry")
    expect(history).to_have_count(4)  # created, proposed, approved twice
    newest_first = [first, second][::-1]
    for index, person in enumerate(newest_first):
        expect(history.nth(index)).to_contain_text(person.name)
        expect(history.nth(index)).to_contain_text("Approbation")
    expect(history.nth(0)).to_contain_text("En cours")
    expect(history.nth(2)).to_contain_text("Amélie Durand")
    expect(history.nth(2)).to_contain_text("Proposition pour approbation")
    for index in range(3):
        expect(history.nth(index).locator("time")).to_have_attribute("datetime", INSTANT)


def test_an_edit_from_a_stale_page_is_refused_with_a_clear_explanation(page: Page, live_app) -> None:
    action_id, coordinator, idf_lead, _ = _people()
    log_in(page, coordinator.email)
    page.goto(f"/actions/{action_id}")
    page.get_by_role("link", name="Modifier l’action").click()
    page.get_by_label("Titre").fill("Forum de l'emploi – édition 2026")

    # Meanwhile, the Île-de-France co-lead moves the due date (from a fresh transaction: the test thread's
    # last one began before the browser's writes, and SQLite will not let it write now).
    db.session.rollback()
    services.update_action(idf_lead, services.get_action(idf_lead, action_id), version=1, due_on="2026-11-30")
    db.session.commit()

    page.get_by_role("button", name="Enregistrer l’action").click()
    expect(page.get_by_role("heading", name="Cet élément a été modifié pendant que vous l’éditiez")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Claire Martin a modifié cet élément")
    differing = page.locator("tr.conflict-table__differs th")
    expect(differing).to_have_count(2)
    expect(differing.nth(0)).to_contain_text("Titre")
    expect(differing.nth(1)).to_contain_text("Échéance")
    db.session.expire_all()
    assert services.get_action(idf_lead, action_id).title == "Forum de l'emploi transfrontalier"

    page.get_by_role("link", name="Repartir de la version actuelle").click()
    expect(page.get_by_label("Échéance")).to_have_value("2026-11-30")
