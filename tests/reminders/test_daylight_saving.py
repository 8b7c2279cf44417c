"""Hourly sweeps across both daylight-saving changes: one digest per local date, at each person's local hour."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from tests.factories import make_milestone, make_user
from tests.reminders.conftest import PARIS, World
from tracker.core import clock
from tracker.core.db import db
from tracker.mail.models import OutboxMessage
from tracker.reminders.calendar import RegionCalendar
from tracker.reminders.sweep import sweep_now

CHANGES = {
    "spring": date(2027, 3, 28),  # last Sunday of March: 02:00 becomes 03:00
    "autumn": date(2026, 10, 25),  # last Sunday of October: 03:00 becomes 02:00
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_one_digest_per_local_date_across_a_daylight_saving_change(app: Flask, world: World, change: str) -> None:
    sunday = CHANGES[change]
    first, last = sunday - timedelta(days=2), sunday + timedelta(days=2)  # Friday to Tuesday
    hours = (0, 2, 3, 7, 23)
    people = [make_user("IDF", name=f"Hour {h}", language="fr") for h in hours]
    for person, hour in zip(people, hours, strict=True):
        person.digest_hour = hour
        world.actions[person.name] = action = type(world.actions[world.camille.name])(
            workstream_id=world.actions[world.camille.name].workstream_id,
            title=f"Action {hour}",
            owner_id=person.id,
            lead_party_id=person.party_id,
            status="active",
        )
        db.session.add(action)
        db.session.flush()
        for k in range(-3, 20):  # something due every day: each day has a "due in 3 days" reminder
            make_milestone(action, first + timedelta(days=k))
    db.session.commit()

    instant = datetime.combine(first - timedelta(days=1), datetime.min.time(), UTC)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), UTC)
    while instant < end:  # what the scheduler does: a sweep at every hour, in UTC
        clock.freeze(instant)
        sweep_now()
        instant += timedelta(hours=1)

    rows = db.session.execute(
        select(OutboxMessage.recipient_id, OutboxMessage.context, OutboxMessage.created_at).where(
            OutboxMessage.recipient_id.in_([p.id for p in people])
        )
    ).all()
    working = [
        first + timedelta(days=k)
        for k in range((last - first).days + 1)
        if RegionCalendar("FR").is_working_day(first + timedelta(days=k))
    ]
    for person, hour in zip(people, hours, strict=True):
        mine = sorted((date.fromisoformat(ctx["on"]), created) for uid, ctx, created in rows if uid == person.id)
        days = [d for d, _ in mine if first <= d <= last]
        assert days == working, (hour, days)  # Friday, Monday, Tuesday: each once, never the weekend
        for day, created in mine:
            if day < first:
                continue  # the first hour swept catches up the day's earlier hours
            local = created.astimezone(PARIS)
            assert local.date() == day and local.hour == hour, (hour, day, local)
