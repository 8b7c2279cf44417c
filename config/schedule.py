"""What the operator may tune in the scheduler: how often it beats, how long a leader lease lasts, how long the
run ledger is kept, and the period of each interval job. Each value can be overridden by an environment variable
of the same name prefixed with SCHEDULER_ (e.g. SCHEDULER_OUTBOX_DELIVERY_SECONDS=30).

The jobs themselves (name, trigger, catch-up) are declared by their domains (tracker/scheduling/jobs.py)."""

from __future__ import annotations

import os
from typing import Any

LEDGER_KEEP_DAYS = 30
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


def tuned_trigger(name: str, trigger: dict[str, Any]) -> dict[str, Any]:
    """Return a job's trigger with the environment's override applied (SCHEDULER_<NAME>_SECONDS, interval jobs)."""
    spec = dict(trigger)
    if spec["trigger"] == "interval":
        spec["seconds"] = _env_int(f"{name.upper()}_SECONDS", spec["seconds"])
    return spec


def heartbeat_seconds() -> int:
    return _env_int("HEARTBEAT_SECONDS", HEARTBEAT_SECONDS)


def lease_seconds() -> int:
    return _env_int("LEASE_SECONDS", LEASE_SECONDS)
