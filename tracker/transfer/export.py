"""The rows of action and milestone exports, and of the import template."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select

from tracker.accounts.models import User
from tracker.actions.models import Action, Milestone
from tracker.actions.queries import ActionFilters, filter_actions, milestones_of_actions
from tracker.core.db import db

# The columns the importer reads; an export of actions starts with them, so it can be imported back.
IMPORT_COLUMNS = (
    "action_ref",
    "workstream",
    "title",
    "description",
    "owner_email",
    "lead_party",
    "start_on",
    "due_on",
    "milestone_title",
    "milestone_due_on",
)
# Exported for reading; the importer accepts and ignores them (imported actions start as drafts).
INFO_COLUMNS = ("status", "health", "percent", "milestone_status")
ACTION_EXPORT_COLUMNS = IMPORT_COLUMNS + INFO_COLUMNS
MILESTONE_EXPORT_COLUMNS = (
    "milestone_id",
    "action_id",
    "action_title",
    "workstream",
    "title",
    "due_on",
    "status",
    "completed_on",
    "overdue",
    "reschedule_count",
    "owner_email",
)
TEMPLATE_EXAMPLE = (
    (
        "A1",
        "ECO-DEV",
        "Mission économique croisée",
        "Deux délégations d'entreprises",
        "prenom.nom@example.org",
        "IDF",
        date(2027, 1, 4),
        date(2027, 12, 17),
        "Comité de pilotage",
        date(2027, 3, 1),
    ),
    ("A1", "", "", "", "", "", None, None, "Bilan de la mission", date(2027, 12, 1)),
)


def _action_cells(action: Action, first: bool = True) -> list[Any]:
    """The action's own cells; rows after its first leave the description out (the importer reads it once)."""
    return [
        action.id,  # a number, like milestone_id and action_id in the milestone export
        action.workstream.code,
        action.title,
        (action.description or "") if first else "",
        action.owner.email if action.owner else "",
        action.lead_party.code,
        action.start_on,
        action.due_on,
    ]


def _action_rows(actions: Sequence[Action], milestones: dict[int, list[Milestone]]) -> Iterator[list[Any]]:
    for action in actions:
        info = [str(action.status), str(action.health), action.percent]
        own = milestones.get(action.id, [])
        if not own:
            yield [*_action_cells(action), None, None, *info, None]
        for n, milestone in enumerate(own):
            cells = _action_cells(action, first=n == 0)
            yield [*cells, milestone.title, milestone.due_on, *info, str(milestone.status)]


def _load(user: User, filters: ActionFilters, today: date) -> tuple[Sequence[Action], dict[int, list[Milestone]]]:
    statement = filter_actions(user, filters, today)
    actions = db.session.scalars(statement).unique().all()
    ids = statement.with_only_columns(Action.id).order_by(None)
    by_action: dict[int, list[Milestone]] = defaultdict(list)
    for milestone in db.session.scalars(
        select(Milestone).where(Milestone.action_id.in_(ids)).order_by(Milestone.due_on, Milestone.id)
    ):
        by_action[milestone.action_id].append(milestone)
    return actions, by_action


def action_export(user: User, filters: ActionFilters, today: date) -> tuple[tuple[str, ...], Iterator[list[Any]]]:
    """Return the header and rows of the filtered actions, one row per milestone (or one without).

    An action's description is written on its first row only: the others would repeat it once per milestone
    (most of the file's weight), and the importer reads later rows of an action as its milestones.
    """
    actions, milestones = _load(user, filters, today)
    return ACTION_EXPORT_COLUMNS, _action_rows(actions, milestones)


def milestone_export(user: User, filters: ActionFilters, today: date) -> tuple[tuple[str, ...], Iterator[list[Any]]]:
    """Return the header and rows of the milestones of the filtered actions."""
    ids = filter_actions(user, filters, today).with_only_columns(Action.id).order_by(None)
    milestones = db.session.scalars(milestones_of_actions(ids)).unique().all()
    rows = (
        [
            m.id,
            m.action_id,
            m.action.title,
            m.action.workstream.code,
            m.title,
            m.due_on,
            str(m.status),
            m.completed_on,
            m.is_overdue(today),
            m.reschedule_count,
            m.action.owner.email if m.action.owner else "",
        ]
        for m in milestones
    )
    return MILESTONE_EXPORT_COLUMNS, rows
