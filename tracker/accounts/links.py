"""Single-use, expiring links sent by email: an invitation (7 days) and a password reset (1 hour).

A link carries the person's id and a fingerprint of their session token, signed with SECRET_KEY. Setting a
password rotates the session token (it ends every session), which spends every link sent before: a link
works once. Nothing is stored.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select

from tracker.accounts.models import User
from tracker.core.db import db

Purpose = Literal["invitation", "password-reset"]
MAX_AGE_SECONDS: dict[str, int] = {"invitation": 7 * 24 * 3600, "password-reset": 3600}


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"tracker-{purpose}")


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.session_token.encode()).hexdigest()[:20]


def make_token(user: User, purpose: Purpose) -> str:
    """Return the secret part of a link for the person (valid until used or MAX_AGE_SECONDS pass)."""
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_token(token: str, purpose: Purpose) -> User | None:
    """Return the active person the link is for, or None when it is forged, expired or already used."""
    try:
        data = _serializer(purpose).loads(token, max_age=MAX_AGE_SECONDS[purpose])
    except BadData:
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.scalar(select(User).where(User.id == data.get("u"), User.active.is_(True)))
    if user is None or data.get("f") != _fingerprint(user):
        return None
    return user
