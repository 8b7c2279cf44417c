"""The reports domain's jobs: generate the reports whose period has ended, and render the files of reports."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tracker.reports.prepared import prepare_requested
from tracker.reports.storage import store_pending_files
from tracker.scheduling.jobs import JobContext, JobSpec, cron, every


def report_generation(ctx: JobContext) -> dict[str, Any]:
    """Generate the reports whose period has ended (quarters after a delay, agreement years, final)."""
    from tracker.reports.scheduled import generate_due_reports  # imported when run: declaring the job stays cheap

    return generate_due_reports(ctx.slot)


def report_files(ctx: JobContext) -> dict[str, Any]:
    """Render and keep the files of the reports published since the last run, then the files of other reports people asked for."""
    return {**store_pending_files(ctx.stopping), **prepare_requested(ctx.stopping)}


JOBS = (
    # Daily, so that each report comes on its day (tracker/reports/scheduled.py).
    JobSpec("report_generation", report_generation, cron(hour=5, minute=30), catch_up=timedelta(days=40)),
    # The files of reports just published (three languages, three formats): rendered within a minute.
    JobSpec("report_files", report_files, every(60), catch_up=timedelta(hours=1)),
)
