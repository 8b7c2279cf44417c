"""A new user's first visit: log in, see the nine workstreams in French, switch to Dutch."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import submit_login


def test_log_in_see_the_workstreams_and_switch_to_dutch(page: Page, live_app) -> None:
    factories.load_agreement()
    user = factories.make_user("BXL", "coordinator", email="lotte@example.org", name="Lotte Peeters")
    page.goto("/")
    expect(page.get_by_role("heading", name="Se connecter")).to_be_visible()
    submit_login(page, user.email)
    page.get_by_role("link", name="Accord de coopération entre la Région Île-de-France").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("li.workstream")).to_have_count(9)
    expect(page.get_by_role("heading", name="Le développement économique")).to_be_visible()
    page.get_by_role("button", name="NL").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", name="Werksporen")).to_be_visible()
    expect(page.get_by_role("heading", name="Economische ontwikkeling")).to_be_visible()


def test_keyboard_alone_reaches_the_login_form(page: Page, live_app) -> None:
    page.goto("/login")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused
