"""Carried-over dates: an action carried over into a successor agreement arrives with the dates it had in the ended
one (tracker/closeout/carry_over.py). Those before the successor's start belong to the old plan, not to a new
one: the action is *to reschedule* until its owner sets new dates (its due date and its planned milestones on or
after the successor's start). Until then its page says so, the digest asks its owner to reschedule it (weekly,
from the day after it arrived: tracker/closeout/digest.py), and the overdue and silence reminders skip it
(tracker/reminders/rules.py) instead of nagging about lateness inherited from the ended agreement.

The rule is derived from the dates, never stored: moving the dates is what ends it. `old_dates` (one action,
in Python: non-empty while it is to reschedule) and `to_reschedule` (SQL, for the reminders) state the same rule."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import ColumnElement

from tracker.actions.models import Action, Milestone, MilestoneStatus
from tracker.agreements.models import Agreement, Workstream


def old_dates(action: Action) -> list[date]:
    """Return the action's dates from before its agreement's start (its due date, its planned milestones' due
    dates), in order, when it continues an action of an ended agreement; [] otherwise. Reads the loaded
    milestones and agreement (no query once loaded)."""
    if action.continues_action_id is None:
        return []
    starts_on = action.workstream.agreement.starts_on
    dates = [m.due_on for m in action.milestones if m.status == MilestoneStatus.PLANNED and m.due_on < starts_on]
    if action.due_on is not None and action.due_on < starts_on:
        dates.append(action.due_on)
    return sorted(dates)


def due_date_to_reschedule(action: Action) -> bool:
    """True for a carried-over action whose own due date is before its agreement's start (`old_dates`): lists show
    it « to reschedule », not late. Reads the loaded workstream and agreement (no query once loaded)."""
    return (
        action.continues_action_id is not None
        and action.due_on is not None
        and action.due_on < action.workstream.agreement.starts_on
    )


def milestone_to_reschedule(milestone: Milestone) -> bool:
    """True for a planned milestone of a carried-over action dated before its agreement's start (`old_dates`):
    pages show it « to reschedule », not overdue. Reads the loaded action, workstream and agreement."""
    action = milestone.action
    return (
        action.continues_action_id is not None
        and milestone.status == MilestoneStatus.PLANNED
        and milestone.due_on < action.workstream.agreement.starts_on
    )


def inherited(day: ColumnElement[date], starts_on: date) -> ColumnElement[bool]:
    """SQL condition on `Action` (joined) and one of its dates (its due date, or a milestone's): carried over and
    dated before its agreement's start `starts_on` (known to the caller) — to reschedule, not late. The list-side
    form of `old_dates`, for pages that read one agreement."""
    return and_(Action.continues_action_id.is_not(None), day < starts_on)


def to_reschedule() -> ColumnElement[bool]:
    """SQL condition on `Action` (correlated to it only, so usable where milestones are selected too): the same
    rule as `old_dates` (true where it is non-empty)."""
    starts_on = (
        select(Agreement.starts_on)
        .join(Workstream, Workstream.agreement_id == Agreement.id)
        .where(Workstream.id == Action.workstream_id)
        .correlate(Action)
        .scalar_subquery()
    )
    milestone = aliased(Milestone)
    old_milestone = (
        select(milestone.id)
        .where(
            milestone.action_id == Action.id,
            milestone.status == MilestoneStatus.PLANNED,
            milestone.due_on < starts_on,
        )
        .correlate(Action)
        .exists()
    )
    return and_(Action.continues_action_id.is_not(None), or_(Action.due_on < starts_on, old_milestone))
