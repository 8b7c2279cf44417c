"""Building a person's iCalendar feed from the milestones they follow, with what HTTP caching needs.

SEQUENCE (RFC 5546) counts the revisions of an event: it is the milestone's version less one (every change
of its date, title or status bumps it), plus one once its action is cancelled (which cancels the event and
cannot be undone). The feed's validator (ETag) is a digest of its content without DTSTAMP lines (DTSTAMP
is the time of rendering); its Last-Modified is the latest change of the person or of a shown milestone, action
or workstream (a new co-lead assignment is seen by the ETag only: clients that send If-None-Match get it at once).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from tracker.accounts.models import User
from tracker.actions.models import Action, ActionStatus, Milestone, MilestoneStatus
from tracker.agreements.models import Workstream
from tracker.agreements.services import co_led_workstream_ids, workstream_visible_to
from tracker.core import clock
from tracker.core.db import db

if TYPE_CHECKING:
    from icalendar import Event

# Milestones due longer ago than this stay out of the feed (calendars keep what they already have).
FEED_HISTORY = timedelta(days=366)
# How often subscribed calendars are asked to poll (REFRESH-INTERVAL, RFC 7986; X-PUBLISHED-TTL, Outlook).
REFRESH_INTERVAL = timedelta(hours=1)
_DTSTAMP = re.compile(rb"^DTSTAMP[:;][^\r\n]*\r\n", re.MULTILINE)


@dataclass(frozen=True)
class Feed:
    """A rendered feed: its iCalendar bytes, a strong validator (hex digest) and its last change (UTC)."""

    body: bytes
    etag: str
    last_modified: datetime | None


def user_for_feed(feed_token: str) -> User | None:
    """Return the active user whose feed token this is."""
    if not feed_token or len(feed_token) > 64:
        return None
    return db.session.scalar(select(User).where(User.feed_token == feed_token, User.active.is_(True)))


def followed_milestones(user: User, since: date) -> Sequence[Milestone]:
    """Return the milestones of actions the user owns or whose workstream they co-lead."""
    co_led = co_led_workstream_ids(user)
    return db.session.scalars(
        select(Milestone)
        .join(Action, Milestone.action_id == Action.id)
        .join(Workstream, Action.workstream_id == Workstream.id)
        .where(
            workstream_visible_to(user),
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
    event.add("sequence", sequence_of(milestone))
    event.add("last-modified", milestone.updated_at)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    if milestone.status == MilestoneStatus.DONE:
        event.add("categories", [_("Done")])
    return event


def _change_times(milestone: Milestone) -> tuple[datetime, ...]:
    """Return when what an event shows last changed: the milestone, its action, its workstream's titles."""
    return milestone.updated_at, milestone.action.updated_at, milestone.action.workstream.updated_at


def sequence_of(milestone: Milestone) -> int:
    """Return the event's SEQUENCE: how many times it was revised (never goes down)."""
    return milestone.version - 1 + (1 if milestone.action.status == ActionStatus.CANCELLED else 0)


def build_feed(user: User) -> Feed:
    """Return the user's calendar in their language, with its ETag digest and last change."""
    # Imported here, not at start: only the feed needs icalendar.
    from icalendar import Calendar
    from icalendar.prop import vDuration

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
        calendar.add("refresh-interval", vDuration(REFRESH_INTERVAL), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
        milestones = followed_milestones(user, since)
        for milestone in milestones:
            calendar.add_component(_event(milestone, base_url, host, str(user.language)))
        body = calendar.to_ical()
    changes = [user.updated_at] + [t for m in milestones for t in _change_times(m)]
    etag = hashlib.sha256(_DTSTAMP.sub(b"", body)).hexdigest()[:32]
    return Feed(body, etag, max(changes, default=None))
