"""The job registry: a domain declares its jobs (name, trigger, catch-up) beside its work and registers them from
its `init_app(app)`; the scheduler process (workflows/scheduler.py) runs what the app holds.

A job is a short function: select what is due, act through the services, commit, return a summary (plain JSON)
for the run ledger. To add one:

    def report_generation(ctx: JobContext) -> dict[str, Any]: ...
    JOBS = (JobSpec("report_generation", report_generation, cron(hour=5, minute=30), catch_up=timedelta(days=40)),)
    register_jobs(app, JOBS)  # in the domain's init_app

Triggers are in UTC. An `interval` job's seconds can be overridden by the operator through the environment
(config/schedule.py: SCHEDULER_<NAME>_SECONDS).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import Flask

EXTENSION = "tracker.jobs"


def _unknown() -> datetime | None:
    return None


@dataclass
class JobContext:
    """What a job run knows: its slot (the scheduled instant it stands for) and whether to stop early.

    `last_done()` returns the slot of the job's latest completed run before this one (UTC), or None when there
    is none or the job runs outside the scheduler (a test, a command); the scheduler answers it from its ledger.
    """

    job: str
    slot: datetime
    stopping: threading.Event = field(default_factory=threading.Event)
    last_done: Callable[[], datetime | None] = _unknown


@dataclass(frozen=True)
class JobSpec:
    """A job: its unique name (the ledger's key), what it runs, when (an APScheduler trigger as a dict, in
    UTC: `{"trigger": "cron", "minute": 0}` or `{"trigger": "interval", "seconds": 60}`), and how far back a
    scheduler that was down looks for the slot it missed (one run for the latest; older ones are not replayed)."""

    name: str
    run: Callable[[JobContext], dict[str, Any]]
    trigger: dict[str, Any]
    catch_up: timedelta = timedelta(hours=1)


def cron(**fields: int) -> dict[str, Any]:
    """A cron trigger in UTC, e.g. `cron(hour=5, minute=30)`."""
    return {"trigger": "cron", **fields}


def every(seconds: int) -> dict[str, Any]:
    """An interval trigger (slots counted from a fixed instant, the same in every process)."""
    return {"trigger": "interval", "seconds": seconds}


def register_jobs(app: Flask, jobs: Iterable[JobSpec]) -> None:
    """Add a domain's jobs to the app's registry, in order; raises ValueError for a name already taken."""
    registry: dict[str, JobSpec] = app.extensions.setdefault(EXTENSION, {})
    for job in jobs:
        if job.name in registry:
            raise ValueError(f"a job named {job.name!r} is registered already")
        registry[job.name] = job


def registered_jobs(app: Flask) -> list[JobSpec]:
    """Return the jobs the domains registered on `app`, in the order they were registered."""
    return list(app.extensions.get(EXTENSION, {}).values())
