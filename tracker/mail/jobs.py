"""The mail domain's job: deliver the outbox every minute."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tracker.mail.delivery import deliver_pending
from tracker.scheduling.jobs import JobContext, JobSpec, every

BATCH = 5000


def outbox_delivery(ctx: JobContext) -> dict[str, Any]:
    """Send what is due (at most BATCH messages); returns the counts sent, retried, dead and cancelled."""
    report = deliver_pending(limit=BATCH)
    return {"sent": report.sent, "retried": report.retried, "dead": report.dead, "cancelled": report.cancelled}


JOBS = (JobSpec("outbox_delivery", outbox_delivery, every(60), catch_up=timedelta(hours=1)),)
