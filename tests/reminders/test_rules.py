"""Who hears of what, and when: the cadence of DESIGN.md, working days and public holidays of each region."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from sqlalchemy import select

from tests.reminders.conftest import World, at, milestone_for
from tracker.actions.models import ActionApproval, ActionStatus
from tracker.core import clock
from tracker.core.db import db
from tracker.mail.models import OutboxMessage
from tracker.reminders.settings import Cadence, save_cadence
from tracker.reminders.sweep import sweep

MONDAY = date(2026, 11, 30)


def items_on(day: date) -> dict[str, dict[str, list[int]]]:
    """Sweep `day` and return {email: {section: ids}} of what was queued."""
    clock.freeze(at(day, 7))
    sweep(day)
    rows = db.session.execute(select(OutboxMessage.recipient, OutboxMessage.context)).all()
    return {email: ctx["items"] for email, ctx in rows if ctx.get("on") == day.isoformat()}


def test_nothing_on_weekends_and_the_weekend_goes_into_mondays_digest(app: Flask, world: World) -> None:
    saturday_due = milestone_for(world, world.camille, date(2026, 11, 28))
    in_three_days_from_sunday = milestone_for(world, world.camille, date(2026, 12, 2))
    assert items_on(date(2026, 11, 28)) == {}
    assert items_on(date(2026, 11, 29)) == {}
    monday = items_on(MONDAY)[world.camille.email]["milestones"]
    assert sorted(monday) == sorted([saturday_due.id, in_three_days_from_sunday.id])


def test_public_holidays_of_each_region(app: Flask, world: World) -> None:
    # 21 July is Belgium's national day, a working day in France.
    due = {p.email: milestone_for(world, p, date(2027, 7, 24)).id for p in (world.camille, world.lotte)}  # in 3 days
    on_holiday = items_on(date(2027, 7, 21))
    assert world.camille.email in on_holiday and world.lotte.email not in on_holiday
    next_day = items_on(date(2027, 7, 22))
    assert next_day[world.lotte.email]["milestones"] == [due[world.lotte.email]]  # carried to the next working day
    assert world.camille.email not in next_day  # heard of it on the day


def test_overdue_day_one_then_weekly_and_co_leads_from_day_fourteen(app: Flask, world: World) -> None:
    due_on = date(2026, 11, 2)  # a Monday
    late = milestone_for(world, world.camille, due_on)
    leads = {world.lead_idf.email, world.lead_bxl.email}

    def heard(day: date) -> tuple[bool, set[str]]:
        found = items_on(day)
        owner = late.id in found.get(world.camille.email, {}).get("milestones", [])
        return owner, {email for email, items in found.items() if late.id in items.get("escalated", [])}

    assert heard(due_on + timedelta(days=1)) == (True, set())  # day 1
    assert heard(due_on + timedelta(days=2)) == (False, set())
    assert heard(due_on + timedelta(days=8)) == (True, set())  # day 8
    assert heard(due_on + timedelta(days=14)) == (False, leads)  # day 14: both co-leads
    assert heard(due_on + timedelta(days=15)) == (True, set())  # day 15
    assert heard(due_on + timedelta(days=21)) == (False, leads)


def test_approvals_wait_on_the_co_lead_of_each_party_until_they_approve(app: Flask, world: World) -> None:
    proposed = world.actions[world.grace.name]
    proposed.status = ActionStatus.PROPOSED
    db.session.commit()
    found = items_on(MONDAY)
    assert found[world.lead_idf.email]["approvals"] == [proposed.id]
    assert found[world.lead_bxl.email]["approvals"] == [proposed.id]

    db.session.add(ActionApproval(action_id=proposed.id, party_id=world.lead_idf.party_id, user_id=world.lead_idf.id))
    db.session.commit()
    found = items_on(date(2026, 12, 1))
    assert world.lead_idf.email not in found
    assert found[world.lead_bxl.email]["approvals"] == [proposed.id]


def test_actions_without_progress_for_sixty_days_then_weekly(app: Flask, world: World) -> None:
    action = world.actions[world.lotte.name]
    action.last_progress_at = at(MONDAY - timedelta(days=60), 23)  # late evening, Paris time
    db.session.commit()
    assert items_on(MONDAY)[world.lotte.email]["stale"] == [action.id]
    assert world.lotte.email not in items_on(date(2026, 12, 1))
    assert items_on(date(2026, 12, 7))[world.lotte.email]["stale"] == [action.id]


def test_a_call_to_log_progress_ten_days_before_the_quarter_ends(app: Flask, world: World) -> None:
    found = items_on(date(2026, 12, 21))  # 31 December minus 10 days, a Monday
    assert {email for email, items in found.items() if "quarter" in items} == {p.email for p in world.people()}
    assert items_on(date(2026, 12, 22)) == {}


def test_weekly_readers_get_the_whole_week_on_monday(app: Flask, world: World) -> None:
    world.grace.digest = "weekly"
    db.session.commit()
    tuesday = milestone_for(world, world.grace, date(2026, 11, 24))  # overdue since last Tuesday
    thursday = milestone_for(world, world.grace, date(2026, 12, 3))  # later this week
    assert world.grace.email not in items_on(date(2026, 11, 27))  # a Friday
    assert sorted(items_on(MONDAY)[world.grace.email]["milestones"]) == sorted([tuesday.id, thursday.id])


def test_admins_cadence_is_followed_by_their_party_only(app: Flask, world: World) -> None:
    admin = world.lead_idf
    admin.role = "admin"
    db.session.commit()
    five_days = milestone_for(world, world.camille, MONDAY + timedelta(days=5))
    milestone_for(world, world.lotte, MONDAY + timedelta(days=5))  # Brussels keeps its own cadence
    assert world.camille.email not in items_on(MONDAY)
    save_cadence(admin, Cadence(due_soon_days=(5, 0)), version=0)
    db.session.commit()
    assert items_on(date(2026, 12, 1)) == {}
    db.session.execute(OutboxMessage.__table__.delete())
    assert items_on(MONDAY) == {world.camille.email: {"milestones": [five_days.id]}}
