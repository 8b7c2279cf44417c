"""Admin pages of the outbox: the list by state, one message, resending a dead one."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from tracker.core.pagination import clamp
from tracker.mail import services
from tracker.mail.forms import ResendForm, TestMessageForm
from tracker.mail.models import MailState

bp = Blueprint("mail", __name__, template_folder="templates", url_prefix="/admin/outbox")

# The HTML part of a message is shown in a sandboxed frame: its inline styles allowed, nothing else.
MESSAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


@bp.get("")
@login_required
def index() -> str:
    raw_state = request.args.get("state", "")
    state = MailState(raw_state) if raw_state in {s.value for s in MailState} else None
    page, per_page = clamp(request.args.get("page"), request.args.get("per_page"), current_app.config["PAGE_SIZE"])
    user = current_user._get_current_object()
    return render_template(
        "mail/admin/outbox.html",
        messages=services.list_messages(user, state=state, page=page, per_page=per_page),
        counts=services.count_by_state(user),
        state=state,
        states=list(MailState),
        test_form=TestMessageForm(),
    )


@bp.get("/<int:message_id>")
@login_required
def show(message_id: int) -> str:
    user = current_user._get_current_object()
    message = services.get_message(user, message_id)
    return render_template(
        "mail/admin/message.html", message=message, content=services.preview(user, message), form=ResendForm()
    )


@bp.get("/<int:message_id>/body.html")
@login_required
def body_html(message_id: int) -> Response:
    user = current_user._get_current_object()
    content = services.preview(user, services.get_message(user, message_id))
    if content is None or not content.html:
        abort(404)
    response = make_response(content.html)
    response.headers["Content-Security-Policy"] = MESSAGE_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.post("/<int:message_id>/resend")
@login_required
def resend(message_id: int) -> WerkzeugResponse | tuple[str, int]:
    user = current_user._get_current_object()
    message = services.get_message(user, message_id)
    form = ResendForm()
    if not form.validate_on_submit():
        content = services.preview(user, message)
        return render_template("mail/admin/message.html", message=message, content=content, form=form), 422
    services.resend(user, message)
    flash(_("The message is back in the queue; it goes out with the next delivery."), "success")
    return redirect(url_for("mail.show", message_id=message_id))


@bp.post("/test")
@login_required
def send_test() -> WerkzeugResponse:
    form = TestMessageForm()
    if form.validate_on_submit():
        services.queue_test_message(current_user._get_current_object())
        flash(_("A test message to you is in the queue; it goes out with the next delivery."), "success")
    return redirect(url_for("mail.index"))
