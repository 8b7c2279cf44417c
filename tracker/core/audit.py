"""The audit trail's recording mechanism: one append-only entry per change, written in the same transaction.

This module writes (`record`, with `diff` and `snapshot` to build the changes, and the write guards every
audited change passes); it knows no domain: the actor is anything with an `id` and an `email` (a user),
stored as `actor_id`. Reading the trail — an object's history, the audit log, the labels of entities,
verbs and fields — is the `tracker.audit` package's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Any, Protocol

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core import clock
from tracker.core.db import Base, IdMixin, db

log = logging.getLogger(__name__)


class Actor(Protocol):
    """Who makes a change: a user (`tracker.accounts.models.User`), seen by the audit through these two fields."""

    id: int
    email: str


class AuditEntry(IdMixin, Base):
    """Who did what to which object, when, with the fields before and after."""

    __tablename__ = "audit_entries"

    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    at: Mapped[datetime] = mapped_column(default=clock.now)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id", ondelete="RESTRICT"))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int]
    verb: Mapped[str] = mapped_column(String(40))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    comment: Mapped[str | None] = mapped_column(Text)

    # The user (tracker.accounts.models.User), named by the mapper registry: core imports no domain.
    actor: Mapped[Actor | None] = relationship("User")

    __table_args__ = (
        Index("ix_audit_entries_entity", "entity", "entity_id", "at"),
        Index("ix_audit_entries_agreement_at", "agreement_id", "at"),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return {field: [old, new]} for the fields whose value changed."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in sorted(set(before) | set(after))
        if _plain(before.get(key)) != _plain(after.get(key))
    }


def snapshot(obj: Any, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """Return the named attributes of `obj` as plain JSON values."""
    return {name: _plain(getattr(obj, name)) for name in fields}


# Checks run before any change tied to an agreement is recorded: every write is audited, so this is the one
# gate every write goes through (e.g. a closed agreement is read-only: tracker/closeout/readonly.py).
# A check receives (agreement_id, entity, verb) and raises a DomainError to refuse the change.
WriteGuard = Callable[[int, str, str], None]
_write_guards: list[WriteGuard] = []


def guard_writes(check: WriteGuard) -> WriteGuard:
    """Register `check` to run before every audited change of an agreement; returns it (usable as a decorator)."""
    if check not in _write_guards:
        _write_guards.append(check)
    return check


def record(
    *,
    actor: Actor | None,
    entity: str,
    entity_id: int,
    verb: str,
    changes: dict[str, Any] | None = None,
    comment: str | None = None,
    agreement_id: int | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction and return it (the caller commits).

    Raises the DomainError of a write guard that refuses the change (the caller rolls back)."""
    if agreement_id is not None:
        for check in _write_guards:
            check(agreement_id, entity, verb)
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        at=clock.now(),
        agreement_id=agreement_id,
        entity=entity,
        entity_id=entity_id,
        verb=verb,
        changes={k: _plain(v) for k, v in (changes or {}).items()},
        comment=comment,
    )
    db.session.add(entry)
    log.debug("audit %s %s#%s by %s", verb, entity, entity_id, actor.email if actor else "system")
    return entry
