"""Names people read for statuses and health, in the request's language."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l

from tracker.actions import labels
from tracker.web.i18n import locale_tag

ACTION_STATUS = labels.ACTION_STATUS
HEALTH = labels.HEALTH
# A planned milestone past its date; one of a carried-over action dated before its agreement's start.
MILESTONE_STATUS = {**labels.MILESTONE_STATUS, "overdue": _l("Overdue"), "to_reschedule": _l("To reschedule")}
SORT_LABELS = {
    "due": _l("Due date"),
    "start": _l("Start date"),
    "title": _l("Title"),
    "status": _l("Status"),
    "health": _l("Health"),
    "percent": _l("Progress"),
    "updated": _l("Last change"),
}


TABLES = {"action": ACTION_STATUS, "health": HEALTH, "milestone": MILESTONE_STATUS}


@lru_cache(maxsize=1024)
def _translated(table: str, value: str, locale: str) -> str:
    # `locale` is part of the key: the label is translated in the request's language when first asked.
    return str(TABLES[table].get(value, value))


def _label(table: str) -> Any:
    return lambda value: _translated(table, str(value), locale_tag())


def register(app: Flask) -> None:
    app.jinja_env.globals.update(
        action_status_label=_label("action"),
        health_label=_label("health"),
        milestone_status_label=_label("milestone"),
        action_statuses=list(ACTION_STATUS),
        health_values=list(HEALTH),
        sort_labels=SORT_LABELS,
    )
