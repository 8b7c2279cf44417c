"""Two people acting at the same moment, on two connections: nothing is lost, nothing happens twice."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import select

from tests import factories
from tracker.accounts.models import User
from tracker.actions import services
from tracker.actions.models import Action, ActionApproval, ActionStatus
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.core.errors import Conflict

BARRIER_TIMEOUT = 30


def _setup() -> tuple[int, int, int, int]:
    agreement = factories.load_agreement()
    ws = factories.workstream(agreement, "ECO-DEV")
    idf_lead, bxl_lead, owner = factories.make_user("IDF"), factories.make_user("BXL"), factories.make_user("IDF")
    factories.make_co_lead(ws, idf_lead)
    factories.make_co_lead(ws, bxl_lead)
    action = factories.make_action(ws, owner, status=ActionStatus.PROPOSED)
    return action.id, idf_lead.id, bxl_lead.id, owner.id


def _race(app: Flask, backend: str, work: list[tuple[int, Callable[[User, Action], Any]]], action_id: int) -> list:
    """Run each (user id, step) in its own thread, app context and connection, as close together as possible.

    On PostgreSQL both threads read the action before either writes (the worst case for lost updates). SQLite
    serialises writing transactions from their first statement, so there both start together instead.
    """
    barrier = threading.Barrier(len(work), timeout=BARRIER_TIMEOUT)
    results: list[Any] = [None] * len(work)

    def run(index: int, user_id: int, step: Callable[[User, Action], Any]) -> None:
        with app.app_context():
            try:
                if backend == "sqlite":
                    barrier.wait()
                user = db.session.get(User, user_id)
                action = services.get_action(user, action_id)
                if backend != "sqlite":
                    barrier.wait()
                results[index] = step(user, action)
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - the test asserts on what each thread met
                db.session.rollback()
                results[index] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, uid, step)) for i, (uid, step) in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * BARRIER_TIMEOUT)
    return results


def test_both_parties_approving_at_once_activate_the_action_exactly_once(committed_app: Flask, backend: str) -> None:
    action_id, idf_lead, bxl_lead, _ = _setup()
    db.session.remove()
    approve = services.approve_action
    results = _race(committed_app, backend, [(idf_lead, approve), (bxl_lead, approve)], action_id)
    assert not any(isinstance(r, Exception) for r in results), results
    assert sorted(r.moved for r in results) == [False, True]
    assert db.session.get(Action, action_id).status == ActionStatus.ACTIVE
    approvals = db.session.scalars(select(ActionApproval).where(ActionApproval.action_id == action_id)).all()
    assert sorted(a.user_id for a in approvals) == sorted([idf_lead, bxl_lead])
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "action", AuditEntry.entity_id == action_id)
    ).all()
    activations = [e for e in entries if e.verb == "approve" and "status" in e.changes]
    assert len(activations) == 1 and len(entries) == 2


def test_two_edits_from_the_same_version_one_wins_and_the_other_gets_the_conflict(
    committed_app: Flask, backend: str
) -> None:
    action_id, _, _, owner = _setup()
    db.session.remove()

    def edit(title: str) -> Callable[[User, Action], Any]:
        return lambda user, action: services.update_action(user, action, version=1, title=title).title

    results = _race(committed_app, backend, [(owner, edit("Première")), (owner, edit("Seconde"))], action_id)
    conflicts = [r for r in results if isinstance(r, Conflict)]
    winners = [r for r in results if isinstance(r, str)]
    assert len(conflicts) == 1 and len(winners) == 1, results
    action = db.session.get(Action, action_id)
    assert action.version == 2 and action.title == winners[0]
    assert conflicts[0].details["current"]["title"] == action.title
    assert conflicts[0].details["mine"]["title"] != action.title
