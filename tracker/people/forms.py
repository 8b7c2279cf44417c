"""The people administration's forms: invitation, a person's settings, hand-over, co-leads, and the pages
reached from a mailed link (welcome, forgotten password, new password)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from tracker.core.forms import Form

LANGUAGES = [SelectChoice("fr", "Français"), SelectChoice("en", "English"), SelectChoice("nl", "Nederlands")]
ROLES = [
    SelectChoice("coordinator", _l("Coordinator")),
    SelectChoice("reviewer", _l("Reviewer")),
    SelectChoice("admin", _l("Administrator")),
]
DIGESTS = [
    SelectChoice("daily", _l("Daily")),
    SelectChoice("weekly", _l("Weekly (Mondays)")),
    SelectChoice("none", _l("No digest")),
]


class InviteForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=ROLES)
    language = SelectField(_l("Language"), choices=LANGUAGES)


class PersonForm(Form):
    function = StringField(_l("Function"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), choices=ROLES)
    language = SelectField(_l("Language"), choices=LANGUAGES)
    digest = SelectField(_l("Reminder digest"), choices=DIGESTS)


class DeactivateForm(Form):
    successor = SelectField(_l("Hand over to"), choices=[], validate_choice=False)


class CoLeadForm(Form):
    person = SelectField(_l("Co-lead"), choices=[], validate_choice=False)


class NewPasswordForm(Form):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=1000)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class WelcomeForm(NewPasswordForm):
    language = SelectField(_l("Language"), choices=LANGUAGES)


class ForgotForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
