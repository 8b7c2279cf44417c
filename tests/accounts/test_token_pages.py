"""Tokens and the calendar address in the profile page."""

from __future__ import annotations

import re

from tests.api.helpers import Api, assert_problem
from tests.factories import load_agreement, make_user
from tests.forms import submit_form
from tests.helpers import csrf_check_off, login, logout, text
from tracker.accounts.models import ApiToken
from tracker.core.db import db


def _create(client, name="Export script", scope="write", days="30"):
    fields = {"token-name": name, "token-scope": scope, "token-expires_in": days}
    return submit_form(client, "/profile", action="/profile/tokens", fields=fields)


def test_create_shows_the_token_once_and_it_works(client, frozen_clock):
    load_agreement()
    user = make_user("IDF")
    login(client, user.email)
    response = _create(client)
    assert response.status_code == 201
    plaintext = re.search(r'id="new-token">([^<]+)<', text(response)).group(1)
    stored = db.session.query(ApiToken).filter_by(user_id=user.id).one()
    assert stored.token_hash != plaintext and plaintext not in stored.token_hash
    assert (stored.name, stored.scope, stored.expires_at.date().isoformat()) == ("Export script", "write", "2026-12-27")
    assert Api(client, plaintext).get("/me").status_code == 200
    page = text(client.get("/profile"))
    assert plaintext not in page
    assert stored.prefix in page and "Export script" in page


def test_bad_token_form_is_refused_with_a_message(client):
    load_agreement()
    user = make_user("IDF")
    login(client, user.email)
    response = _create(client, name="", days="5000")
    assert response.status_code == 422
    assert 'aria-invalid="true"' in text(response)
    assert db.session.query(ApiToken).filter_by(user_id=user.id).count() == 0


def test_revoke_asks_for_confirmation_then_refuses_the_token(client):
    load_agreement()
    user = make_user("IDF")
    login(client, user.email)
    _create(client)
    stored = db.session.query(ApiToken).filter_by(user_id=user.id).one()
    confirm = client.get(f"/profile/tokens/{stored.id}/revoke")
    assert confirm.status_code == 200 and "Export script" in text(confirm)
    assert stored.revoked_at is None
    done = submit_form(client, confirm)
    assert done.status_code == 302
    db.session.refresh(stored)
    assert stored.revoked_at is not None


def test_nobody_revokes_another_persons_token(client):
    load_agreement()
    owner, other = make_user("IDF"), make_user("IDF")
    login(client, owner.email)
    _create(client)
    stored = db.session.query(ApiToken).filter_by(user_id=owner.id).one()
    logout(client)
    login(client, other.email)
    assert client.get(f"/profile/tokens/{stored.id}/revoke").status_code == 404
    with csrf_check_off(client.application):  # no page offers this form to them
        response = client.post(f"/profile/tokens/{stored.id}/revoke")
    assert response.status_code == 404
    db.session.refresh(stored)
    assert stored.revoked_at is None


def test_revoke_and_reset_need_csrf(client):
    load_agreement()
    user = make_user("IDF")
    login(client, user.email)
    _create(client)
    stored = db.session.query(ApiToken).filter_by(user_id=user.id).one()
    assert client.post(f"/profile/tokens/{stored.id}/revoke").status_code == 400
    feed = user.feed_token
    assert client.post("/profile/feed/reset").status_code == 400
    db.session.refresh(user)
    assert user.feed_token == feed


def test_reset_feed_address(client):
    load_agreement()
    user = make_user("IDF")
    login(client, user.email)
    old = user.feed_token
    assert client.get(f"/calendar/{old}.ics").status_code == 200
    assert old in text(client.get("/profile"))
    submit_form(client, "/profile", action="/profile/feed/reset")
    db.session.refresh(user)
    assert user.feed_token != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{user.feed_token}.ics").status_code == 200


def test_revoked_token_from_the_page_is_refused_by_the_api(client):
    load_agreement()
    user = make_user("IDF")
    login(client, user.email)
    plaintext = re.search(r'id="new-token">([^<]+)<', text(_create(client))).group(1)
    stored = db.session.query(ApiToken).filter_by(user_id=user.id).one()
    submit_form(client, f"/profile/tokens/{stored.id}/revoke")
    assert_problem(Api(client, plaintext).get("/me"), 401, "invalid-token")
