"""Names of the outbox states as people read them (the outbox pages and the audit history)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MAIL_STATE = {
    "pending": _l("Pending"),
    "sending": _l("Sending"),
    "sent": _l("Sent"),
    "failed": _l("To retry"),
    "dead": _l("Given up"),
    "cancelled": _l("Cancelled"),
}
