"""Forms of the report pages: generate (admins), sign and return (reviewers)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker.core.forms import Form
from tracker.core.lifecycle import MAX_COMMENT_LENGTH


class NoOwnCsrf(Form):
    """The app-wide CSRFProtect checks every POST's token (prefixed or not); the forms need no second field."""

    class Meta:
        csrf = False


class GenerateForm(NoOwnCsrf):
    period = StringField(_l("Period"), validators=[DataRequired(), Length(max=40)])
    send = BooleanField(_l("Mail it to the reviewers of both parties"), default=True)
    regenerate = BooleanField(_l("Make a new version if this period has a report already"))


class SignForm(NoOwnCsrf):
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=MAX_COMMENT_LENGTH)])


class ReturnForm(NoOwnCsrf):
    comment = TextAreaField(_l("What should change"), validators=[DataRequired(), Length(max=MAX_COMMENT_LENGTH)])
