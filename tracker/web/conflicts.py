"""The page shown when an edit was based on an older version: both versions side by side (409)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import render_template, request
from flask_babel import format_date, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker.accounts.models import Party, User
from tracker.agreements.models import Commitment
from tracker.core.db import db
from tracker.core.errors import Conflict
from tracker.web.i18n import commitment_number, format_moment

FIELD_LABELS = {
    "title": _l("Title"),
    "description": _l("Description"),
    "owner_id": _l("Owner"),
    "lead_party_id": _l("Lead party"),
    "start_on": _l("Start"),
    "due_on": _l("Due on"),
    "commitment_ids": _l("Commitments served"),
    "status": _l("Status"),
    "completed_on": _l("Done on"),
    "evidence_url": _l("Link to the evidence (optional)"),
}
# Form fields that are not the user's values: never re-sent as such.
_NOT_VALUES = {"csrf_token", "version"}


def _people_and_parties(values: list[dict[str, Any]]) -> dict[tuple[str, Any], str]:
    """Return display names for the owner and party ids found in the values (two queries at most)."""

    def ids(field: str) -> set[int]:
        found: set[int] = set()
        for v in values:
            raw = v.get(field)
            for item in raw if isinstance(raw, list) else [raw]:
                if str(item).isdigit():
                    found.add(int(item))
        return found

    names: dict[tuple[str, Any], str] = {}
    if owners := ids("owner_id"):
        for user in db.session.scalars(select(User).where(User.id.in_(owners))):
            names[("owner_id", user.id)] = user.name
    if parties := ids("lead_party_id"):
        for party in db.session.scalars(select(Party).where(Party.id.in_(parties))):
            names[("lead_party_id", party.id)] = party.text("name", str(get_locale() or "fr"))
    if commitments := ids("commitment_ids"):
        for commitment in db.session.scalars(select(Commitment).where(Commitment.id.in_(commitments))):
            names[("commitment_ids", commitment.id)] = commitment_number(commitment.position)
    return names


def _display(field: str, value: Any, names: dict[tuple[str, Any], str]) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(_display(field, v, names) for v in value)
    if str(value).isdigit() and (field, int(value)) in names:
        return names[(field, int(value))]
    if field.endswith("_on"):
        try:
            return format_date(date.fromisoformat(str(value)), "long")
        except ValueError:
            return str(value)
    return str(value)


def conflict_rows(exc: Conflict) -> list[dict[str, Any]]:
    """Return one row per field the user sent: label, their value, the current one, whether they differ."""
    mine: dict[str, Any] = exc.details.get("mine", {})
    current: dict[str, Any] = exc.details.get("current", {})
    changed = set(exc.details.get("changed", []))
    names = _people_and_parties([mine, current])
    return [
        {
            "field": field,
            "label": FIELD_LABELS.get(field, field),
            "mine": _display(field, mine.get(field), names),
            "current": _display(field, current.get(field), names),
            "differs": field in changed,
        }
        for field in mine
    ]


def render_conflict(exc: Conflict, back: str) -> tuple[str, int]:
    """Render the conflict page (status 409) for an edit posted from a page that had become stale."""
    resend = [(k, v) for k, values in request.form.lists() if k not in _NOT_VALUES for v in values]
    changed_at = exc.details.get("changed_at")
    when = None
    if changed_at:
        when = format_moment(datetime.fromisoformat(changed_at))
    return (
        render_template(
            "errors/conflict.html",
            message=str(exc.message),
            rows=conflict_rows(exc),
            changed_by=exc.details.get("changed_by"),
            changed_at=when,
            current_version=exc.details.get("current_version"),
            resend=resend,
            resend_url=request.path,
            back=back,
        ),
        409,
    )
