"""Each party's days off beyond its country's public holidays, kept by its admins (and data files).

Reminders skip them (tracker/reminders/calendar.py). The defaults of config/reminders.py (e.g. Brussels'
Iris Day) apply every year; the rows of `party_days_off` are one-off dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from config import reminders as defaults
from tracker.accounts.models import Party, User
from tracker.accounts.permissions import is_admin
from tracker.agreements.models import PartyDayOff
from tracker.core import audit
from tracker.core.db import db
from tracker.core.errors import NotFound, PermissionDenied, ValidationFailed
from tracker.web.i18n import current_language


def _require_admin(user: User) -> None:
    if not is_admin(user):
        raise PermissionDenied(_l("Only administrators keep the days off of their administration."))


def days_off_by_party() -> dict[int, list[date]]:
    """Return {party id: [dates]} of every one-off day off (one query)."""
    found: dict[int, list[date]] = {}
    for party_id, on in db.session.execute(select(PartyDayOff.party_id, PartyDayOff.off_on)):
        found.setdefault(party_id, []).append(on)
    return found


def yearly_defaults(party: Party) -> list[tuple[int, int, str]]:
    """Return the party's days off of every year, as (month, day, label in the reader's language, else French;
    a label configured as one string is shown as it is)."""
    language = current_language()
    return [
        (month, day, label if isinstance(label, str) else label.get(language) or label.get("fr") or "")
        for month, day, label in defaults.PARTY_DAYS_OFF.get(party.code, ())
    ]


def list_days_off(user: User) -> Sequence[PartyDayOff]:
    """Return the one-off days off of the admin's party, in date order."""
    _require_admin(user)
    return db.session.scalars(
        select(PartyDayOff).where(PartyDayOff.party_id == user.party_id).order_by(PartyDayOff.off_on)
    ).all()


def add_day_off(user: User, on: date, label: str) -> PartyDayOff:
    """Add a day off to the admin's party (flushed, audited); ValidationFailed when it is there already."""
    _require_admin(user)
    if db.session.get(PartyDayOff, (user.party_id, on)) is not None:
        message = _l("This day is already a day off.")
        raise ValidationFailed(message, {"on": [message]})
    day = PartyDayOff(party_id=user.party_id, off_on=on, label=label.strip()[:200])
    db.session.add(day)
    db.session.flush()
    audit.record(actor=user, entity="day_off", entity_id=user.party_id, verb="create", changes=_values(day))
    return day


def remove_day_off(user: User, on: date) -> None:
    """Remove a day off of the admin's party (flushed, audited); NotFound when there is none that day."""
    _require_admin(user)
    day = db.session.get(PartyDayOff, (user.party_id, on))
    if day is None:
        raise NotFound(_l("This day is not a day off."))
    values = _values(day)
    db.session.delete(day)
    db.session.flush()
    audit.record(actor=user, entity="day_off", entity_id=user.party_id, verb="delete", changes=values)


def _values(day: PartyDayOff) -> dict[str, str]:
    return {"on": day.off_on.isoformat(), "label": day.label}
