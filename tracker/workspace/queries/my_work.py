"""My work: my open actions, my milestones due soon or overdue, what waits on my approval or signature, my
last logs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import and_, exists, select
from sqlalchemy.orm import joinedload

from tracker.accounts.models import User
from tracker.actions.models import Action, ActionApproval, ActionStatus, Milestone, MilestoneStatus, ProgressUpdate
from tracker.agreements.models import Agreement, Workstream, WorkstreamLead
from tracker.agreements.services import visible_agreement_ids
from tracker.core import clock
from tracker.core.db import db
from tracker.reports.labels import report_title
from tracker.reports.models import Report
from tracker.reports.services import reports_awaiting
from tracker.workspace.queries.common import OPEN_STATUSES, action_visible_to

DUE_SOON_DAYS = 14
LIST_SIZE = 20


@dataclass
class MyWork:
    today: date
    agreements: list[Agreement]
    actions: list[Action]
    milestones: list[Milestone]
    approvals: list[Action]
    signatures: list[ReportToSign]
    updates: list[ProgressUpdate]


@dataclass
class ReportToSign:
    report: Report
    title: str


def load_my_work(user: User) -> MyWork:
    """Return what the user has on their plate, across the agreements they may see (a few queries)."""
    today = clock.today(current_app.config["TRACKER_TIMEZONE"])
    agreements = db.session.scalars(
        select(Agreement).where(Agreement.id.in_(visible_agreement_ids(user))).order_by(Agreement.signed_on.desc())
    )
    return MyWork(
        today=today,
        agreements=list(agreements),
        actions=_my_actions(user),
        milestones=_my_milestones(user, today),
        approvals=awaiting_approval(user),
        signatures=[ReportToSign(r, report_title(r.snapshot)) for r in reports_awaiting(user)],
        updates=_my_updates(user),
    )


def _with_place():
    return joinedload(Action.workstream).joinedload(Workstream.agreement)


def _my_actions(user: User) -> list[Action]:
    statement = (
        select(Action)
        .where(Action.owner_id == user.id, Action.status.in_(OPEN_STATUSES), action_visible_to(user))
        .options(_with_place())
        .order_by(Action.due_on.is_(None), Action.due_on, Action.id)
        .limit(LIST_SIZE)
    )
    return list(db.session.scalars(statement))


def _my_milestones(user: User, today: date) -> list[Milestone]:
    statement = (
        select(Milestone)
        .join(Action, Milestone.action_id == Action.id)
        .where(
            Action.owner_id == user.id,
            Action.status.in_(OPEN_STATUSES),
            action_visible_to(user),
            Milestone.status == MilestoneStatus.PLANNED,
            Milestone.due_on <= today + timedelta(days=DUE_SOON_DAYS),
        )
        .options(joinedload(Milestone.action).options(_with_place()))
        .order_by(Milestone.due_on, Milestone.id)
        .limit(LIST_SIZE)
    )
    return list(db.session.scalars(statement))


def awaiting_approval(user: User) -> list[Action]:
    """Return the proposed actions of workstreams the user co-leads that their party has not approved yet."""
    approved = exists().where(ActionApproval.action_id == Action.id, ActionApproval.party_id == user.party_id)
    leads = exists().where(
        and_(
            WorkstreamLead.workstream_id == Action.workstream_id,
            WorkstreamLead.user_id == user.id,
            WorkstreamLead.party_id == user.party_id,
        )
    )
    statement = (
        select(Action)
        .where(Action.status == ActionStatus.PROPOSED, leads, ~approved, action_visible_to(user))
        .options(_with_place())
        .order_by(Action.updated_at, Action.id)
        .limit(LIST_SIZE)
    )
    return list(db.session.scalars(statement))


def _my_updates(user: User) -> list[ProgressUpdate]:
    statement = (
        select(ProgressUpdate)
        .join(Action, ProgressUpdate.action_id == Action.id)
        .where(ProgressUpdate.author_id == user.id, action_visible_to(user))
        .options(joinedload(ProgressUpdate.action).options(_with_place()))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        .limit(5)
    )
    return list(db.session.scalars(statement))
