"""What admins do with the outbox: list by state, read a message, resend a dead one.

An admin sees only the messages that concern their party (`concerns_party`): those about agreements it
signed, and those about no agreement sent to its people.
"""

from __future__ import annotations

import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from tracker.accounts.models import User
from tracker.accounts.permissions import is_admin
from tracker.agreements.services import concerns_party
from tracker.core import audit, clock
from tracker.core.db import db, discard
from tracker.core.errors import Conflict, NotFound, PermissionDenied
from tracker.core.pagination import Page, paginate
from tracker.mail.models import MailState, OutboxMessage
from tracker.mail.outbox import renderer_for
from tracker.mail.render import Rendered

log = logging.getLogger(__name__)


def _require_admin(user: User) -> None:
    if not is_admin(user):
        raise PermissionDenied(_l("Only administrators see the outbox."))


def _visible(user: User, statement: Select) -> Select:
    return statement.where(concerns_party(user, OutboxMessage.agreement_id, OutboxMessage.recipient_id))


def list_messages(user: User, *, state: MailState | None, page: int, per_page: int) -> Page[OutboxMessage]:
    """Return one page of the outbox, newest first, optionally in one state."""
    _require_admin(user)
    statement = _visible(user, select(OutboxMessage)).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if state is not None:
        statement = statement.where(OutboxMessage.state == state)
    return paginate(statement, page, per_page)


def count_by_state(user: User) -> dict[str, int]:
    _require_admin(user)
    counted = _visible(user, select(OutboxMessage.state, func.count()))
    rows = db.session.execute(counted.group_by(OutboxMessage.state)).all()
    counts = {state.value: 0 for state in MailState}
    counts.update({str(state): n for state, n in rows})
    return counts


def get_message(user: User, message_id: int) -> OutboxMessage:
    _require_admin(user)
    message = db.session.scalar(_visible(user, select(OutboxMessage).where(OutboxMessage.id == message_id)))
    if message is None:
        raise NotFound(_l("This message does not exist."))
    return message


def preview(user: User, message: OutboxMessage) -> Rendered | None:
    """Return what a message built at send time would contain now (None: nothing left to send)."""
    _require_admin(user)
    renderer = renderer_for(message.template)
    if renderer is None or message.state not in {MailState.PENDING, MailState.FAILED}:
        return Rendered(message.subject or "", message.body_text or "", message.body_html, dict(message.headers or {}))
    try:
        return renderer([message]).get(message.id)
    except Exception:  # a message that fails to build is shown as stored; its last error says why
        log.exception("outbox: preview of message %s", message.id)
        discard()  # a failed build may leave the transaction unusable: start again from what is stored
        return Rendered(message.subject or "", message.body_text or "", message.body_html, dict(message.headers or {}))


def resend(user: User, message: OutboxMessage) -> None:
    """Put a dead message back in the queue (same Message-ID); flushed, the caller commits."""
    _require_admin(user)
    if message.state != MailState.DEAD:
        raise Conflict(_l("Only a message that was given up can be sent again."), state=str(message.state))
    before = {"state": str(message.state), "attempts": message.attempts, "last_error": message.last_error}
    message.state = MailState.PENDING
    message.attempts = 0
    message.next_attempt_at = clock.now()
    message.claimed_by = message.claimed_at = message.handed_at = None
    db.session.flush()
    audit.record(
        actor=user,
        entity="outbox_message",
        entity_id=message.id,
        verb="resend",
        changes={"state": [before["state"], MailState.PENDING.value], "attempts": [before["attempts"], 0]},
        comment=before["last_error"],
        agreement_id=message.agreement_id,
    )


def queue_test_message(user: User) -> OutboxMessage | None:
    """Queue a test email to the admin themselves, to check the relay settings."""
    from tracker.mail.outbox import queue_mail

    _require_admin(user)
    key = f"test-message:{user.id}:{clock.now().isoformat()}"
    return queue_mail(to=user, template="test_message", context={"requested_by": user.name}, dedupe_key=key)
