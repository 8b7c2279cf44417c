"""One-click unsubscribing (RFC 8058): a signed token naming one person, usable without logging in."""

from __future__ import annotations

import hashlib

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from tracker.accounts.models import DigestFrequency, User
from tracker.core import audit
from tracker.core.db import db
from tracker.core.errors import NotFound

_SALT = "digest-unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _email_tag(email: str) -> str:
    # Ties the token to the address it was sent to: a token stops working if the account changes address.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def unsubscribe_token(user: User) -> str:
    return str(_serializer().dumps({"u": user.id, "e": _email_tag(user.email)}))


def user_for_token(token: str) -> User:
    """Return the owner of a valid token, else raise NotFound (a forged or altered token names nobody)."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        data = None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) and isinstance(data.get("u"), int) else None
    if user is None or _email_tag(user.email) != data.get("e"):  # type: ignore[union-attr]
        raise NotFound(_l("This link is not valid (it may have been cut or changed)."))
    return user


def unsubscribe(token: str) -> User:
    """Stop the digests of the token's owner (flushed, audited) and return them."""
    user = user_for_token(token)
    if user.digest != DigestFrequency.NONE:
        before = user.digest
        user.digest = DigestFrequency.NONE
        db.session.flush()
        audit.record(
            actor=user,
            entity="user",
            entity_id=user.id,
            verb="unsubscribe",
            changes={"digest": [before, DigestFrequency.NONE]},
        )
    return user
