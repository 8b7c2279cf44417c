"""The cadence in force for each party: its admins' saved numbers, else the defaults of config/reminders.py.

Each party's admins set the cadence of their own people only; the sweep reads every party's at once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from config import reminders as defaults
from tracker.accounts.models import User
from tracker.accounts.permissions import is_admin
from tracker.core import audit
from tracker.core.db import db
from tracker.core.errors import Conflict, PermissionDenied, ValidationFailed
from tracker.reminders.models import ReminderSettings

LIMITS = {
    "overdue_first_day": (0, 60),
    "overdue_repeat_days": (1, 60),
    "overdue_escalation_day": (1, 365),
    "stale_after_days": (7, 365),
    "quarter_call_days": (1, 45),
}


@dataclass(frozen=True)
class Cadence:
    due_soon_days: tuple[int, ...] = defaults.DUE_SOON_DAYS
    overdue_first_day: int = defaults.OVERDUE_FIRST_DAY
    overdue_repeat_days: int = defaults.OVERDUE_REPEAT_DAYS
    overdue_escalation_day: int = defaults.OVERDUE_ESCALATION_DAY
    stale_after_days: int = defaults.STALE_AFTER_DAYS
    quarter_call_days: int = defaults.QUARTER_CALL_DAYS

    def as_dict(self) -> dict[str, object]:
        values = asdict(self)
        values["due_soon_days"] = list(self.due_soon_days)
        return values


def _cadence_of(row: ReminderSettings | None) -> Cadence:
    if row is None:
        return Cadence()
    return Cadence(
        due_soon_days=tuple(row.due_soon_days),
        overdue_first_day=row.overdue_first_day,
        overdue_repeat_days=row.overdue_repeat_days,
        overdue_escalation_day=row.overdue_escalation_day,
        stale_after_days=row.stale_after_days,
        quarter_call_days=row.quarter_call_days,
    )


def current_cadence(party_id: int) -> Cadence:
    """Return the cadence in force for the people of the party."""
    return _cadence_of(db.session.get(ReminderSettings, party_id))


def cadences_by_party() -> dict[int, Cadence]:
    """Return the saved cadence of each party that saved one (one query); the others follow `Cadence()`."""
    return {row.party_id: _cadence_of(row) for row in db.session.scalars(select(ReminderSettings))}


def current_version(party_id: int) -> int:
    row = db.session.get(ReminderSettings, party_id)
    return row.version if row else 0


def parse_days(raw: str) -> tuple[int, ...]:
    """Read "14, 3, 0" into (14, 3, 0); raise ValidationFailed on anything else."""
    try:
        days = sorted({int(part) for part in raw.replace(";", ",").split(",") if part.strip()}, reverse=True)
    except ValueError:
        days = []
    if not days or len(days) > 6 or any(d < 0 or d > 90 for d in days):
        message = _l("Give one to six numbers of days between 0 and 90, separated by commas.")
        raise ValidationFailed(message, {"due_soon_days": [message]})
    return tuple(days)


def save_cadence(user: User, cadence: Cadence, *, version: int) -> None:
    """Store the cadence of the admin's party (flushed, audited); `version` is the one the form was based on."""
    if not is_admin(user):
        raise PermissionDenied(_l("Only administrators change the reminder settings."))
    errors = {}
    for name, (low, high) in LIMITS.items():
        value = getattr(cadence, name)
        if not low <= value <= high:
            errors[name] = [_l("Between %(low)d and %(high)d.", low=low, high=high)]
    if errors:
        raise ValidationFailed(_l("Some values are not valid."), errors)
    party_id = user.party_id
    row = db.session.get(ReminderSettings, party_id)
    if current_version(party_id) != version:
        raise Conflict(_l("Someone changed these settings meanwhile. Nothing was saved: look at them again."))
    before = current_cadence(party_id).as_dict()
    if row is None:
        row = ReminderSettings(party_id=party_id)
        db.session.add(row)
    for name, value in cadence.as_dict().items():
        setattr(row, name, value)
    row.updated_by_id = user.id
    db.session.flush()
    changes = audit.diff(before, cadence.as_dict())
    if changes:
        audit.record(actor=user, entity="reminder_settings", entity_id=party_id, verb="update", changes=changes)
