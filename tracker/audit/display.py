"""Turning audit entries into what people read: verbs, field names and values in their language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker.accounts.models import User
from tracker.actions.labels import ACTION_STATUS, HEALTH, MILESTONE_STATUS
from tracker.agreements.models import Commitment, Party
from tracker.audit.fields import MACHINE_FIELDS, field_label, special_value, text_language
from tracker.closeout.lifecycle import STATE_LABELS as AGREEMENT_STATUS
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.reports.labels import REPORT_STATUS
from tracker.web.conflicts import FIELD_LABELS
from tracker.web.i18n import format_calendar_date, format_moment

MAX_VALUE_LENGTH = 300

VERBS = {
    "create": _l("Creation"),
    "update": _l("Change"),
    "load": _l("Loaded from the agreement file"),
    "propose": _l("Proposal for approval"),
    "approve": _l("Approval"),
    "return": _l("Returned to draft"),
    "hold": _l("Placed on hold"),
    "resume": _l("Resumption"),
    "complete": _l("Completion"),
    "cancel": _l("Cancellation"),
    "move": _l("New date"),
    "upload": _l("File added"),
    "record": _l("Measurement recorded"),
    "change_password": _l("Password changed"),
    "set_password": _l("Password set"),
    "unsubscribe": _l("Unsubscribed from the digests"),
    "resend": _l("Sent again"),
    "demo_load": _l("Demo data loaded"),
    "generate": _l("Generation"),
    "sign": _l("Signature"),
    "publish": _l("Publication"),
    "sign_and_publish": _l("Signature and publication"),
    "revoke": _l("Revocation"),
    "reset_feed_token": _l("New calendar address"),
    "delete": _l("Removal"),
    "deactivate": _l("Deactivated"),
    "end": _l("End of the term"),
    "close_out": _l("Close-out decision"),
    "close": _l("Closing confirmed"),
    "record_amendment": _l("Amendment recorded"),
    "confirm": _l("Confirmation"),
    "amend": _l("Amendment in effect"),
    "extend": _l("In force again"),
    "renew": _l("Renewal into a successor"),
    "link_successor": _l("Successor linked from its agreement file"),
    "carry_over": _l("Carried over to the successor agreement"),
    "continue": _l("Continues an action of the previous agreement"),
    "archive": _l("Archive package built"),
}
ENTITIES = {
    "action": _l("Action"),
    "milestone": _l("Milestone"),
    "progress_update": _l("Progress log"),
    "attachment": _l("Evidence file"),
    "measurement": _l("Measurement"),
    "indicator": _l("Indicator"),
    "agreement": _l("Agreement"),
    "workstream": _l("Workstream"),
    "commitment": _l("Commitment"),
    "party": _l("Party"),
    "user": _l("Account"),
    "api_token": _l("API token"),
    "report": _l("Report"),
    "outbox_message": _l("Email"),
    "reminder_settings": _l("Reminder settings"),
    "day_off": _l("Day off"),
    "amendment": _l("Amendment"),
}
EXTRA_FIELDS = {
    "percent": _l("Progress"),
    "health": _l("Health"),
    "text": _l("Text"),
    "approved_for": _l("Approved for"),
    "approvals_withdrawn": _l("Approvals withdrawn"),
    "reschedule_count": _l("Times moved"),
    "filename": _l("File"),
    "value": _l("Value"),
    "measured_on": _l("Measured on"),
    "attachments": _l("Files"),
    "decision": _l("Decision"),
    "amendment": _l("Amendment"),
    "reference": _l("Reference"),
    "new_ends_on": _l("New end date"),
    "closing_confirmed_for": _l("Closing confirmed for"),
    "confirmed_for": _l("Confirmed for"),
    "succeeds": _l("Succeeds"),
    "succeeded_by": _l("Succeeded by"),
    "continues": _l("Continues"),
    "continued_in": _l("Continued in"),
    "indicators": _l("Indicators"),
    "milestones": _l("Milestones"),
}
# Status names per entity: French agrees in gender (une action « annulée », un jalon « annulé »).
STATUS = {
    "action": ACTION_STATUS,
    "milestone": MILESTONE_STATUS,
    "report": REPORT_STATUS,
    "agreement": AGREEMENT_STATUS,
}
# Ids that only matter to the database: not shown in the history.
HIDDEN_FIELDS = {"action_id", "indicator_id", "agreement_id", "workstream_id", "position", "sha256"}


@dataclass(frozen=True)
class Change:
    label: str
    old: str | None
    new: str
    lang: str | None = None  # the language of the values when the field holds one version of a text (`title_en`)


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    actor: str
    entity: str
    entity_id: int
    verb: str
    raw_verb: str
    changes: list[Change]
    comment: str | None


class Names:
    """Display names for the ids found in a batch of entries, loaded in a few queries (no N+1)."""

    def __init__(self, entries: Sequence[AuditEntry]) -> None:
        wanted: dict[str, set[int]] = {"owner_id": set(), "lead_party_id": set(), "commitment_ids": set()}
        for entry in entries:
            for field, ids in wanted.items():
                if field in (entry.changes or {}):
                    ids.update(_ints(entry.changes[field]))
        language = str(get_locale() or "fr")
        self.names: dict[tuple[str, int], str] = {}
        if wanted["owner_id"]:
            for user in db.session.scalars(select(User).where(User.id.in_(wanted["owner_id"]))):
                self.names[("owner_id", user.id)] = user.name
        if wanted["lead_party_id"]:
            for party in db.session.scalars(select(Party).where(Party.id.in_(wanted["lead_party_id"]))):
                self.names[("lead_party_id", party.id)] = party.text("name", language)
        if wanted["commitment_ids"]:
            for c in db.session.scalars(select(Commitment).where(Commitment.id.in_(wanted["commitment_ids"]))):
                self.names[("commitment_ids", c.id)] = c.code

    def show(self, field: str, value: Any, entity: str = "") -> str:
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, list):
            return ", ".join(self.show(field, v, entity) for v in value)
        if isinstance(value, int) and (field, value) in self.names:
            return self.names[(field, value)]
        statuses = STATUS.get(entity, {})
        if field == "status" and str(value) in statuses:
            return str(statuses[str(value)])
        if field == "health" and str(value) in HEALTH:
            return str(HEALTH[str(value)])
        if field.endswith("_on") and isinstance(value, str):
            try:
                return format_calendar_date(date.fromisoformat(value), "medium")
            except ValueError:
                pass
        special = special_value(field, value)
        if special is not None:
            return special
        text = str(value)
        return text if len(text) <= MAX_VALUE_LENGTH else text[: MAX_VALUE_LENGTH - 1] + "…"


def _ints(value: Any) -> list[int]:
    """Return every integer in a value, a list, or a list of lists."""
    if isinstance(value, list):
        return [n for item in value for n in _ints(item)]
    return [value] if isinstance(value, int) and not isinstance(value, bool) else []


LIST_FIELDS = {"approvals_withdrawn", "attachments", "commitment_ids"}


def _is_pair(field: str, value: Any) -> bool:
    """Whether a recorded value is [before, after] (updates) rather than a plain value (creations)."""
    if not isinstance(value, list) or len(value) != 2:
        return False
    if field in LIST_FIELDS:
        return all(isinstance(v, list) for v in value)
    return True


def _changes(entry: AuditEntry, names: Names) -> list[Change]:
    result = []
    for field, value in (entry.changes or {}).items():
        if field in HIDDEN_FIELDS or field in MACHINE_FIELDS:
            continue
        label = field_label(field, {**FIELD_LABELS, **EXTRA_FIELDS})
        if _is_pair(field, value):
            old, new = names.show(field, value[0], entry.entity), names.show(field, value[1], entry.entity)
            result.append(Change(label, old, new, text_language(field)))
        else:
            result.append(Change(label, None, names.show(field, value, entry.entity), text_language(field)))
    return result


def describe(entries: Sequence[AuditEntry]) -> list[Entry]:
    """Return display entries (entries must have `actor` loaded)."""
    names = Names(entries)
    return [
        Entry(
            id=e.id,
            at=e.at,
            actor=e.actor.name if e.actor is not None else str(_l("the system")),
            entity=str(ENTITIES.get(e.entity, e.entity)),
            entity_id=e.entity_id,
            verb=str(VERBS.get(e.verb, e.verb)),
            raw_verb=e.verb,
            changes=_changes(e, names),
            comment=e.comment,
        )
        for e in entries
    ]


def when(value: datetime) -> str:
    return format_moment(value)
