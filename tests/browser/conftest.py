"""Browser fixtures: the app served on a free loopback port, and Debian's Chromium driven by Playwright.

Helpers shared by the browser tests: `browser_page` (a page in a fresh context), `log_in` / `log_out` through the
pages as rendered, as a person does, `signed_in` (both at once), `download` / `download_bag` by a click, and the
`patient` fixture for pages that draw charts.
"""

from __future__ import annotations

import os
import shutil
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import bagit
import pytest
from flask import Flask
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect
from werkzeug.serving import make_server

from tests import databases, factories
from tests.conftest import make_test_app
from tracker.core.db import db

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
STEP_TIMEOUT = 20_000  # ms: how long a page's step (click, fill, goto) may take before it fails (a loaded CI machine)
PAGE_LOAD = 30_000  # ms: with `patient`: a report page draws its charts (about a second each on a busy machine)
EXPECT_TIMEOUT = 5_000  # ms: Playwright's default for `expect`


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield instance
        instance.close()


class LiveServer:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_app(tmp_path: Path, sqlite_template: Path) -> Iterator[Flask]:
    """An app on a committed database of its own: SQLite, the embedded default (PostgreSQL is covered below the UI)."""
    url = databases.copy_sqlite(sqlite_template, tmp_path / "live.db")
    # The test thread only sets data up between browser steps: its reads must not hold the write lock.
    app = make_test_app(
        url, tmp_path / "instance", UPLOAD_DIR=tmp_path / "uploads", SQLITE_IMMEDIATE_OUTSIDE_REQUESTS=False
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def live_server(live_app: Flask) -> Iterator[LiveServer]:
    with LiveServer(live_app) as server:
        yield server


@contextmanager
def browser_page(
    browser: Browser, live_server: LiveServer, *, viewport: ViewportSize | None = None, locale: str = "fr-FR"
) -> Iterator[Page]:
    """A page in a fresh browser context (no cookie: nobody signed in) on the live server, closed on leaving.

    `viewport` is {"width": px, "height": px} (Playwright's 1280 × 720 when None); `locale` is the browser's
    language (Accept-Language); CSP is bypassed so that axe-core can be injected; every step may take STEP_TIMEOUT ms.
    """
    options = {"viewport": viewport} if viewport is not None else {}
    context = browser.new_context(base_url=live_server.url, locale=locale, bypass_csp=True, **options)
    context.set_default_timeout(STEP_TIMEOUT)
    try:
        yield context.new_page()
    finally:
        context.close()


def submit_login(page: Page, email: str, password: str = factories.PASSWORD, *, keyboard: bool = False) -> None:
    """On the login page shown: type the e-mail address and the password into their labelled fields, then click
    « Se connecter » (or, with `keyboard`, press Enter in the password field). Waits for nothing."""
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    if keyboard:
        page.keyboard.press("Enter")
    else:
        page.get_by_role("button", name="Se connecter").click()


def log_in(page: Page, email: str, password: str = factories.PASSWORD, *, keyboard: bool = False) -> None:
    """Log in as a person does: open /login, fill the form as rendered (`submit_login`), and wait until signed in,
    on « Mon travail » with « Se déconnecter » shown. Fails (AssertionError) when the login does not go through."""
    page.goto("/login")
    submit_login(page, email, password, keyboard=keyboard)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    expect(page.get_by_role("heading", name="Mon travail")).to_be_visible()


def log_out(page: Page) -> None:
    """Click « Se déconnecter » and wait for the login page."""
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", name="Se connecter")).to_be_visible()


@contextmanager
def signed_in(
    browser: Browser,
    live_server: LiveServer,
    email: str,
    *,
    viewport: ViewportSize | None = None,
    locale: str = "fr-FR",
) -> Iterator[Page]:
    """A `browser_page` in which `email` (password factories.PASSWORD) has logged in (`log_in`), on « Mon travail »."""
    with browser_page(browser, live_server, viewport=viewport, locale=locale) as page:
        log_in(page, email)
        yield page


def download(page: Page, link: Locator, folder: Path, *, timeout: float | None = None) -> Path:
    """Click `link` and save the file the browser downloads into `folder` under the name the server gives; its path.
    `timeout` is in ms (the page's default when None)."""
    with page.expect_download(timeout=timeout) as started:
        link.click()
    saved = folder / started.value.suggested_filename
    started.value.save_as(saved)
    return saved


def download_bag(page: Page, link: Locator, folder: Path, name: str) -> bagit.Bag:
    """`download` the archive package (a zip) behind `link`, unzip it into folder/bag, and validate the bag `name` in
    it with bagit's own validator (bagit.BagValidationError when it does not validate); the bag."""
    with zipfile.ZipFile(download(page, link, folder)) as archive:
        archive.extractall(folder / "bag")
    bag = bagit.Bag(str(folder / "bag" / name))
    bag.validate()
    return bag


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A French page on the live server, nobody signed in (see `browser_page`)."""
    with browser_page(browser, live_server) as page:
        yield page


@pytest.fixture
def patient(page: Page) -> Iterator[None]:
    """Let the page's steps and every `expect` wait PAGE_LOAD ms, for pages that draw charts or a PDF; a key press
    sends a form without waiting for the next page, so the expectations that follow wait for it."""
    page.set_default_timeout(PAGE_LOAD)
    expect.set_options(timeout=PAGE_LOAD)
    yield
    expect.set_options(timeout=EXPECT_TIMEOUT)
