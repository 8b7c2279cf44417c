"""Admins read the outbox in the browser: filter by state, read a message, resend a dead one."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.factories import load_agreement, make_user
from tests.forms import submit_form
from tests.helpers import login, logout, text
from tests.smtp import SmtpSink
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.mail.delivery import deliver_pending
from tracker.mail.models import MailState, OutboxMessage
from tracker.mail.outbox import queue_mail


def dead_message(smtp_server: SmtpSink) -> OutboxMessage:
    user = make_user("BXL", email="gone@example.org")
    message = queue_mail(to=user, template="test_message", context={"requested_by": "Admin"}, dedupe_key="t:dead")
    db.session.commit()
    smtp_server.refuse[user.email] = "550 5.1.1 Mailbox unavailable"
    deliver_pending()
    db.session.refresh(message)
    assert message.state == MailState.DEAD
    return message


def test_a_dead_message_is_visible_to_admins_and_can_be_resent(
    mail_app: Flask, client: FlaskClient, smtp_server: SmtpSink, frozen_clock
) -> None:
    load_agreement()
    message = dead_message(smtp_server)
    admin = make_user("BXL", "admin", language="en")  # the recipient's party: a mail about no agreement
    login(client, admin.email)

    listing = client.get("/admin/outbox?state=dead")
    assert listing.status_code == 200
    assert "gone@example.org" in text(listing) and "Mailbox unavailable" in text(listing)
    assert "gone@example.org" not in text(client.get("/admin/outbox?state=sent"))

    page = client.get(f"/admin/outbox/{message.id}")
    assert "Message de test du suivi de la coopération" in text(page) and "550 5.1.1" in text(page)
    html = client.get(f"/admin/outbox/{message.id}/body.html")
    assert html.status_code == 200 and "sandbox" not in html.headers["Content-Security-Policy"]
    assert "script-src" not in html.headers["Content-Security-Policy"]

    resend = f"/admin/outbox/{message.id}/resend"
    unconfirmed = submit_form(client, page, action=resend, fields={"confirm": None})
    assert unconfirmed.status_code == 422
    db.session.refresh(message)
    assert message.state == MailState.DEAD

    no_csrf = client.post(f"/admin/outbox/{message.id}/resend", data={"confirm": "y"})
    assert no_csrf.status_code == 400

    done = submit_form(client, page, action=resend, fields={"confirm": "y"})
    assert done.status_code == 302
    db.session.refresh(message)
    assert message.state == MailState.PENDING and message.attempts == 0
    assert db.session.query(AuditEntry).filter_by(entity="outbox_message", verb="resend").count() == 1

    del smtp_server.refuse["gone@example.org"]
    report = deliver_pending()
    db.session.refresh(message)
    assert report.sent == 1, message.last_error
    assert smtp_server.received[-1].message["Message-ID"] == message.message_id


def test_only_admins_see_the_outbox(app: Flask, client: FlaskClient, frozen_clock) -> None:
    load_agreement()
    coordinator = make_user("IDF", "coordinator")
    user = make_user("IDF")
    message = queue_mail(to=user, template="test_message", context={"requested_by": "A"}, dedupe_key="t:private")
    db.session.commit()
    login(client, coordinator.email)
    assert client.get("/admin/outbox").status_code == 403
    assert client.get(f"/admin/outbox/{message.id}").status_code == 403
    logout(client)
    assert client.get("/admin/outbox").status_code == 302  # to the login page


def test_the_outbox_is_paginated_and_a_missing_message_is_404(app: Flask, client: FlaskClient, frozen_clock) -> None:
    load_agreement()
    admin = make_user("IDF", "admin", language="en")
    for n in range(30):
        queue_mail(to=admin, template="test_message", context={"requested_by": "A"}, dedupe_key=f"t:{n}")
    db.session.commit()
    login(client, admin.email)
    first = text(client.get("/admin/outbox?state=pending"))
    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert "Page 2 of 2" in text(client.get("/admin/outbox?state=pending&page=2"))
    assert client.get("/admin/outbox?state=bogus&page=x").status_code == 200
    assert client.get("/admin/outbox/999999").status_code == 404


def test_an_admin_can_send_a_test_message_to_themselves(
    mail_app: Flask, client: FlaskClient, smtp_server: SmtpSink, frozen_clock
) -> None:
    load_agreement()
    admin = make_user("IDF", "admin", language="fr")
    login(client, admin.email)
    response = submit_form(client, "/admin/outbox", action="/admin/outbox/test")
    assert response.status_code == 302
    assert deliver_pending().sent == 1
    assert smtp_server.to(admin.email)[0].message["Subject"] == "Message de test du suivi de la coopération"
