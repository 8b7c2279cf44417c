"""Building a person's iCalendar feed from the milestones they follow."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from tracker.accounts.models import User
from tracker.actions.models import Action, ActionStatus, Milestone, MilestoneStatus
from tracker.agreements.models import Workstream, WorkstreamLead
from tracker.agreements.services import visible_agreement_ids
from tracker.core import clock
from tracker.core.db import db

if TYPE_CHECKING:
    from icalendar import Event

# Milestones due longer ago than this stay out of the feed (calendars keep what they already have).
FEED_HISTORY = timedelta(days=366)


def user_for_feed(feed_token: str) -> User | None:
    """Return the active user whose feed token this is."""
    if not feed_token or len(feed_token) > 64:
        return None
    return db.session.scalar(select(User).where(User.feed_token == feed_token, User.active.is_(True)))


def followed_milestones(user: User, since: date) -> Sequence[Milestone]:
    """Return the milestones of actions the user owns or whose workstream they co-lead."""
    co_led = select(WorkstreamLead.workstream_id).where(WorkstreamLead.user_id == user.id)
    return db.session.scalars(
        select(Milestone)
        .join(Action, Milestone.action_id == Action.id)
        .join(Workstream, Action.workstream_id == Workstream.id)
        .where(
            Workstream.agreement_id.in_(visible_agreement_ids(user)),
            or_(Action.owner_id == user.id, Action.workstream_id.in_(co_led)),
            Milestone.due_on >= since,
        )
        .options(joinedload(Milestone.action).joinedload(Action.workstream))
        .order_by(Milestone.due_on, Milestone.id)
    ).all()


def _event(milestone: Milestone, base_url: str, host: str, language: str) -> Event:
    from icalendar import Event

    action = milestone.action
    url = f"{base_url}/actions/{action.id}"
    cancelled = milestone.status == MilestoneStatus.CANCELLED or action.status == ActionStatus.CANCELLED
    event = Event()
    event.add("uid", f"milestone-{milestone.id}@{host}")
    event.add("dtstamp", clock.now())
    event.add("dtstart", milestone.due_on)
    if milestone.due_on < date.max:  # an old row may hold the last date; a date alone is a one-day event too
        event.add("dtend", milestone.due_on + timedelta(days=1))
    event.add("summary", f"{milestone.title} · {action.title}")
    event.add("description", f"{action.workstream.text('title', language)}\n{action.title}\n{url}")
    event.add("url", url)
    event.add("sequence", milestone.reschedule_count)
    event.add("last-modified", milestone.updated_at)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    if milestone.status == MilestoneStatus.DONE:
        event.add("categories", [_("Done")])
    return event


def build_feed(user: User) -> bytes:
    """Return the user's calendar as iCalendar bytes, in their language."""
    # Imported here, not at start: only the feed needs icalendar.
    from icalendar import Calendar

    base_url = current_app.config["BASE_URL"]
    host = urlsplit(base_url).hostname or "tracker"
    since = clock.today(current_app.config["TRACKER_TIMEZONE"]) - FEED_HISTORY
    with force_locale(str(user.language)):
        calendar = Calendar()
        calendar.add("prodid", "-//Cooperation tracker//Milestones//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", _("Milestones · %(name)s", name=user.name))
        for milestone in followed_milestones(user, since):
            calendar.add_component(_event(milestone, base_url, host, str(user.language)))
        return calendar.to_ical()
