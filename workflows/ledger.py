"""The run ledger: a row per (job, slot), so each slot runs once even with several scheduler processes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tracker.core import clock
from tracker.core.db import db
from tracker.scheduling.models import SchedulerRun
from workflows import lease

RUNNING, DONE, FAILED = "running", "done", "failed"


def _insert(values: dict[str, Any]) -> Insert:
    module = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return module.insert(SchedulerRun).values(**values).on_conflict_do_nothing(index_elements=["job", "slot"])


def claim(job: str, slot: datetime, holder: str) -> bool:
    """Record that `holder` runs this slot; False when it ran already or another live process is running it.

    A slot left `running` or `failed` by a process that no longer leads (it crashed, or was killed) is taken
    over: what it did half-way is idempotent, so running the slot again completes it. Commits.
    """
    now = clock.now()
    row = {"job": job, "slot": slot, "status": RUNNING, "holder": holder, "attempts": 1, "started_at": now}
    if db.session.execute(_insert(row).returning(SchedulerRun.id)).scalar() is not None:
        db.session.commit()
        return True
    existing = db.session.scalar(
        select(SchedulerRun).where(SchedulerRun.job == job, SchedulerRun.slot == slot).with_for_update()
    )
    leader = lease.current_holder()
    if existing is None or existing.status == DONE or (existing.holder == leader and existing.holder != holder):
        db.session.commit()
        return False
    existing.status, existing.holder, existing.started_at = RUNNING, holder, now
    existing.attempts += 1
    existing.error = None
    db.session.commit()
    return True


def finish(job: str, slot: datetime, summary: dict[str, Any]) -> None:
    _close(job, slot, status=DONE, summary=summary, error=None)


def fail(job: str, slot: datetime, error: str) -> None:
    _close(job, slot, status=FAILED, error=error[:2000])


def _close(job: str, slot: datetime, **values: Any) -> None:
    db.session.rollback()
    db.session.execute(
        update(SchedulerRun)
        .where(SchedulerRun.job == job, SchedulerRun.slot == slot)
        .values(finished_at=clock.now(), **values)
    )
    db.session.commit()


def last_done(job: str, before: datetime) -> datetime | None:
    """Return the latest slot of `job` that completed before `before`."""
    return db.session.scalar(
        select(SchedulerRun.slot)
        .where(SchedulerRun.job == job, SchedulerRun.status == DONE, SchedulerRun.slot < before)
        .order_by(SchedulerRun.slot.desc())
        .limit(1)
    )
