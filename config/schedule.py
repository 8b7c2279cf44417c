"""When the scheduler's jobs run (APScheduler triggers, in UTC), how long a leader lease lasts, how far back
a scheduler that was down catches up. Each value can be overridden by an environment variable of the same
name prefixed with SCHEDULER_ (e.g. SCHEDULER_OUTBOX_DELIVERY_SECONDS=30)."""

from __future__ import annotations

import os
from typing import Any

# Job name -> APScheduler trigger. The reminder sweep runs at the start of every hour: each run queues the
# digests of the people whose chosen hour (local time) has come.
JOBS: dict[str, dict[str, Any]] = {
    "reminder_sweep": {"trigger": "cron", "minute": 0},
    "outbox_delivery": {"trigger": "interval", "seconds": 60},
    "housekeeping": {"trigger": "cron", "hour": 2, "minute": 15},
    # Reports whose period has ended (tracker/reports/scheduled.py): daily, so that each comes on its day.
    "report_generation": {"trigger": "cron", "hour": 5, "minute": 30},
    # The files of reports just published (three languages, three formats): rendered within a minute.
    "report_files": {"trigger": "interval", "seconds": 60},
    # Agreements whose end date has passed become "ended" (tracker/closeout/): shortly after midnight, local time.
    "agreement_end": {"trigger": "cron", "hour": 0, "minute": 5},
    # Archive packages of closed agreements (tracker/closeout/archive.py): every hour, at a quiet minute.
    "agreement_archive": {"trigger": "cron", "minute": 40},
}
# A quarterly report is generated this many days after its quarter ends (time to log the last progress).
REPORT_QUARTER_DELAY_DAYS = 5
# How far back a job looks for the slot it missed (one run for the latest; older ones are not replayed),
# and for the reminder sweep, how many past dates whose digests never went out are still worth sending.
CATCH_UP_SECONDS = {
    "reminder_sweep": 26 * 3600,
    "outbox_delivery": 3600,
    "housekeeping": 2 * 86400,
    "report_generation": 40 * 86400,
    "report_files": 3600,
    "agreement_end": 40 * 86400,
    "agreement_archive": 2 * 3600,
}
LEDGER_KEEP_DAYS = 30
REMINDER_CATCH_UP_DAYS = 2
HEARTBEAT_SECONDS = 20
LEASE_SECONDS = 60


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(f"SCHEDULER_{name}")
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise RuntimeError(f"SCHEDULER_{name} must be an integer, got {raw!r}") from None


def job_trigger(name: str) -> dict[str, Any]:
    """Return the trigger of a job, with the overrides from the environment applied."""
    spec = dict(JOBS[name])
    if spec["trigger"] == "interval":
        spec["seconds"] = _env_int(f"{name.upper()}_SECONDS", spec["seconds"])
    return spec


def heartbeat_seconds() -> int:
    return _env_int("HEARTBEAT_SECONDS", HEARTBEAT_SECONDS)


def lease_seconds() -> int:
    return _env_int("LEASE_SECONDS", LEASE_SECONDS)
