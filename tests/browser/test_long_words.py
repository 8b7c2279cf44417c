"""A progress note made of one long unbroken word (a pasted link, a row of letters) wraps inside its box on a desktop
screen instead of widening the action page, the dashboard's latest updates and my work's list of updates."""

from __future__ import annotations

from playwright.sync_api import Browser

from tests import factories
from tests.browser.conftest import LiveServer, signed_in
from tests.browser.test_narrow_screen import _OVERFLOWING
from tracker.actions import services
from tracker.actions.models import Health
from tracker.core.db import db

DESKTOP = {"width": 1280, "height": 900}
WORD = "A" * 3000


def test_a_long_unbroken_word_wraps_on_a_desktop_screen(browser: Browser, live_server: LiveServer) -> None:
    agreement = factories.load_agreement()
    ws = factories.workstream(agreement, "ECO-DEV")
    owner = factories.make_user("IDF", "coordinator", email="camille@example.org", name="Camille Martin")
    action = factories.make_action(ws, owner)
    services.log_progress(owner, action, text=WORD, percent=40, health=Health.ON_TRACK)
    db.session.commit()
    with signed_in(browser, live_server, owner.email, viewport=DESKTOP) as page:
        for path in (f"/actions/{action.id}", "/agreements/idf-bxl-2021/dashboard", "/my-work/updates"):
            page.goto(path)
            assert page.evaluate(_OVERFLOWING) == [], path
            assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"], path
