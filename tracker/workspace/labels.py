"""Names people read for statuses and health, in the request's language."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l

ACTION_STATUS = {
    "draft": _l("Draft"),
    "proposed": _l("Proposed"),
    "active": _l("Active"),
    "on_hold": _l("On hold"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
}
HEALTH = {"on_track": _l("On track"), "at_risk": _l("At risk"), "off_track": _l("Off track")}
MILESTONE_STATUS = {
    "planned": _l("Planned"),
    "done": _l("Done"),
    "cancelled": _l("Cancelled"),
    "overdue": _l("Overdue"),
}
SORT_LABELS = {
    "due": _l("Due date"),
    "start": _l("Start date"),
    "title": _l("Title"),
    "status": _l("Status"),
    "health": _l("Health"),
    "percent": _l("Progress"),
    "updated": _l("Last change"),
}


def _label(table: dict[str, Any]) -> Any:
    return lambda value: table.get(str(value), str(value))


def register(app: Flask) -> None:
    app.jinja_env.globals.update(
        action_status_label=_label(ACTION_STATUS),
        health_label=_label(HEALTH),
        milestone_status_label=_label(MILESTONE_STATUS),
        action_statuses=list(ACTION_STATUS),
        health_values=list(HEALTH),
        sort_labels=SORT_LABELS,
    )
