"""The progress log: each entry sets the action's percent, health and last progress, with its evidence files."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker.accounts.models import User
from tracker.actions import lifecycle as action_lifecycle
from tracker.actions import permissions
from tracker.actions.access import ensure_visible
from tracker.actions.evidence import store_evidence
from tracker.actions.models import Action, Attachment, ProgressUpdate
from tracker.actions.validation import MAX_PROGRESS_TEXT, Errors, clean_health, clean_percent, clean_text
from tracker.core import audit, clock
from tracker.core.db import db
from tracker.core.errors import PermissionDenied, ValidationFailed
from tracker.core.versioning import lock


def last_reported(action: Action) -> ProgressUpdate | None:
    """Return the action's latest progress log (None before the first): the percent and health last reported."""
    return db.session.scalar(
        select(ProgressUpdate)
        .where(ProgressUpdate.action_id == action.id)
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        .limit(1)
    )


def log_progress(
    user: User,
    action: Action,
    *,
    text: str,
    percent: int | str,
    health: str,
    attachments: Sequence[Attachment | tuple[str, BinaryIO]] = (),
) -> ProgressUpdate:
    """Add an entry to the action's progress log; it sets the action's percent, health and last progress."""
    ensure_visible(user, action.workstream.agreement_id)
    if not permissions.can_log_progress(user, action):
        raise PermissionDenied(_l("Only the action's owner, the workstream's co-leads and administrators may do this."))
    action_lifecycle.ensure_open(action)
    errors = Errors()
    clean = {
        "text": errors.check("text", clean_text, text, "text", MAX_PROGRESS_TEXT, required=True),
        "percent": errors.check("percent", clean_percent, percent),
        "health": errors.check("health", clean_health, health),
    }
    errors.raise_if_any()
    files = [a if isinstance(a, Attachment) else store_evidence(user, action, a[0], a[1]) for a in attachments]
    if any(f.action_id != action.id or f.progress_update_id is not None for f in files):
        raise ValidationFailed(
            _l("This file belongs elsewhere."), {"attachments": [_l("This file belongs elsewhere.")]}
        )
    lock(action)
    before = {"percent": action.percent, "health": action.health}
    update = ProgressUpdate(action_id=action.id, author_id=user.id, created_at=clock.now(), **clean)
    db.session.add(update)
    action.percent, action.health, action.last_progress_at = clean["percent"], clean["health"], update.created_at
    db.session.flush()
    for f in files:
        f.progress_update_id = update.id
    changes: dict[str, Any] = {
        "action_id": action.id,
        "text": update.text,
        "percent": [before["percent"], update.percent],
        "health": [str(before["health"]), str(update.health)],
    }
    if files:
        changes["attachments"] = [f.filename for f in files]
    audit.record(
        actor=user,
        entity="progress_update",
        entity_id=update.id,
        verb="create",
        changes=changes,
        agreement_id=action.workstream.agreement_id,
    )
    db.session.flush()
    return update
