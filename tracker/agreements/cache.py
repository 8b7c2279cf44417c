"""Rendered page bodies (dashboards, workstream pages, actions' logs and histories) kept per web process, under a key that changes whenever
what they show changes.

The key holds the agreement, the local date (overdue and elapsed time follow it), the language, whether the
reader is an administrator (the only control shown), and the agreement's change counter
(`agreement_stamps.changes`, one row read by its key): database triggers bump it in the same transaction as
any insert, update or delete of a row under the agreement (its actions, milestones, logs, files, indicators,
texts, audit entries, and the people and parties shown), whoever writes it, bulk loads included.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app
from markupsafe import Markup
from sqlalchemy import select

from tracker.agreements.models import AgreementStamp
from tracker.core.db import db
from tracker.web.i18n import current_language


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


def data_stamp(agreement_id: int) -> int | None:
    """Return the agreement's change counter (one primary-key read; None for an agreement without one)."""
    return db.session.scalar(select(AgreementStamp.changes).where(AgreementStamp.agreement_id == agreement_id))


def kept(store: RenderCache, agreement_id: int, key: tuple[Any, ...], render: Callable[[], Markup]) -> Markup:
    """Return the body rendered by `render`, kept in `store` under `key` and the agreement's data stamp."""
    size = current_app.config.get("PAGE_CACHE_SIZE", 0)
    if not size:
        return render()
    full_key = (str(db.engine.url), current_language(), *key, data_stamp(agreement_id))
    body = store.get(full_key)
    if body is None:
        body = render()
        store.put(full_key, body, size)
    return body
