"""The reminder domain's job: the hourly sweep that queues the digests whose hour has come, catching up the
recent dates a scheduler that was down missed."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app

from tracker.reminders.sweep import sweep
from tracker.scheduling.jobs import JobContext, JobSpec, cron

# How many past dates whose digests never went out (the scheduler was down) are still worth sending.
CATCH_UP_DAYS = 2


def reminder_sweep(ctx: JobContext) -> dict[str, Any]:
    """Queue the digests due by the slot's local hour; first those of recent dates that were missed.

    Returns {"date": ISO date, "caught_up": {ISO date: digests queued}, "queued": digests queued for the date}.
    """
    local = ctx.slot.astimezone(ZoneInfo(str(current_app.config["TRACKER_TIMEZONE"])))
    today = local.date()
    previous = ctx.last_done()
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
    first = max(previous.date(), today - timedelta(days=CATCH_UP_DAYS))
    if previous.hour == 23 and first == previous.date():
        first += timedelta(days=1)
    return [first + timedelta(days=k) for k in range((today - first).days)]


# At the start of every hour: each run queues the digests of the people whose chosen hour (local time) has come.
JOBS = (JobSpec("reminder_sweep", reminder_sweep, cron(minute=0), catch_up=timedelta(hours=26)),)
