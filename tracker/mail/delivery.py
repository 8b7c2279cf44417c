"""Delivery: claim due rows, build them, send each over SMTP, record the outcome of each at once.

The guarantee: a message is sent at most once. A row is claimed (state `sending`) in one unit of work
(`tracker.core.db.unit_of_work`); just before its body goes to the server, `handed_at` is committed in a unit of
its own; once the server answers 250 the row is marked `sent` in the next unit (the next message's hand-over or
failure, or the end of the batch). A process that stops in between leaves the row `sending`:
- without `handed_at`, the server never got the body: the row goes back to the queue (no duplicate possible);
- with `handed_at`, the server may have accepted it: the row becomes `dead` with an "outcome unknown" error,
  never resent automatically; an admin checks the relay's log for its Message-ID and resends if needed
  (a resend carries the same Message-ID, so mail clients that saw the first copy show one).

Each message builds, sends and fails on its own: any exception while building (a stored value no header can
carry, a digest whose data breaks its template) or sending one message is recorded on that row as its
`last_error`, retried with backoff and given up (`dead`, shown on /admin/outbox) after OUTBOX_MAX_ATTEMPTS;
the other messages of the batch go out.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, case, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.expression import ColumnElement

from tracker.core import clock
from tracker.core.db import db, reading, unit_of_work
from tracker.mail.compose import compose, mailbox, parse_sender
from tracker.mail.contents import BuildFailure, build_contents
from tracker.mail.models import DUE_STATES, MailState, OutboxMessage
from tracker.mail.outbox import renderer_for
from tracker.mail.render import Rendered
from tracker.mail.smtp import (
    ConnectionFailure,
    DeliveryFailure,
    PermanentFailure,
    SmtpSession,
    SmtpSettings,
    TemporaryFailure,
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
    with unit_of_work():
        requeued, unknown = _take_back(stale, cutoff, now)
    report.recovered += requeued
    report.dead += unknown
    if requeued or unknown:
        log.warning("outbox: %d abandoned claims requeued, %d of unknown outcome marked dead", requeued, unknown)


def _take_back(stale: ColumnElement[bool], cutoff: datetime, now: datetime) -> tuple[int, int]:
    """Requeue the stale claims never handed over, mark dead those handed over; return both counts."""
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
    return requeued, unknown


def claim(token: str, size: int) -> list[OutboxMessage]:
    """Mark up to `size` due rows as ours (skipping rows another run holds) and return them."""
    now = clock.now()
    with unit_of_work():
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
    if not ids:
        return []
    table = OutboxMessage.__table__
    ours = select(table).where(table.c.id.in_(ids), table.c.claimed_by == token).order_by(table.c.id)
    with reading():
        rows = db.session.execute(ours).mappings().all()
    # Detached copies: later units (one or two per message) need not expire a session full of them.
    return [OutboxMessage(**row) for row in rows]


def _prepare(messages: list[OutboxMessage], report: DeliveryReport, from_names: dict[str, str]) -> list[Outgoing]:
    contents = build_contents(messages)
    now = clock.now()
    outgoing, cancelled, rendered, failed = [], [], [], []
    for m in messages:
        content = contents[m.id]
        if isinstance(content, str):
            cancelled.append({"b_id": m.id, "last_error": content})
            continue
        if not isinstance(content, BuildFailure):
            try:
                payload = _payload(m, content, from_names)
            except Exception as exc:  # any stored value that cannot be written: this message fails alone
                log.exception("outbox: message %s could not be composed", m.id)
                content = BuildFailure.of(exc)
        if isinstance(content, BuildFailure):
            failed.append((Outgoing(m.id, m.attempts, m.recipient, b""), content))
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
        outgoing.append(Outgoing(m.id, m.attempts, m.recipient, payload))
    table = OutboxMessage.__table__
    by_id = table.c.id == bindparam("b_id")
    with unit_of_work():
        if cancelled:
            values = {"state": MailState.CANCELLED.value, "claimed_by": None}
            db.session.execute(update(table).where(by_id).values(**values), cancelled)
        if rendered:
            db.session.execute(update(table).where(by_id), rendered)
    report.cancelled += len(cancelled)
    for item, failure in failed:
        _record_failure(item, TemporaryFailure(failure.reason), report)
    return outgoing


def _payload(m: OutboxMessage, content: Rendered, from_names: dict[str, str]) -> bytes:
    name, address = parse_sender(str(current_app.config["MAIL_FROM"]))
    if not name:
        if m.language not in from_names:
            with force_locale(m.language):
                from_names[m.language] = _("Cooperation tracker")
        name = from_names[m.language]
    to = mailbox(m.recipient_name, m.recipient)
    return compose(content, sender=mailbox(name, address), to=to, message_id=m.message_id, language=m.language)


_TABLE = OutboxMessage.__table__


def _mark(message_id: int, **values: object) -> None:
    # Core statements on the table: no ORM bookkeeping for these one-row updates.
    db.session.execute(update(_TABLE).where(_TABLE.c.id == message_id).values(**values))


def _mark_sent(accepted: list[dict[str, object]]) -> None:
    """Mark `sent`, in the caller's unit of work, the messages the server accepted since the last unit
    ({"b_id", "attempts", "sent_at"} each). The caller clears the list once its unit committed: if it rolled
    back, the next unit (a hand-over, a failure, the batch's end) records them."""
    if accepted:
        values = {"state": MailState.SENT.value, "claimed_by": None}
        db.session.execute(update(_TABLE).where(_TABLE.c.id == bindparam("b_id")).values(**values), accepted)


def _retry_delay(attempts: int) -> timedelta:
    base, cap = _config("OUTBOX_RETRY_BASE_SECONDS"), _config("OUTBOX_RETRY_MAX_SECONDS")
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _record_failure(
    item: Outgoing, failure: DeliveryFailure, report: DeliveryReport, accepted: list[dict[str, object]] | None = None
) -> None:
    """Record on the row, in a unit of work of its own, that it failed (retried later or given up); the unit also
    marks `sent` the messages in `accepted` (see `_mark_sent`)."""
    attempts = item.attempts + 1
    if isinstance(failure, UnknownOutcome):
        reason, give_up = f"{failure} — {UNKNOWN_OUTCOME}", True
    elif isinstance(failure, PermanentFailure):
        reason, give_up = str(failure), True
    elif attempts >= _config("OUTBOX_MAX_ATTEMPTS"):
        reason, give_up = f"gave up after {attempts} attempts: {failure}", True
    else:
        reason, give_up = str(failure), False
    accepted = [] if accepted is None else accepted
    if give_up:
        values: dict[str, object] = {"state": MailState.DEAD.value}
    else:
        next_at = clock.now() + _retry_delay(attempts)
        values = {"state": MailState.FAILED.value, "next_attempt_at": next_at, "handed_at": None}
    try:
        with unit_of_work():
            _mark_sent(accepted)
            _mark(item.id, **values, attempts=attempts, last_error=reason, claimed_by=None)
    except SQLAlchemyError:
        # The database refused this row's outcome (a row gone, a constraint): it alone stays claimed, and a later
        # run takes it back (see recover_abandoned); the messages sent before it are recorded, the batch goes on.
        log.exception("outbox: the failure of message %s could not be recorded: %s", item.id, reason)
        _record_sent_alone(accepted)
        return
    accepted.clear()
    if give_up:
        report.dead += 1
        log.warning("outbox: message %s given up: %s", item.id, reason)
    else:
        report.retried += 1
        log.info("outbox: message %s retried at %s: %s", item.id, next_at.isoformat(), reason)


def _record_sent_alone(accepted: list[dict[str, object]]) -> None:
    """Mark `sent`, in a unit of their own, the accepted messages whose unit with another row's outcome failed;
    if the database refuses this too, they stay in `accepted` for the next unit (a hand-over, the batch's end)."""
    if not accepted:
        return
    try:
        with unit_of_work():
            _mark_sent(accepted)
    except SQLAlchemyError:
        log.exception("outbox: messages %s were sent but could not be recorded yet", [a["b_id"] for a in accepted])
        return
    accepted.clear()


def _send_one(
    smtp: SmtpSession, token: str, item: Outgoing, report: DeliveryReport, accepted: list[dict[str, object]]
) -> None:
    def hand_over() -> bool:
        # Committed before the body leaves: from here on, a crash means "outcome unknown", never a resend.
        claimed = (_TABLE.c.id == item.id, _TABLE.c.claimed_by == token, _TABLE.c.state == MailState.SENDING.value)
        with unit_of_work():
            _mark_sent(accepted)
            done = db.session.execute(update(_TABLE).where(*claimed).values(handed_at=clock.now())).rowcount
        accepted.clear()
        return done == 1

    sender = parse_sender(str(current_app.config["MAIL_FROM"]))[1]
    if smtp.send(sender, item.recipient, item.payload, hand_over):
        # Recorded with the next message's hand-over (or failure, or the end of the batch): one unit per message.
        accepted.append({"b_id": item.id, "attempts": item.attempts + 1, "sent_at": clock.now()})
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
    accepted: list[dict[str, object]] = []  # sent, not yet recorded: see _mark_sent
    try:
        for index, item in enumerate(outgoing):
            try:
                _send_one(smtp, token, item, report, accepted)
            except ConnectionFailure as exc:
                report.errors.append(str(exc))
                for rest in outgoing[index:]:
                    _record_failure(rest, exc, report, accepted)
                return False
            except DeliveryFailure as exc:
                _record_failure(item, exc, report, accepted)
            except Exception as exc:  # a bug or a value no relay takes: this message fails alone
                log.exception("outbox: message %s failed", item.id)
                smtp.close()
                _record_failure(item, TemporaryFailure(f"{type(exc).__name__}: {exc}"[:2000]), report, accepted)
        with unit_of_work():
            _mark_sent(accepted)
        return True
    finally:
        smtp.close()
