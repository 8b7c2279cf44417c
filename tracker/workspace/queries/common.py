"""Pieces shared by the page queries: the agreement a user may see, and its local date."""

from __future__ import annotations

from datetime import date

from tracker.actions.models import ActionStatus
from tracker.agreements.models import Agreement
from tracker.core import clock

# Actions that count towards progress: started and not abandoned.
COUNTED_STATUSES = (ActionStatus.ACTIVE, ActionStatus.ON_HOLD, ActionStatus.COMPLETED)


def agreement_today(agreement: Agreement) -> date:
    return clock.today(agreement.timezone)


def elapsed_percent(agreement: Agreement, today: date) -> int:
    """Return how much of the agreement period has passed, 0 to 100."""
    total = (agreement.ends_on - agreement.starts_on).days
    done = (today - agreement.starts_on).days
    return max(0, min(100, round(100 * done / total))) if total > 0 else 100
