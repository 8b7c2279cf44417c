"""The workspace's read pages: my work, agreement dashboard, workstream, action, search (thin views)."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user
from markupsafe import Markup

from tracker.agreements.services import list_agreements
from tracker.core.db import db
from tracker.core.pagination import clamp
from tracker.core.permissions import is_admin
from tracker.web.i18n import current_language
from tracker.workspace import cache, charts
from tracker.workspace.cache import data_stamp
from tracker.workspace.queries.action import load_action_page
from tracker.workspace.queries.common import agreement_today, find_agreement
from tracker.workspace.queries.dashboard import Dashboard, load_dashboard
from tracker.workspace.queries.my_work import load_my_work
from tracker.workspace.queries.search import search_actions
from tracker.workspace.queries.workstream import ActionFilters, load_workstream_page


def my_work() -> str:
    return render_template("workspace/my_work.html", work=load_my_work(current_user))


def dashboard(slug: str) -> str:
    size = current_app.config.get("DASHBOARD_CACHE_SIZE", 0)
    if not size:
        board = load_dashboard(current_user, slug)
        return render_template("workspace/dashboard.html", agreement=board.agreement, body=_dashboard_body(board))
    agreement = find_agreement(current_user, slug)
    key = (
        str(db.engine.url),
        agreement.id,
        agreement_today(agreement),
        current_language(),
        is_admin(current_user),
        data_stamp(agreement.id),
    )
    body = cache.dashboards.get(key)
    if body is None:
        body = _dashboard_body(load_dashboard(current_user, slug))
        cache.dashboards.put(key, body, size)
    return render_template("workspace/dashboard.html", agreement=agreement, body=body)


def _dashboard_body(board: Dashboard) -> Markup:
    return Markup(render_template("workspace/_dashboard_body.html", board=board, charts=charts))  # noqa: S704 - rendered by Jinja with autoescape


def workstream(slug: str, code: str) -> str:
    filters = ActionFilters.from_args(request.args, current_app.config["PAGE_SIZE"])
    page = load_workstream_page(current_user, slug, code, filters)
    timeline = charts.timeline(
        page.workstream.starts_on or page.agreement.starts_on,
        page.agreement.ends_on,
        page.actions.items,
        page.milestones,
        page.today,
    )
    return render_template("workspace/workstream.html", page=page, timeline=timeline)


def action(action_id: int) -> str:
    page_n, _ = clamp(request.args.get("page"), 1)
    return render_template("workspace/action.html", page=load_action_page(current_user, action_id, page_n))


def search() -> str:
    text = (request.args.get("q") or "").strip()
    page_n, per_page = clamp(request.args.get("page"), current_app.config["PAGE_SIZE"])
    results = search_actions(current_user, text, page_n, per_page) if text else None
    return render_template("workspace/search.html", q=text, results=results, agreements=list_agreements(current_user))
