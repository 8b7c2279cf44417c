"""The digest as a mail service reads it: raw header bytes, a sender with an accented display name, a real site.

RFC 8058 one-click unsubscribe needs `List-Unsubscribe` as a plain angle-bracketed URI (RFC 2369; RFC 2047
forbids encoded-words there) and `List-Unsubscribe-Post`; RFC 5322 caps lines at 998 octets.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Flask

from tests.factories import make_user
from tests.helpers import login
from tests.mail.rawmail import decode_words, header, headers, physical_lines
from tests.reminders.conftest import World, at, milestone_for
from tests.smtp import SmtpSink
from tracker.core import clock
from tracker.core.db import db
from tracker.mail.delivery import deliver_pending
from tracker.mail.models import MailState, OutboxMessage
from tracker.reminders.sweep import sweep

MONDAY = date(2026, 11, 30)
STRUCTURED = ("from", "to", "message-id", "list-unsubscribe", "list-unsubscribe-post", "date", "content-type")


@pytest.fixture
def operator_settings(mail_app: Flask):
    """The settings a new operator sets: a sender with a display name, the site's real address."""
    saved = {key: mail_app.config[key] for key in ("MAIL_FROM", "BASE_URL")}
    mail_app.config.update(
        MAIL_FROM="Suivi de coopération <noreply@example.org>", BASE_URL="https://suivi.coop-idf-bxl.example.org"
    )
    yield mail_app
    mail_app.config.update(saved)


def test_the_digest_arrives_with_a_plain_one_click_unsubscribe_and_the_operators_sender(
    operator_settings: Flask, smtp_server: SmtpSink, world: World
) -> None:
    for person in world.people():
        milestone_for(world, person, date(2026, 12, 3), title="Comité de pilotage")
    clock.freeze(at(MONDAY, 7))
    assert sweep(MONDAY).queued == 3

    report = deliver_pending()

    assert report.sent == 3 and report.retried == report.dead == 0
    states = db.session.scalars(db.select(OutboxMessage.state)).all()
    assert states == [MailState.SENT] * 3  # none left `sending`
    for received in smtp_server.received:
        raw = received.data
        assert received.sender == "noreply@example.org"  # the envelope holds the address alone
        assert all(len(line) <= 998 for line in physical_lines(raw))
        for name, value in headers(raw):
            if name in STRUCTURED and name not in ("from", "to"):
                assert b"=?" not in value, f"encoded-word in {name}: {value!r}"
        unsubscribe = header(raw, "List-Unsubscribe")
        assert re.fullmatch(rb"<https://suivi\.coop-idf-bxl\.example\.org/unsubscribe/[A-Za-z0-9._~%-]+>", unsubscribe)
        assert re.search(rb"(?m)^List-Unsubscribe: <https://[^\r\n]+>\r$", raw)  # on one line, as written
        assert header(raw, "List-Unsubscribe-Post") == b"List-Unsubscribe=One-Click"
        assert re.fullmatch(rb"<[0-9a-f]{40}\.tracker@suivi\.coop-idf-bxl\.example\.org>", header(raw, "Message-ID"))
        sender = header(raw, "From")
        address = re.fullmatch(rb"(.*) <noreply@example\.org>", sender)
        assert address is not None, sender
        assert decode_words(address.group(1)).strip('"') == "Suivi de coopération"

    camille = smtp_server.to(world.camille.email)[0].data
    assert decode_words(header(camille, "To")) == f"{world.camille.name} <{world.camille.email}>"


def test_one_digest_that_fails_to_build_does_not_stop_the_others(
    mail_app: Flask, client, smtp_server: SmtpSink, world: World
) -> None:
    for person in world.people():
        milestone_for(world, person, date(2026, 12, 3))
    clock.freeze(at(MONDAY, 7))
    assert sweep(MONDAY).queued == 3
    # Old data: a digest row whose stored context its renderer cannot read.
    db.session.execute(
        db.update(OutboxMessage)
        .where(OutboxMessage.recipient_id == world.lotte.id)
        .values(context={"user_id": world.lotte.id, "on": "30/11/2026"})
    )
    db.session.commit()

    report = deliver_pending()

    assert (report.sent, report.retried) == (2, 1)
    assert {r for m in smtp_server.received for r in m.recipients} == {world.camille.email, world.grace.email}
    bad = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.recipient_id == world.lotte.id)).one()
    assert bad.state == MailState.FAILED and bad.attempts == 1
    assert bad.last_error.startswith("could not build the message: ValueError: Invalid isoformat string")

    admin = make_user("BXL", "admin", language="en")  # the recipient's party: a digest is about no agreement
    login(client, admin.email)
    page = client.get(f"/admin/outbox/{bad.id}")  # its preview cannot be built either: shown as stored
    assert page.status_code == 200 and "Invalid isoformat string" in page.get_data(as_text=True)
