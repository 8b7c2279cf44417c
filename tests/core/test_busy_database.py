"""A busy database is waited for, never reported: reads that record something, and writers, on real connections.

Each test holds the write lock on a second connection (a thread standing for another worker or the scheduler)
while a request runs, then lets it go: the request must wait and succeed, never answer « database is locked ».
When the lock is held past the wait (a short busy timeout here), a request answers a clear 503 that keeps
nothing (a translated page, or a problem with Retry-After) and a scheduled job runs again at the next beat.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url

from tests import databases, factories
from tests.api.helpers import Api, assert_problem, token_for
from tests.conftest import make_test_app
from tests.forms import submit_form
from tests.helpers import login
from tracker.accounts.models import ApiToken, User
from tracker.actions.models import ProgressUpdate
from tracker.core import clock
from tracker.core.db import db
from tracker.scheduling.models import SchedulerRun
from tracker.web.errors import BUSY_RETRY_SECONDS
from workflows.jobs import HOUSEKEEPING
from workflows.scheduler import Scheduler

WAIT = 20  # seconds: generous bounds on the threads; nothing here is timed


@contextmanager
def lock_held_until(app: Flask, statement_marker: str) -> Iterator[threading.Event]:
    """Hold a write transaction on another connection until a statement containing the marker has run.

    Yields the event set when the marker was seen; the holder then commits (a write of its own, so that a
    reader's snapshot taken before it is stale, as when another worker saves something).
    """
    seen, holding = threading.Event(), threading.Event()

    def spot(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement_marker in statement and threading.current_thread() is not holder:
            seen.set()

    def hold() -> None:
        with app.app_context(), db.engine.connect() as conn:
            conn.begin()
            conn.execute(text("UPDATE users SET name = name || ' (édité)'"))
            holding.set()
            seen.wait(WAIT)
            conn.commit()

    event.listen(db.engine, "after_cursor_execute", spot)
    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(WAIT)
        yield seen
    finally:
        seen.set()
        holder.join(WAIT)
        event.remove(db.engine, "after_cursor_execute", spot)


def test_a_read_with_a_token_waits_for_a_busy_database_to_record_its_use(committed_app: Flask) -> None:
    factories.load_agreement()
    user = factories.make_user("IDF")
    token, user_id = token_for(user, scope="read"), user.id
    db.session.remove()
    api = Api(committed_app.test_client(), token)

    with lock_held_until(committed_app, "FROM api_tokens") as seen:
        response = api.get("/me")

    assert seen.is_set()
    assert response.status_code == 200, response.get_data(as_text=True)
    assert db.session.query(ApiToken).filter_by(user_id=user_id).one().last_used_at is not None


def test_many_readers_and_writers_at_once_meet_no_error(committed_app: Flask) -> None:
    """Eight threads, each a client with its own token, read and write together: every request succeeds."""
    agreement = factories.load_agreement()
    ws = factories.workstream(agreement, "ECO-DEV")
    owner = factories.make_user("IDF")
    action = factories.make_action(ws, owner)
    tokens = [token_for(owner) for _ in range(8)]
    action_id = action.id
    db.session.remove()
    statuses: list[int] = []
    start = threading.Barrier(len(tokens), timeout=WAIT)

    def client(token: str, index: int) -> None:
        api = Api(committed_app.test_client(), token)
        start.wait()
        for round_ in range(3):
            statuses.append(api.get(f"/actions/{action_id}").status_code)
            body = {"text": f"Point {index}.{round_}", "percent": 10 * round_ + index, "health": "on_track"}
            statuses.append(api.post(f"/actions/{action_id}/updates", json=body).status_code)

    threads = [threading.Thread(target=client, args=(t, i)) for i, t in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(3 * WAIT)
    assert len(statuses) == 8 * 6
    assert [s for s in statuses if s >= 500] == []


# --- when the wait runs out: 503 for people and clients, a later run for jobs -------------------------------

SHORT_WAIT_MS = 150  # the test's busy timeout: the real one (15 s) only makes the same answer slower


@pytest.fixture
def busy_sqlite_app(sqlite_template: Path, tmp_path: Path) -> Iterator[Flask]:
    """An app on a SQLite file of its own that waits only SHORT_WAIT_MS for a busy database."""
    url = databases.copy_sqlite(sqlite_template, tmp_path / "busy.db")
    app = make_test_app(url, tmp_path / "instance", SQLITE_BUSY_TIMEOUT_MS=SHORT_WAIT_MS)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@contextmanager
def write_lock_held(app: Flask) -> Iterator[None]:
    """Hold SQLite's write lock on a second, plain connection to the same file (another process writing)."""
    path = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    other = sqlite3.connect(str(path), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE users SET name = name")
        yield
    finally:
        other.rollback()
        other.close()


def test_a_form_sent_while_the_database_stays_busy_answers_a_translated_503_and_keeps_nothing(
    busy_sqlite_app: Flask,
) -> None:
    factories.load_agreement()
    user = factories.make_user("IDF", name="Camille Martin")
    user_id, email = user.id, user.email
    db.session.remove()  # the test's own session holds no transaction (on SQLite, a writer's outside requests)
    client = busy_sqlite_app.test_client()
    login(client, email)

    with write_lock_held(busy_sqlite_app):
        answer = submit_form(client, "/profile", action="/profile", fields={"profile-name": "Camille Durand"})

    page = answer.get_data(as_text=True)
    assert answer.status_code == 503, page
    assert answer.headers["Retry-After"] == str(BUSY_RETRY_SECONDS)
    assert "La base de données est occupée" in page and "Traceback" not in page
    assert db.session.get(User, user_id).name == "Camille Martin"
    db.session.remove()
    again = submit_form(client, "/profile", action="/profile", fields={"profile-name": "Camille Durand"})
    assert again.status_code in (200, 302)
    assert db.session.get(User, user_id).name == "Camille Durand"


def test_an_api_write_while_the_database_stays_busy_answers_503_problem_with_retry_after(
    busy_sqlite_app: Flask,
) -> None:
    agreement = factories.load_agreement()
    owner = factories.make_user("IDF")
    action_id = factories.make_action(factories.workstream(agreement, "ECO-DEV"), owner).id
    api = Api(busy_sqlite_app.test_client(), token_for(owner))
    db.session.remove()
    api.get("/me")  # its use recorded now: the write under test is the update's alone
    body = {"text": "Salon tenu.", "percent": 40, "health": "on_track"}

    with write_lock_held(busy_sqlite_app):
        answer = api.post(f"/actions/{action_id}/updates", json=body)

    assert_problem(answer, 503, "database-busy")
    assert int(answer.headers["Retry-After"]) >= BUSY_RETRY_SECONDS  # or later, when the rate limit's window ends
    assert db.session.scalar(select(func.count()).select_from(ProgressUpdate)) == 0
    db.session.remove()
    assert api.post(f"/actions/{action_id}/updates", json=body).status_code == 201


def test_a_job_that_meets_a_busy_database_is_run_again_soon_and_the_scheduler_goes_on(
    busy_sqlite_app: Flask,
) -> None:
    process = Scheduler(busy_sqlite_app)
    job = HOUSEKEEPING
    with clock.frozen(datetime(2026, 11, 30, 2, 20, tzinfo=UTC)):
        assert process.beat()
        with write_lock_held(busy_sqlite_app):
            assert process.tick(job) is None
            assert process.beat()  # the heartbeat waits for the next one; the lease still holds
        assert process.retry_soon == {"housekeeping"}
        assert process.tick(job) is not None
    assert process.retry_soon == set()
    runs = db.session.execute(select(SchedulerRun.job, SchedulerRun.status)).all()
    assert runs == [("housekeeping", "done")]
