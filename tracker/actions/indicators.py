"""Indicator measurements: a dated value, recorded by those who manage the indicator."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from tracker.accounts.models import User
from tracker.actions import permissions
from tracker.actions.access import ensure_visible
from tracker.actions.models import Indicator, Measurement
from tracker.actions.units import precision
from tracker.actions.validation import MAX_NOTE, MAX_SOURCE, Errors, as_date, clean_number, clean_text, reader_date
from tracker.core import audit, clock
from tracker.core.db import db
from tracker.core.errors import PermissionDenied


def record_measurement(
    user: User,
    indicator: Indicator,
    *,
    measured_on: date | str,
    value: float | str,
    source: str = "",
    note: str = "",
) -> Measurement:
    """Record a value of the indicator on a date (not in the future, not before the baseline)."""
    ensure_visible(user, indicator.agreement_id, _l("This indicator does not exist, or you may not see it."))
    if not permissions.can_manage_indicators(user, indicator.workstream):
        raise PermissionDenied(_l("Only the workstream's co-leads and administrators may record measurements."))
    errors = Errors()
    clean: dict[str, Any] = {
        "measured_on": errors.check("measured_on", as_date, measured_on, "measured_on", required=True),
        "value": errors.check("value", clean_number, value),
        "source": errors.check("source", clean_text, source, "source", MAX_SOURCE),
        "note": errors.check("note", clean_text, note, "note", MAX_NOTE),
    }
    # A count (people, a rank) has no decimals; other units are shown rounded to their precision.
    if clean["value"] is not None and precision(indicator.unit) == 0 and not float(clean["value"]).is_integer():
        errors.add("value", _l("This indicator counts whole units: give a number without decimals."))
    elif clean["value"] is not None and indicator.unit == "percent" and not 0 <= float(clean["value"]) <= 100:
        errors.add("value", _l("A percentage is between 0 and 100."))
    day = clean["measured_on"]
    if day is not None and day > clock.today(indicator.agreement.timezone):
        errors.add("measured_on", _l("A measurement cannot be dated in the future."))
    elif day is not None and day < indicator.baseline_on:
        errors.add(
            "measured_on",
            _l(
                "A measurement cannot be dated before the baseline (%(date)s).", date=reader_date(indicator.baseline_on)
            ),
        )
    errors.raise_if_any()
    measurement = Measurement(indicator=indicator, recorded_by_id=user.id, created_at=clock.now(), **clean)
    db.session.add(measurement)
    db.session.flush()
    audit.record(
        actor=user,
        entity="measurement",
        entity_id=measurement.id,
        verb="record",
        changes={"indicator_id": indicator.id, **audit.snapshot(measurement, tuple(clean))},
        agreement_id=indicator.agreement_id,
    )
    db.session.flush()
    return measurement
