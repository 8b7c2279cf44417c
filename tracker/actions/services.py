"""Action verbs: create, edit, move through the lifecycle, approve, log progress.

Every verb checks visibility (NotFound outside the user's agreements) and permission, validates its input,
writes an audit entry and flushes; the caller commits (or rolls back on a DomainError). Milestones,
evidence files and indicator measurements have their own modules, re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker.accounts.models import Role, User
from tracker.actions import lifecycle as action_lifecycle
from tracker.actions import permissions
from tracker.actions.access import ensure_visible, get_action, get_attachment, get_indicator, get_milestone
from tracker.actions.evidence import evidence_path, store_evidence
from tracker.actions.indicators import record_measurement
from tracker.actions.milestones import (
    add_milestone,
    cancel_milestone,
    complete_milestone,
    move_milestone,
    transition_milestone,
    update_milestone,
)
from tracker.actions.models import Action, ActionStatus
from tracker.actions.progress import AlreadySaved, last_reported, log_progress
from tracker.actions.validation import (
    MAX_DESCRIPTION,
    Errors,
    as_date,
    as_stored,
    check_dates,
    clean_line,
    clean_text,
)
from tracker.agreements.models import Commitment, Workstream
from tracker.agreements.services import ensure_action_due_within_term, ensure_open_for_new_actions
from tracker.core import audit
from tracker.core.db import db
from tracker.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from tracker.core.lifecycle import Outcome, available_transitions, transition
from tracker.core.versioning import check_version, lock

__all__ = [
    "EDITABLE_FIELDS",
    "AlreadySaved",
    "add_milestone",
    "approve_action",
    "available_transitions",
    "cancel_milestone",
    "complete_milestone",
    "create_action",
    "evidence_path",
    "get_action",
    "get_attachment",
    "get_indicator",
    "get_milestone",
    "last_reported",
    "log_progress",
    "move_milestone",
    "record_measurement",
    "store_evidence",
    "transition_action",
    "transition_milestone",
    "update_action",
    "update_milestone",
]

EDITABLE_FIELDS = ("title", "description", "owner_id", "lead_party_id", "start_on", "due_on", "commitment_ids")


def action_values(action: Action) -> dict[str, Any]:
    """Return the editable fields of an action as plain values (for audit entries and conflicts)."""
    values = audit.snapshot(action, EDITABLE_FIELDS[:-1])
    values["commitment_ids"] = sorted(c.id for c in action.commitments)
    return values


def create_action(
    user: User,
    workstream: Workstream,
    *,
    title: str,
    description: str = "",
    owner_id: int | None = None,
    lead_party_id: int | None = None,
    start_on: date | str | None = None,
    due_on: date | str | None = None,
    commitment_ids: Iterable[int] = (),
) -> Action:
    """Create a draft action in the workstream and return it (flushed)."""
    ensure_visible(user, workstream.agreement_id, _l("This workstream does not exist, or you may not see it."))
    if not permissions.can_create_action(user, workstream):
        raise PermissionDenied(_l("Only coordinators and administrators may create actions."))
    ensure_open_for_new_actions(workstream.agreement)
    values = _validated(
        workstream,
        {
            "title": title,
            "description": description,
            "owner_id": user.id if owner_id in (None, "") else owner_id,
            "lead_party_id": user.party_id if lead_party_id in (None, "") else lead_party_id,
            "start_on": start_on,
            "due_on": due_on,
            "commitment_ids": commitment_ids,
        },
    )
    commitments = values.pop("commitments")
    action = Action(workstream=workstream, created_by_id=user.id, status=ActionStatus.DRAFT, **values)
    action.commitments = commitments
    db.session.add(action)
    db.session.flush()
    audit.record(
        actor=user,
        entity="action",
        entity_id=action.id,
        verb="create",
        changes=action_values(action),
        agreement_id=workstream.agreement_id,
    )
    db.session.flush()
    return action


def update_action(user: User, action: Action, *, version: int | str, **fields: Any) -> Action:
    """Change the given fields of the action; an edit based on an older version raises Conflict. Once the agreement
    has ended, the action's due date is not moved past its end (as its milestones' are not)."""
    unknown = sorted(set(fields) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationFailed(_l("These fields cannot be changed here: %(names)s.", names=", ".join(unknown)))
    ensure_visible(user, action.workstream.agreement_id)
    lock(action)
    action_lifecycle.ensure_editable(user, action)
    check_version(action, version, entity="action", current=action_values(action), mine=as_stored(fields))
    before = action_values(action)
    values = _validated(action.workstream, {**before, **fields})
    if values["due_on"] is not None and values["due_on"] != action.due_on:
        ensure_action_due_within_term(action.workstream.agreement, values["due_on"])
    commitments = values.pop("commitments")
    for name, value in values.items():
        setattr(action, name, value)
    if sorted(c.id for c in commitments) != before["commitment_ids"]:
        action.commitments = commitments
    changes = audit.diff(before, action_values(action))
    if changes:
        db.session.flush()
        audit.record(
            actor=user,
            entity="action",
            entity_id=action.id,
            verb="update",
            changes=changes,
            agreement_id=action.workstream.agreement_id,
        )
        db.session.flush()
    return action


def _ids(values: Any) -> list[int]:
    if values in (None, ""):
        return []
    if isinstance(values, str | int):
        values = [values]
    try:
        return sorted({int(v) for v in values})
    except (TypeError, ValueError):
        raise ValidationFailed(_l("Unknown commitment."), {"commitment_ids": [_l("Unknown commitment.")]}) from None


def _validated(workstream: Workstream, raw: dict[str, Any]) -> dict[str, Any]:
    """Return clean column values (and `commitments`) from raw input, or raise every problem at once."""
    errors = Errors()
    values: dict[str, Any] = {
        "title": errors.check("title", clean_line, raw["title"], "title"),
        "description": errors.check("description", clean_text, raw["description"], "description", MAX_DESCRIPTION),
        "start_on": errors.check("start_on", as_date, raw["start_on"], "start_on"),
        "due_on": errors.check("due_on", as_date, raw["due_on"], "due_on"),
    }
    check_dates(errors, values["start_on"], values["due_on"])
    parties = {s.party_id for s in workstream.agreement.signatories}
    values["lead_party_id"] = _party(errors, raw["lead_party_id"], parties)
    values["owner_id"] = _owner(errors, raw["owner_id"], parties)
    values["commitments"] = _commitments(errors, workstream, raw["commitment_ids"])
    errors.raise_if_any()
    return values


def _party(errors: Errors, raw: Any, parties: set[int]) -> int | None:
    try:
        party_id = int(raw)
    except (TypeError, ValueError):
        party_id = None
    if party_id not in parties:
        errors.add("lead_party_id", _l("Choose one of the parties of the agreement."))
    return party_id


def _owner(errors: Errors, raw: Any, parties: set[int]) -> int | None:
    try:
        owner = db.session.get(User, int(raw))
    except (TypeError, ValueError):
        owner = None
    if owner is None or not owner.active or owner.party_id not in parties or owner.role == Role.REVIEWER:
        errors.add("owner_id", _l("The owner must be an active coordinator of a party of the agreement."))
        return None
    return owner.id


def _commitments(errors: Errors, workstream: Workstream, raw: Any) -> list[Commitment]:
    try:
        wanted = _ids(raw)
    except ValidationFailed as exc:
        errors.add("commitment_ids", exc.message)
        return []
    if not wanted:
        return []
    found = db.session.scalars(
        select(Commitment).where(Commitment.id.in_(wanted), Commitment.workstream_id == workstream.id)
    ).all()
    if len(found) != len(wanted):
        errors.add("commitment_ids", _l("Choose commitments of this workstream."))
    return list(found)


def transition_action(
    user: User, action: Action, to: str, *, comment: str | None = None, outcome: str | None = None
) -> Outcome:
    """Move the action to status `to` (approving, when `to` is active from proposed). `outcome` (what the action
    achieved, at most MAX_OUTCOME characters) is kept when `to` is completed and ignored otherwise."""
    ensure_visible(user, action.workstream.agreement_id)
    lock(action)
    db.session.expire(action, ["approvals", "milestones"])
    data = {"outcome": outcome} if str(to) == ActionStatus.COMPLETED.value else {}
    return transition(action, to, by=user, comment=comment, **data)


def approve_action(user: User, action: Action, *, comment: str | None = None) -> Outcome:
    """Record the approval of the user's party; the last party's approval activates the action.

    The action's row is locked first, so two parties approving at the same moment are serialised: the
    second sees the first's approval, and the action is activated exactly once.
    """
    ensure_visible(user, action.workstream.agreement_id)
    lock(action)
    db.session.expire(action, ["approvals"])
    if action.status != ActionStatus.PROPOSED:
        raise InvalidTransition(_l("Only a proposed action can be approved."))
    return transition(action, ActionStatus.ACTIVE, by=user, comment=comment)
