"""SMTP_SECURITY none/starttls/ssl with a login, against a real server with a certificate for 127.0.0.1."""

from __future__ import annotations

import ssl

import pytest
from flask import Flask

from tests.factories import load_agreement, make_user
from tests.smtp import SmtpSink
from tracker.core.db import db
from tracker.mail.delivery import deliver_pending
from tracker.mail.outbox import queue_mail


@pytest.mark.parametrize("security", ["none", "starttls", "ssl"])
def test_each_security_mode_with_a_login(
    mail_app: Flask, smtp_server: SmtpSink, smtp_certificate: tuple[str, str], frozen_clock, security: str
) -> None:
    cert, key = smtp_certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    smtp_server.stop()
    smtp_server.start(tls=None if security == "none" else security, context=context, login=("relay", "s3cret"))
    mail_app.config.update(SMTP_SECURITY=security, SMTP_USERNAME="relay", SMTP_PASSWORD="s3cret", SMTP_CA_FILE=cert)
    try:
        load_agreement()
        queue_mail(to=make_user("IDF"), template="test_message", context={"requested_by": "A"}, dedupe_key="tls")
        db.session.commit()
        report = deliver_pending()
    finally:
        mail_app.config.update(SMTP_CA_FILE=None)
    assert report.sent == 1
    assert len(smtp_server.received) == 1


def test_an_untrusted_certificate_is_refused(
    mail_app: Flask, smtp_server: SmtpSink, smtp_certificate: tuple[str, str], frozen_clock
) -> None:
    cert, key = smtp_certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    smtp_server.stop()
    smtp_server.start(tls="ssl", context=context)
    mail_app.config.update(SMTP_SECURITY="ssl", SMTP_CA_FILE=None)  # the system's CAs do not know it
    load_agreement()
    queue_mail(to=make_user("IDF"), template="test_message", context={"requested_by": "A"}, dedupe_key="tls")
    db.session.commit()
    report = deliver_pending()
    assert (report.sent, report.retried) == (0, 1)
    assert smtp_server.received == []
