"""At 390 px wide (a phone): no page is wider than the screen, tables scroll inside their own box, the header stays
compact, and the pages stay accessible (axe-core)."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Browser

from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer, browser_page, log_in, log_out
from tracker.actions.models import ActionStatus
from tracker.core import clock

PHONE = {"width": 390, "height": 844}

# Every element that sticks out of the viewport on the right, unless a box that scrolls sideways holds it.
_OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const held = (el) => { for (let p = el.parentElement; p; p = p.parentElement) { if (scrolls(p)) return true; } return false; };
  return [...document.body.querySelectorAll('*')]
    .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > width + 1 && !held(el); })
    .filter(el => !el.closest('.visually-hidden, .skip-link'))
    .slice(0, 5)
    .map(el => `${el.tagName.toLowerCase()}.${el.className} (right ${Math.round(el.getBoundingClientRect().right)} px)`);
}"""

# For each table: whether it fits, or else whether the box that scrolls it is narrower than it (so it can scroll).
_TABLES = """() => [...document.querySelectorAll('main table')].map(table => {
  let box = table;
  while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
  const width = document.documentElement.clientWidth;
  return {
    fits: table.getBoundingClientRect().right <= width + 1 && table.scrollWidth <= table.clientWidth + 1,
    scroller: !!box && box !== document.documentElement && box !== document.body,
    scrollable: !!box && box.scrollWidth > box.clientWidth,
    inside: !!box && box.getBoundingClientRect().right <= width + 1,
  };
})"""


def _world():
    agreement = factories.load_agreement()
    ws = factories.workstream(agreement, "ECO-DEV")
    owner = factories.make_user("IDF", "coordinator", email="camille@example.org", name="Camille Martin-Delacourt")
    bxl_lead = factories.make_user("BXL", "coordinator", email="lotte@example.org", name="Lotte Peeters")
    factories.make_co_lead(ws, bxl_lead)
    today = clock.today("Europe/Paris")
    action = factories.make_action(
        ws,
        owner,
        title="Programme d’échanges entre les incubateurs franciliens et bruxellois de l’économie sociale et solidaire",
        start_on=date(2025, 1, 6),
        due_on=today - timedelta(days=3),  # late
    )
    for n in range(8):
        factories.make_milestone(
            action, today + timedelta(days=20 * n - 60), title=f"Comité de pilotage numéro {n + 1}"
        )
    factories.make_action(ws, owner, title="Salon transfrontalier des PME", status=ActionStatus.PROPOSED)
    return owner, bxl_lead, action


def test_pages_fit_a_phone_screen_and_their_tables_scroll(browser: Browser, live_server: LiveServer) -> None:
    owner, bxl_lead, action = _world()
    with browser_page(browser, live_server, viewport=PHONE) as page:
        scrolled = 0
        for email, paths in (
            (
                owner.email,
                ["/", "/agreements/idf-bxl-2021/dashboard", "/agreements/idf-bxl-2021/workstreams/ECO-DEV",
                 f"/actions/{action.id}", "/agreements/idf-bxl-2021/milestones/overdue"],
            ),
            (bxl_lead.email, ["/approvals"]),
        ):  # fmt: skip
            log_in(page, email)
            for path in paths:
                page.goto(path)
                assert page.evaluate(_OVERFLOWING) == [], path
                assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
                header = page.locator(".site-header").bounding_box()  # 234 px before: a third of the screen
                assert header is not None and header["height"] <= 150, (path, header)
                for table in page.evaluate(_TABLES):
                    assert table["fits"] or (table["scroller"] and table["scrollable"] and table["inside"]), (
                        path,
                        table,
                    )
                    scrolled += not table["fits"]
                assert_accessible(page)
            log_out(page)
        assert scrolled, "no table was wider than the screen: the test proves nothing"

        # A wide table really scrolls sideways, inside its box, and the page does not move.
        log_in(page, owner.email)
        page.goto("/agreements/idf-bxl-2021/workstreams/ECO-DEV")
        box = page.locator(".actions-table").locator("xpath=..")
        box.evaluate("el => el.scrollBy(200, 0)")
        assert box.evaluate("el => el.scrollLeft") > 0
        assert page.evaluate("window.scrollX") == 0
