"""The jobs the scheduler runs: those the domains registered on the app (tracker/scheduling/jobs.py), and its own
housekeeping of the ledger and the heartbeats."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import delete

from config import schedule
from tracker.core.db import db, unit_of_work
from tracker.scheduling.jobs import JobContext, JobSpec, cron, registered_jobs
from tracker.scheduling.models import SchedulerHeartbeat, SchedulerRun


def housekeeping(ctx: JobContext) -> dict[str, Any]:
    """Forget old ledger rows and the heartbeats of processes long gone (the outbox itself is kept)."""
    with unit_of_work():
        runs = db.session.execute(
            delete(SchedulerRun).where(SchedulerRun.slot < ctx.slot - timedelta(days=schedule.LEDGER_KEEP_DAYS))
        ).rowcount
        beats = db.session.execute(
            delete(SchedulerHeartbeat).where(SchedulerHeartbeat.beat_at < ctx.slot - timedelta(days=1))
        ).rowcount
    return {"ledger_rows_removed": runs, "heartbeats_removed": beats}


HOUSEKEEPING = JobSpec("housekeeping", housekeeping, cron(hour=2, minute=15), catch_up=timedelta(days=2))


def jobs_of(app: Flask) -> list[JobSpec]:
    """Return what a scheduler of `app` runs: the domains' registered jobs, then the housekeeping."""
    return [*registered_jobs(app), HOUSEKEEPING]
