"""Login, logout and profile pages."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from tracker.accounts import services, throttle
from tracker.accounts.forms import LoginForm, PasswordForm, ProfileForm
from tracker.core.db import discard
from tracker.core.errors import ValidationFailed
from tracker.web.security import is_safe_path

bp = Blueprint("accounts", __name__, template_folder="templates")


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    next_path = request.values.get("next", "")
    if current_user.is_authenticated:
        return redirect(next_path if is_safe_path(next_path) else url_for("web.index"))
    if request.method == "POST" and throttle.is_blocked(request.remote_addr, request.form.get("email")):
        abort(429)
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            login_user(user, remember=bool(form.remember.data))
            return redirect(next_path if is_safe_path(next_path) else url_for("web.index"))
        throttle.record_failure(request.remote_addr, form.email.data)
        # One message whether the email is unknown or the password wrong.
        form.form_errors.append(_("The email or the password is not correct."))
        return render_template("accounts/login.html", form=form, next=next_path), 401
    return render_template("accounts/login.html", form=form, next=next_path if is_safe_path(next_path) else "")


@bp.post("/logout")
def logout() -> Response:
    if current_user.is_authenticated:
        services.end_all_sessions(current_user._get_current_object())
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile() -> str | Response | tuple[str, int]:
    user = current_user._get_current_object()
    form = ProfileForm(obj=user, prefix="profile")
    password_form = PasswordForm(prefix="password")
    if request.method == "POST" and "profile-name" in request.form and form.validate_on_submit():
        try:
            services.update_profile(
                user,
                name=form.name.data or "",
                function=form.function.data or "",
                language=form.language.data or "fr",
                digest=form.digest.data or "daily",
                digest_hour=int(form.digest_hour.data or 0),
            )
        except ValidationFailed as exc:
            discard()
            form.form_errors.append(str(exc.message))
        else:
            from flask import session

            session.pop("lang", None)
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.profile"))
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/profile.html", form=form, password_form=password_form, user=user), status


@bp.post("/profile/password")
@login_required
def change_password() -> str | Response | tuple[str, int]:
    user = current_user._get_current_object()
    form = ProfileForm(obj=user, prefix="profile")
    password_form = PasswordForm(prefix="password")
    if password_form.validate_on_submit():
        try:
            services.change_password(
                user, password_form.current_password.data or "", password_form.new_password.data or ""
            )
        except ValidationFailed as exc:
            discard()
            password_form.form_errors.append(str(exc.message))
        else:
            # Every session ended, this one included: log in again with the new password.
            logout_user()
            flash(_("Your password is changed. Please log in with the new one."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/profile.html", form=form, password_form=password_form, user=user), 422
