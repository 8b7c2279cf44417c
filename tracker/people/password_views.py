"""Pages reached from a mailed link, without logging in: the invitation (set a password and a language) and
the password reset (ask for a link: the same answer for known and unknown addresses; set a new password)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker.accounts import links, services, throttle
from tracker.accounts.models import User
from tracker.core import clock
from tracker.core.db import discard
from tracker.core.errors import ValidationFailed
from tracker.mail.outbox import queue_mail
from tracker.mail.render import link
from tracker.people.forms import ForgotForm, NewPasswordForm, WelcomeForm

bp = Blueprint("passwords", __name__, template_folder="templates")


def _person(token: str, purpose: links.Purpose) -> User:
    person = links.user_for_token(token, purpose)
    if person is None:
        abort(404)
    return person


def _set_password(person: User, form: NewPasswordForm, template: str, token: str) -> Response | tuple[str, int]:
    try:
        services.set_password(person, form.password.data or "", by=person)
        if isinstance(form, WelcomeForm):
            services.set_language(person, form.language.data)
    except ValidationFailed as exc:
        discard()
        form.password.errors = [str(exc.message)]
        return render_template(template, form=form, person=person, token=token), 422
    flash(_("Your password is set. Please log in."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/welcome/<token>", methods=["GET", "POST"])
def welcome(token: str) -> Response | tuple[str, int] | str:
    person = _person(token, "invitation")
    form = WelcomeForm(data={"language": str(person.language)} if request.method == "GET" else None)
    if request.method == "POST":
        if form.validate_on_submit():
            return _set_password(person, form, "people/welcome.html", token)
        return render_template("people/welcome.html", form=form, person=person, token=token), 422
    return render_template("people/welcome.html", form=form, person=person, token=token)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot() -> str | tuple[str, int]:
    form = ForgotForm()
    if request.method == "POST":
        if throttle.is_blocked(request.remote_addr, form.email.data):
            abort(429)
        if not form.validate_on_submit():
            return render_template("people/forgot.html", form=form, sent=False), 422
        person = services.find_by_email(form.email.data or "")
        if person is not None and person.active:
            url = link(f"/password/reset/{links.make_token(person, 'password-reset')}")
            key = f"password-reset:{person.id}:{clock.now().isoformat()}"
            queue_mail(to=person, template="people/mail/password_reset", context={"url": url}, dedupe_key=key)
        # Counted like a failed login: asking for links cannot flood anyone's mailbox.
        throttle.record_failure(request.remote_addr, form.email.data)
        return render_template("people/forgot.html", form=form, sent=True)
    return render_template("people/forgot.html", form=form, sent=False)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> Response | tuple[str, int] | str:
    person = _person(token, "password-reset")
    form = NewPasswordForm()
    if request.method == "POST":
        if form.validate_on_submit():
            return _set_password(person, form, "people/reset.html", token)
        return render_template("people/reset.html", form=form, person=person, token=token), 422
    return render_template("people/reset.html", form=form, person=person, token=token)
