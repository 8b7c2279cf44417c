"""Helpers for API tests: tokens and authorised requests."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tracker.accounts.models import User
from tracker.accounts.services import create_api_token
from tracker.core.db import db


def token_for(user: User, scope: str = "write", days: int | None = 30) -> str:
    _token, plaintext = create_api_token(user, name="tests", scope=scope, expires_in_days=days)
    db.session.commit()
    return plaintext


class Api:
    """A client that sends a bearer token with every request."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client, self.token = client, token

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **(extra or {})}

    def get(self, path: str, headers: dict[str, str] | None = None, **kw: Any) -> TestResponse:
        return self.client.get("/api/v1" + path, headers=self._headers(headers), **kw)

    def post(self, path: str, json: Any = None, headers: dict[str, str] | None = None, **kw: Any) -> TestResponse:
        return self.client.post("/api/v1" + path, json=json, headers=self._headers(headers), **kw)

    def patch(self, path: str, json: Any = None, headers: dict[str, str] | None = None, **kw: Any) -> TestResponse:
        return self.client.patch("/api/v1" + path, json=json, headers=self._headers(headers), **kw)


def assert_problem(response: TestResponse, status: int, problem_type: str) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["type"] == "/problems/" + problem_type, body
    assert body["status"] == status
    return body
