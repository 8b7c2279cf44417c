"""Form login and logout: credentials, CSRF, safe `next`, sessions that end, rate limits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import factories
from tests.forms import submit_form
from tests.helpers import login, logout, text
from tracker.core.db import db


@pytest.fixture
def camille(app: Flask):
    factories.load_agreement()
    return factories.make_user("IDF", "coordinator", email="camille.martin@example.org", name="Camille Martin")


def test_login_with_the_right_password_opens_the_agreements(client: FlaskClient, camille) -> None:
    response = login(client, "Camille.Martin@Example.org")
    assert response.status_code == 302
    page = client.get(response.headers["Location"], follow_redirects=True)
    assert "Camille Martin" in text(page)
    assert "Accord de coopération entre la Région Île-de-France" in text(page)


def test_wrong_password_and_unknown_email_get_the_same_answer(client: FlaskClient, camille) -> None:
    wrong = login(client, camille.email, "not the password")
    unknown = login(client, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    message = "L’adresse e-mail ou le mot de passe est incorrect."
    assert message in text(wrong) and message in text(unknown)
    assert client.get("/agreements/").status_code == 302  # still anonymous


def test_inactive_account_cannot_log_in(client: FlaskClient, camille) -> None:
    camille.active = False
    db.session.commit()
    assert login(client, camille.email).status_code == 401


def test_login_without_csrf_token_is_refused(client: FlaskClient, camille) -> None:
    response = client.post("/login", data={"email": camille.email, "password": factories.PASSWORD})
    assert response.status_code == 400
    assert "formulaire a expiré" in text(response)
    assert client.get("/agreements/").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
        "javascript:alert(1)",
        "/\tevil",
        "http:/evil.example",
        "\\\\evil.example",
    ],
)
def test_next_pointing_elsewhere_is_ignored(client: FlaskClient, camille, target: str) -> None:
    response = login(client, camille.email, next_path=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_on_this_site_is_followed(client: FlaskClient, camille) -> None:
    response = login(client, camille.email, next_path="/profile")
    assert response.headers["Location"] == "/profile"


def test_protected_page_sends_to_login_and_back(client: FlaskClient, camille) -> None:
    response = client.get("/profile")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def _second_browser(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of the same session cookie."""
    other = app.test_client()
    cookie = client.get_cookie("session")
    assert cookie is not None
    other.set_cookie("session", cookie.value)
    return other


def test_session_is_dead_after_logout(app: Flask, client: FlaskClient, camille) -> None:
    login(client, camille.email)
    stolen = _second_browser(app, client)
    assert stolen.get("/profile").status_code == 200
    assert logout(client).status_code == 302
    assert client.get("/profile").status_code == 302
    assert stolen.get("/profile").status_code == 302


def test_every_session_ends_after_a_password_change(app: Flask, client: FlaskClient, camille) -> None:
    login(client, camille.email)
    elsewhere = app.test_client()
    login(elsewhere, camille.email)
    response = submit_form(
        client,
        "/profile",
        action="/profile/password",
        fields={
            "password-current_password": factories.PASSWORD,
            "password-new_password": "a brand new passphrase",
            "password-confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert elsewhere.get("/profile").status_code == 302
    assert client.get("/profile").status_code == 302
    assert login(client, camille.email).status_code == 401
    assert login(client, camille.email, "a brand new passphrase").status_code == 302


def test_password_change_with_a_wrong_current_password_changes_nothing(client: FlaskClient, camille) -> None:
    login(client, camille.email)
    response = submit_form(
        client,
        "/profile",
        action="/profile/password",
        fields={
            "password-current_password": "wrong",
            "password-new_password": "a brand new passphrase",
            "password-confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 422
    assert "Le mot de passe actuel est incorrect." in text(response)
    assert client.get("/profile").status_code == 200


def test_login_attempts_are_rate_limited_per_account(app: Flask, camille) -> None:
    statuses = []
    for n in range(7):
        # A new address each time: only the per-account limit can stop these.
        c = app.test_client()
        c.environ_base["REMOTE_ADDR"] = f"10.0.0.{n + 1}"
        statuses.append(login(c, camille.email, "guessing").status_code)
    assert statuses[:5] == [401] * 5
    assert statuses[5:] == [429, 429]
    page = login(c, camille.email, factories.PASSWORD)
    assert page.status_code == 429 and "Trop de tentatives" in text(page)


def test_login_attempts_are_rate_limited_per_address(app: Flask, camille) -> None:
    app.config["LOGIN_RATE_LIMIT_PER_ADDRESS"] = "3 per minute"
    try:
        c = app.test_client()
        statuses = [login(c, f"someone{n}@example.org", "guessing").status_code for n in range(4)]
        assert statuses == [401, 401, 401, 429]
        other_address = app.test_client()
        other_address.environ_base["REMOTE_ADDR"] = "10.9.9.9"
        assert login(other_address, camille.email).status_code == 302
    finally:
        app.config["LOGIN_RATE_LIMIT_PER_ADDRESS"] = "20 per minute"


def _try(client: FlaskClient, email: str, password: str) -> int:
    return submit_form(client, "/login", fields={"email": email, "password": password}).status_code


# A second web worker: a process of its own (its own memory), on the same database.
SECOND_WORKER = """
import sys
from pathlib import Path
from config.settings import TestConfig
from tracker import create_app
from tests.forms import submit_form
app = create_app(TestConfig(sys.argv[1], Path(sys.argv[2])))
client = app.test_client()
fields = {"email": sys.argv[3], "password": "guessing"}
print(",".join(str(submit_form(client, "/login", fields=fields).status_code) for _ in range(3)))
"""


def test_two_web_workers_share_the_count_of_failed_attempts(
    committed_app: Flask, fresh_database: str, tmp_path: Path
) -> None:
    """Two workers on one database, each with its own memory: the limit of 5 failures a minute holds across both."""
    factories.load_agreement()
    email = "camille.martin@example.org"
    factories.make_user("IDF", "coordinator", email=email)
    db.session.remove()  # the test holds no transaction while the workers write
    first = committed_app.test_client()
    assert [_try(first, email, "guessing") for _ in range(3)] == [401] * 3
    second = subprocess.run(
        [sys.executable, "-c", SECOND_WORKER, fresh_database, str(tmp_path / "second"), email],
        capture_output=True,
        text=True,
        check=True,
        cwd=factories.ROOT,
    )
    assert second.stdout.strip() == "401,401,429"
    assert _try(first, email, factories.PASSWORD) == 429  # even the right password, for now


def test_with_a_shared_store_two_workers_count_failed_attempts_in_redis(
    committed_app: Flask, fresh_database: str, tmp_path: Path, backend: str
) -> None:
    """RATELIMIT_STORAGE_URI names Redis (running beside PostgreSQL for the tests): two app instances, as two
    workers, count there, and nothing is written to the database."""
    import redis as redis_client
    from sqlalchemy import func, select

    from config.settings import TestConfig
    from tracker import create_app
    from tracker.accounts.models import LoginFailure

    uri = f"redis://127.0.0.1:6379/{14 if backend == 'sqlite' else 15}"
    store = redis_client.Redis.from_url(uri)
    store.flushdb()
    factories.load_agreement()
    email = "camille.martin@example.org"
    factories.make_user("IDF", "coordinator", email=email)
    db.session.remove()
    other = create_app(TestConfig(fresh_database, tmp_path / "second"))
    try:
        for flask_app in (committed_app, other):
            flask_app.config["RATELIMIT_STORAGE_URI"] = uri
        first, second = committed_app.test_client(), other.test_client()
        assert [_try(first, email, "guessing") for _ in range(3)] == [401] * 3
        assert [_try(second, email, "guessing") for _ in range(3)] == [401, 401, 429]
        assert store.keys()  # counted in Redis...
        assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 0  # ...not in the database
    finally:
        store.flushdb()
