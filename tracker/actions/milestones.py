"""Milestone verbs: add, edit, move, mark done, cancel (through the milestone lifecycle)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from tracker.accounts.models import User
from tracker.actions import lifecycle as action_lifecycle
from tracker.actions.access import ensure_visible
from tracker.actions.models import Action, Milestone, MilestoneStatus
from tracker.actions.validation import Errors, as_date, as_stored, clean_line, clean_text, reader_date
from tracker.agreements.services import ensure_due_within_term, ensure_open_for_new_milestones
from tracker.core import audit
from tracker.core.db import db
from tracker.core.errors import InvalidTransition, ValidationFailed
from tracker.core.lifecycle import Outcome, transition
from tracker.core.versioning import check_version, lock

MILESTONE_FIELDS = ("title", "due_on")


def _clean(action: Action, title: Any, due_on: Any) -> tuple[str, date]:
    errors = Errors()
    clean_title = errors.check("title", clean_line, title, "title")
    clean_due = errors.check("due_on", as_date, due_on, "due_on", required=True)
    if clean_due is not None and action.start_on is not None and clean_due < action.start_on:
        errors.add(
            "due_on",
            _l("A milestone cannot be due before the action starts (%(date)s).", date=reader_date(action.start_on)),
        )
    errors.raise_if_any()
    return clean_title, clean_due


def _record(user: User, milestone: Milestone, verb: str, changes: dict[str, Any], comment: str | None = None) -> None:
    db.session.flush()
    audit.record(
        actor=user,
        entity="milestone",
        entity_id=milestone.id,
        verb=verb,
        changes=changes,
        comment=comment,
        agreement_id=milestone.action.workstream.agreement_id,
    )
    db.session.flush()


def add_milestone(user: User, action: Action, *, title: str, due_on: date | str) -> Milestone:
    """Add a planned milestone to the action and return it (flushed); refused once the agreement has ended."""
    ensure_visible(user, action.workstream.agreement_id)
    action_lifecycle.ensure_editable(user, action, action_lifecycle.MILESTONES_CLOSED)
    ensure_open_for_new_milestones(action.workstream.agreement)
    clean_title, clean_due = _clean(action, title, due_on)
    milestone = Milestone(action=action, title=clean_title, due_on=clean_due, status=MilestoneStatus.PLANNED)
    db.session.add(milestone)
    db.session.flush()
    _record(user, milestone, "create", {"action_id": action.id, "title": clean_title, "due_on": clean_due})
    return milestone


def update_milestone(
    user: User,
    milestone: Milestone,
    *,
    version: int | str,
    title: str | None = None,
    due_on: date | str | None = None,
    comment: str | None = None,
) -> Milestone:
    """Change a planned milestone's title or due date; moving the date counts as a reschedule. Once the agreement
    has ended, a milestone is not moved past its end."""
    action = milestone.action
    ensure_visible(user, action.workstream.agreement_id)
    lock(milestone)
    action_lifecycle.ensure_editable(user, action, action_lifecycle.MILESTONES_CLOSED)
    mine = as_stored({k: v for k, v in (("title", title), ("due_on", due_on)) if v is not None})
    check_version(
        milestone, version, entity="milestone", current=audit.snapshot(milestone, MILESTONE_FIELDS), mine=mine
    )
    if milestone.status != MilestoneStatus.PLANNED:
        raise InvalidTransition(_l("Only a planned milestone can be changed."))
    before = audit.snapshot(milestone, MILESTONE_FIELDS)
    clean_title, clean_due = _clean(
        action, milestone.title if title is None else title, milestone.due_on if due_on is None else due_on
    )
    note = clean_text(comment, "comment", 2000) or None
    moved = clean_due != milestone.due_on
    if moved:
        ensure_due_within_term(action.workstream.agreement, clean_due)
    milestone.title, milestone.due_on = clean_title, clean_due
    if moved:
        milestone.reschedule_count += 1
    changes = audit.diff(before, audit.snapshot(milestone, MILESTONE_FIELDS))
    if changes:
        _record(user, milestone, "move" if moved else "update", changes, note)
    return milestone


def move_milestone(
    user: User, milestone: Milestone, *, version: int | str, due_on: date | str, comment: str | None = None
) -> Milestone:
    """Move the milestone's due date (the reminders and calendar feeds follow)."""
    if due_on in (None, ""):
        raise ValidationFailed(_l("A date is needed."), {"due_on": [_l("A date is needed.")]})
    return update_milestone(user, milestone, version=version, due_on=due_on, comment=comment)


def transition_milestone(
    user: User,
    milestone: Milestone,
    to: str,
    *,
    version: int | str | None = None,
    comment: str | None = None,
    **data: Any,
) -> Outcome:
    """Move the milestone through its lifecycle (done, cancelled); `version`, when given, must be current."""
    ensure_visible(user, milestone.action.workstream.agreement_id)
    lock(milestone)
    if version is not None:
        current = {"status": milestone.status}
        check_version(milestone, version, entity="milestone", current=current, mine={"status": str(to)})
    return transition(milestone, str(to), by=user, comment=comment, **data)


def complete_milestone(
    user: User,
    milestone: Milestone,
    *,
    completed_on: date | str,
    evidence_url: str | None = None,
    version: int | str,
    comment: str | None = None,
) -> Milestone:
    """Mark the milestone done on `completed_on` (not in the future), with an optional evidence link."""
    transition_milestone(
        user,
        milestone,
        MilestoneStatus.DONE,
        version=version,
        comment=comment,
        completed_on=completed_on,
        evidence_url=evidence_url,
    )
    return milestone


def cancel_milestone(user: User, milestone: Milestone, *, reason: str, version: int | str) -> Milestone:
    """Cancel the milestone; a reason is needed."""
    transition_milestone(user, milestone, MilestoneStatus.CANCELLED, version=version, comment=reason)
    return milestone
