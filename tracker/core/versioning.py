"""No lost update: lock the row being changed, and refuse an edit based on an older version."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect, select
from sqlalchemy.orm import joinedload

from tracker.core.audit import AuditEntry, _plain
from tracker.core.db import db
from tracker.core.errors import Conflict, ValidationFailed


def lock(obj: Any) -> None:
    """Reload `obj` from the database, holding its row until the transaction ends.

    On PostgreSQL this is SELECT ... FOR UPDATE: a concurrent writer waits, then sees the committed row.
    SQLite has no row locks; its writers are serialised by BEGIN IMMEDIATE (see tracker.core.db).
    """
    mapper = inspect(obj).mapper
    (key,) = mapper.primary_key
    db.session.execute(select(key).where(key == obj.id).with_for_update())
    # Now that the row is ours, reload it: this statement sees the latest committed values.
    db.session.refresh(obj)


def parse_version(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        message = _l("The version of the page is missing. Please reload the page.")
        raise ValidationFailed(message, {"version": [message]}) from None


def check_version(obj: Any, version: Any, *, entity: str, current: Mapping[str, Any], mine: Mapping[str, Any]) -> None:
    """Raise Conflict when `version` is not the object's current one (call after `lock(obj)`).

    The Conflict carries both versions of the fields the user sent, the fields where they differ, and who
    changed the object last, so that the page (or the API client) can show them side by side.
    """
    expected = parse_version(version)
    if expected == obj.version:
        return
    current_plain = {k: _plain(v) for k, v in current.items() if k in mine}
    mine_plain = {k: _plain(v) for k, v in mine.items()}
    changed = [k for k in mine_plain if current_plain.get(k) != mine_plain[k]]
    last = db.session.scalar(
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == obj.id)
        .options(joinedload(AuditEntry.actor))
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    who = last.actor.name if last is not None and last.actor is not None else None
    if who:
        message = _l("%(name)s changed this after you opened it. Nothing was saved: compare both versions.", name=who)
    else:
        message = _l("Someone changed this after you opened it. Nothing was saved: compare both versions.")
    raise Conflict(
        message,
        entity=entity,
        entity_id=obj.id,
        your_version=expected,
        current_version=obj.version,
        mine=mine_plain,
        current=current_plain,
        changed=changed,
        changed_by=who,
        changed_at=last.at.isoformat() if last is not None else None,
    )
