"""The action page: the action, its milestones and moves, and its progress log and history (a thin view)."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from markupsafe import Markup

from tracker.actions.access import get_action
from tracker.actions.models import Action
from tracker.actions.queries import action_page_options, progress_log
from tracker.agreements import cache
from tracker.core import clock
from tracker.core.pagination import clamp


def action(action_id: int) -> str:
    page_n, _ = clamp(request.args.get("page"), 1)
    action = get_action(current_user, action_id, *action_page_options())
    agreement = action.workstream.agreement
    history_n, _ = clamp(request.args.get("history"), 1)  # the page of the history (core/_history.html)
    key = (action.id, page_n, history_n)
    record = cache.kept(cache.action_records, agreement.id, key, lambda: _action_record(action, page_n))
    today = clock.today(agreement.timezone)
    return render_template("actions/action.html", action=action, today=today, record=record)


def _action_record(action: Action, page_n: int) -> Markup:
    """The action's progress log and history: the same for every reader of the action in a language."""
    updates = progress_log(action, page_n)
    return Markup(render_template("actions/_action_record.html", action=action, updates=updates))  # noqa: S704 - rendered by Jinja with autoescape
