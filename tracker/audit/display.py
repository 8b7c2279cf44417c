"""Turning audit entries into what people read: verbs, field names and values in their language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from tracker.accounts.models import Party, User
from tracker.actions.labels import ACTION_STATUS, FIELD_LABELS, HEALTH, MILESTONE_STATUS
from tracker.actions.models import Indicator
from tracker.agreements.models import Commitment, Workstream
from tracker.audit.fields import (
    FORMATTED_FIELDS,
    MACHINE_FIELDS,
    VALUE_NAMES,
    field_label,
    has_label,
    special_value,
    text_language,
)
from tracker.closeout.lifecycle import STATE_LABELS as AGREEMENT_STATUS
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.reports.labels import REPORT_STATUS
from tracker.web.i18n import commitment_number, format_calendar_date, format_moment

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
    "write": _l("Text saved"),
    "close": _l("Closing confirmed"),
    "record_amendment": _l("Amendment recorded"),
    "confirm": _l("Confirmation"),
    "amend": _l("Amendment in effect"),
    "supersede": _l("Replaced by a newer version"),
    "extend": _l("In force again"),
    "renew": _l("Renewal into a successor"),
    "propose_renewal": _l("Successor proposed"),
    "confirm_renewal": _l("Successor confirmed"),
    "withdraw_renewal": _l("Successor proposal withdrawn"),
    "decline_renewal": _l("Successor proposal declined"),
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
    "narrative": _l("Report text"),
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
    "function": _l("Function"),
    "outcome": _l("Outcome"),
    "period": _l("Period"),
    "languages": _l("Languages"),
    "version": _l("Version"),
    "succeeds": _l("Succeeds"),
    "succeeded_by": _l("Succeeded by"),
    "continues": _l("Continues"),
    "continued_in": _l("Continued in"),
    "indicators": _l("Indicators"),
    "milestones": _l("Milestones"),
}
LABELS = {**FIELD_LABELS, **EXTRA_FIELDS}
# Status names per entity: French agrees in gender (une action « annulée », un jalon « annulé »).
STATUS = {
    "action": ACTION_STATUS,
    "milestone": MILESTONE_STATUS,
    "report": REPORT_STATUS,
    "agreement": AGREEMENT_STATUS,
}
# English notes the system once wrote beside entries whose verb already says it all: not shown.
SYSTEM_COMMENTS = {"demo data", "one-click unsubscribe link"}
# Ids that only matter to the database: not shown in the history.
HIDDEN_FIELDS = {"action_id", "indicator_id", "agreement_id", "workstream_id", "position", "sha256"}
# Workstream and commitment codes identify them in the agreement file and the API; people know them by title and text.
HIDDEN_FIELDS_OF = {"workstream": {"code"}, "commitment": {"code"}}


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
    subject: str | None  # the name of what the entry is about, when people know it by one (a person's account)
    verb: str
    raw_verb: str
    changes: list[Change]
    comment: str | None


# Recorded ids and party codes, shown as the name of what they point at.
USER_ID_FIELDS = {"owner_id", "user_id"}
PARTY_ID_FIELDS = {"party_id", "lead_party_id"}
PARTY_CODE_FIELDS = {
    "approved_for",
    "signed_for",
    "confirmed_for",
    "closing_confirmed_for",
    "approvals_withdrawn",
    "signatures_withdrawn",
}


# Objects an entry names by their title in the reader's language (« Indicator · Franstaligen in België »), not by id.
TITLED: dict[str, tuple[Any, str]] = {"indicator": (Indicator, "name"), "workstream": (Workstream, "title")}


class Names:
    """Display names for the ids found in a batch of entries, loaded in a few queries (no N+1)."""

    def __init__(self, entries: Sequence[AuditEntry]) -> None:
        wanted: dict[str, set[Any]] = {"users": set(), "parties": set(), "codes": set(), "commitments": set()}
        titled: dict[str, set[int]] = {entity: set() for entity in TITLED}  # objects people know by a name
        for entry in entries:
            if entry.entity == "user":
                wanted["users"].add(entry.entity_id)
            elif entry.entity in TITLED:
                titled[entry.entity].add(entry.entity_id)
            for field, value in (entry.changes or {}).items():
                if field in USER_ID_FIELDS:
                    wanted["users"].update(_ints(value))
                elif field in PARTY_ID_FIELDS:
                    wanted["parties"].update(_ints(value))
                elif field == "commitment_ids":
                    wanted["commitments"].update(_ints(value))
                elif field in PARTY_CODE_FIELDS:
                    wanted["codes"].update(_strings(value))
        language = str(get_locale() or "fr")
        self.names: dict[tuple[str, Any], str] = {}
        if wanted["users"]:
            for user in db.session.scalars(select(User).where(User.id.in_(wanted["users"]))):
                self.names.update({(field, user.id): user.name for field in (*USER_ID_FIELDS, "user")})
        if wanted["parties"] or wanted["codes"]:
            condition = or_(Party.id.in_(wanted["parties"]), Party.code.in_(wanted["codes"]))
            for party in db.session.scalars(select(Party).where(condition)):
                name = party.text("name", language)
                self.names.update({(field, party.id): name for field in PARTY_ID_FIELDS})
                self.names.update({(field, party.code): name for field in PARTY_CODE_FIELDS})
        if wanted["commitments"]:
            for c in db.session.scalars(select(Commitment).where(Commitment.id.in_(wanted["commitments"]))):
                self.names[("commitment_ids", c.id)] = commitment_number(c.position)
        for entity, ids in titled.items():
            if ids:
                model, field = TITLED[entity]
                for obj in db.session.scalars(select(model).where(model.id.in_(ids))):
                    self.names[(entity, obj.id)] = obj.text(field, language)

    def show(self, field: str, value: Any, entity: str = "") -> str:
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, list):
            return ", ".join(self.show(field, v, entity) for v in value)
        if isinstance(value, int | str) and (field, value) in self.names:
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


def _strings(value: Any) -> list[str]:
    """Return every string in a value or a list."""
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


def _ints(value: Any) -> list[int]:
    """Return every integer in a value, a list, or a list of lists."""
    if isinstance(value, list):
        return [n for item in value for n in _ints(item)]
    return [value] if isinstance(value, int) and not isinstance(value, bool) else []


LIST_FIELDS = {"approvals_withdrawn", "signatures_withdrawn", "attachments", "commitment_ids"}


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
        if field in HIDDEN_FIELDS or field in MACHINE_FIELDS or field in HIDDEN_FIELDS_OF.get(entry.entity, ()):
            continue
        label = field_label(field, LABELS)
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
            subject=names.names.get((e.entity, e.entity_id)),
            verb=str(VERBS.get(e.verb, e.verb)),
            raw_verb=e.verb,
            changes=_changes(e, names),
            comment=None if e.comment in SYSTEM_COMMENTS else e.comment,
        )
        for e in entries
    ]


NAMED_IDS = USER_ID_FIELDS | PARTY_ID_FIELDS | {"commitment_ids"}


def unreadable(entity: str, verb: str, changes: dict[str, Any], choices: dict[str, set[str]]) -> list[str]:
    """Return what of an audit entry the history would show raw (verb, entity, field or value without a name for
    people), as short English notes for a developer; empty when everything reads in the reader's language.
    `choices`: {field: the values it stores} for the fields that hold an enumeration (never shown as stored)."""
    problems = [f"verb {verb!r}"] if verb not in VERBS else []
    problems += [f"entity {entity!r}"] if entity not in ENTITIES else []
    for field, value in (changes or {}).items():
        if field in HIDDEN_FIELDS or field in MACHINE_FIELDS or field in HIDDEN_FIELDS_OF.get(entity, ()):
            continue
        if not has_label(field, LABELS):
            problems.append(f"{entity}.{verb}: field {field!r}")
        if field in NAMED_IDS or field in PARTY_CODE_FIELDS or field in FORMATTED_FIELDS:
            continue
        if field.endswith(("_id", "_ids")):
            problems.append(f"{entity}.{verb}: {field!r} holds ids shown as numbers")
            continue
        for item in _strings(value):
            named = (
                item in VALUE_NAMES.get(field, {})
                or (field == "status" and item in STATUS.get(entity, {}))
                or (field == "health" and item in HEALTH)
            )
            if not named and item in choices.get(field, set()):
                problems.append(f"{entity}.{verb}: {field} = {item!r} shown as stored")
    return problems


def when(value: datetime) -> str:
    return format_moment(value)
