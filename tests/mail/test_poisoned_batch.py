"""One bad message never stops the others: old data that cannot be sent fails alone, is retried, then given up.

The bad values are written straight into the database, as data stored before today's checks would be.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy import text as text_sql

from tests.factories import load_agreement, make_user
from tests.helpers import login, text
from tests.mail.rawmail import header, headers
from tests.smtp import SmtpSink
from tracker.accounts.models import User
from tracker.core import clock
from tracker.core.db import db
from tracker.mail.delivery import deliver_pending
from tracker.mail.models import MailState, OutboxMessage
from tracker.mail.outbox import queue_mail

INJECTED_NAME = "Camille\r\nBcc: someone@example.org"


def queue_test(user: User, key: str) -> OutboxMessage:
    message = queue_mail(to=user, template="test_message", context={"requested_by": "Admin"}, dedupe_key=key)
    assert message is not None
    return message


def test_a_line_break_in_a_stored_name_neither_stops_the_batch_nor_adds_a_header(
    mail_app: Flask, smtp_server: SmtpSink, frozen_clock
) -> None:
    load_agreement()
    people = [make_user("IDF", email=f"person{n}@example.org") for n in range(4)]
    db.session.execute(update(User).where(User.id == people[1].id).values(name=INJECTED_NAME))
    db.session.commit()
    messages = [queue_test(person, f"test:{n}") for n, person in enumerate(people)]
    # A stored header that no message can carry: this one cannot be built at all.
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == messages[3].id)
        .values(headers={"X-Origin": "import\r\nBcc: someone@example.org"})
    )
    db.session.commit()

    report = deliver_pending()

    assert (report.sent, report.retried, report.dead) == (3, 1, 0)
    assert sorted(r for m in smtp_server.received for r in m.recipients) == [p.email for p in people[:3]]
    for received in smtp_server.received:
        assert "bcc" not in {name for name, _value in headers(received.data)}
    injected = smtp_server.to(people[1].email)[0].data
    assert re.fullmatch(rb'"Camille Bcc: someone@example\.org" <person1@example\.org>', header(injected, "To"))

    bad = db.session.get(OutboxMessage, messages[3].id)
    db.session.refresh(bad)
    assert bad.state == MailState.FAILED and bad.attempts == 1
    assert bad.last_error.startswith("could not build the message: ValueError")
    assert bad.next_attempt_at == clock.now() + timedelta(seconds=mail_app.config["OUTBOX_RETRY_BASE_SECONDS"])


def test_a_message_that_never_builds_is_given_up_with_its_reason_and_shown_to_admins(
    mail_app: Flask, client: FlaskClient, smtp_server: SmtpSink, frozen_clock
) -> None:
    load_agreement()
    person = make_user("BXL", email="someone.else@example.org")
    bad = queue_test(person, "test:bad")
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == bad.id).values(headers={"X-Bad": "a\nb"}))
    db.session.commit()
    mail_app.config["OUTBOX_MAX_ATTEMPTS"] = 3
    try:
        delays = []
        for _attempt in range(3):
            before = clock.now()
            deliver_pending()
            db.session.refresh(bad)
            delays.append(bad.next_attempt_at - before)
            clock.freeze(bad.next_attempt_at)
    finally:
        mail_app.config["OUTBOX_MAX_ATTEMPTS"] = 12

    assert bad.state == MailState.DEAD and bad.attempts == 3
    assert bad.last_error.startswith("gave up after 3 attempts: could not build the message")
    assert delays[1] == 2 * delays[0]  # backed off
    assert smtp_server.received == []

    admin = make_user("BXL", "admin", language="en")  # the recipient's party: a digest is about no agreement
    login(client, admin.email)
    listing = text(client.get("/admin/outbox?state=dead"))
    assert "someone.else@example.org" in listing and "gave up after 3 attempts" in listing
    page = client.get(f"/admin/outbox/{bad.id}")
    assert page.status_code == 200 and "could not build the message" in text(page)


def _refuse_outcome_of(message_id: int) -> Callable[[], None]:
    """Make the database itself refuse to record an outcome (last_error) on one row, as a constraint would;
    return what removes the refusal."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            text_sql(
                "CREATE TRIGGER test_refuse_outcome BEFORE UPDATE OF last_error ON outbox_messages "
                f"WHEN NEW.id = {message_id} BEGIN SELECT RAISE(ABORT, 'refused by the database'); END"
            )
        )
    else:
        db.session.execute(
            text_sql(
                "CREATE FUNCTION test_refuse_outcome() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'refused by the database'; END $$"
            )
        )
        db.session.execute(
            text_sql(
                "CREATE TRIGGER test_refuse_outcome BEFORE UPDATE ON outbox_messages FOR EACH ROW "
                f"WHEN (NEW.id = {message_id} AND NEW.last_error IS DISTINCT FROM OLD.last_error) "
                "EXECUTE FUNCTION test_refuse_outcome()"
            )
        )
    db.session.commit()

    def remove() -> None:
        if db.session.get_bind().dialect.name == "sqlite":
            db.session.execute(text_sql("DROP TRIGGER test_refuse_outcome"))
        else:
            db.session.execute(text_sql("DROP TRIGGER test_refuse_outcome ON outbox_messages"))
            db.session.execute(text_sql("DROP FUNCTION test_refuse_outcome()"))
        db.session.commit()

    return remove


def test_a_failure_the_database_refuses_to_record_stops_neither_the_batch_nor_the_sent_marks(
    mail_app: Flask, smtp_server: SmtpSink, frozen_clock
) -> None:
    load_agreement()
    people = [make_user("IDF", email=f"person{n}@example.org") for n in range(4)]
    messages = [queue_test(person, f"test:{n}") for n, person in enumerate(people)]
    smtp_server.refuse[people[1].email] = "550 5.1.1 No such user"  # its failure is what cannot be recorded
    remove = _refuse_outcome_of(messages[1].id)
    try:
        report = deliver_pending()
    finally:
        remove()

    # Every other message went out and is recorded as sent: the one before it, and those after it.
    assert sorted(r for m in smtp_server.received for r in m.recipients) == [people[n].email for n in (0, 2, 3)]
    assert report.sent == 3
    ids = [m.id for m in messages]
    states = dict(
        db.session.execute(select(OutboxMessage.id, OutboxMessage.state).where(OutboxMessage.id.in_(ids))).all()
    )
    assert [states[m.id] for m in messages] == [MailState.SENT, MailState.SENDING, MailState.SENT, MailState.SENT]
