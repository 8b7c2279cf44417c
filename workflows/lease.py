"""Leadership: one scheduler process at a time runs the jobs, holding a lease row (PostgreSQL and SQLite alike)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tracker.core import clock
from tracker.core.db import db
from tracker.scheduling.models import SchedulerLease

LEADER = "leader"


def _insert(values: dict[str, object]) -> Insert:
    module = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return module.insert(SchedulerLease).values(**values).on_conflict_do_nothing(index_elements=["name"])


def acquire(holder: str, ttl_seconds: int, name: str = LEADER) -> bool:
    """Take or renew the lease; return whether `holder` leads until now + ttl. Commits."""
    now = clock.now()
    expires = now + timedelta(seconds=ttl_seconds)
    renewed = db.session.execute(
        update(SchedulerLease)
        .where(SchedulerLease.name == name, SchedulerLease.holder == holder, SchedulerLease.expires_at > now)
        .values(expires_at=expires)
    ).rowcount
    if not renewed:
        renewed = db.session.execute(
            update(SchedulerLease)
            .where(SchedulerLease.name == name, SchedulerLease.expires_at <= now)
            .values(holder=holder, acquired_at=now, expires_at=expires)
        ).rowcount
    if not renewed:
        values = {"name": name, "holder": holder, "acquired_at": now, "expires_at": expires}
        renewed = db.session.execute(_insert(values).returning(SchedulerLease.name)).scalar() is not None
    db.session.commit()
    return bool(renewed)


def current_holder(name: str = LEADER) -> str | None:
    """Return who leads now (None when the lease has expired)."""
    lease = db.session.scalar(select(SchedulerLease).where(SchedulerLease.name == name))
    return lease.holder if lease is not None and lease.expires_at > clock.now() else None


def release(holder: str, name: str = LEADER) -> None:
    """Give the lease up at once (clean shutdown), so another process may lead without waiting. Commits."""
    db.session.execute(
        update(SchedulerLease)
        .where(SchedulerLease.name == name, SchedulerLease.holder == holder)
        .values(expires_at=clock.now())
    )
    db.session.commit()
