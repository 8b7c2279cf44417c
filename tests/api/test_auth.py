"""Bearer tokens: who gets in, who is refused, and how errors look."""

from __future__ import annotations

from datetime import timedelta

from tests.api.helpers import Api, assert_problem, token_for
from tests.factories import load_agreement, make_user
from tests.helpers import login
from tracker.accounts.models import ApiToken
from tracker.core import clock
from tracker.core.db import db


def test_me_answers_with_the_token_owner(client, frozen_clock):
    load_agreement()
    user = make_user("BXL", "reviewer", name="Lotte Peeters")
    response = Api(client, token_for(user, scope="read")).get("/me")
    assert response.status_code == 200
    body = response.get_json()
    assert body["name"] == "Lotte Peeters"
    assert body["party"]["code"] == "BXL"
    assert body["token_scope"] == "read"
    token = db.session.query(ApiToken).filter_by(user_id=user.id).one()
    assert token.last_used_at == clock.now()


def test_no_token_or_a_session_cookie_is_refused(client):
    load_agreement()
    user = make_user("IDF")
    login(client, user.email)
    response = client.get("/api/v1/me")
    body = assert_problem(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Bearer" in body["title"]


def test_unknown_revoked_and_expired_tokens_are_refused(client, frozen_clock):
    load_agreement()
    user = make_user("IDF")
    assert_problem(Api(client, "trk_not-a-real-token").get("/me"), 401, "invalid-token")

    revoked = token_for(user)
    db.session.query(ApiToken).filter_by(user_id=user.id).update({"revoked_at": clock.now()})
    db.session.commit()
    assert_problem(Api(client, revoked).get("/me"), 401, "invalid-token")

    expiring = token_for(user, days=1)
    assert Api(client, expiring).get("/me").status_code == 200
    clock.advance(timedelta(days=1, seconds=1))
    assert_problem(Api(client, expiring).get("/me"), 401, "invalid-token")


def test_a_token_never_outlives_its_users_access(client):
    load_agreement()
    user = make_user("IDF")
    token = token_for(user)
    assert Api(client, token).get("/me").status_code == 200
    user.active = False
    db.session.commit()
    assert_problem(Api(client, token).get("/me"), 401, "invalid-token")


def test_errors_are_problem_documents(client):
    load_agreement()
    api = Api(client, token_for(make_user("IDF")))
    assert_problem(api.get("/nowhere"), 404, "not-found")
    assert_problem(api.get("/actions/999999"), 404, "not-found")
    assert_problem(api.client.delete("/api/v1/me", headers=api._headers(None)), 405, "method-not-allowed")
    body = assert_problem(api.get("/actions?per_page=1000"), 422, "validation-failed")
    assert "per_page" in body["errors"]
    assert_problem(api.get("/actions?status=unknown"), 422, "validation-failed")


def test_read_only_token_cannot_write(client):
    load_agreement()
    user = make_user("IDF")
    api = Api(client, token_for(user, scope="read"))
    assert_problem(api.patch("/actions/1", json={"version": 1, "title": "x"}), 403, "read-only-token")


def test_bad_bodies_are_problem_documents(client):
    load_agreement()
    api = Api(client, token_for(make_user("IDF")))
    bad_json = api.patch("/actions/1", data="{not json", headers={"Content-Type": "application/json"})
    assert_problem(bad_json, 400, "invalid-json")
    not_json = api.patch("/actions/1", data="title=x", headers={"Content-Type": "text/plain"})
    assert_problem(not_json, 415, "unsupported-media-type")


def test_too_many_requests_is_a_problem_document(app, client):
    load_agreement()
    api = Api(client, token_for(make_user("IDF")))
    app.config["API_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = [api.get("/me").status_code for _ in range(4)]
        assert statuses[:3] == [200, 200, 200]
        assert_problem(api.get("/me"), 429, "too-many-requests")
    finally:
        app.config["API_RATE_LIMIT"] = "600 per minute"


def test_the_html_app_keeps_its_csrf_protection(client):
    load_agreement()
    user = make_user("IDF")
    login(client, user.email)
    response = client.post("/profile", data={"profile-name": "New name"})
    assert response.status_code == 400
