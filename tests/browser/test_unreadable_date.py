"""A date the browser cannot read (half typed, or 31 February) stops the form instead of erasing the date."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import log_in
from tracker.actions.models import Action, Milestone
from tracker.core.db import db


def test_an_impossible_date_typed_in_the_date_field_keeps_the_due_date_and_says_why(page: Page) -> None:
    agreement = factories.load_agreement()
    owner = factories.make_user("IDF", "coordinator", email="camille@example.org", name="Camille Martin")
    action = factories.make_action(factories.workstream(agreement, "ECO-DEV"), owner, title="Forum des jeunes pousses")
    action.due_on = date(2027, 3, 15)
    db.session.commit()
    log_in(page, owner.email)
    page.goto(f"/actions/{action.id}/edit")
    due = page.get_by_label("Échéance")
    due.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")
    # Day and month typed, the year forgotten (in whichever order the browser shows the segments): no date it can read.
    due.press_sequentially("0231")
    assert due.evaluate("field => field.validity.badInput")
    page.get_by_role("button", name="Enregistrer l’action").click()

    # The form stays, the field says why (in the page's language), and nothing is saved.
    expect(page).to_have_url(f"{page.url.split('/actions/')[0]}/actions/{action.id}/edit")
    expect(due).to_have_attribute("aria-invalid", "true")
    assert due.evaluate("field => field.validationMessage").startswith("Cette date n’existe pas ou n’est pas complète")
    db.session.commit()  # end the test thread's read: see what the server holds
    assert db.session.get(Action, action.id).due_on == date(2027, 3, 15)


def test_an_unreadable_milestone_date_asks_only_to_correct_it_since_the_date_is_required(page: Page) -> None:
    agreement = factories.load_agreement()
    owner = factories.make_user("IDF", "coordinator", email="camille@example.org", name="Camille Martin")
    action = factories.make_action(factories.workstream(agreement, "ECO-DEV"), owner, title="Forum des jeunes pousses")
    milestone = factories.make_milestone(action, date(2027, 3, 1), title="Comité de pilotage")
    db.session.commit()
    log_in(page, owner.email)
    page.goto(f"/milestones/{milestone.id}/edit")
    due = page.get_by_label("Échéance")
    due.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")
    due.press_sequentially("0231")
    assert due.evaluate("field => field.validity.badInput")
    page.get_by_role("button", name="Enregistrer le jalon").click()

    # A milestone needs its date: the message asks to correct it, not to empty the field to remove the date.
    expect(due).to_have_attribute("aria-invalid", "true")
    message = due.evaluate("field => field.validationMessage")
    assert message == "Cette date n’existe pas ou n’est pas complète\u202f: corrigez-la.", message
    db.session.commit()
    assert db.session.get(Milestone, milestone.id).due_on == date(2027, 3, 1)
