"""The digest email, built when it is sent from the data of that moment (nothing stale is ever reminded)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker.accounts.models import User
from tracker.actions.models import Action, Milestone
from tracker.agreements.models import Agreement, Workstream
from tracker.core.db import db
from tracker.mail.models import OutboxMessage
from tracker.mail.render import Rendered, link, render_mail
from tracker.reminders.rules import Scope
from tracker.reminders.sections import all_sections, collect_items, section
from tracker.reminders.sweep import DIGEST_TEMPLATE, build_scope
from tracker.reminders.unsubscribe import unsubscribe_token

__all__ = ["DIGEST_TEMPLATE", "build_digest", "preview_digest", "render_digests"]

# The digest's template pair (templates/reminders/mail/digest.txt and .html); its outbox rows keep the key
# DIGEST_TEMPLATE, by which the delivery finds this domain's renderer.
DIGEST_MAIL = "reminders/mail/digest"


@dataclass
class Entry:
    """One line of a digest, in the recipient's language."""

    title: str
    url: str
    parent: str = ""
    workstream: str = ""
    due_on: date | None = None
    days: int = 0
    owner: str = ""
    since: date | None = None
    note: Any = None


@dataclass
class Part:
    key: str
    title: Any
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Digest:
    on: date
    parts: list[Part]
    frequency: str
    hour: int

    @property
    def count(self) -> int:
        return sum(len(p.entries) for p in self.parts)


def _milestones(ids: set[int]) -> dict[int, Any]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(
            Milestone.id, Milestone.title, Milestone.due_on, Action.id.label("action_id"), Action.title.label("action")
        )
        .add_columns(Workstream.title_fr, Workstream.title_en, Workstream.title_nl, User.name)
        .join(Action, Action.id == Milestone.action_id)
        .join(Workstream, Workstream.id == Action.workstream_id)
        .outerjoin(User, User.id == Action.owner_id)
        .where(Milestone.id.in_(ids))
    ).all()
    return {r.id: r for r in rows}


def _actions(ids: set[int]) -> dict[int, Any]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(Action.id, Action.title, Action.last_progress_at, Action.start_on, Action.created_at, User.name)
        .add_columns(Workstream.title_fr, Workstream.title_en, Workstream.title_nl, Agreement.slug)
        .join(Workstream, Workstream.id == Action.workstream_id)
        .join(Agreement, Agreement.id == Workstream.agreement_id)
        .outerjoin(User, User.id == Action.owner_id)
        .where(Action.id.in_(ids))
    ).all()
    return {r.id: r for r in rows}


def _workstream(row: Any, language: str) -> str:
    """Return the workstream's title in the reader's language (its code is English words: `YOUTH`)."""
    return str(getattr(row, f"title_{language}", None) or row.title_fr)


def _milestone_entry(row: Any, on: date, language: str) -> Entry:
    return Entry(
        title=row.title,
        url=link(f"/actions/{row.action_id}"),
        parent=row.action,
        workstream=_workstream(row, language),
        due_on=row.due_on,
        days=abs((row.due_on - on).days),
        owner=row.name or "",
    )


def _action_entry(row: Any, language: str, timezone: str) -> Entry:
    since = row.last_progress_at.astimezone(ZoneInfo(timezone)).date() if row.last_progress_at else None
    return Entry(
        title=row.title,
        url=link(f"/actions/{row.id}"),
        workstream=_workstream(row, language),
        owner=row.name or "",
        since=since,
    )


def build_digest(
    user: User, on: date, items: dict[str, list[int]], details: dict[str, dict[int, Any]], tz: str
) -> Digest:
    """Arrange a person's items into the parts of their digest, in their language."""
    language = str(user.language)
    parts: dict[str, Part] = {}

    def part(key: str, title: Any) -> Part:
        return parts.setdefault(key, Part(key, title))

    for mid in items.get("milestones", []):
        row = details["milestone"].get(mid)
        if row is None:
            continue
        if row.due_on < on:
            part("overdue", _l("Overdue milestones")).entries.append(_milestone_entry(row, on, language))
        elif row.due_on == on:
            part("today", _l("Milestones due today")).entries.append(_milestone_entry(row, on, language))
        else:
            part("soon", _l("Milestones coming up")).entries.append(_milestone_entry(row, on, language))
    for s in all_sections():
        if s.key == "milestones" or s.key not in items:
            continue
        for oid in items[s.key]:
            if s.key == "escalated":
                row = details["milestone"].get(oid)
                entry = _milestone_entry(row, on, language) if row else None
            elif s.describe is None:
                row = details["action"].get(oid)
                entry = _action_entry(row, language, tz) if row else None
            else:
                line = details[s.key].get(oid)
                entry = Entry(title=line.title, url=line.url, note=line.note) if line else None
            if entry is not None:
                part(s.key, s.title).entries.append(entry)
    for p in parts.values():
        p.entries.sort(key=lambda e: (e.due_on or date.min, e.title))
    order = ["overdue", "today", "soon"] + [s.key for s in all_sections()]
    ordered = [parts[k] for k in order if k in parts and parts[k].entries]
    return Digest(on, ordered, str(user.digest), user.digest_hour)


def _details(items: dict[int, dict[str, list[int]]], scope: Scope) -> dict[str, dict[int, Any]]:
    wanted: dict[str, set[int]] = defaultdict(set)
    for by_section in items.values():
        for key, ids in by_section.items():
            wanted[key].update(ids)
    details = {
        "milestone": _milestones(wanted.pop("milestones", set()) | wanted.pop("escalated", set())),
        "action": _actions(wanted.pop("approvals", set()) | wanted.pop("stale", set()) | wanted.pop("quarter", set())),
    }
    for key, ids in wanted.items():
        describe = section(key).describe
        details[key] = describe(sorted(ids), scope) if describe else {}
    return details


def render_digests(messages: Sequence[OutboxMessage]) -> dict[int, Rendered | None]:
    """Build each digest row again from today's data; None for a person with nothing left to hear about."""
    tz = str(current_app.config["TRACKER_TIMEZONE"])
    results: dict[int, Rendered | None] = {}
    by_date: dict[str, list[OutboxMessage]] = defaultdict(list)
    for m in messages:
        by_date[str(m.context.get("on"))].append(m)
    for on_text, rows in by_date.items():
        on = date.fromisoformat(on_text)
        user_ids = {int(m.context["user_id"]) for m in rows}
        scope, _resting = build_scope(on, only=user_ids, skip_queued=False)
        items = collect_items(scope)
        details = _details(items, scope)
        users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
        for m in rows:
            user = users.get(int(m.context["user_id"]))
            digest = build_digest(user, on, items.get(user.id, {}), details, tz) if user else None
            results[m.id] = _render(user, digest) if user and digest and digest.parts else None
    return results


def preview_digest(user: User, on: date) -> Rendered | None:
    """Return the digest `user` would get for the local date `on` (queued or not), None when it would be empty
    or `on` is not in a digest window of their region (a weekend, a holiday, a weekly digest's off day)."""
    tz = str(current_app.config["TRACKER_TIMEZONE"])
    scope, _resting = build_scope(on, only={user.id}, skip_queued=False)
    if not scope.groups:
        return None  # no region has a digest that day
    items = collect_items(scope)
    digest = build_digest(user, on, items.get(user.id, {}), _details(items, scope), tz)
    return _render(user, digest) if digest.parts else None


def _render(user: User, digest: Digest) -> Rendered:
    unsubscribe_url = link(f"/unsubscribe/{unsubscribe_token(user)}")
    rendered = render_mail(
        DIGEST_MAIL,
        {"recipient": user, "digest": digest, "unsubscribe_url": unsubscribe_url},
        str(user.language),
    )
    rendered.headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return rendered
