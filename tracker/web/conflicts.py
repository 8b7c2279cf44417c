"""The page shown when an edit was based on an older version: both versions side by side (409).

Neutral: the domain whose edit conflicted gives its field labels and the display names of the ids in the values
(an action's: tracker/actions/conflicts.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from flask import render_template, request
from flask_babel import format_date

from tracker.core.errors import Conflict
from tracker.web.i18n import format_moment

# Form fields that are not the user's values: never re-sent as such.
_NOT_VALUES = {"csrf_token", "version"}

# {(field, id): display name} for the ids found in the values (e.g. ("owner_id", 7): "Ann Peeters").
Names = dict[tuple[str, Any], str]
NamesOf = Callable[[list[dict[str, Any]]], Names]


def _display(field: str, value: Any, names: Names) -> str:
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


def conflict_rows(exc: Conflict, labels: Mapping[str, Any], names_of: NamesOf) -> list[dict[str, Any]]:
    """Return one row per field the user sent: label, their value, the current one, whether they differ."""
    mine: dict[str, Any] = exc.details.get("mine", {})
    current: dict[str, Any] = exc.details.get("current", {})
    changed = set(exc.details.get("changed", []))
    names = names_of([mine, current])
    return [
        {
            "field": field,
            "label": labels.get(field, field),
            "mine": _display(field, mine.get(field), names),
            "current": _display(field, current.get(field), names),
            "differs": field in changed,
        }
        for field in mine
    ]


def render_conflict(exc: Conflict, back: str, labels: Mapping[str, Any], names_of: NamesOf) -> tuple[str, int]:
    """Render the conflict page (status 409) for an edit posted from a page that had become stale: `labels` name
    the fields, `names_of(values)` gives the display names of the ids among them."""
    resend = [(k, v) for k, values in request.form.lists() if k not in _NOT_VALUES for v in values]
    changed_at = exc.details.get("changed_at")
    when = None
    if changed_at:
        when = format_moment(datetime.fromisoformat(changed_at))
    return (
        render_template(
            "errors/conflict.html",
            message=str(exc.message),
            rows=conflict_rows(exc, labels, names_of),
            changed_by=exc.details.get("changed_by"),
            changed_at=when,
            current_version=exc.details.get("current_version"),
            resend=resend,
            resend_url=request.path,
            back=back,
        ),
        409,
    )
