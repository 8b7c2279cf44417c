"""One bad message never stops the others: old data that cannot be sent fails alone, is retried, then given up.

The bad values are written straight into the database, as data stored before today's checks would be.
"""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

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
