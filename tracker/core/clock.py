"""The one clock of the application: every "now" and "today" comes from here, and tests freeze it."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

_frozen_at: datetime | None = None
TEST_CLOCK_VARIABLE = "TRACKER_TEST_CLOCK"


def _offset_from_environment() -> timedelta | None:
    """Tests only: TRACKER_TEST_CLOCK=<ISO instant> starts this process's clock there (it then ticks).

    Subprocess tests (a scheduler killed and restarted) cannot share the in-process frozen clock; they pass
    the time this way. Refused in production, where the clock must be the real one.
    """
    raw = os.environ.get(TEST_CLOCK_VARIABLE)
    if not raw:
        return None
    if os.environ.get("TRACKER_ENV", "").lower() == "production":
        raise RuntimeError(f"{TEST_CLOCK_VARIABLE} is for tests; it is refused with TRACKER_ENV=production")
    start = datetime.fromisoformat(raw)
    if start.tzinfo is None:
        raise RuntimeError(f"{TEST_CLOCK_VARIABLE} needs a time zone, e.g. 2026-11-30T06:30:00+00:00")
    return start - datetime.now(UTC)


_offset = _offset_from_environment()


def now() -> datetime:
    """Return the current instant, timezone-aware in UTC (the frozen one in tests)."""
    if _frozen_at is not None:
        return _frozen_at
    if _offset is not None:
        return datetime.now(UTC) + _offset
    return datetime.now(UTC)


def today(timezone: str) -> date:
    """Return the local date in `timezone` at the current instant."""
    return now().astimezone(ZoneInfo(timezone)).date()


def freeze(at: datetime) -> None:
    """Stop the clock at `at` (aware) until `unfreeze()`."""
    global _frozen_at
    if at.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen_at = at.astimezone(UTC)


def advance(delta: timedelta) -> None:
    """Move a frozen clock forward."""
    if _frozen_at is None:
        raise RuntimeError("the clock is not frozen")
    freeze(_frozen_at + delta)


def unfreeze() -> None:
    global _frozen_at
    _frozen_at = None


@contextlib.contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Freeze the clock at `at` for the duration of the block."""
    previous = _frozen_at
    freeze(at)
    try:
        yield
    finally:
        if previous is None:
            unfreeze()
        else:
            freeze(previous)
