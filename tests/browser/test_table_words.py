"""At 390 px (a phone), the tables of « Mon travail » and of the workstream page wrap their cells between words:
an ordinary long French word (« Cartographie », « interrégionale ») stays whole, where the cells used to cut it
(« Carto/graphie ») to squeeze the table into the screen; a wide table scrolls in its own box instead. A 300-letter
unbroken word still widens no page, on a phone or on a desktop, and on a desktop it wraps in its cell rather than
pushing the table's other columns out of its box."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Browser

from tests import factories
from tests.browser.conftest import LiveServer, signed_in
from tests.browser.test_narrow_screen import _OVERFLOWING
from tests.browser.test_report_texts import _SPLIT_WORDS
from tracker.core import clock

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WORD = "A" * 300
PAGES = ("/", "/my-work/actions", "/my-work/milestones", "/agreements/idf-bxl-2021/workstreams/ECO-DEV")


def test_table_cells_keep_ordinary_words_whole_on_a_phone_and_long_words_widen_no_page(
    browser: Browser, live_server: LiveServer
) -> None:
    agreement = factories.load_agreement()
    ws = factories.workstream(agreement, "ECO-DEV")
    owner = factories.make_user("IDF", "coordinator", email="camille@example.org", name="Camille Martin")
    today = clock.today("Europe/Paris")
    action = factories.make_action(ws, owner, title="Cartographie interrégionale des incubateurs")
    factories.make_milestone(action, today + timedelta(days=5), title="Cartographie interrégionale livrée")
    pasted = factories.make_action(ws, owner, title=WORD)
    factories.make_milestone(pasted, today + timedelta(days=9), title=WORD)

    for viewport in (PHONE, DESKTOP):
        with signed_in(browser, live_server, owner.email, viewport=viewport) as page:
            for path in PAGES:
                page.goto(path)
                assert page.get_by_text("Cartographie interrégionale", exact=False).count(), path
                split = [word for word in page.evaluate(_SPLIT_WORDS, "main td") if WORD not in word]
                assert split == [], (viewport, path)
                assert page.evaluate(_OVERFLOWING) == [], (viewport, path)
                assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], (viewport, path)
                if viewport is DESKTOP:  # the pasted word wraps in its cell: every column stays in sight
                    assert page.evaluate(_TABLES_WIDER_THAN_THEIR_BOX) == [], path
            # The action page's milestones: a pasted title wraps in its cell, its date and « mark as achieved » in sight.
            if viewport is DESKTOP:
                page.goto(f"/actions/{pasted.id}")
                assert page.evaluate(_TABLES_WIDER_THAN_THEIR_BOX) == []


_TABLES_WIDER_THAN_THEIR_BOX = """() => [...document.querySelectorAll('main .table-scroll')]
    .filter(box => box.scrollWidth > box.clientWidth + 1).map(box => box.scrollWidth)"""
