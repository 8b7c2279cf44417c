"""The close-out domain's jobs: end the agreements whose end date has passed, build the archive packages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tracker.closeout.archive import archive_closed_agreements
from tracker.core.db import unit_of_work
from tracker.scheduling.jobs import JobContext, JobSpec, cron


def agreement_end(ctx: JobContext) -> dict[str, Any]:
    """End the agreements whose end date has passed (audited as done by the system); returns {"ended": [slug]}."""
    from tracker.closeout.services import end_due_agreements  # imported when run: declaring the job stays cheap

    with unit_of_work():
        ended = end_due_agreements()
    return {"ended": ended}


def agreement_archive(ctx: JobContext) -> dict[str, Any]:
    """Build the archive package of each closed agreement (one commit each; a failure is kept for the admins)."""
    return archive_closed_agreements(ctx.stopping)


JOBS = (
    # At 00:05 UTC, shortly after midnight in Paris and Brussels.
    JobSpec("agreement_end", agreement_end, cron(hour=0, minute=5), catch_up=timedelta(days=40)),
    # Every hour, at a quiet minute.
    JobSpec("agreement_archive", agreement_archive, cron(minute=40), catch_up=timedelta(hours=2)),
)
