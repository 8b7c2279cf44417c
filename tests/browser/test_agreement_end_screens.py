"""An ended agreement on a phone (390 px) and a desktop: the workstream timeline draws actions past the end with the
end marked, and the close-out table reads without widening the page; both pass axe-core."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Browser, expect

from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer, signed_in

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
