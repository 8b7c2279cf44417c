"""Forms of the report pages: generate and regenerate (admins), sign and return (reviewers).

Each form renders its own CSRF token (`hidden_tag()`, named `<prefix>-csrf_token` on the report page), which the
app-wide CSRFProtect and the form's own validation both check: no form relies on a token another form carries.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker.core.forms import Form
from tracker.core.lifecycle import MAX_COMMENT_LENGTH


class GenerateForm(Form):
    period = StringField(_l("Period"), validators=[DataRequired(), Length(max=40)])
    send = BooleanField(_l("Mail it to the reviewers of both parties"), default=True)
    regenerate = BooleanField(_l("Make a new version if this period has a report already"))


class RegenerateForm(Form):
    """The report page's one button for an administrator: a new version of this report's period (the outdated
    report is superseded)."""


class SignForm(Form):
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=MAX_COMMENT_LENGTH)])


class ReturnForm(Form):
    comment = TextAreaField(_l("What should change"), validators=[DataRequired(), Length(max=MAX_COMMENT_LENGTH)])
