"""Issue 15: the report's texts in the browser. A workstream's co-lead writes its assessment in French and Dutch, an
admin writes the executive summary in French only (Dutch is shown as missing), generates the final report, and
reads both texts in it, the summary first."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import log_in, log_out

pytestmark = pytest.mark.usefixtures("patient")  # a report page draws three charts


def _open_final_texts(page: Page) -> None:
    page.goto("/agreements/idf-bxl-2021/reports/")
    page.get_by_role("link", name="Textes du rapport", exact=False).click()
    page.get_by_role("link", name="Rapport final", exact=False).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Textes du rapport")


def test_a_co_lead_and_an_admin_write_and_the_generated_report_shows_their_texts(page: Page, live_app) -> None:
    agreement = factories.load_agreement()
    lead = factories.make_user("BXL", email="lead@example.org", name="Bram Lead")
    factories.make_co_lead(factories.workstream(agreement, "ECO-DEV"), lead)
    admin = factories.make_user("IDF", "admin", email="admin@example.org", name="Admin Île-de-France")

    log_in(page, lead.email, keyboard=True)
    _open_final_texts(page)
    row = page.locator("#narrative-ECO-DEV")
    expect(row).to_contain_text("manquant")
    expect(page.locator("#narrative-summary").get_by_role("link", name="Rédiger")).to_have_count(0)
    row.get_by_role("link", name="Rédiger").click()
    page.get_by_label("En français").fill("Trois missions économiques menées ; la quatrième reportée.")
    page.get_by_label("En néerlandais").fill("Drie economische missies; de vierde uitgesteld.")
    page.get_by_role("button", name="Enregistrer cette version").click()
    expect(page.get_by_role("status").first).to_contain_text("Enregistré comme version 1.")
    expect(page.locator("#narrative-ECO-DEV")).not_to_contain_text("manquant")
    log_out(page)

    log_in(page, admin.email, keyboard=True)
    _open_final_texts(page)
    page.locator("#narrative-summary").get_by_role("link", name="Rédiger").click()
    expect(page.get_by_text("Manque encore en\u202f: français, néerlandais.")).to_be_visible()
    page.get_by_label("En français").fill("Cinq années de coopération : huit domaines, une déclaration pour le climat.")
    page.get_by_role("button", name="Enregistrer cette version").click()
    expect(page.get_by_text("Manque encore en\u202f: néerlandais.")).to_be_visible()

    page.goto("/agreements/idf-bxl-2021/reports/")
    page.get_by_role("textbox", name="Période").fill("final")
    page.get_by_role("button", name="Générer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapport final")
    summary = page.locator("#executive-summary")
    expect(summary).to_contain_text("Cinq années de coopération")
    expect(page.locator("#ws-ECO-DEV")).to_contain_text("Trois missions économiques menées")
    assert page.evaluate(
        "document.querySelector('#executive-summary').compareDocumentPosition(document.querySelector('#ws-ECO-DEV'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING"
    )
