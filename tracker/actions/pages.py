"""The action pages (thin views): the action, its milestones and moves, and its progress log and history; and the
lists of one agreement's actions that its dashboard shows the first of: planned milestones overdue or due soon, and
progress logs."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from tracker.actions.access import get_action
from tracker.actions.models import Action
from tracker.actions.queries import (
    MILESTONE_LISTS,
    action_page_options,
    agreement_progress,
    milestone_list,
    progress_log,
)
from tracker.agreements import cache
from tracker.core import clock
from tracker.core.errors import NotFound
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


def progress(slug: str) -> str:
    """All the progress logs of an agreement, newest first, page by page (the dashboard shows the latest)."""
    page_n, per_page = clamp(request.args.get("page"), request.args.get("per_page"), current_app.config["PAGE_SIZE"])
    agreement, page = agreement_progress(current_user, slug, page_n, per_page)
    return render_template("actions/progress_log.html", agreement=agreement, page=page)


def milestones(slug: str, when: str) -> str:
    """All the planned milestones the dashboard lists the first of: overdue, or due in the next 30 days."""
    if when not in MILESTONE_LISTS:
        raise NotFound(_l("This page does not exist, or you may not see it."))
    page_n, per_page = clamp(request.args.get("page"), request.args.get("per_page"), current_app.config["PAGE_SIZE"])
    agreement, page = milestone_list(current_user, slug, when, page_n, per_page)
    today = clock.today(agreement.timezone)
    return render_template("actions/milestones.html", agreement=agreement, when=when, page=page, today=today)
