"""Managing one's own API tokens and calendar feed token."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker.accounts.models import ApiToken, User
from tracker.core import audit, clock
from tracker.core.db import db
from tracker.core.errors import NotFound

EXPIRY_CHOICES_DAYS = (7, 30, 90, 365)


def list_tokens(user: User) -> Sequence[ApiToken]:
    """Return the user's tokens that are not revoked, newest first."""
    return db.session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()


def get_own_token(user: User, token_id: int) -> ApiToken:
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    )
    if token is None:
        raise NotFound(_l("This token does not exist or is already revoked."))
    return token


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's tokens; it stops working at once."""
    token = get_own_token(user, token_id)
    token.revoked_at = clock.now()
    audit.record(actor=user, entity="api_token", entity_id=token.id, verb="revoke", changes={"name": token.name})
    return token


def reset_feed_token(user: User) -> str:
    """Give the user a new calendar feed address; the old one answers 404 from now on."""
    user.feed_token = secrets.token_urlsafe(24)
    audit.record(actor=user, entity="user", entity_id=user.id, verb="reset_feed_token")
    return user.feed_token
