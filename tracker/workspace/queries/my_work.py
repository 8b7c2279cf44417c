"""My work: my open actions, my milestones due soon or overdue, what waits on my approval or signature, my
last logs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from tracker.accounts.models import User
from tracker.actions.approvals import awaiting_approval_query
from tracker.actions.models import OPEN_STATUSES, Action, Milestone, MilestoneStatus, ProgressUpdate
from tracker.actions.queries import action_visible_to, continued_elsewhere, with_continuation
from tracker.agreements.models import Agreement, Workstream
from tracker.agreements.services import visible_agreements
from tracker.core import clock
from tracker.core.db import db
from tracker.core.pagination import Page, paginate
from tracker.reports.labels import report_title
from tracker.reports.models import Report
from tracker.reports.services import reports_awaiting

DUE_SOON_DAYS = 14
LIST_SIZE = 20


@dataclass
class MyWork:
    today: date
    agreements: list[Agreement]
    actions: list[Action]
    milestones: list[Milestone]
    approvals: list[Action]
    # How many each list holds in all (the lists above show the first LIST_SIZE).
    actions_total: int
    milestones_total: int
    approvals_total: int
    signatures: list[ReportToSign]
    updates: list[ProgressUpdate]
    updates_total: int


@dataclass
class ReportToSign:
    report: Report
    title: str


def load_my_work(user: User) -> MyWork:
    """Return what the user has on their plate, across the agreements they may see (a few queries)."""
    today = clock.today(current_app.config["TRACKER_TIMEZONE"])
    agreements = db.session.scalars(visible_agreements(user))
    actions = paginate(_my_actions(user), 1, LIST_SIZE)
    milestones = paginate(_my_milestones(user, today), 1, LIST_SIZE)
    # The same selection as the approvals page, which the list links to.
    approvals = paginate(awaiting_approval_query(user, today).options(_with_place()), 1, LIST_SIZE)
    updates = paginate(_my_updates(user), 1, MY_UPDATES_SHOWN)
    return MyWork(
        today=today,
        agreements=list(agreements),
        actions=list(actions.items),
        milestones=list(milestones.items),
        approvals=list(approvals.items),
        actions_total=actions.total,
        milestones_total=milestones.total,
        approvals_total=approvals.total,
        signatures=[ReportToSign(r, report_title(r.snapshot)) for r in reports_awaiting(user)],
        updates=list(updates.items),
        updates_total=updates.total,
    )


def _with_place():
    return joinedload(Action.workstream).joinedload(Workstream.agreement)


MY_LISTS = ("actions", "milestones", "updates")
MY_UPDATES_SHOWN = 5


def my_list(user: User, section: str, page: int, per_page: int) -> tuple[date, Page[Any]]:
    """Return today and one page of a whole list of my work: "actions" (my open actions), "milestones" (my
    planned milestones due within DUE_SOON_DAYS or overdue) or "updates" (the progress I logged, newest first)."""
    today = clock.today(current_app.config["TRACKER_TIMEZONE"])
    statements = {
        "actions": lambda: _my_actions(user),
        "milestones": lambda: _my_milestones(user, today),
        "updates": lambda: _my_updates(user),
    }
    statement = statements[section]()
    return today, paginate(statement, page, per_page)


def _my_actions(user: User) -> Select[Any]:
    return (
        select(Action)
        .where(Action.owner_id == user.id, Action.status.in_(OPEN_STATUSES), action_visible_to(user))
        .options(_with_place(), with_continuation())
        .order_by(Action.due_on.is_(None), Action.due_on, Action.id)
    )


def _my_milestones(user: User, today: date) -> Select[Any]:
    return (
        select(Milestone)
        .join(Action, Milestone.action_id == Action.id)
        .where(
            Action.owner_id == user.id,
            Action.status.in_(OPEN_STATUSES),
            action_visible_to(user),
            Milestone.status == MilestoneStatus.PLANNED,
            Milestone.due_on <= today + timedelta(days=DUE_SOON_DAYS),
            ~continued_elsewhere(),  # its open milestones moved with it: they are due in its continuation
        )
        .options(joinedload(Milestone.action).options(_with_place()))
        .order_by(Milestone.due_on, Milestone.id)
    )


def _my_updates(user: User) -> Select[Any]:
    return (
        select(ProgressUpdate)
        .join(Action, ProgressUpdate.action_id == Action.id)
        .where(ProgressUpdate.author_id == user.id, action_visible_to(user))
        .options(joinedload(ProgressUpdate.action).options(_with_place()))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
    )
