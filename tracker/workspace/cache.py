"""Rendered page bodies (dashboards, workstream pages, actions' logs and histories) kept per web process, under a key that changes whenever
what they show changes.

The key holds the agreement, the local date (overdue and elapsed time follow it), the language, whether the
reader is an administrator (the only control shown), and a stamp read from the database in one statement:
- the number of audit entries of the agreement: every change of its actions, milestones, progress logs,
  measurements, commitments or texts writes one in the same transaction, and the audit log is append-only,
  so the count grows with each commit, whatever the order in which concurrent transactions commit;
- the highest ids of actions, milestones, progress logs and measurements: bulk loads that write no audit
  entry (the benchmark generator) add rows;
- the sum of the users' versions (each change of a user raises it) and their number: the names shown beside
  milestones and logs.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from sqlalchemy import func, select

from tracker.accounts.models import User
from tracker.actions.models import Action, Measurement, Milestone, ProgressUpdate
from tracker.core.audit import AuditEntry
from tracker.core.db import db


class RenderCache:
    """A small thread-safe least-recently-used map."""

    def __init__(self) -> None:
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any, size: int) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


dashboards = RenderCache()
workstreams = RenderCache()
action_records = RenderCache()  # an action's progress log and history


def data_stamp(agreement_id: int) -> tuple[Any, ...]:
    """Return the stamp of what the agreement's dashboard shows (one statement)."""
    audit_count = (
        select(func.count()).select_from(AuditEntry).where(AuditEntry.agreement_id == agreement_id).scalar_subquery()
    )
    row = db.session.execute(
        select(
            audit_count,
            select(func.max(Action.id)).scalar_subquery(),
            select(func.max(Milestone.id)).scalar_subquery(),
            select(func.max(ProgressUpdate.id)).scalar_subquery(),
            select(func.max(Measurement.id)).scalar_subquery(),
            select(func.sum(User.version)).scalar_subquery(),
            select(func.count()).select_from(User).scalar_subquery(),
        )
    ).one()
    return tuple(row)
