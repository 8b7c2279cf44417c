"""`reminders preview` prints a person's digest for a date without queuing anything, and says when there is none."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import func, select

from tests import factories
from tracker.core.db import db
from tracker.mail.models import OutboxMessage

MONDAY, SATURDAY = date(2026, 11, 30), date(2026, 11, 28)


def test_preview_prints_the_digest_of_a_working_day_and_explains_a_weekend(app: Flask, frozen_clock) -> None:
    ws = factories.workstream(factories.load_agreement(), "ECO-DEV")
    owner = factories.make_user("IDF", name="Camille Martin")
    factories.make_milestone(factories.make_action(ws, owner, title="Mission économique croisée"), MONDAY)
    runner = app.test_cli_runner()
    monday = runner.invoke(args=["reminders", "preview", "--email", owner.email.upper(), "--date", "2026-11-30"])
    assert monday.exit_code == 0, monday.output
    assert monday.output.startswith("Subject: ") and "Mission économique croisée" in monday.output
    saturday = runner.invoke(args=["reminders", "preview", "--email", owner.email, "--date", SATURDAY.isoformat()])
    assert saturday.exit_code == 0 and "No digest for" in saturday.output and "weekend" in saturday.output
    sunday = runner.invoke(args=["reminders", "preview", "--email", owner.email, "--date", "2026-11-01"])
    assert "on Sunday 1 November 2026:" in sunday.output, sunday.output  # as people write a date, not « 01 »
    unknown = runner.invoke(args=["reminders", "preview", "--email", "nobody@example.org"])
    assert unknown.exit_code == 1 and "no account" in unknown.output
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_weekend_run_says_how_to_see_a_digest_now(app: Flask, frozen_clock) -> None:
    factories.load_agreement()
    result = app.test_cli_runner().invoke(args=["reminders", "run", "--date", SATURDAY.isoformat()])
    assert result.exit_code == 0 and "reminders preview" in result.output


def test_far_dates_get_one_line_not_a_traceback(app: Flask) -> None:
    runner = app.test_cli_runner()
    for command in ("run", "preview"):
        extra = ["--email", "nobody@example.org"] if command == "preview" else []
        for day in ("9999-12-31", "0001-01-01", "2100-06-01"):
            result = runner.invoke(args=["reminders", command, *extra, "--date", day])
            assert result.exit_code != 0 and "is outside 2000-01-01..2099-12-31" in result.output, result.output
            assert "Traceback" not in result.output
