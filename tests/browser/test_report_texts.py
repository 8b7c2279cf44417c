"""Issue 15: the report's texts in the browser. A workstream's co-lead writes its assessment in French and Dutch, an
admin writes the executive summary in French only (Dutch is shown as missing), generates the final report, and
reads both texts in it, the summary first."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import factories
from tests.browser.conftest import LiveServer, log_in, log_out, signed_in
from tracker.core.db import db
from tracker.reports.narratives import services as narratives
from tracker.reports.services import period_of


def _open_final_texts(page: Page) -> None:
    page.goto("/agreements/idf-bxl-2021/reports/")
    page.get_by_role("link", name="Textes du rapport", exact=False).click()
    page.get_by_role("link", name="Rapport final", exact=False).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Textes du rapport")


@pytest.mark.usefixtures("patient")  # a report page draws three charts
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


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Words laid out over more than one line (split mid-word) among the text of the elements `selectors` names: for each
# word of each shown text node, the lines its Range's rectangles sit on (a compound word may break after its hyphen:
# « Île-de- / France » is two words here).
_SPLIT_WORDS = """(selectors) => {
  const split = [];
  for (const el of document.querySelectorAll(selectors)) {
    if (!el.getClientRects().length) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.visually-hidden')) continue;
      for (const m of node.data.matchAll(/[^\\s-]+-?/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) split.push(`${el.tagName.toLowerCase()}: ${m[0]}`);
      }
    }
  }
  return split;
}"""

# On a phone, each text's row is a card: every cell as wide as its card, its column's name shown above it (a CSS
# label) with no word of that name wider than the cell; the table no wider than the screen.
_CARDS = """() => {
  const table = document.querySelector('table.narratives-status');
  const canvas = document.createElement('canvas').getContext('2d');
  const problems = [];
  if (table.getBoundingClientRect().right > document.documentElement.clientWidth + 1) problems.push('table too wide');
  for (const row of table.querySelectorAll('tbody tr')) {
    const width = row.getBoundingClientRect().width;
    for (const cell of row.querySelectorAll('td, th')) {
      const cellWidth = cell.getBoundingClientRect().width;
      if (cellWidth < width * 0.8) problems.push(`${row.id} cell ${Math.round(cellWidth)} of ${Math.round(width)} px`);
      const label = cell.dataset.label;
      if (!label) continue;
      const before = getComputedStyle(cell, '::before');
      if (before.content !== `"${label}"`) { problems.push(`${row.id}: label ${label} not shown`); continue; }
      canvas.font = before.font;
      for (const word of label.split(/\\s+/))
        if (canvas.measureText(word).width > cell.clientWidth) problems.push(`${row.id}: ${word} wider than its cell`);
    }
  }
  return problems;
}"""

_LABELS = "main th, main .narrative-lang, main h1, main label, .breadcrumb li"


def test_the_texts_of_a_period_read_on_a_phone_and_on_a_desktop_without_a_word_split(
    browser: Browser, live_server: LiveServer
) -> None:
    """Before: at 390 px the status table's columns were two or three letters wide (« ge/sc/hr/ev/en »); at 1280 px
    its headers and the breadcrumb still broke mid-word (« Franç/ais », « Néerlan/dais », « Accor/ds »)."""
    agreement = factories.load_agreement()
    lead = factories.make_user("IDF", email="lead@example.org", name="Camille Lead")
    ws = factories.workstream(agreement, "ECO-DEV")
    factories.make_co_lead(ws, lead)
    period = period_of(agreement, "final")
    subject = narratives.subject_of(agreement, "ECO-DEV")
    narratives.save_narrative(lead, agreement, period, subject, {"fr": "Trois missions.", "nl": "Drie missies."}, 0)
    db.session.commit()
    with signed_in(browser, live_server, lead.email) as page:
        for language in ("fr", "nl"):
            page.goto("/agreements/idf-bxl-2021/narratives/final/")
            page.locator(f".language-switch button[value={language}]").click()
            expect(page.locator("html")).to_have_attribute("lang", language)
            for viewport in (PHONE, DESKTOP):
                page.set_viewport_size(viewport)
                page.goto("/agreements/idf-bxl-2021/narratives/final/")
                expect(page.locator("#narrative-ECO-DEV")).to_contain_text(
                    "geschreven" if language == "nl" else "rédigé"
                )
                assert page.evaluate(_SPLIT_WORDS, _LABELS) == [], (viewport, language)
                if viewport is PHONE:
                    assert page.evaluate(_CARDS) == [], language
                    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], language
                page.goto("/agreements/idf-bxl-2021/narratives/final/ECO-DEV")
                assert page.evaluate(_SPLIT_WORDS, _LABELS) == [], (viewport, language, "edit")
