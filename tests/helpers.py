"""Helpers for driving the app like a browser would: CSRF tokens and logging in."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.factories import PASSWORD

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """Return the CSRF token from a page's form, as a browser would submit it."""
    page = client.get(path)
    match = _TOKEN.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


def login(client: FlaskClient, email: str, password: str = PASSWORD, next_path: str | None = None) -> TestResponse:
    token = csrf_token(client)
    data = {"email": email, "password": password, "csrf_token": token}
    url = "/login" + (f"?{urlencode({'next': next_path})}" if next_path is not None else "")
    return client.post(url, data=data)


def logout(client: FlaskClient) -> TestResponse:
    return client.post("/logout", data={"csrf_token": csrf_token(client, "/profile")})


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True)
