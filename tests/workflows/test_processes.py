"""Real processes on PostgreSQL: two sweeps at once, and a scheduler killed mid-sweep then restarted.

The child processes get the time through TRACKER_TEST_CLOCK (tracker.core.clock) and send their mail to the
test's SMTP server. A row lock held by the test pauses a sweep at a known point, without any sleep.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from tests.factories import load_agreement, make_action, make_milestone, make_user, workstream
from tests.smtp import SmtpSink
from tracker.core.db import db
from tracker.mail.models import MailState, OutboxMessage
from tracker.mail.outbox import message_id_for
from tracker.scheduling.models import SchedulerRun

ROOT = Path(__file__).resolve().parents[2]
MONDAY = date(2026, 11, 30)
pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


def child_env(database_url: str, tmp_path: Path, smtp: SmtpSink, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SMTP_", "SCHEDULER_", "TRACKER_TEST_CLOCK"))}
    env.update(
        DATABASE_URL=database_url,
        TRACKER_INSTANCE_DIR=str(tmp_path / "instance"),
        SECRET_KEY="test-secret-key",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp.port),
        SMTP_SECURITY="none",
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def flask(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture
def people(committed_app: Flask) -> list:
    ws = workstream(load_agreement(), "ECO-DEV")
    result = [make_user("IDF") for _ in range(15)] + [make_user("BXL", language="nl") for _ in range(15)]
    for person in result:
        make_milestone(make_action(ws, person), MONDAY)  # due on the day
    return sorted(result, key=lambda p: p.id)


@pytest.fixture
def lock_connection(committed_app: Flask) -> Iterator:
    """A second connection of the test, whose open transaction holds a row lock the children run into."""
    connection = db.engine.connect()
    transaction = connection.begin()
    yield connection
    if transaction.is_active:
        transaction.rollback()
    connection.close()


def hold_digest_key(connection, person) -> None:
    key = f"digest:{person.id}:{MONDAY.isoformat()}"
    connection.execute(
        OutboxMessage.__table__.insert().values(
            dedupe_key=key,
            message_id=message_id_for(key),
            template="digest",
            state="cancelled",
            recipient=person.email,
            recipient_name="",
            language="fr",
            context={},
            headers={},
            attempts=0,
            next_attempt_at=func.now(),
            created_at=func.now(),
        )
    )


def waiting_on_locks() -> int:
    return db.session.scalar(
        text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
    )


def wait_until(condition, processes, what: str, attempts: int = 600) -> None:
    """Poll the database (each read its own short transaction) until `condition()` holds."""
    for _ in range(attempts):
        db.session.rollback()
        if condition():
            return
        for p in processes:
            if p.poll() is not None:
                raise AssertionError(f"a child exited while waiting for {what}: {p.stdout.read()}")
        db.session.execute(text("SELECT pg_sleep(0.05)"))
    raise AssertionError(f"timed out waiting for {what}")


def digest_rows() -> list[tuple[str, str]]:
    db.session.rollback()
    return db.session.execute(
        select(OutboxMessage.recipient, OutboxMessage.state).where(OutboxMessage.template == "digest")
    ).all()


def test_two_sweeps_at_once_in_two_processes_queue_one_digest_each(
    people: list, lock_connection, fresh_database: str, smtp_server: SmtpSink, tmp_path: Path
) -> None:
    hold_digest_key(lock_connection, people[-1])  # both sweeps will wait here, at the same moment
    env = child_env(fresh_database, tmp_path, smtp_server, TRACKER_TEST_CLOCK="2026-11-30T06:30:00+00:00")
    sweeps = [flask("reminders", "run", "--date", MONDAY.isoformat(), env=env) for _ in range(2)]
    wait_until(lambda: waiting_on_locks() >= 2, sweeps, "both sweeps to meet on the lock")
    lock_connection.rollback()
    outputs = [p.communicate(timeout=60)[0] for p in sweeps]
    assert [p.returncode for p in sweeps] == [0, 0], outputs

    recipients = [r for r, _state in digest_rows()]
    assert sorted(recipients) == sorted(p.email for p in people)
    assert sum(int(o.split("Queued ")[1].split(" ")[0]) for o in outputs) == len(people)

    deliver = flask("outbox", "deliver", env={**env, "TRACKER_TEST_CLOCK": "2026-11-30T06:40:00+00:00"})
    assert "Sent 30, retried later 0, given up 0." in deliver.communicate(timeout=60)[0]
    assert sorted(r.recipients[0] for r in smtp_server.received) == sorted(p.email for p in people)


def test_a_scheduler_killed_mid_sweep_then_restarted_sends_exactly_the_missing_digests(
    people: list, lock_connection, fresh_database: str, smtp_server: SmtpSink, tmp_path: Path
) -> None:
    hold_digest_key(lock_connection, people[12])  # the third chunk of five waits on this row
    common = {"REMINDER_SWEEP_CHUNK": "5", "SCHEDULER_HEARTBEAT_SECONDS": "1", "SCHEDULER_LEASE_SECONDS": "5"}
    env = child_env(
        fresh_database,
        tmp_path,
        smtp_server,
        TRACKER_TEST_CLOCK="2026-11-30T06:30:00+00:00",  # 07:30 in Paris, Monday
        SCHEDULER_OUTBOX_DELIVERY_SECONDS="3600",
        **common,
    )
    first = flask("scheduler", "run", env=env)
    wait_until(
        lambda: len(digest_rows()) >= 10 and waiting_on_locks() >= 1 and smtp_server.received == [],
        [first],
        "two chunks committed, the third blocked",
    )
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    lock_connection.rollback()
    queued_before = {r for r, _s in digest_rows()}
    assert len(queued_before) == 10

    env.update(TRACKER_TEST_CLOCK="2026-11-30T06:35:00+00:00", SCHEDULER_OUTBOX_DELIVERY_SECONDS="1")
    second = flask("scheduler", "run", env=env)
    received = smtp_server.wait_for(len(people), timeout=60)
    second.send_signal(signal.SIGTERM)
    output = second.communicate(timeout=60)[0]
    assert second.returncode == 0, output
    assert "Scheduler stopped." in output

    assert sorted(r.recipients[0] for r in received) == sorted(p.email for p in people)  # each exactly once
    assert len(smtp_server.received) == len(people)
    assert {s for _r, s in digest_rows()} == {MailState.SENT}
    run = db.session.scalars(select(SchedulerRun).where(SchedulerRun.job == "reminder_sweep")).one()
    assert run.status == "done" and run.attempts == 2


def test_ctrl_c_in_a_terminal_stops_the_scheduler_cleanly(
    committed_app: Flask, fresh_database: str, smtp_server: SmtpSink, tmp_path: Path
) -> None:
    from tracker.scheduling.models import SchedulerHeartbeat

    env = child_env(fresh_database, tmp_path, smtp_server, TRACKER_TEST_CLOCK="2026-11-30T06:30:00+00:00")
    scheduler = flask("scheduler", "run", env=env)
    wait_until(
        lambda: db.session.scalar(select(func.count()).select_from(SchedulerHeartbeat)) >= 1,
        [scheduler],
        "the scheduler's first heartbeat",
    )
    # Ctrl-C reaches the whole process group (SIGINT), and scripts/run then sends SIGTERM as well.
    scheduler.send_signal(signal.SIGINT)
    scheduler.send_signal(signal.SIGTERM)
    output = scheduler.communicate(timeout=60)[0]
    assert scheduler.returncode == 0, output
    assert "Traceback" not in output and "Scheduler stopped." in output
