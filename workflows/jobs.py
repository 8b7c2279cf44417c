"""The scheduler's jobs, declared in code; their timing is in config/schedule.py.

A job is a short function: select what is due, act through the services, commit, return a summary for the
ledger. To add one (e.g. the reports' generation), write `def run(ctx: JobContext) -> dict` and append a
`JobSpec("report_generation", run)` to JOBS: its trigger is config.schedule.JOBS["report_generation"].
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete

from config import schedule
from tracker.closeout.archive import archive_closed_agreements
from tracker.closeout.services import end_due_agreements
from tracker.core.db import db
from tracker.core.runtime import SchedulerHeartbeat, SchedulerRun
from tracker.mail.delivery import deliver_pending
from tracker.reminders.sweep import sweep
from tracker.reports.prepared import prepare_requested
from tracker.reports.scheduled import generate_due_reports
from tracker.reports.storage import store_pending_files
from workflows import ledger


@dataclass
class JobContext:
    """What a job run knows: its slot (the scheduled instant it stands for) and whether to stop early."""

    job: str
    slot: datetime
    stopping: threading.Event = field(default_factory=threading.Event)


@dataclass(frozen=True)
class JobSpec:
    name: str
    run: Callable[[JobContext], dict[str, Any]]


def reminder_sweep(ctx: JobContext) -> dict[str, Any]:
    """Queue the digests due by the slot's local hour; first those of recent dates that were missed."""
    local = ctx.slot.astimezone(ZoneInfo(str(current_app.config["TRACKER_TIMEZONE"])))
    today = local.date()
    previous = ledger.last_done(ctx.job, ctx.slot)
    summary: dict[str, Any] = {"date": today.isoformat(), "caught_up": {}}
    if previous is not None:
        for day in _missed_days(previous.astimezone(local.tzinfo), today):
            if ctx.stopping.is_set():
                return summary
            summary["caught_up"][day.isoformat()] = sweep(day).queued
    summary["queued"] = sweep(today, up_to_hour=local.hour).queued
    return summary


def _missed_days(previous: datetime, today: date) -> list[date]:
    """Dates after the last completed sweep whose later hours never ran (recent ones only: no flood)."""
    first = max(previous.date(), today - timedelta(days=schedule.REMINDER_CATCH_UP_DAYS))
    if previous.hour == 23 and first == previous.date():
        first += timedelta(days=1)
    return [first + timedelta(days=k) for k in range((today - first).days)]


def housekeeping(ctx: JobContext) -> dict[str, Any]:
    """Forget old ledger rows and the heartbeats of processes long gone (the outbox itself is kept)."""
    runs = db.session.execute(
        delete(SchedulerRun).where(SchedulerRun.slot < ctx.slot - timedelta(days=schedule.LEDGER_KEEP_DAYS))
    ).rowcount
    beats = db.session.execute(
        delete(SchedulerHeartbeat).where(SchedulerHeartbeat.beat_at < ctx.slot - timedelta(days=1))
    ).rowcount
    db.session.commit()
    return {"ledger_rows_removed": runs, "heartbeats_removed": beats}


def outbox_delivery(ctx: JobContext) -> dict[str, Any]:
    report = deliver_pending(limit=5000)
    return {"sent": report.sent, "retried": report.retried, "dead": report.dead, "cancelled": report.cancelled}


def report_generation(ctx: JobContext) -> dict[str, Any]:
    """Generate the reports whose period has ended (quarters after a delay, agreement years, final)."""
    return generate_due_reports(ctx.slot, quarter_delay_days=schedule.REPORT_QUARTER_DELAY_DAYS)


def report_files(ctx: JobContext) -> dict[str, Any]:
    """Render and keep the files of the reports published since the last run, then the PDFs people asked for."""
    return {**store_pending_files(ctx.stopping), **prepare_requested(ctx.stopping)}


def agreement_end(ctx: JobContext) -> dict[str, Any]:
    """End the agreements whose end date has passed (audited as done by the system)."""
    ended = end_due_agreements()
    db.session.commit()
    return {"ended": ended}


def agreement_archive(ctx: JobContext) -> dict[str, Any]:
    """Build the archive package of each closed agreement (one commit each; a failure is kept for the admins)."""
    return archive_closed_agreements(ctx.stopping)


JOBS: list[JobSpec] = [
    JobSpec("reminder_sweep", reminder_sweep),
    JobSpec("outbox_delivery", outbox_delivery),
    JobSpec("housekeeping", housekeeping),
    JobSpec("report_generation", report_generation),
    JobSpec("report_files", report_files),
    JobSpec("agreement_end", agreement_end),
    JobSpec("agreement_archive", agreement_archive),
]
