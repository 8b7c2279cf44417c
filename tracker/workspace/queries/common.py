"""Pieces shared by the page queries: the agreement a user may see, and its local date."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker.accounts.models import User
from tracker.actions.models import ActionStatus
from tracker.agreements.models import Agreement
from tracker.agreements.services import visible_agreement_ids
from tracker.core import clock
from tracker.core.db import db
from tracker.core.errors import NotFound

# Actions that count towards progress: started and not abandoned.
COUNTED_STATUSES = (ActionStatus.ACTIVE, ActionStatus.ON_HOLD, ActionStatus.COMPLETED)
OPEN_STATUSES = (ActionStatus.DRAFT, ActionStatus.PROPOSED, ActionStatus.ACTIVE, ActionStatus.ON_HOLD)


def find_agreement(user: User, slug: str) -> Agreement:
    """Return the agreement alone (one query) if the user's party signed it; NotFound otherwise."""
    agreement = db.session.scalar(
        select(Agreement).where(Agreement.slug == slug, Agreement.id.in_(visible_agreement_ids(user)))
    )
    if agreement is None:
        raise NotFound(_l("This agreement does not exist, or you may not see it."))
    return agreement


def agreement_today(agreement: Agreement) -> date:
    return clock.today(agreement.timezone)


def elapsed_percent(agreement: Agreement, today: date) -> int:
    """Return how much of the agreement period has passed, 0 to 100."""
    total = (agreement.ends_on - agreement.starts_on).days
    done = (today - agreement.starts_on).days
    return max(0, min(100, round(100 * done / total))) if total > 0 else 100
