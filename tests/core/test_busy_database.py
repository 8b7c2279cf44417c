"""A busy database is waited for, never reported: reads that record something, and writers, on real connections.

Each test holds the write lock on a second connection (a thread standing for another worker or the scheduler)
while a request runs, then lets it go: the request must wait and succeed, never answer « database is locked ».
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import event, text

from tests import factories
from tests.api.helpers import Api, token_for
from tracker.accounts.models import ApiToken
from tracker.core.db import db

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
