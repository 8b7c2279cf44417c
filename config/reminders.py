"""Defaults of the reminder rules (DESIGN.md, "Reminders"); admins change the cadence numbers in the app."""

from __future__ import annotations

# Days before a milestone's due date when its owner is reminded (0: on the day).
DUE_SOON_DAYS = (14, 3, 0)
# Overdue milestones: the owner hears on day 1 after the due date, then every 7 days.
OVERDUE_FIRST_DAY = 1
OVERDUE_REPEAT_DAYS = 7
# From this many days overdue, the workstream's co-leads of both regions are told too (then every 7 days).
OVERDUE_ESCALATION_DAY = 14
# Active actions with no progress logged for this many days (then every 7 days).
STALE_AFTER_DAYS = 60
# A call to log progress this many days before each quarter ends.
QUARTER_CALL_DAYS = 10
# Weekly digests go out on this weekday (0 = Monday), or the next working day when it is a holiday.
WEEKLY_DIGEST_WEEKDAY = 0
# Digest hour of new accounts (local time, TRACKER_TIMEZONE).
DEFAULT_DIGEST_HOUR = 7
# Days off of each party's administration that the `holidays` package does not know, every year:
# party code -> ((month, day, {language: label}), ...), a label in French, Dutch and English (shown in the reader's
# language, French when theirs is missing). Admins add one-off days in the app (/admin/days-off).
PARTY_DAYS_OFF = {
    # The Brussels-Capital Region's public service is off on Iris Day, the Region's holiday; the package's
    # Belgian calendar has no Brussels subdivision.
    "BXL": ((5, 8, {"fr": "Fête de l’Iris", "nl": "Irisfeest", "en": "Iris Day"}),),
}
