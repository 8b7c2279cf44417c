"""Helpers for driving the app like a browser would: logging in and out through their forms, reading pages.

`csrf_token` is kept for the older tests only: new tests submit forms as rendered (tests/forms.py `submit_form`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.factories import PASSWORD
from tests.forms import form_path, page_forms, submit_form

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """Return the first CSRF token of a page. No test uses it any more: a token read this way can belong to
    another form than the one posted (how the report forms' missing token went unnoticed); use `submit_form`."""
    page = client.get(path)
    match = _TOKEN.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


def login(client: FlaskClient, email: str, password: str = PASSWORD, next_path: str | None = None) -> TestResponse:
    """Fill and send the login form as rendered (of /login?next=... when `next_path` is given)."""
    url = "/login" + (f"?{urlencode({'next': next_path})}" if next_path is not None else "")
    page = client.get(url)
    actions = [form_path(f) for f in page_forms(text(page), page.request.url)]
    action = next(a for a in actions if urlsplit(a).path == "/login")
    return submit_form(client, page, action=action, fields={"email": email, "password": password})


def logout(client: FlaskClient) -> TestResponse:
    """Press « Log out » in the header of the profile page."""
    return submit_form(client, "/profile", action="/logout")


def switch_language(client: FlaskClient, lang: str, page: str = "/") -> TestResponse:
    """Press the `lang` button of the language switch in the header of `page` (it comes back to that page)."""
    return submit_form(client, page, action="/language", button=("lang", lang))


@contextmanager
def csrf_check_off(app: Flask) -> Iterator[None]:
    """Turn the CSRF check off, to probe a permission with a POST that no page offers the user.

    Such a request has no form to read a token from; a signed-in attacker holds a valid token of their own
    anyway, so the check under test is the permission, not the token.
    """
    before = app.config.get("WTF_CSRF_ENABLED", True)
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = before


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True)
