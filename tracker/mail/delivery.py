"""Delivery: claim due rows, build them, send each over SMTP, record the outcome of each at once.

The guarantee: a message is sent at most once. A row is claimed (state `sending`) in one commit; just before
its body goes to the server, `handed_at` is committed; once the server answers 250 the row is marked `sent`
in the next commit (the next message's hand-over, or the end of the batch). A process that stops in between
leaves the row `sending`:
- without `handed_at`, the server never got the body: the row goes back to the queue (no duplicate possible);
- with `handed_at`, the server may have accepted it: the row becomes `dead` with an "outcome unknown" error,
  never resent automatically; an admin checks the relay's log for its Message-ID and resends if needed
  (a resend carries the same Message-ID, so mail clients that saw the first copy show one).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, formataddr

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, case, func, select, update

from tracker.accounts.models import User
from tracker.core import clock
from tracker.core.db import db
from tracker.mail.models import DUE_STATES, MailState, OutboxMessage
from tracker.mail.outbox import renderer_for
from tracker.mail.render import Rendered
from tracker.mail.smtp import (
    ConnectionFailure,
    DeliveryFailure,
    PermanentFailure,
    SmtpSession,
    SmtpSettings,
    UnknownOutcome,
)

log = logging.getLogger(__name__)
Progress = Callable[["DeliveryReport"], None]

UNKNOWN_OUTCOME = (
    "Outcome unknown: the delivery stopped after handing the message to the server. Look for its Message-ID "
    "in the relay's log and resend it only if it did not arrive."
)


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    dead: int = 0
    cancelled: int = 0
    recovered: int = 0
    kept: int = 0  # no SMTP_HOST: left in the outbox
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.dead + self.cancelled


@dataclass(frozen=True)
class Outgoing:
    """What sending one claimed row needs, read before the first commit expires the ORM objects."""

    id: int
    attempts: int
    recipient: str
    payload: bytes


def _config(name: str) -> int:
    return int(current_app.config[name])


def count_due() -> int:
    return db.session.scalar(select(func.count()).where(OutboxMessage.state.in_(DUE_STATES))) or 0


def recover_abandoned(report: DeliveryReport) -> None:
    """Take back rows left `sending` by a stopped run (see the module docstring for which and how)."""
    now = clock.now()
    cutoff = now - timedelta(seconds=_config("OUTBOX_CLAIM_LEASE_SECONDS"))
    stale = OutboxMessage.state == MailState.SENDING
    requeued = db.session.execute(
        update(OutboxMessage)
        .where(stale, OutboxMessage.handed_at.is_(None), OutboxMessage.claimed_at < cutoff)
        .values(
            state=case((OutboxMessage.attempts > 0, MailState.FAILED.value), else_=MailState.PENDING.value),
            claimed_by=None,
            claimed_at=None,
            next_attempt_at=now,
        )
    ).rowcount
    unknown = db.session.execute(
        update(OutboxMessage)
        .where(stale, OutboxMessage.handed_at.is_not(None), OutboxMessage.handed_at < cutoff)
        .values(state=MailState.DEAD.value, claimed_by=None, last_error=UNKNOWN_OUTCOME)
    ).rowcount
    db.session.commit()
    report.recovered += requeued
    report.dead += unknown
    if requeued or unknown:
        log.warning("outbox: %d abandoned claims requeued, %d of unknown outcome marked dead", requeued, unknown)


def claim(token: str, size: int) -> list[OutboxMessage]:
    """Mark up to `size` due rows as ours (skipping rows another run holds) and return them."""
    now = clock.now()
    ids = list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.state.in_(DUE_STATES), OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(size)
            .with_for_update(skip_locked=True)
        )
    )
    if ids:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.state.in_(DUE_STATES))
            .values(state=MailState.SENDING.value, claimed_by=token, claimed_at=now, handed_at=None)
        )
    db.session.commit()
    if not ids:
        return []
    table = OutboxMessage.__table__
    rows = db.session.execute(
        select(table).where(table.c.id.in_(ids), table.c.claimed_by == token).order_by(table.c.id)
    ).mappings()
    # Detached copies: later commits (one or two per message) need not expire a session full of them.
    return [OutboxMessage(**row) for row in rows]


def build_contents(messages: Sequence[OutboxMessage]) -> dict[int, Rendered | str]:
    """Return for each row what to send now, or why it is no longer to be sent (a reason string)."""
    result: dict[int, Rendered | str] = {}
    recipients = {m.recipient_id for m in messages if m.recipient_id is not None}
    active = set(db.session.scalars(select(User.id).where(User.id.in_(recipients), User.active.is_(True))))
    by_template: dict[str, list[OutboxMessage]] = {}
    for m in messages:
        if m.recipient_id is not None and m.recipient_id not in active:
            result[m.id] = "the recipient's account is deactivated"
        elif renderer_for(m.template) is not None:
            by_template.setdefault(m.template, []).append(m)
        else:
            result[m.id] = Rendered(m.subject or "", m.body_text or "", m.body_html, dict(m.headers or {}))
    for template, rows in by_template.items():
        rendered = renderer_for(template)(rows)  # type: ignore[misc]
        for m in rows:
            content = rendered.get(m.id)
            result[m.id] = content if content is not None else "nothing left to send: what it was about is settled"
    return result


def _prepare(messages: list[OutboxMessage], report: DeliveryReport, from_names: dict[str, str]) -> list[Outgoing]:
    contents = build_contents(messages)
    now = clock.now()
    outgoing, cancelled, rendered = [], [], []
    for m in messages:
        content = contents[m.id]
        if isinstance(content, str):
            cancelled.append({"b_id": m.id, "last_error": content})
            continue
        if m.rendered_at is None or renderer_for(m.template) is not None:
            rendered.append(
                {
                    "b_id": m.id,
                    "subject": content.subject[:500],
                    "body_text": content.text,
                    "body_html": content.html,
                    "headers": content.headers,
                    "rendered_at": now,
                }
            )
        outgoing.append(Outgoing(m.id, m.attempts, m.recipient, _payload(m, content, from_names)))
    table = OutboxMessage.__table__
    by_id = table.c.id == bindparam("b_id")
    if cancelled:
        values = {"state": MailState.CANCELLED.value, "claimed_by": None}
        db.session.execute(update(table).where(by_id).values(**values), cancelled)
        report.cancelled += len(cancelled)
    if rendered:
        db.session.execute(update(table).where(by_id), rendered)
    db.session.commit()
    return outgoing


def _payload(m: OutboxMessage, content: Rendered, from_names: dict[str, str]) -> bytes:
    if m.language not in from_names:
        with force_locale(m.language):
            from_names[m.language] = _("Cooperation tracker")
    message = EmailMessage(policy=SMTP_POLICY)
    message["From"] = formataddr((from_names[m.language], str(current_app.config["MAIL_FROM"])))
    message["To"] = formataddr((m.recipient_name, m.recipient))
    message["Subject"] = content.subject
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = m.message_id
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    for name, value in content.headers.items():
        message[name] = value
    message.set_content(content.text)
    if content.html:
        message.add_alternative(content.html, subtype="html")
    message["Content-Language"] = m.language  # after the body: set_content drops Content-* headers
    return message.as_bytes()


_TABLE = OutboxMessage.__table__


def _mark(message_id: int, *, commit: bool = True, **values: object) -> None:
    # Core statements on the table: no ORM bookkeeping for these one-row updates.
    db.session.execute(update(_TABLE).where(_TABLE.c.id == message_id).values(**values))
    if commit:
        db.session.commit()


def _retry_delay(attempts: int) -> timedelta:
    base, cap = _config("OUTBOX_RETRY_BASE_SECONDS"), _config("OUTBOX_RETRY_MAX_SECONDS")
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _record_failure(item: Outgoing, failure: DeliveryFailure, report: DeliveryReport) -> None:
    attempts = item.attempts + 1
    if isinstance(failure, UnknownOutcome):
        reason, give_up = f"{failure} — {UNKNOWN_OUTCOME}", True
    elif isinstance(failure, PermanentFailure):
        reason, give_up = str(failure), True
    elif attempts >= _config("OUTBOX_MAX_ATTEMPTS"):
        reason, give_up = f"gave up after {attempts} attempts: {failure}", True
    else:
        reason, give_up = str(failure), False
    if give_up:
        _mark(item.id, state=MailState.DEAD.value, attempts=attempts, last_error=reason, claimed_by=None)
        report.dead += 1
        log.warning("outbox: message %s given up: %s", item.id, reason)
    else:
        next_at = clock.now() + _retry_delay(attempts)
        values = {"state": MailState.FAILED.value, "attempts": attempts, "last_error": reason}
        _mark(item.id, **values, next_attempt_at=next_at, claimed_by=None, handed_at=None)
        report.retried += 1
        log.info("outbox: message %s retried at %s: %s", item.id, next_at.isoformat(), reason)


def _send_one(smtp: SmtpSession, token: str, item: Outgoing, report: DeliveryReport) -> None:
    def hand_over() -> bool:
        # Committed before the body leaves: from here on, a crash means "outcome unknown", never a resend.
        claimed = (_TABLE.c.id == item.id, _TABLE.c.claimed_by == token, _TABLE.c.state == MailState.SENDING.value)
        done = db.session.execute(update(_TABLE).where(*claimed).values(handed_at=clock.now())).rowcount
        db.session.commit()
        return done == 1

    sender = str(current_app.config["MAIL_FROM"])
    if smtp.send(sender, item.recipient, item.payload, hand_over):
        # Committed with the next message's hand-over (or at the end of the batch): one commit per message.
        values = {"state": MailState.SENT.value, "attempts": item.attempts + 1, "sent_at": clock.now()}
        _mark(item.id, commit=False, claimed_by=None, **values)
        report.sent += 1


def deliver_pending(*, limit: int | None = None, progress: Progress | None = None) -> DeliveryReport:
    """Send what is due now; return how many were sent, retried later, given up and cancelled."""
    report = DeliveryReport()
    recover_abandoned(report)
    settings = SmtpSettings.from_config(current_app.config)
    if settings is None:
        report.kept = count_due()
        return report
    token, from_names = uuid.uuid4().hex, {}
    while limit is None or report.handled < limit:
        batch = claim(token, min(_config("OUTBOX_BATCH_SIZE"), limit - report.handled if limit else 10**9))
        if not batch:
            break
        outgoing = _prepare(batch, report, from_names)
        if not _send_in_parallel(settings, token, outgoing, report):
            break
        if progress:
            progress(report)
    return report


def _send_in_parallel(settings: SmtpSettings, token: str, outgoing: list[Outgoing], report: DeliveryReport) -> bool:
    """Send a batch over OUTBOX_WORKERS connections at once (each message still recorded on its own)."""
    workers = max(1, min(_config("OUTBOX_WORKERS"), len(outgoing)))
    if workers == 1:
        return _send_batch(SmtpSession(settings), token, outgoing, report)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    parts = [DeliveryReport() for _ in range(workers)]
    reachable = [True] * workers

    def work(k: int) -> None:
        with app.app_context():
            try:
                reachable[k] = _send_batch(SmtpSession(settings), token, outgoing[k::workers], parts[k])
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(k,), name=f"outbox-{k}") for k in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for part in parts:
        report.sent, report.retried, report.dead = (
            report.sent + part.sent,
            report.retried + part.retried,
            report.dead + part.dead,
        )
        report.errors.extend(part.errors)
    return all(reachable)


def _send_batch(smtp: SmtpSession, token: str, outgoing: list[Outgoing], report: DeliveryReport) -> bool:
    """Send messages over one connection; return False when the relay is unreachable (the rest wait)."""
    try:
        for index, item in enumerate(outgoing):
            try:
                _send_one(smtp, token, item, report)
            except ConnectionFailure as exc:
                report.errors.append(str(exc))
                for rest in outgoing[index:]:
                    _record_failure(rest, exc, report)
                return False
            except DeliveryFailure as exc:
                _record_failure(item, exc, report)
        db.session.commit()
        return True
    finally:
        smtp.close()
