"""The digest as people read it: one per person and date, in their language, with links and an unsubscribe."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import event, select

from tests.reminders.conftest import World, at, milestone_for
from tests.smtp import SmtpSink
from tracker.core import clock
from tracker.core import db as db_module
from tracker.core.db import db
from tracker.mail.delivery import deliver_pending
from tracker.mail.models import MailState, OutboxMessage
from tracker.reminders.sweep import sweep

MONDAY = date(2026, 11, 30)


def test_each_person_reads_their_digest_in_their_language(mail_app: Flask, smtp_server: SmtpSink, world: World) -> None:
    mail_app.config["BASE_URL"] = "https://tracker.example.org"
    try:
        for person in world.people():
            milestone_for(world, person, date(2026, 12, 3), title="Comité de pilotage")  # in 3 days
            milestone_for(world, person, date(2026, 11, 29), title="Rapport d’étape")  # due yesterday (Sunday)
        clock.freeze(at(MONDAY, 7))
        assert sweep(MONDAY).queued == 3
        assert deliver_pending().sent == 3
    finally:
        mail_app.config["BASE_URL"] = "http://127.0.0.1:5000"

    french = smtp_server.to(world.camille.email)[0]
    assert french.message["Subject"] == "2 rappels pour le lundi 30 novembre 2026"
    body = french.part("plain")
    assert "Bonjour Camille Martin," in body
    assert "Voici ce qui demande votre attention ce lundi 30 novembre 2026." in body
    assert "JALONS EN RETARD" in body and "prévu le dimanche 29 novembre 2026, 1 jour de retard" in body
    assert "JALONS À VENIR" in body and "prévu le jeudi 3 décembre 2026, dans 3 jours" in body
    action_url = f"https://tracker.example.org/actions/{world.actions[world.camille.name].id}"
    assert action_url in body and "https://tracker.example.org/profile" in body
    assert f'href="{action_url}"' in french.part("html")

    dutch = smtp_server.to(world.lotte.email)[0]
    assert dutch.message["Subject"] == "2 herinneringen voor maandag 30 november 2026"
    body = dutch.part("plain")
    assert "Hallo Lotte Peeters," in body and "ACHTERSTALLIGE MIJLPALEN" in body
    assert "gepland op zondag 29 november 2026, 1 dag te laat" in body
    assert "gepland op donderdag 3 december 2026, over 3 dagen" in body
    assert "U ontvangt dit overzicht op werkdagen om 07.00 uur." in body

    english = smtp_server.to(world.grace.email)[0]
    assert english.message["Subject"] == "2 reminders for Monday, November 30, 2026"
    body = english.part("plain")
    assert "Hello Grace Hopper," in body and "OVERDUE MILESTONES" in body and "MILESTONES COMING UP" in body
    assert (
        "due on Sunday, November 29, 2026, 1 day late" in body
        and "due on Thursday, December 3, 2026, in 3 days" in body
    )

    unsubscribe = english.message["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://tracker.example.org/unsubscribe/") and unsubscribe.endswith(">")
    assert english.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in body


def test_the_sweep_run_twice_sends_one_digest(mail_app: Flask, smtp_server: SmtpSink, world: World) -> None:
    milestone_for(world, world.camille, MONDAY)
    clock.freeze(at(MONDAY, 7))
    assert sweep(MONDAY).queued == 1
    second = sweep(MONDAY)
    assert second.queued == 0
    deliver_pending()
    assert sweep(MONDAY).queued == 0
    deliver_pending()
    assert len(smtp_server.to(world.camille.email)) == 1


def test_a_milestone_completed_after_queueing_is_not_reminded(
    mail_app: Flask, smtp_server: SmtpSink, world: World
) -> None:
    done_later = milestone_for(world, world.camille, MONDAY, title="Signature de la convention")
    still_due = milestone_for(world, world.camille, date(2026, 12, 3), title="Comité de pilotage")
    alone = milestone_for(world, world.lotte, MONDAY, title="Visite de terrain")
    clock.freeze(at(MONDAY, 7))
    assert sweep(MONDAY).queued == 2

    for milestone in (done_later, alone):
        milestone.status, milestone.completed_on = "done", MONDAY
    still_due.due_on = date(2026, 12, 10)  # moved: now due in 10 days, no longer "in 3 days"
    db.session.commit()
    report = deliver_pending()

    assert report.sent == 0 and report.cancelled == 2
    assert smtp_server.received == []
    reasons = db.session.scalars(select(OutboxMessage.last_error)).all()
    assert all("nothing left to send" in (r or "") for r in reasons)


def test_a_digest_is_rebuilt_with_what_still_holds(mail_app: Flask, smtp_server: SmtpSink, world: World) -> None:
    done_later = milestone_for(world, world.grace, MONDAY, title="Signature")
    milestone_for(world, world.grace, MONDAY, title="Kick-off")
    clock.freeze(at(MONDAY, 7))
    sweep(MONDAY)
    done_later.status, done_later.completed_on = "done", MONDAY
    db.session.commit()
    deliver_pending()
    body = smtp_server.to(world.grace.email)[0].part("plain")
    assert "Kick-off" in body and "Signature" not in body


def test_inactive_people_and_those_who_chose_no_digest_get_nothing(mail_app: Flask, world: World) -> None:
    for person in world.people():
        milestone_for(world, person, MONDAY)
    world.camille.active = False
    world.lotte.digest = "none"
    db.session.commit()
    clock.freeze(at(MONDAY, 7))
    sweep(MONDAY)
    recipients = db.session.scalars(select(OutboxMessage.recipient)).all()
    assert recipients == [world.grace.email]

    world.grace.digest = "none"  # after queueing: cancelled when sent
    db.session.commit()
    assert deliver_pending().cancelled == 1
    assert db.session.scalars(select(OutboxMessage.state)).one() == MailState.CANCELLED


def test_people_get_their_digest_from_their_hour_on(app: Flask, world: World) -> None:
    for person in world.people():
        milestone_for(world, person, MONDAY)
    world.lotte.digest_hour = 9
    db.session.commit()
    clock.freeze(at(MONDAY, 7))
    assert sweep(MONDAY, up_to_hour=7).queued == 2
    assert sweep(MONDAY, up_to_hour=8).queued == 0
    assert sweep(MONDAY, up_to_hour=9).queued == 1


def test_the_sweep_reads_what_is_due_as_a_reader_and_writes_only_the_outbox(app: Flask, world: World) -> None:
    """The sweep's reads (parties, what is due, who gets a digest) run in `reading()`: on SQLite they hold no write
    lock, so people saving their work are not kept waiting while the sweep looks at every action."""
    milestone_for(world, world.camille, MONDAY)
    milestone_for(world, world.lotte, date(2026, 12, 3))
    clock.freeze(at(MONDAY, 7))
    seen: list[tuple[str | None, str]] = []

    def record(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        seen.append((db_module._transaction_mode.get(), " ".join(statement.split())))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert sweep(MONDAY).queued == 2
    finally:
        event.remove(db.engine, "before_cursor_execute", record)

    reads = [sql for mode, sql in seen if mode == "read"]
    outside = [sql for mode, sql in seen if mode != "read" and "outbox_messages" not in sql and "SAVEPOINT" not in sql]
    assert any("FROM parties" in sql for sql in reads) and any("FROM users" in sql for sql in reads), seen
    assert outside == [], outside  # the units of work only queue the digests
