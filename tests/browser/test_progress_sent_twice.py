"""Back after logging progress, and sending the form again (or a double click), keeps one progress log."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from tests import factories
from tests.browser.conftest import log_in
from tracker.actions.models import ProgressUpdate
from tracker.core.db import db


def test_back_and_send_again_keeps_one_progress_log(page: Page) -> None:
    agreement = factories.load_agreement()
    owner = factories.make_user("IDF", "coordinator", email="camille@example.org", name="Camille Martin")
    action = factories.make_action(factories.workstream(agreement, "ECO-DEV"), owner, title="Forum des jeunes pousses")
    log_in(page, owner.email)
    page.goto(f"/actions/{action.id}/progress")
    page.get_by_label("Ce qui s’est passé depuis le dernier point").fill("Comité tenu à Bruxelles.")
    page.get_by_label("Avancement (%)").fill("30")
    page.get_by_role("button", name="Enregistrer l’avancement").click()
    expect(page.get_by_text("Votre point d’avancement est enregistré.")).to_be_visible()

    page.go_back()  # the form as it was sent, and sent again
    expect(page.get_by_label("Ce qui s’est passé depuis le dernier point")).to_have_value("Comité tenu à Bruxelles.")
    page.get_by_role("button", name="Enregistrer l’avancement").click()

    expect(page.get_by_text("Déjà enregistré")).to_be_visible()
    expect(page.locator("#log-heading ~ *").get_by_text("Comité tenu à Bruxelles.")).to_have_count(1)
    db.session.commit()  # end the test thread's read: count what the server saved
    assert db.session.scalar(select(func.count()).select_from(ProgressUpdate)) == 1
