"""One-click unsubscribe without logging in (only for the link's owner); the admins' cadence page; the CLI."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask.testing import FlaskClient

from tests.forms import submit_form
from tests.helpers import login, text
from tests.reminders.conftest import World, at, milestone_for
from tests.smtp import SmtpSink
from tracker.core import clock
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.mail.delivery import deliver_pending
from tracker.reminders.settings import current_cadence
from tracker.reminders.sweep import sweep
from tracker.reminders.unsubscribe import unsubscribe_token

MONDAY = date(2026, 11, 30)


def test_the_unsubscribe_link_of_a_digest_works_in_one_click_without_logging_in(
    mail_app: Flask, client: FlaskClient, smtp_server: SmtpSink, world: World
) -> None:
    milestone_for(world, world.lotte, MONDAY)
    clock.freeze(at(MONDAY, 7))
    sweep(MONDAY)
    deliver_pending()
    link = smtp_server.to(world.lotte.email)[0].message["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("http://127.0.0.1:5000")

    page = client.get(path)
    assert page.status_code == 200 and world.lotte.email in text(page)
    db.session.refresh(world.lotte)
    assert world.lotte.digest == "daily"  # looking at the page changes nothing

    # What a mail client sends for RFC 8058: a POST with this body, no cookie, no CSRF token.
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    db.session.refresh(world.lotte)
    db.session.refresh(world.grace)
    assert world.lotte.digest == "none" and world.grace.digest == "daily"
    assert db.session.query(AuditEntry).filter_by(entity="user", verb="unsubscribe").count() == 1
    assert client.post(path).status_code == 200  # again: still fine, nothing more changes


def test_a_link_works_only_for_its_owner(app: Flask, client: FlaskClient, world: World) -> None:
    token = unsubscribe_token(world.camille)
    _payload, signature = token.split(".")
    forged = unsubscribe_token(world.grace).split(".")[0] + "." + signature
    for bad in (forged, token[:-3] + "abc", "nonsense"):
        assert client.post(f"/unsubscribe/{bad}").status_code == 404
        assert client.get(f"/unsubscribe/{bad}").status_code == 404
    world.camille.email = "camille.new@example.org"  # the link was for the old address
    db.session.commit()
    assert client.post(f"/unsubscribe/{token}").status_code == 404
    for person in world.people():
        db.session.refresh(person)
        assert person.digest == "daily"


def test_admins_change_the_cadence_and_bad_values_change_nothing(app: Flask, client: FlaskClient, world: World) -> None:
    admin = world.lead_idf
    admin.role, admin.language = "admin", "en"
    db.session.commit()
    login(client, admin.email)
    page = client.get("/admin/reminders")  # rendered at version 0
    form = {
        "due_soon_days": "21, 7, 0",
        "overdue_first_day": "2",
        "overdue_repeat_days": "5",
        "overdue_escalation_day": "10",
        "stale_after_days": "45",
        "quarter_call_days": "7",
    }
    bad = submit_form(client, page, fields={**form, "due_soon_days": "soon", "overdue_repeat_days": "0"})
    assert bad.status_code == 422 and "Give one to six numbers" in text(bad)
    assert current_cadence(admin.party_id).due_soon_days == (14, 3, 0)

    assert submit_form(client, page, fields=form).status_code == 302
    cadence = current_cadence(admin.party_id)
    assert cadence.due_soon_days == (21, 7, 0) and cadence.overdue_repeat_days == 5 and cadence.stale_after_days == 45
    entry = db.session.query(AuditEntry).filter_by(entity="reminder_settings").one()
    assert entry.changes["due_soon_days"] == [[14, 3, 0], [21, 7, 0]]

    stale = submit_form(client, page, fields={**form, "stale_after_days": "90"})
    assert stale.status_code == 422  # based on version 0: someone saved meanwhile
    assert current_cadence(admin.party_id).stale_after_days == 45


def test_only_admins_see_the_reminder_settings(app: Flask, client: FlaskClient, world: World) -> None:
    login(client, world.camille.email)
    assert client.get("/admin/reminders").status_code == 403


def test_reminders_run_queues_a_dates_digests_once(app: Flask, world: World) -> None:
    milestone_for(world, world.camille, MONDAY)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["reminders", "run", "--date", "2026-11-30"])
    assert first.exit_code == 0 and "Queued 1 digest for 2026-11-30" in first.output
    again = runner.invoke(args=["reminders", "run", "--date", "2026-11-30"])
    assert "Queued 0 digests for 2026-11-30 (0 were queued already)" in again.output
    sunday = runner.invoke(args=["reminders", "run", "--date", "2026-11-29"])
    assert sunday.exit_code == 0 and "not a working day" in sunday.output
    bad = runner.invoke(args=["reminders", "run", "--date", "30/11/2026"])
    assert bad.exit_code == 2 and "is not a date like 2026-11-30" in bad.output and "Traceback" not in bad.output
