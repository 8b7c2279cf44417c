"""The rows of action and milestone exports, and of the import template.

Two layouts: the import layout (`action_export`, `milestone_export`: the importer's column keys and raw values,
so that a file goes back through the import) and the reading layout (`reading_action_export`,
`reading_milestone_export`: columns headed in the reader's language, statuses, parties and people in words,
descriptions as the plain text they read (no Markdown markers), typed dates and numbers), which the pages offer to people who download the list to read it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from tracker.accounts.models import Party, User
from tracker.actions.labels import ACTION_STATUS, CONTINUED, HEALTH, MILESTONE_STATUS
from tracker.actions.models import Action, Milestone
from tracker.actions.queries import ActionFilters, filter_actions, milestones_of_actions, with_continuation
from tracker.agreements.models import Workstream
from tracker.core.db import db
from tracker.web.i18n import localized, short_date_pattern
from tracker.workspace.text import markdown_text

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


def _import_rows(statement: Any) -> Iterator[list[Any]]:
    """Yield the import layout's rows from (action columns..., milestone title, due date, status) rows ordered by
    action: the description on an action's first row only (the importer reads later rows of an action as its
    milestones)."""
    previous = None
    for row in db.session.execute(statement):
        action_id, code, title, description, email, party, start_on, due_on, status, health, percent, *milestone = row
        milestone_title, milestone_due_on, milestone_status = milestone
        first = action_id != previous
        previous = action_id
        yield [
            action_id,  # a number, like milestone_id and action_id in the milestone export
            code,
            title,
            (description or "") if first else "",
            email or "",
            party,
            start_on,
            due_on,
            milestone_title,
            milestone_due_on,
            str(status),
            str(health),
            percent,
            None if milestone_status is None else str(milestone_status),
        ]


def _load(user: User, filters: ActionFilters, today: date) -> tuple[Sequence[Action], dict[int, list[Milestone]]]:
    statement = filter_actions(user, filters, today)
    actions = db.session.scalars(statement.options(with_continuation())).unique().all()
    ids = statement.with_only_columns(Action.id).order_by(None)
    by_action: dict[int, list[Milestone]] = defaultdict(list)
    for milestone in db.session.scalars(
        select(Milestone).where(Milestone.action_id.in_(ids)).order_by(Milestone.due_on, Milestone.id)
    ):
        by_action[milestone.action_id].append(milestone)
    return actions, by_action


def action_export(user: User, filters: ActionFilters, today: date) -> tuple[tuple[str, ...], Iterator[list[Any]]]:
    """Return the header and rows of the filtered actions, one row per milestone (or one without), newest action
    first and its milestones by due date.

    An action's description is written on its first row only: the others would repeat it once per milestone
    (most of the file's weight), and the importer reads later rows of an action as its milestones. The rows are
    read as plain columns in one query (no objects: a file of every action is tens of thousands of rows).
    """
    ids = filter_actions(user, filters, today).with_only_columns(Action.id).order_by(None)
    statement = (
        select(
            Action.id,
            Workstream.code,
            Action.title,
            Action.description,
            User.email,
            Party.code,
            Action.start_on,
            Action.due_on,
            Action.status,
            Action.health,
            Action.percent,
            Milestone.title,
            Milestone.due_on,
            Milestone.status,
        )
        .join(Workstream, Workstream.id == Action.workstream_id)
        .join(Party, Party.id == Action.lead_party_id)
        .outerjoin(User, User.id == Action.owner_id)
        .outerjoin(Milestone, Milestone.action_id == Action.id)
        .where(Action.id.in_(ids))
        .order_by(Action.id.desc(), Milestone.due_on, Milestone.id)
    )
    return ACTION_EXPORT_COLUMNS, _import_rows(statement)


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


def _owner(action: Action) -> str:
    return action.owner.name if action.owner else ""


def _words(table: dict[Any, Any]) -> dict[Any, str]:
    """Return a table of names translated once (not once per row)."""
    return {key: str(name) for key, name in table.items()}


def _reading_action_rows(actions: Sequence[Action], milestones: dict[int, list[Milestone]]) -> Iterator[list[Any]]:
    statuses, healths, milestone_statuses = _words(ACTION_STATUS), _words(HEALTH), _words(MILESTONE_STATUS)
    for action in actions:
        cells = [
            action.id,
            localized(action.workstream, "title"),
            action.title,
            markdown_text(action.description),  # read outside the app: the text, not its Markdown markers
            _owner(action),
            localized(action.lead_party, "name"),
            CONTINUED if action.continued_by else statuses[action.status],
            healths[action.health],
            action.percent,
            action.start_on,
            action.due_on,
        ]
        own = milestones.get(action.id, [])
        if not own:
            yield [*cells, None, None, None]
        for n, milestone in enumerate(own):
            # The description once per action, as in the import layout: repeated, it would weigh the most.
            row = cells if n == 0 else [*cells[:3], "", *cells[4:]]
            yield [*row, milestone.title, milestone.due_on, milestone_statuses[milestone.status]]


def reading_action_export(user: User, filters: ActionFilters, today: date) -> tuple[list[str], Iterator[list[Any]]]:
    """Return the filtered actions to read: the header in the current language, one row per milestone (or one
    without), statuses, parties and people in words, dates and numbers typed (`as_reader_text` for CSV)."""
    actions, milestones = _load(user, filters, today)
    header = [
        _("Action no."),
        _("Workstream"),
        _("Action"),
        _("Description"),
        _("Owner"),
        _("Lead party"),
        _("Status"),
        _("Health"),
        _("Progress (%)"),
        _("Start"),
        _("Due on"),
        _("Milestone"),
        _("Milestone due on"),
        _("Milestone status"),
    ]
    return header, _reading_action_rows(actions, milestones)


def reading_milestone_export(user: User, filters: ActionFilters, today: date) -> tuple[list[str], Iterator[list[Any]]]:
    """Return the milestones of the filtered actions to read (header in the current language, words, typed cells)."""
    ids = filter_actions(user, filters, today).with_only_columns(Action.id).order_by(None)
    milestones = db.session.scalars(milestones_of_actions(ids)).unique().all()
    statuses = _words(MILESTONE_STATUS)
    header = [
        _("Milestone no."),
        _("Action no."),
        _("Action"),
        _("Workstream"),
        _("Milestone"),
        _("Due on"),
        _("Status"),
        _("Done on"),
        _("Overdue"),
        _("Times moved"),
        _("Owner"),
    ]
    rows = (
        [
            m.id,
            m.action_id,
            m.action.title,
            localized(m.action.workstream, "title"),
            m.title,
            m.due_on,
            statuses[m.status],
            m.completed_on,
            m.is_overdue(today),
            m.reschedule_count,
            _owner(m.action),
        ]
        for m in milestones
    )
    return header, rows


def as_reader_text(rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
    """Yield the rows with dates written as the reader's spreadsheet reads them (`01/12/2026` in French,
    `01-12-2026` in Dutch) and yes/no in words, for a CSV file (numbers are left to the CSV writer)."""
    pattern = short_date_pattern()
    words: dict[Any, str] = {True: _("Yes"), False: _("No")}  # and each date once formatted (rows repeat them)

    def cell(value: Any) -> Any:
        if isinstance(value, bool | date):
            if value not in words:
                words[value] = format_date(value, pattern)
            return words[value]
        return value

    for row in rows:
        yield [cell(v) for v in row]
