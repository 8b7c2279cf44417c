"""Queueing mail: an outbox row in the caller's transaction, ignored when its dedupe key exists already."""

from __future__ import annotations

import enum
import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import Insert, text
from sqlalchemy.dialects import postgresql, sqlite

from tracker.core import clock
from tracker.core.db import db
from tracker.mail.compose import site_domain
from tracker.mail.models import MailState, OutboxMessage
from tracker.mail.render import Rendered, render_mail

if TYPE_CHECKING:
    from tracker.accounts.models import User

log = logging.getLogger(__name__)

# Templates whose content is built when sent rather than when queued: name -> function rendering a batch of
# rows, returning for each row id what to send, or None when there is nothing left to say.
Renderer = Callable[[Sequence[OutboxMessage]], dict[int, Rendered | None]]
_renderers: dict[str, Renderer] = {}


def register_renderer(template: str, renderer: Renderer) -> None:
    """Declare that rows of `template` are (re)built at send time by `renderer`."""
    _renderers[template] = renderer


def renderer_for(template: str) -> Renderer | None:
    return _renderers.get(template)


def message_id_for(dedupe_key: str) -> str:
    """Return the Message-ID of the message with this key (stable across attempts and resends)."""
    domain = site_domain(str(current_app.config["BASE_URL"]))
    digest = hashlib.sha256(dedupe_key.encode()).hexdigest()[:40]
    return f"<{digest}.tracker@{domain}>"


def _insert() -> Insert:
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(OutboxMessage).on_conflict_do_nothing(index_elements=["dedupe_key"])


def _row(to: User, template: str, dedupe_key: str) -> dict[str, Any]:
    now = clock.now()
    return {
        "dedupe_key": dedupe_key,
        "message_id": message_id_for(dedupe_key),
        "template": template,
        "state": MailState.PENDING,
        "recipient_id": to.id,
        "recipient": to.email,
        "recipient_name": to.name,
        "language": str(to.language),
        "context": {},
        "headers": {},
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def queue_mail(
    *,
    to: User,
    template: str,
    context: dict[str, Any],
    dedupe_key: str,
    headers: dict[str, str] | None = None,
    agreement_id: int | None = None,
) -> OutboxMessage | None:
    """Render a message in the recipient's language and add it to the outbox in the current transaction.

    `agreement_id` names the agreement the message is about (it decides which admins may read it).
    Returns the new row, or None when a message with the same dedupe key exists already (nothing changes).
    The caller commits; delivery happens after the commit, from the outbox.
    """
    if len(dedupe_key) > 255:
        raise ValueError("dedupe keys are at most 255 characters")
    rendered = render_mail(template, {"recipient": to, **context}, str(to.language))
    row = _row(to, template, dedupe_key) | {
        "subject": rendered.subject[:500],
        "body_text": rendered.text,
        "body_html": rendered.html,
        "headers": dict(headers or {}),
        "agreement_id": agreement_id,
        "rendered_at": clock.now(),
    }
    new_id = db.session.execute(_insert().values(row).returning(OutboxMessage.id)).scalar()
    if new_id is None:
        log.debug("mail %s already queued", dedupe_key)
        return None
    return db.session.get(OutboxMessage, new_id)


@dataclass(frozen=True)
class DeferredMail:
    """A message whose content a registered renderer builds at send time."""

    to_id: int
    email: str
    name: str
    language: str
    dedupe_key: str
    context: dict[str, Any]


def queue_deferred(template: str, mails: Sequence[DeferredMail]) -> int:
    """Add many deferred messages in one statement (duplicates ignored); return how many were new."""
    if renderer_for(template) is None:
        raise LookupError(f"no renderer registered for mail template {template!r}")
    if not mails:
        return 0
    now = clock.now()
    rows = [
        {
            "dedupe_key": m.dedupe_key,
            "message_id": message_id_for(m.dedupe_key),
            "template": template,
            "state": MailState.PENDING,
            "recipient_id": m.to_id,
            "recipient": m.email,
            "recipient_name": m.name,
            "language": m.language,
            "context": m.context,
            "headers": {},
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for m in mails
    ]
    if db.session.get_bind().dialect.name == "postgresql":
        return _insert_arrays(rows)
    # One statement, many rows: SQLAlchemy sends them in batches ("insertmanyvalues"), skipping duplicates.
    result = db.session.execute(_insert().returning(OutboxMessage.id), rows)
    return len(result.all())


_ARRAY_TYPES = {
    "dedupe_key": "varchar[]",
    "message_id": "varchar[]",
    "template": "varchar[]",
    "state": "varchar[]",
    "recipient_id": "integer[]",
    "recipient": "varchar[]",
    "recipient_name": "varchar[]",
    "language": "varchar[]",
    "context": "json[]",
    "headers": "json[]",
    "attempts": "integer[]",
    "next_attempt_at": "timestamp[]",
    "created_at": "timestamp[]",
}


# Made of the constant column names above only (no input reaches the SQL text).
_ARRAY_INSERT = text(
    f"INSERT INTO outbox_messages ({', '.join(_ARRAY_TYPES)}) "  # noqa: S608
    f"SELECT * FROM unnest({', '.join(f'CAST(:{n} AS {k})' for n, k in _ARRAY_TYPES.items())}) "
    "ON CONFLICT (dedupe_key) DO NOTHING RETURNING id"
)


def _insert_arrays(rows: list[dict[str, Any]]) -> int:
    """PostgreSQL: thousands of rows as one INSERT ... SELECT FROM unnest(arrays), a statement of fixed size."""
    columns = list(_ARRAY_TYPES)
    arrays: dict[str, list[Any]] = {name: [] for name in columns}
    for row in rows:
        for name in columns:
            value = row[name]
            if name in {"context", "headers"}:
                value = json.dumps(value)
            elif isinstance(value, datetime):
                value = value.astimezone(UTC).replace(tzinfo=None)  # stored as naive UTC (UTCDateTime)
            elif isinstance(value, enum.Enum):
                value = value.value
            arrays[name].append(value)
    return len(db.session.execute(_ARRAY_INSERT, arrays).all())
