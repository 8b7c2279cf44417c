"""Importing actions with their milestones: check every row, then create through the action services.

Nothing is written unless every row is good; a dry run checks everything (the services included, inside a
savepoint that is rolled back) and writes nothing. The file is parsed outside any transaction (on SQLite, a
request that writes holds the write lock from its first query: parsing under it would stop every other save).
Importing is idempotent by row: an action already in its workstream (tracker/transfer/matching.py) is not
created again, nor a milestone its action already has; such rows are reported as already present.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from tracker.accounts.models import User
from tracker.actions import permissions
from tracker.actions import services as actions
from tracker.actions.models import Action
from tracker.agreements.models import Agreement
from tracker.agreements.services import ensure_open_for_new_actions
from tracker.core.db import db, reading
from tracker.core.errors import DomainError, PermissionDenied, ValidationFailed
from tracker.core.text import clean_line, clean_text
from tracker.transfer.export import IMPORT_COLUMNS, INFO_COLUMNS
from tracker.transfer.matching import FileAction, existing_actions, same_title
from tracker.transfer.reader import FileRejected, read_rows

ACTION_FIELDS = ("workstream", "title", "description", "owner_email", "lead_party", "start_on", "due_on")
SERVICE_FIELD_COLUMNS = {"owner_id": "owner_email", "lead_party_id": "lead_party", "commitment_ids": "action_ref"}


@dataclass
class RowError:
    line: int
    column: str
    message: str


@dataclass
class PresentRow:
    """A line of the file that is already in the agreement: its action (and milestone), not created again."""

    line: int
    action_id: int
    action_title: str
    milestone_title: str | None = None


@dataclass
class ImportReport:
    """What an import did (or, on a dry run, would do): counts of what is created, rows already present, errors."""

    dry_run: bool
    rows: int = 0
    actions: int = 0
    milestones: int = 0
    errors: list[RowError] = field(default_factory=list)
    present: list[PresentRow] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return not self.dry_run and not self.errors

    @property
    def created(self) -> bool:
        """Whether the import created (or, on a dry run, would create) anything."""
        return bool(self.actions or self.milestones)


@dataclass
class _Group:
    line: int
    values: dict[str, Any]
    milestones: list[tuple[int, str, date]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def _date(raw: Any) -> date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    for parse in (date.fromisoformat, lambda t: datetime.strptime(t, "%d/%m/%Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    raise ValueError(text)


def _text(raw: Any, *, multiline: bool = False) -> str:
    """Return a cell as text, cleaned of control characters (line breaks kept only when `multiline`)."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return (clean_text if multiline else clean_line)(str(raw)).strip()


class _Checker:
    """Checks rows against the agreement; collects errors by line and column."""

    def __init__(self, agreement: Agreement, report: ImportReport) -> None:
        self.report = report
        self.workstreams = {ws.code.upper(): ws for ws in agreement.workstreams}
        self.parties = {p.code: p for p in agreement.parties}

    def error(self, line: int, column: str, message: str) -> None:
        self.report.errors.append(RowError(line, column, message))

    def header(self, header: list[str]) -> None:
        if len(set(IMPORT_COLUMNS) & set(header)) < len(IMPORT_COLUMNS) // 2:
            # Likely a file downloaded to read (columns headed in words, « Description » aside): say so first,
            # before the columns it lacks.
            message = _(
                "This file is not in the import layout: its first row must hold the columns of the import template"
                " (action_ref, workstream, title…). Download the template, or the actions as an import template,"
                " and fill that in."
            )
            self.error(1, "", message)
        for column in IMPORT_COLUMNS:
            if column not in header:
                self.error(1, column, _("This column is missing."))
        for column in header:
            if column not in IMPORT_COLUMNS and column not in INFO_COLUMNS:
                self.error(1, column or "?", _("Unknown column."))
        if len(set(header)) != len(header):
            self.error(1, "", _("A column appears twice."))

    def dated(self, line: int, column: str, raw: Any) -> date | None:
        try:
            return _date(raw)
        except ValueError:
            self.error(line, column, _("Not a date: write it as YYYY-MM-DD."))
            return None

    def action(self, line: int, row: dict[str, Any], owners: dict[str, User]) -> dict[str, Any]:
        values = {name: _text(row.get(name), multiline=name == "description") for name in ACTION_FIELDS}
        values["start_on"] = self.dated(line, "start_on", row.get("start_on"))
        values["due_on"] = self.dated(line, "due_on", row.get("due_on"))
        if values["workstream"].upper() not in self.workstreams:
            self.error(line, "workstream", _("Unknown workstream of this agreement."))
        if not values["title"] or len(values["title"]) > 200:
            self.error(line, "title", _("A title of 1 to 200 characters is needed."))
        owner = owners.get(values["owner_email"].lower())
        if owner is None:
            self.error(line, "owner_email", _("No active account of a party of this agreement has this email."))
        if values["lead_party"] and values["lead_party"].upper() not in self.parties:
            self.error(line, "lead_party", _("Not a party of this agreement."))
        if values["start_on"] and values["due_on"] and values["due_on"] < values["start_on"]:
            self.error(line, "due_on", _("The due date is before the start date."))
        return values

    def milestone(self, line: int, row: dict[str, Any], group: _Group) -> None:
        title = _text(row.get("milestone_title"))
        due_on = self.dated(line, "milestone_due_on", row.get("milestone_due_on"))
        if not title and row.get("milestone_due_on") in (None, ""):
            return
        if not title or len(title) > 200:
            self.error(line, "milestone_title", _("A milestone needs a title of 1 to 200 characters."))
        elif due_on is None:
            if row.get("milestone_due_on") in (None, ""):
                self.error(line, "milestone_due_on", _("A milestone needs a due date."))
        else:
            group.milestones.append((line, title, due_on))


def _owners(emails: set[str], agreement: Agreement) -> dict[str, User]:
    party_ids = [p.id for p in agreement.parties]
    found = db.session.scalars(
        select(User).where(func.lower(User.email).in_(emails), User.active.is_(True), User.party_id.in_(party_ids))
    )
    return {u.email.lower(): u for u in found}


def _groups(checker: _Checker, rows: list[tuple[int, dict[str, Any]]], agreement: Agreement) -> dict[str, _Group]:
    owners = _owners({_text(r.get("owner_email")).lower() for _line, r in rows}, agreement)
    groups: dict[str, _Group] = {}
    for line, row in rows:
        ref = _text(row.get("action_ref"))
        if not ref:
            checker.error(line, "action_ref", _("Each row needs the reference of its action."))
            continue
        group = groups.get(ref)
        if group is None:
            group = groups[ref] = _Group(line, checker.action(line, row, owners))
            group.values["owner"] = owners.get(group.values["owner_email"].lower())
        else:
            _check_same_action(checker, line, row, group)
        group.lines.append(line)
        checker.milestone(line, row, group)
    return groups


def _check_same_action(checker: _Checker, line: int, row: dict[str, Any], group: _Group) -> None:
    """Later rows of an action may leave its columns empty, or repeat them; they may not change them."""
    for name in ACTION_FIELDS:
        if row.get(name) in (None, ""):
            continue
        first = group.values[name]
        if isinstance(first, date) or name in {"start_on", "due_on"}:
            try:
                same = _date(row.get(name)) == first
            except ValueError:
                same = False
        else:
            same = _text(row.get(name)) == first
        if not same:
            checker.error(line, name, _("Differs from line %(line)d of the same action.", line=group.line))


def _apply(
    user: User, agreement: Agreement, groups: dict[str, _Group], report: ImportReport, checker: _Checker
) -> None:
    existing = existing_actions(
        FileAction(ref, checker.workstreams[g.values["workstream"].upper()].id, g.values["title"])
        for ref, g in groups.items()
    )
    for ref, group in groups.items():
        if ref in existing:
            _apply_to_existing(user, existing[ref], group, report, checker)
            continue
        values = group.values
        workstream = checker.workstreams[values["workstream"].upper()]
        lead = checker.parties.get(values["lead_party"].upper()) if values["lead_party"] else None
        try:
            with db.session.begin_nested():
                action = actions.create_action(
                    user,
                    workstream,
                    title=values["title"],
                    description=values["description"],
                    owner_id=values["owner"].id,
                    lead_party_id=lead.id if lead else values["owner"].party_id,
                    start_on=values["start_on"],
                    due_on=values["due_on"],
                )
                report.actions += 1
                for line, title, due_on in group.milestones:
                    try:
                        actions.add_milestone(user, action, title=title, due_on=due_on)
                    except DomainError as exc:
                        _service_error(checker, line, exc, "milestone_")
                        raise
                    report.milestones += 1
        except DomainError as exc:
            if not report.errors or report.errors[-1].line < group.line:
                _service_error(checker, group.line, exc, "")


def _apply_to_existing(user: User, action: Action, group: _Group, report: ImportReport, checker: _Checker) -> None:
    """Report the group's rows that the existing action already holds; add the milestones it does not have."""
    milestone_of_line = {line: title for line, title, _due_on in group.milestones}
    for line in group.lines:
        title = milestone_of_line.get(line)
        if title is None or any(same_title(m.title, title) for m in action.milestones):
            report.present.append(PresentRow(line, action.id, action.title, title))
    new = [m for m in group.milestones if not any(same_title(e.title, m[1]) for e in action.milestones)]
    for line, title, due_on in new:
        try:
            with db.session.begin_nested():
                actions.add_milestone(user, action, title=title, due_on=due_on)
        except DomainError as exc:
            _service_error(checker, line, exc, "milestone_")
            continue
        report.milestones += 1


def _service_error(checker: _Checker, line: int, exc: DomainError, prefix: str) -> None:
    if isinstance(exc, ValidationFailed) and exc.errors:
        for name, messages in exc.errors.items():
            column = SERVICE_FIELD_COLUMNS.get(name, prefix + name if prefix else name)
            checker.error(line, column, " ".join(str(m) for m in messages))
    else:
        checker.error(line, "", str(exc.message))


def import_actions(user: User, agreement: Agreement, data: bytes, *, dry_run: bool) -> ImportReport:
    """Check the file and, unless it is a dry run or a row is bad, create its actions and milestones. Raises
    PermissionDenied, or (`ensure_open_for_new_actions`) ValidationFailed once the agreement has ended and
    InvalidTransition once it is closed: new work belongs in its successor."""
    if not agreement.workstreams or not permissions.can_create_action(user, agreement.workstreams[0]):
        raise PermissionDenied(_("Only coordinators and administrators may import actions."))
    ensure_open_for_new_actions(agreement)
    report = ImportReport(dry_run=dry_run)
    checker = _Checker(agreement, report)
    try:
        with reading():
            header, rows = read_rows(data)
    except FileRejected as exc:
        checker.error(exc.line, "", exc.message)
        return report
    report.rows = len(rows)
    checker.header(header)
    if report.errors:
        return report
    if not rows:
        checker.error(2, "", _("The file has no rows below its header."))
        return report
    groups = _groups(checker, rows, agreement)
    if report.errors:
        return report
    savepoint = db.session.begin_nested()
    _apply(user, agreement, groups, report, checker)
    if dry_run or report.errors:
        savepoint.rollback()
        if report.errors:
            report.actions = report.milestones = 0
            report.present = []
    else:
        savepoint.commit()
    report.errors.sort(key=lambda e: (e.line, e.column))
    return report
