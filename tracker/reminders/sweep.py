"""The sweep: for one local date, queue one digest per person with something due (deferred: built when sent)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from flask import current_app
from sqlalchemy import String, and_, cast, exists, literal, select
from sqlalchemy.sql.expression import ColumnElement

from tracker.accounts.models import DigestFrequency, Party, User
from tracker.agreements.days_off import days_off_by_party
from tracker.core.db import db, reading, unit_of_work
from tracker.mail.models import OutboxMessage
from tracker.mail.outbox import DeferredMail, queue_deferred
from tracker.reminders.calendar import party_calendar
from tracker.reminders.rules import Group, Recipient, Scope
from tracker.reminders.sections import collect_items
from tracker.reminders.settings import Cadence, cadences_by_party

log = logging.getLogger(__name__)
DIGEST_TEMPLATE = "digest"
CHUNK = 500


def digest_key(user_id: int, on: date) -> str:
    return f"digest:{user_id}:{on.isoformat()}"


@dataclass
class SweepReport:
    on: date
    queued: int = 0
    already: int = 0
    groups: int = 0
    non_working: list[str] = field(default_factory=list)


def _matches(
    u: Recipient,
    *,
    party_ids: tuple[int, ...],
    weekly: bool,
    on: date,
    up_to_hour: int | None,
    only: Collection[int] | None,
    skip_queued: bool,
) -> ColumnElement[bool]:
    frequency = DigestFrequency.WEEKLY if weekly else DigestFrequency.DAILY
    conditions = [u.active.is_(True), u.digest == frequency, u.party_id.in_(party_ids)]
    if up_to_hour is not None:
        conditions.append(u.digest_hour <= up_to_hour)
    if only is not None:
        conditions.append(u.id.in_(list(only)))
    if skip_queued:
        key = literal("digest:", String) + cast(u.id, String) + literal(f":{on.isoformat()}", String)
        conditions.append(~exists().where(OutboxMessage.dedupe_key == key))
    return and_(*conditions)


def build_scope(
    on: date, *, up_to_hour: int | None = None, only: Collection[int] | None = None, skip_queued: bool = True
) -> tuple[Scope, list[str]]:
    """Return the scope of the digests of `on`, and the regions for which it is not a working day."""
    windows: dict[tuple[tuple[date, ...], bool, Cadence], list[int]] = {}
    resting = []
    cadences = cadences_by_party()
    days_off = days_off_by_party()
    for party in db.session.scalars(select(Party).order_by(Party.code)):
        calendar = party_calendar(party.country, party.subdivision, party.code, days_off.get(party.id, ()))
        if not calendar.is_working_day(on):
            resting.append(party.code)
        for weekly in (False, True):
            days = calendar.window(on, weekly)
            if days:
                windows.setdefault((days, weekly, cadences.get(party.id, Cadence())), []).append(party.id)
    groups = tuple(
        Group(
            days,
            weekly,
            partial(
                _matches,
                party_ids=tuple(ids),
                weekly=weekly,
                on=on,
                up_to_hour=up_to_hour,
                only=only,
                skip_queued=skip_queued,
            ),
            cadence,
        )
        for (days, weekly, cadence), ids in windows.items()
    )
    timezone = str(current_app.config["TRACKER_TIMEZONE"])
    return Scope(on, groups, timezone), resting


def sweep(
    on: date, *, up_to_hour: int | None = None, progress: Callable[[int, int], None] | None = None
) -> SweepReport:
    """Queue the digests of `on` (people whose hour has come, when `up_to_hour` is given); one unit of work per chunk.

    Idempotent: a person has at most one digest per date (its dedupe key), so running it again, or after a
    crash half-way, queues exactly the missing ones.
    """
    # What is due and to whom is read as a reader: the write lock is taken only by each chunk's unit of work.
    with reading():
        scope, resting = build_scope(on, up_to_hour=up_to_hour)
        report = SweepReport(on, groups=len(scope.groups), non_working=resting)
        if not scope.groups:
            return report
        items = collect_items(scope)
        recipients = db.session.execute(
            select(User.id, User.email, User.name, User.language)
            .where(User.active.is_(True), User.digest != DigestFrequency.NONE)
            .order_by(User.id)
        ).all()
    # The delivery builds each digest again from the data of that moment (tracker/reminders/digest.py), so nothing
    # stale is reminded: `items` is the record of what was due when the sweep ran, which the delivery never reads.
    mails = [
        DeferredMail(
            to_id=r.id,
            email=r.email,
            name=r.name,
            language=str(r.language),
            dedupe_key=digest_key(r.id, on),
            context={"user_id": r.id, "on": on.isoformat(), "items": items[r.id]},
        )
        for r in recipients
        if r.id in items
    ]
    size = int(current_app.config.get("REMINDER_SWEEP_CHUNK") or CHUNK)
    for start in range(0, len(mails), size):
        chunk = mails[start : start + size]
        with unit_of_work():
            new = queue_deferred(DIGEST_TEMPLATE, chunk)
        report.queued += new
        report.already += len(chunk) - new
        if progress:
            progress(start + len(chunk), len(mails))
    log.info("sweep %s: %d digests queued, %d already queued", on, report.queued, report.already)
    return report


def sweep_now() -> SweepReport:
    """Queue today's digests of the people whose chosen hour has come (local time, TRACKER_TIMEZONE)."""
    from zoneinfo import ZoneInfo

    from tracker.core import clock

    local = clock.now().astimezone(ZoneInfo(str(current_app.config["TRACKER_TIMEZONE"])))
    return sweep(local.date(), up_to_hour=local.hour)
