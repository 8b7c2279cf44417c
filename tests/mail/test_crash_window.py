"""A delivery run that stops between claiming and recording: never a duplicate, and nothing silently lost."""

from __future__ import annotations

import threading
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from tests.factories import load_agreement, make_user
from tests.smtp import SmtpSink
from tracker.core import clock
from tracker.core.db import db
from tracker.mail.delivery import UNKNOWN_OUTCOME, claim, deliver_pending
from tracker.mail.models import MailState, OutboxMessage
from tracker.mail.outbox import queue_mail


def queue(user, key: str) -> OutboxMessage:
    message = queue_mail(to=user, template="test_message", context={"requested_by": "Admin"}, dedupe_key=key)
    assert message is not None
    return message


def test_claims_left_by_a_stopped_run_are_taken_back_after_the_lease(
    mail_app: Flask, smtp_server: SmtpSink, frozen_clock
) -> None:
    load_agreement()
    user = make_user("IDF")
    never_handed, handed = queue(user, "crash:1"), queue(user, "crash:2")
    db.session.commit()
    # A run claims both, hands the second to the server, then its process dies.
    claim("dead-run", 10)
    handed.handed_at = clock.now()
    db.session.commit()

    assert deliver_pending().sent == 0  # the claims are still fresh: another run may be at work
    clock.advance(timedelta(seconds=mail_app.config["OUTBOX_CLAIM_LEASE_SECONDS"] + 1))
    report = deliver_pending()

    db.session.refresh(never_handed)
    db.session.refresh(handed)
    assert report.recovered == 1 and report.sent == 1
    assert never_handed.state == MailState.SENT
    # It may have reached the server: not resent, but given up loudly for an admin to check.
    assert handed.state == MailState.DEAD and handed.last_error == UNKNOWN_OUTCOME
    assert len(smtp_server.received) == 1


def test_two_delivery_runs_at_once_send_each_message_once(committed_app: Flask, smtp_server: SmtpSink) -> None:
    load_agreement()
    committed_app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_SECURITY="none")
    committed_app.config["OUTBOX_BATCH_SIZE"] = 5
    people = [make_user("IDF") for _ in range(3)]
    for n in range(30):
        queue(people[n % 3], f"race:{n}")
    db.session.commit()
    reports = []

    def run() -> None:
        with committed_app.app_context():
            reports.append(deliver_pending())
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert sum(r.sent for r in reports) == 30
    assert len(smtp_server.received) == 30
    assert len({r.message["Message-ID"] for r in smtp_server.received}) == 30
    states = db.session.scalars(select(OutboxMessage.state)).all()
    assert set(states) == {MailState.SENT}


def test_a_batch_sent_over_several_connections_sends_each_message_once(
    committed_app: Flask, smtp_server: SmtpSink
) -> None:
    committed_app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_SECURITY="none")
    committed_app.config.update(OUTBOX_WORKERS=4, OUTBOX_BATCH_SIZE=10)
    load_agreement()
    people = [make_user("BXL", language=lang) for lang in ("fr", "nl", "en")]
    for n in range(25):
        queue(people[n % 3], f"workers:{n}")
    smtp_server.refuse[people[2].email] = "550 5.1.1 Unknown"
    db.session.commit()

    report = deliver_pending()

    assert (report.sent, report.dead, report.retried) == (17, 8, 0)
    assert len(smtp_server.received) == 17
    assert len({r.message["Message-ID"] for r in smtp_server.received}) == 17
    states = db.session.execute(select(OutboxMessage.state, OutboxMessage.attempts)).all()
    assert set(states) == {(MailState.SENT, 1), (MailState.DEAD, 1)}
