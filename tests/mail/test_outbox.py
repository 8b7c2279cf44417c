"""The outbox against a real SMTP server: queued in the caller's transaction, sent once, retried, given up."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

from tests.factories import load_agreement, make_user
from tests.smtp import SmtpSink
from tracker.core import clock
from tracker.core.db import db
from tracker.mail.delivery import deliver_pending
from tracker.mail.models import MailState, OutboxMessage
from tracker.mail.outbox import queue_mail


def queue_test(user, key: str = "test:1") -> OutboxMessage | None:
    return queue_mail(to=user, template="test_message", context={"requested_by": "Admin"}, dedupe_key=key)


def outbox_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


def test_a_message_is_part_of_the_callers_transaction_and_a_duplicate_key_is_ignored(app: Flask, frozen_clock) -> None:
    load_agreement()
    user = make_user("IDF")
    savepoint = db.session.begin_nested()
    assert queue_test(user) is not None
    savepoint.rollback()
    assert outbox_count() == 0  # rolled back with what caused it

    first = queue_test(user)
    assert queue_test(user) is None
    db.session.commit()
    assert outbox_count() == 1
    assert first is not None and first.state == MailState.PENDING
    assert first.message_id.startswith("<") and first.message_id.endswith("@127.0.0.1>")  # BASE_URL's host


def test_each_recipient_reads_the_message_in_their_language(
    mail_app: Flask, smtp_server: SmtpSink, frozen_clock
) -> None:
    load_agreement()
    people = {lang: make_user("BXL", language=lang) for lang in ("fr", "nl", "en")}
    for lang, user in people.items():
        queue_test(user, key=f"test:{lang}")
    db.session.commit()

    report = deliver_pending()

    assert report.sent == 3
    subjects = {lang: smtp_server.to(user.email)[0].message["Subject"] for lang, user in people.items()}
    assert subjects == {
        "fr": "Message de test du suivi de la coopération",
        "nl": "Testbericht van de opvolging van de samenwerking",
        "en": "Test message from the cooperation tracker",
    }
    dutch = smtp_server.to(people["nl"].email)[0]
    assert dutch.message["Content-Language"] == "nl"
    assert f"Hallo {people['nl'].name}," in dutch.part("plain")
    assert "<p>Hallo" in dutch.part("html")


def test_delivery_marks_sent_after_the_servers_250_and_never_sends_twice(
    mail_app: Flask, smtp_server: SmtpSink, frozen_clock
) -> None:
    load_agreement()
    user = make_user("IDF")
    message = queue_test(user)
    db.session.commit()

    assert deliver_pending().sent == 1
    assert deliver_pending().sent == 0

    db.session.refresh(message)
    assert message.state == MailState.SENT and message.attempts == 1 and message.sent_at == clock.now()
    assert len(smtp_server.received) == 1
    received = smtp_server.received[0]
    assert received.recipients == [user.email]
    assert received.message["Message-ID"] == message.message_id
    assert received.message["Auto-Submitted"] == "auto-generated"


def test_without_smtp_host_mail_stays_in_the_outbox(app: Flask, frozen_clock) -> None:
    load_agreement()
    queue_test(make_user("IDF"))
    db.session.commit()

    report = deliver_pending()

    assert report.kept == 1 and report.sent == 0
    assert db.session.scalars(select(OutboxMessage.state)).one() == MailState.PENDING


def test_smtp_down_then_back_delivers_once(mail_app: Flask, smtp_server: SmtpSink, frozen_clock) -> None:
    load_agreement()
    message = queue_test(make_user("IDF"))
    db.session.commit()
    smtp_server.stop()

    down = deliver_pending()

    db.session.refresh(message)
    assert (down.sent, down.retried) == (0, 1)
    assert message.state == MailState.FAILED and message.attempts == 1
    assert message.next_attempt_at == clock.now() + timedelta(seconds=60)
    assert "connection" in (message.last_error or "")

    smtp_server.start()
    assert deliver_pending().sent == 0  # not before its retry time
    clock.advance(timedelta(seconds=61))
    assert deliver_pending().sent == 1
    clock.advance(timedelta(hours=1))
    assert deliver_pending().sent == 0
    assert len(smtp_server.received) == 1


def test_a_temporary_refusal_is_retried_with_growing_delays(
    mail_app: Flask, smtp_server: SmtpSink, frozen_clock
) -> None:
    load_agreement()
    user = make_user("IDF")
    message = queue_test(user)
    db.session.commit()
    smtp_server.refuse[user.email] = "451 4.3.0 Try again later"

    delays = []
    for _ in range(3):
        start = clock.now()
        assert deliver_pending().retried == 1
        db.session.refresh(message)
        delays.append(message.next_attempt_at - start)
        clock.freeze(message.next_attempt_at)
    assert delays == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert "451" in (message.last_error or "")

    del smtp_server.refuse[user.email]
    assert deliver_pending().sent == 1
    assert len(smtp_server.received) == 1


def test_too_many_attempts_give_up(mail_app: Flask, smtp_server: SmtpSink, frozen_clock) -> None:
    load_agreement()
    mail_app.config["OUTBOX_MAX_ATTEMPTS"] = 2
    try:
        user = make_user("IDF")
        message = queue_test(user)
        db.session.commit()
        smtp_server.refuse[user.email] = "421 4.7.0 Busy"
        deliver_pending()
        clock.advance(timedelta(hours=1))
        report = deliver_pending()
    finally:
        mail_app.config["OUTBOX_MAX_ATTEMPTS"] = 12
    db.session.refresh(message)
    assert report.dead == 1
    assert message.state == MailState.DEAD and "gave up after 2 attempts" in (message.last_error or "")


def test_a_550_is_dead_at_once(mail_app: Flask, smtp_server: SmtpSink, frozen_clock) -> None:
    load_agreement()
    good, bad = make_user("IDF"), make_user("BXL")
    queue_test(good, "test:good")
    refused = queue_test(bad, "test:bad")
    db.session.commit()
    smtp_server.refuse[bad.email] = "550 5.1.1 No such user here"

    report = deliver_pending()

    assert (report.sent, report.dead, report.retried) == (1, 1, 0)
    db.session.refresh(refused)
    assert refused.state == MailState.DEAD and refused.attempts == 1
    assert "550 5.1.1 No such user here" in (refused.last_error or "")
    assert [r.recipients for r in smtp_server.received] == [[good.email]]
