"""An ended agreement on a phone (390 px) and a desktop: the workstream timeline draws actions past the end with the
end marked, and the close-out table reads without widening the page; both pass axe-core."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Browser, expect
from sqlalchemy import select

from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer, signed_in
from tracker.actions.models import Action
from tracker.agreements.models import Agreement
from tracker.closeout import decisions
from tracker.closeout.models import Decision
from tracker.core.db import db

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WORKSTREAM = "/agreements/idf-bxl-2021/workstreams/CULTURE"
CLOSE_OUT = "/agreements/idf-bxl-2021/close-out"
FITS = "document.scrollingElement.scrollWidth <= window.innerWidth"
INSIDE = """([el, box]) => { const r = el.getBoundingClientRect(), b = box.getBoundingClientRect();
  return b.left <= r.left && r.right <= b.right; }"""


def _world():
    agreement = factories.load_agreement(ended=True)
    ws = factories.workstream(agreement, "CULTURE")
    lead = factories.make_user("IDF", "coordinator", email="camille@example.org", name="Camille Martin-Delacourt")
    factories.make_co_lead(ws, lead)
    festival = factories.make_action(
        ws,
        lead,
        title="Festival transfrontalier des cultures urbaines franciliennes et bruxelloises, édition 2027",
        start_on=date(2025, 1, 6),
        due_on=date(2027, 6, 30),
    )
    factories.make_milestone(festival, date(2027, 3, 15), title="Programmation arrêtée")
    for n in range(4):
        factories.make_action(
            ws,
            lead,
            title=f"Résidences croisées d’artistes et médiation culturelle n° {n + 1}",
            due_on=date(2026, 6, 30),
        )
    return lead


def test_the_timeline_and_the_close_out_table_fit_a_phone_and_a_desktop(
    browser: Browser, live_server: LiveServer
) -> None:
    lead = _world()
    for viewport in (PHONE, DESKTOP):
        with signed_in(browser, live_server, lead.email, viewport=viewport) as page:
            page.goto(WORKSTREAM)
            end = page.locator(".timeline__end--end text")
            expect(end).to_have_text("Fin de l’accord\u202f: 22 sept. 2026")
            assert page.evaluate(FITS), (viewport, page.evaluate("document.scrollingElement.scrollWidth"))
            wrap = page.locator(".timeline-wrap")
            wrap.focus()  # a keyboard reaches the drawing and scrolls it
            expect(wrap).to_be_focused()
            if viewport is PHONE:  # the drawing scrolls inside its box, by keyboard, and the end comes into view
                for _ in range(30):
                    page.keyboard.press("ArrowRight")
                assert wrap.evaluate("el => el.scrollLeft") > 0 and page.evaluate("window.scrollX") == 0
                # The keys scroll smoothly: wait for the end's label to come to rest inside the box.
                page.wait_for_function(INSIDE, arg=[end.element_handle(), wrap.element_handle()])
            label, box = end.bounding_box(), wrap.bounding_box()
            assert label is not None and box is not None
            assert box["x"] <= label["x"] and label["x"] + label["width"] <= box["x"] + box["width"], (label, box)
            assert_accessible(page)

            page.goto(CLOSE_OUT)
            expect(page.get_by_role("heading", name="Clôture des actions")).to_be_visible()
            assert page.evaluate(FITS), (viewport, page.evaluate("document.scrollingElement.scrollWidth"))
            table = page.get_by_role("table", name="5 actions à décider ou décidées")
            expect(table).to_be_visible()
            # Every row's title, owner and decision are on the screen without scrolling sideways.
            for cell in ("Festival transfrontalier", "Camille Martin-Delacourt", "à décider"):
                box = table.get_by_text(cell).first.bounding_box()
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (cell, box)
            radio, name = page.get_by_label("Annulée"), page.get_by_text("Annulée", exact=True)
            gap = name.bounding_box()["x"] - (radio.bounding_box()["x"] + radio.bounding_box()["width"])
            assert 0 <= gap < 20, gap  # each choice beside its name, not across the screen
            first = page.get_by_role("checkbox").first
            first.focus()
            page.keyboard.press("Space")
            expect(first).to_be_checked()
            assert_accessible(page)


NOTE = ("Le partenaire bruxellois a retiré son financement en cours d’année ; la résidence ne peut se tenir. " * 25)[
    :2000
]
CELL_WIDTHS = """() => [...document.querySelectorAll('main table tbody td[data-label]')]
  .map(td => [td.dataset.label, Math.round(td.getBoundingClientRect().width)])"""
# The words of the table's headers drawn on more than one line (a word cut in two: « Responsab/le »).
BROKEN_HEADER_WORDS = """() => [...document.querySelectorAll('main table thead th')].flatMap(th => {
  const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT), broken = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  return broken; })"""


def test_a_long_close_out_note_is_shortened_and_the_columns_keep_a_readable_width(
    browser: Browser, live_server: LiveServer
) -> None:
    lead = _world()
    agreement = db.session.scalars(select(Agreement)).one()
    action = db.session.scalars(select(Action).order_by(Action.id.desc())).first()
    decisions.decide(lead, agreement, action, Decision.CANCELLED, NOTE)
    db.session.commit()
    for viewport in (DESKTOP, PHONE):
        with signed_in(browser, live_server, lead.email, viewport=viewport) as page:
            page.goto(CLOSE_OUT)
            widths = page.evaluate(CELL_WIDTHS)
            assert widths and all(w >= 80 for label, w in widths if label in ("Statut", "Responsable")), widths
            assert page.evaluate(BROKEN_HEADER_WORDS) == [], viewport
            assert page.evaluate("document.scrollingElement.scrollHeight") < 4000, viewport
            assert page.evaluate(FITS), viewport
            cell = page.locator("main table td[data-label=Décision]").filter(has_text="Annulée")
            expect(cell.locator(".note-short")).to_have_text(NOTE[:199].rsplit(" ", 1)[0] + "…")
            rest = cell.locator("details .note-text")
            expect(rest).to_be_hidden()
            cell.locator("summary").focus()  # the rest is a keyboard away
            page.keyboard.press("Enter")
            expect(rest).to_be_visible()
            expect(rest).to_have_text(NOTE.strip())
            expect(cell.locator(".note-short")).to_be_hidden()
