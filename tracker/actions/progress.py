"""The progress log: each entry sets the action's percent, health and last progress, with its evidence files."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
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
from tracker.core.errors import DomainError, PermissionDenied, ValidationFailed
from tracker.core.versioning import lock


def last_reported(action: Action) -> ProgressUpdate | None:
    """Return the action's latest progress log (None before the first): the percent and health last reported."""
    return db.session.scalar(
        select(ProgressUpdate)
        .where(ProgressUpdate.action_id == action.id)
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        .limit(1)
    )


MAX_FORM_TOKEN = 64
# How long after a log the same note sent again from a form fetched anew (Back) is taken for the same log.
RESENT_WITHIN = timedelta(minutes=30)


class AlreadySaved(DomainError):
    """The form was sent again: its progress log is already saved (`update`), nothing more is."""

    status = 409
    problem_type = "already-saved"

    def __init__(self, update: ProgressUpdate) -> None:
        super().__init__(_l("Already saved: this progress log was recorded when the form was first sent."))
        self.update = update


def _already_saved(
    user: User, action: Action, form_token: str, clean: dict[str, Any], *, with_files: bool
) -> ProgressUpdate | None:
    """Return the log this form already saved, if it did: the one saved with its token (a double click, a page the
    browser kept), or, for a form the browser fetched again on Back (a new token, the note it put back), the
    action's latest log when the same person sent the same note, percent and health from a form a moment ago."""
    saved = db.session.scalars(select(ProgressUpdate).where(ProgressUpdate.form_token == form_token)).first()
    if saved is not None:
        if saved.action_id != action.id:  # a token no page of this action gave
            raise _form_expired()
        return saved
    latest = None if with_files else last_reported(action)  # new evidence files make a new log
    if (
        latest is not None
        and latest.form_token is not None
        and latest.author_id == user.id
        and (latest.text, latest.percent, str(latest.health)) == (clean["text"], clean["percent"], str(clean["health"]))
        and clock.now() - latest.created_at <= RESENT_WITHIN
    ):
        return latest
    return None


def _form_expired() -> ValidationFailed:
    # The CSRF refusal's words (tracker/web/errors.py): a form token no page gave is an expired form too.
    message = _l("The form expired or was not sent from this site. Please reload the page and try again.")
    return ValidationFailed(message, {"form_token": [message]})


def log_progress(
    user: User,
    action: Action,
    *,
    text: str,
    percent: int | str,
    health: str,
    attachments: Sequence[Attachment | tuple[str, BinaryIO]] = (),
    form_token: str = "",
) -> ProgressUpdate:
    """Add an entry to the action's progress log; it sets the action's percent, health and last progress.

    `form_token` is the one-time token of the form sent: the same form sent again (Back and send, a double click)
    raises AlreadySaved with the entry it saved the first time, and saves nothing (see `_already_saved`)."""
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
    if form_token:
        if len(form_token) > MAX_FORM_TOKEN:
            raise _form_expired()
        lock(action)  # two sends of one form at once: the second waits here, then finds the first's entry
        saved = _already_saved(user, action, form_token, clean, with_files=bool(attachments))
        if saved is not None:
            raise AlreadySaved(saved)
    files = [a if isinstance(a, Attachment) else store_evidence(user, action, a[0], a[1]) for a in attachments]
    if any(f.action_id != action.id or f.progress_update_id is not None for f in files):
        raise ValidationFailed(
            _l("This file belongs elsewhere."), {"attachments": [_l("This file belongs elsewhere.")]}
        )
    lock(action)
    before = {"percent": action.percent, "health": action.health}
    update = ProgressUpdate(
        action_id=action.id, author_id=user.id, created_at=clock.now(), form_token=form_token or None, **clean
    )
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
