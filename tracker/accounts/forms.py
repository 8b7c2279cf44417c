"""Login, password and profile forms (the people administration's are in tracker.people.forms)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange

from config.reminders import DEFAULT_DIGEST_HOUR
from tracker.core.forms import Form


class LoginForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)])
    remember = BooleanField(_l("Keep me logged in on this computer"))


class PasswordForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=1000)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
    )


class ProfileForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    function = StringField(_l("Function"), validators=[Length(max=200)])
    language = SelectField(
        _l("Language"),
        choices=[SelectChoice("fr", "Français"), SelectChoice("en", "English"), SelectChoice("nl", "Nederlands")],
    )
    digest = SelectField(
        _l("Reminder digest"),
        choices=[
            SelectChoice("daily", _l("Daily")),
            SelectChoice("weekly", _l("Weekly (Mondays)")),
            SelectChoice("none", _l("No digest")),
        ],
    )
    digest_hour = IntegerField(
        _l("Hour of the digest"), validators=[NumberRange(min=0, max=23)], default=DEFAULT_DIGEST_HOUR
    )
