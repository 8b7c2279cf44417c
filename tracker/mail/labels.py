"""Names of the outbox states as people read them (the outbox pages and the audit history), and the outbox pages'
short times."""

from __future__ import annotations

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

MAIL_STATE = {
    "pending": _l("Pending"),
    "sending": _l("Sending"),
    "sent": _l("Sent"),
    "failed": _l("To retry"),
    "dead": _l("Given up"),
    "cancelled": _l("Cancelled"),
}


def datetime_short(value: object) -> str:
    """Return a time in the reader's language and short format (`27/11/2026 09:30`), or "" for none."""
    return format_datetime(value, "short") if value else ""
