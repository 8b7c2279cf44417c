"""The API tokens and calendar feed sections of the profile page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from tracker.accounts import tokens
from tracker.accounts.forms import PasswordForm, ProfileForm
from tracker.accounts.models import User
from tracker.accounts.services import create_api_token
from tracker.core.forms import Form

bp = Blueprint("tokens", __name__, template_folder="templates")


class TokenForm(Form):
    name = StringField(_l("Name of the token"), validators=[DataRequired(), Length(max=100)])
    scope = SelectField(
        _l("Access"),
        choices=[SelectChoice("read", _l("Read only")), SelectChoice("write", _l("Read and write"))],
        default="read",
    )
    expires_in = SelectField(
        _l("Expires in"),
        choices=[SelectChoice(str(d), _l("%(n)d days", n=d)) for d in tokens.EXPIRY_CHOICES_DAYS],
        default="90",
    )


def token_panel(user: User) -> dict[str, Any]:
    """Return what the profile's token and feed sections show."""
    feed_url = f"{current_app.config['BASE_URL']}/calendar/{user.feed_token}.ics"
    return {
        "tokens": tokens.list_tokens(user),
        "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[-1],
    }


def _profile_page(status: int = 200, **extra: Any) -> tuple[str, int]:
    user = current_user._get_current_object()
    form = ProfileForm(obj=user, prefix="profile")
    return render_template(
        "accounts/profile.html", form=form, password_form=PasswordForm(prefix="password"), user=user, **extra
    ), status


@bp.post("/profile/tokens")
@login_required
def create_token() -> tuple[str, int]:
    form = TokenForm(prefix="token")
    if not form.validate_on_submit():
        return _profile_page(422, token_form=form)
    _token, plaintext = create_api_token(
        current_user._get_current_object(),
        name=form.name.data or "",
        scope=form.scope.data or "read",
        expires_in_days=int(form.expires_in.data or 90),
    )
    # Shown in this answer only: it is stored hashed and never in the session.
    return _profile_page(201, new_token=plaintext)


@bp.route("/profile/tokens/<int:token_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke_token(token_id: int) -> str | Response:
    user = current_user._get_current_object()
    token = tokens.get_own_token(user, token_id)
    form = Form()
    if form.validate_on_submit():
        tokens.revoke_token(user, token.id)
        flash(_("The token “%(name)s” is revoked.", name=token.name), "success")
        return redirect(url_for("accounts.profile") + "#tokens-heading")
    return render_template("accounts/revoke_token.html", token=token, form=form)


@bp.post("/profile/feed/reset")
@login_required
def reset_feed() -> Response:
    form = Form()
    if form.validate_on_submit():
        tokens.reset_feed_token(current_user._get_current_object())
        flash(_("Your calendar address is new: subscribe again with it; the old one no longer works."), "success")
    return redirect(url_for("accounts.profile") + "#feed-heading")
