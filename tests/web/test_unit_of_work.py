"""A request is one unit of work: committed once after its view, or nothing of it is written.

On a database of its own (real commits): a profile saved is committed once; a view that fails after its change
(here the confirmation message) leaves nothing written and answers the error page; a refusal shown on the
form leaves nothing written, even a change the service had already sent to the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tests import factories
from tests.forms import submit_form
from tests.helpers import login
from tracker.accounts import services as accounts
from tracker.accounts.models import User
from tracker.core.db import db
from tracker.core.errors import ValidationFailed


@pytest.fixture
def signed_in(committed_app: Flask) -> Iterator[tuple[FlaskClient, int]]:
    factories.load_agreement()
    user = factories.make_user("IDF", name="Ancien nom")
    user_id, email = user.id, user.email
    db.session.remove()
    client = committed_app.test_client()
    assert login(client, email).status_code == 302
    yield client, user_id


@pytest.fixture
def commits() -> Iterator[list[Session]]:
    """Collect the sessions committed while the test runs (every session: the request has its own)."""
    seen: list[Session] = []

    def note(session: Session) -> None:
        seen.append(session)

    event.listen(Session, "after_commit", note)
    yield seen
    event.remove(Session, "after_commit", note)


def stored_name(user_id: int) -> str:
    db.session.remove()
    return str(db.session.scalar(select(User.name).where(User.id == user_id)))


def save_profile(client: FlaskClient, name: str) -> Any:
    return submit_form(client, "/profile", action="/profile", fields={"profile-name": name})


def test_a_saved_profile_is_committed_once(signed_in: tuple[FlaskClient, int], commits: list[Session]) -> None:
    client, user_id = signed_in
    page = client.get("/profile")
    commits.clear()
    answer = submit_form(client, page, action="/profile", fields={"profile-name": "Nouveau nom"})
    assert answer.status_code == 302
    assert len(commits) == 1
    assert stored_name(user_id) == "Nouveau nom"


def test_a_view_failing_after_its_change_writes_nothing(
    committed_app: Flask, signed_in: tuple[FlaskClient, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, user_id = signed_in

    def broken_flash(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the confirmation could not be shown")

    monkeypatch.setattr("tracker.accounts.views.flash", broken_flash)
    committed_app.config["PROPAGATE_TEST_ERRORS"] = False
    answer = save_profile(client, "Nouveau nom")
    assert answer.status_code == 500
    assert stored_name(user_id) == "Ancien nom"


def test_a_refusal_on_the_form_writes_nothing(
    signed_in: tuple[FlaskClient, int], commits: list[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, user_id = signed_in
    real_update = accounts.update_profile

    def refuse_after_writing(user: User, **values: Any) -> None:
        real_update(user, **values)
        db.session.flush()  # the change is in the database's transaction before the refusal
        raise ValidationFailed("Refusé après coup.")

    monkeypatch.setattr(accounts, "update_profile", refuse_after_writing)
    page = client.get("/profile")
    commits.clear()
    answer = submit_form(client, page, action="/profile", fields={"profile-name": "Nouveau nom"})
    assert answer.status_code == 422
    assert "Refusé après coup." in answer.get_data(as_text=True)
    assert commits == []
    assert stored_name(user_id) == "Ancien nom"
