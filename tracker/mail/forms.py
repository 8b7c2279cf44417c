"""The admin outbox form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import DataRequired

from tracker.core.forms import Form


class ResendForm(Form):
    confirm = BooleanField(
        _l("I checked that this message did not arrive, and want it sent again"),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )


class TestMessageForm(Form):
    """Only the CSRF token: a button that queues a test email to oneself."""
