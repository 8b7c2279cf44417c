"""Login limits that every web worker shares: failed attempts counted per address and per account.

Where they are counted: in Redis (or any `limits` storage) when RATELIMIT_STORAGE_URI names a shared store,
otherwise in the database (`login_failures`), which every worker and host of the installation reads. Only
failures count; the limits are LOGIN_RATE_LIMIT_PER_ADDRESS and LOGIN_RATE_LIMIT_PER_ACCOUNT, e.g.
"5 per minute; 30 per hour" (moving windows). Keys are SHA-256 digests: no address or email is stored.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from flask import current_app
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import delete, insert, select

from tracker.accounts.models import LoginFailure
from tracker.core import clock
from tracker.core.db import db

IN_PROCESS = "memory://"


def _limits(address: str | None, email: str | None) -> list[tuple[str, list[RateLimitItem]]]:
    """Return [(key, limits)] for the caller's address and the account asked for."""
    config = current_app.config
    digest = lambda kind, value: kind + ":" + hashlib.sha256(value.encode()).hexdigest()  # noqa: E731
    return [
        (digest("address", address or "-"), parse_many(config["LOGIN_RATE_LIMIT_PER_ADDRESS"])),
        (digest("account", (email or "").strip().lower()), parse_many(config["LOGIN_RATE_LIMIT_PER_ACCOUNT"])),
    ]


def _shared_limiter() -> MovingWindowRateLimiter | None:
    """The `limits` limiter on RATELIMIT_STORAGE_URI, or None to count in the database."""
    uri = str(current_app.config.get("RATELIMIT_STORAGE_URI") or IN_PROCESS)
    if uri == IN_PROCESS:
        return None
    cached: dict[str, Any] = current_app.extensions.setdefault("login_throttle", {})
    if uri not in cached:
        cached[uri] = MovingWindowRateLimiter(storage_from_string(uri))
    return cached[uri]


def is_blocked(address: str | None, email: str | None) -> bool:
    """Tell whether the address or the account has used up its failed attempts (one query, or Redis calls)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return False
    keyed = _limits(address, email)
    shared = _shared_limiter()
    if shared is not None:
        return any(not shared.test(item, key) for key, items in keyed for item in items)
    now = clock.now()
    longest = max(item.get_expiry() for _, items in keyed for item in items)
    rows = db.session.execute(
        select(LoginFailure.key, LoginFailure.at).where(
            LoginFailure.key.in_([key for key, _ in keyed]), LoginFailure.at > now - timedelta(seconds=longest)
        )
    ).all()
    for key, items in keyed:
        for item in items:
            since = now - timedelta(seconds=item.get_expiry())
            if sum(1 for k, at in rows if k == key and at > since) >= item.amount:
                return True
    return False


def record_failure(address: str | None, email: str | None) -> None:
    """Count one failed attempt for the address and the account (database: flushed, the caller commits)."""
    keyed = _limits(address, email)
    shared = _shared_limiter()
    if shared is not None:
        for key, items in keyed:
            for item in items:
                shared.hit(item, key)
        return
    now = clock.now()
    longest = max(item.get_expiry() for _, items in keyed for item in items)
    db.session.execute(delete(LoginFailure).where(LoginFailure.at < now - timedelta(seconds=longest)))
    db.session.execute(insert(LoginFailure), [{"key": key, "at": now} for key, _ in keyed])


def reset() -> None:
    """Forget every counted failure (tests; an operator after an incident)."""
    shared = _shared_limiter()
    if shared is not None:
        shared.storage.reset()
    else:
        db.session.execute(delete(LoginFailure))
