"""Bearer-token authentication of API requests; session cookies never authenticate the API."""

from __future__ import annotations

from datetime import timedelta

from flask import g, request
from flask_babel import gettext as _
from sqlalchemy import or_, update
from werkzeug.wrappers import Response

from tracker.accounts.models import ApiToken, TokenScope, User
from tracker.accounts.services import user_for_token
from tracker.core import clock
from tracker.core.db import READ_METHODS, db, writing
from tracker.web.errors import problem

# Writing last_used_at on every request would turn reads into writes; a minute's precision is enough.
LAST_USED_PRECISION = timedelta(minutes=1)


def _unauthorized(problem_type: str, title: str) -> Response:
    response = problem(401, problem_type, title)
    response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def bearer_token() -> str | None:
    """Return the token of the Authorization header, if it holds a bearer token."""
    scheme, _sep, value = request.headers.get("Authorization", "").partition(" ")
    value = value.strip()
    return value if scheme.lower() == "bearer" and value else None


def authenticate() -> Response | None:
    """Set g.api_user and g.api_token from the bearer token, or answer 401/403."""
    plaintext = bearer_token()
    if plaintext is None:
        return _unauthorized("unauthorized", _("An API token is needed: Authorization: Bearer TOKEN."))
    found = user_for_token(plaintext)
    if found is None:
        return _unauthorized("invalid-token", _("This token is unknown, revoked or expired."))
    user, token = found
    if request.method not in READ_METHODS and token.scope != TokenScope.WRITE:
        return problem(403, "read-only-token", _("This token may only read. Create a read-write token to change data."))
    _touch(token)
    g.api_user, g.api_token = user, token
    return None


def _touch(token: ApiToken) -> None:
    """Record the token's use, at most once a minute, in a short writer transaction of its own.

    A read request's transaction begins as a reader; upgrading it to write this would fail at once on a busy
    SQLite database ("database is locked"), where a writer transaction waits for its turn.
    """
    now = clock.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    token_id = token.id
    stale = or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - LAST_USED_PRECISION)
    with writing():
        db.session.execute(update(ApiToken).where(ApiToken.id == token_id, stale).values(last_used_at=now))


def current_api_user() -> User:
    user: User = g.api_user
    return user
