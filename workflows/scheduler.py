"""The scheduler process: one APScheduler BlockingScheduler in UTC, the jobs the domains registered on the app
(workflows/jobs.py), a leader lease, a run ledger.

Every process beats (heartbeat row, read by /healthz) and tries to take or renew the lease; only the leader
runs jobs. A job's run stands for its slot, the latest scheduled instant at or before now: a slot runs once
(ledger), a process that was down runs the latest missed slot once on start (older ones are not replayed).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from sqlalchemy.exc import OperationalError

from config import schedule
from tracker.core import clock
from tracker.core.db import db, is_busy
from tracker.scheduling.jobs import JobContext, JobSpec
from tracker.scheduling.models import SchedulerHeartbeat
from workflows import lease, ledger
from workflows.jobs import jobs_of

log = logging.getLogger(__name__)
ALIGN = datetime(2020, 1, 6, tzinfo=UTC)  # interval slots are counted from here, the same in every process


def make_trigger(spec: dict[str, Any]) -> BaseTrigger:
    values = {k: v for k, v in spec.items() if k != "trigger"}
    if spec["trigger"] == "interval":
        return IntervalTrigger(start_date=ALIGN, timezone=UTC, **values)
    if spec["trigger"] == "cron":
        return CronTrigger(timezone=UTC, **values)
    raise ValueError(f"unknown trigger {spec['trigger']!r}")


def latest_slot(trigger: BaseTrigger, now: datetime, lookback: timedelta) -> datetime | None:
    """Return the latest fire time of `trigger` at or before `now`, looking back at most `lookback`."""
    found = None
    fire = trigger.get_next_fire_time(None, now - lookback)
    while fire is not None and fire <= now:
        found = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return found


class Scheduler:
    """Runs the app's jobs (or `jobs`) while this process leads."""

    def __init__(self, app: Flask, jobs: list[JobSpec] | None = None) -> None:
        self.app = app
        self.jobs = jobs if jobs is not None else jobs_of(app)
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self.started_at = clock.now()
        self.stopping = threading.Event()
        self.leading = False
        # Jobs that met a busy database: run again at the next heartbeat rather than at their next slot.
        self.retry_soon: set[str] = set()
        self.triggers = {job.name: make_trigger(schedule.tuned_trigger(job.name, job.trigger)) for job in self.jobs}

    # --- heartbeat and leadership ------------------------------------------------------------------
    def beat(self) -> bool:
        """Renew (or take) the lease, record a heartbeat; return whether this process leads now.

        A database too busy to take the beat changes nothing: the lease lasts for several beats, so the next
        one renews it (and whether this process leads is unchanged until then).
        """
        with self.app.app_context():
            try:
                leading = not self.stopping.is_set() and lease.acquire(self.name, schedule.lease_seconds())
                self._heartbeat(leading)
            except OperationalError as exc:
                if not is_busy(exc):
                    raise
                log.warning("scheduler %s: database busy, heartbeat left for the next one (%s)", self.name, exc.orig)
                return self.leading
            finally:
                db.session.remove()
        if leading and not self.leading:
            log.info("scheduler %s leads", self.name)
        self.leading = leading
        return leading

    def _heartbeat(self, leading: bool) -> None:
        beat = db.session.get(SchedulerHeartbeat, self.name) or SchedulerHeartbeat(
            name=self.name, host=socket.gethostname(), pid=os.getpid(), started_at=self.started_at
        )
        beat.beat_at, beat.is_leader = clock.now(), leading
        db.session.add(beat)
        db.session.commit()

    # --- jobs ----------------------------------------------------------------------------------------
    def tick(self, job: JobSpec) -> dict[str, Any] | None:
        """Run the job's latest due slot if this process leads and nobody ran it; return its summary.

        A database that stays busy past its wait is not a failure of the job: the slot is left to run again
        at the next heartbeat (`retry_soon`), and nothing is logged as an error.
        """
        if self.stopping.is_set() or not self.leading:
            return None
        with self.app.app_context():
            try:
                summary = self._run_slot(job)
            except OperationalError as exc:
                if not is_busy(exc):
                    raise
                log.warning("job %s: database busy, run again at the next heartbeat (%s)", job.name, exc.orig)
                self.retry_soon.add(job.name)
                return None
            finally:
                db.session.remove()
        self.retry_soon.discard(job.name)
        return summary

    def _run_slot(self, job: JobSpec) -> dict[str, Any] | None:
        slot = latest_slot(self.triggers[job.name], clock.now(), job.catch_up)
        if slot is None or lease.current_holder() != self.name or not ledger.claim(job.name, slot, self.name):
            return None
        context = JobContext(job.name, slot, self.stopping, last_done=partial(ledger.last_done, job.name, slot))
        try:
            summary = job.run(context)
        except Exception as exc:  # a failed job is recorded (and retried next slot); the scheduler goes on
            if is_busy(exc):
                db.session.rollback()
                raise  # left `running` by its leader: the retry takes the slot over (ledger.claim)
            log.exception("job %s (slot %s) failed", job.name, slot.isoformat())
            ledger.fail(job.name, slot, f"{type(exc).__name__}: {exc}")
            return None
        if self.stopping.is_set():
            return summary  # interrupted: the slot stays open and the next leader completes it
        ledger.finish(job.name, slot, summary)
        log.info("job %s (slot %s): %s", job.name, slot.isoformat(), summary)
        return summary

    def catch_up(self) -> None:
        """Run each job's latest slot now (after a start, or on becoming the leader)."""
        for job in self.jobs:
            self.tick(job)

    # --- the process ------------------------------------------------------------------------------
    def run_forever(self) -> None:
        """Run until SIGTERM or SIGINT; then finish the running job's current step and give the lease up.

        No work happens in a signal handler: Python writes the signal's number to a wake-up socket, which the
        main thread (doing nothing else) waits on, then it stops the scheduler. Stopping from inside a handler
        could deadlock on a lock the interrupted main thread holds (the thread pool's, mid-submit). Ctrl-C can
        reach us twice (SIGINT from the terminal, SIGTERM from scripts/run): the first one counts.
        """
        wakeup, wakeup_writer = socket.socketpair()
        wakeup_writer.setblocking(False)
        signal.set_wakeup_fd(wakeup_writer.fileno(), warn_on_full_buffer=False)
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: None)  # a handler, so that neither kills the process at once
        scheduler = BackgroundScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        )

        def on_beat() -> None:
            was_leading = self.leading
            if not self.beat() or self.stopping.is_set():
                return
            for job in self.jobs:  # a new leader catches up at once; jobs that met a busy database run again
                if not was_leading or job.name in self.retry_soon:
                    scheduler.modify_job(job.name, next_run_time=datetime.now(UTC))

        self.beat()
        scheduler.add_job(on_beat, IntervalTrigger(seconds=schedule.heartbeat_seconds()), id="heartbeat")
        first = datetime.now(UTC)
        for job in self.jobs:
            trigger = self.triggers[job.name]
            scheduler.add_job(self.tick, trigger, args=[job], id=job.name, next_run_time=first)
        scheduler.start()
        signum = wakeup.recv(1)[0]  # blocks until SIGTERM or SIGINT
        log.info("scheduler %s stopping (signal %d)", self.name, signum)
        self.stopping.set()
        # Not shutdown(wait=True): it waits for running jobs while holding the job store's lock, which the
        # heartbeat job may be waiting for (modify_job). Stop first, then wait for the jobs outside the lock;
        # the running job sees `stopping` and ends after its current step.
        scheduler.shutdown(wait=False)
        self._wait_for_running_jobs(scheduler)
        with self.app.app_context():
            lease.release(self.name)
            self._heartbeat(False)
            db.session.remove()
        log.info("scheduler %s stopped", self.name)

    @staticmethod
    def _wait_for_running_jobs(scheduler: BackgroundScheduler) -> None:
        pool = getattr(scheduler._lookup_executor("default"), "_pool", None)
        if pool is not None:
            pool.shutdown(wait=True)
