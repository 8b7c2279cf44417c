"""`flask outbox deliver` prints what it did."""

from __future__ import annotations

from flask import Flask

from tests.factories import load_agreement, make_user
from tests.smtp import SmtpSink
from tracker.core.db import db
from tracker.mail.outbox import queue_mail


def test_deliver_prints_sent_retried_and_given_up(mail_app: Flask, smtp_server: SmtpSink, frozen_clock) -> None:
    load_agreement()
    ok, refused, later = make_user("IDF"), make_user("IDF"), make_user("BXL")
    for n, user in enumerate((ok, refused, later)):
        queue_mail(to=user, template="test_message", context={"requested_by": "A"}, dedupe_key=f"cli:{n}")
    db.session.commit()
    smtp_server.refuse[refused.email] = "550 5.1.1 Unknown"
    smtp_server.refuse[later.email] = "452 4.2.2 Mailbox full"

    result = mail_app.test_cli_runner().invoke(args=["outbox", "deliver"])

    assert result.exit_code == 0, result.output
    assert "Sent 1, retried later 1, given up 1." in result.output


def test_without_a_relay_deliver_says_mail_stays_in_the_outbox(app: Flask, frozen_clock) -> None:
    load_agreement()
    queue_mail(to=make_user("IDF"), template="test_message", context={"requested_by": "A"}, dedupe_key="cli:kept")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0
    assert "SMTP_HOST is not set: mail stays in the outbox (1 waiting" in result.output
