"""The mail domain's job: deliver the outbox every minute. What a job runs is imported when it runs: declaring
the job (at every app start) stays cheap."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tracker.scheduling.jobs import JobContext, JobSpec, every

BATCH = 5000


def outbox_delivery(ctx: JobContext) -> dict[str, Any]:
    """Send what is due (at most BATCH messages); returns the counts sent, retried, dead and cancelled."""
    from tracker.mail.delivery import deliver_pending  # SMTP is loaded by the scheduler only, not by every app

    report = deliver_pending(limit=BATCH)
    return {"sent": report.sent, "retried": report.retried, "dead": report.dead, "cancelled": report.cancelled}


JOBS = (JobSpec("outbox_delivery", outbox_delivery, every(60), catch_up=timedelta(hours=1)),)
