"""The audit trail is append-only: the database itself refuses to change or remove an entry."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from tests import factories
from tracker.core import audit
from tracker.core.audit import AuditEntry
from tracker.core.db import db


def _entry() -> AuditEntry:
    factories.make_party("ZZ")
    user = factories.make_user("ZZ", name="Témoin")
    entry = audit.record(actor=user, entity="action", entity_id=1, verb="update", changes={"title": ["a", "b"]})
    db.session.commit()
    return entry


@pytest.mark.parametrize(
    "statement",
    [
        lambda e: update(AuditEntry).where(AuditEntry.id == e.id).values(comment="effacé"),
        lambda e: delete(AuditEntry).where(AuditEntry.id == e.id),
        lambda e: delete(AuditEntry),
    ],
    ids=["update", "delete-one", "delete-all"],
)
def test_the_database_refuses_update_and_delete(app: Flask, statement) -> None:
    entry = _entry()
    count = db.session.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(DBAPIError, match="append-only"), db.session.begin_nested():
        db.session.execute(statement(entry))
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == count
    db.session.refresh(entry)
    assert entry.comment is None and entry.changes == {"title": ["a", "b"]}


def test_changing_an_entry_through_the_orm_is_refused_too(app: Flask) -> None:
    entry = _entry()
    entry.verb = "forged"
    with pytest.raises(DBAPIError, match="append-only"), db.session.begin_nested():
        db.session.flush()
    db.session.rollback()


def test_truncate_is_refused_on_postgresql(app: Flask, backend: str) -> None:
    _entry()
    statement = "TRUNCATE audit_entries" if backend == "postgresql" else "DELETE FROM audit_entries"
    with pytest.raises(DBAPIError, match="append-only"), db.session.begin_nested():
        db.session.execute(text(statement))
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) >= 1
