"""The workspace's read pages, which span domains: my work, agreement dashboard, workstream, search (thin views)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from tracker.accounts.permissions import is_admin
from tracker.actions.permissions import can_manage_indicators
from tracker.agreements import cache
from tracker.agreements.services import get_agreement, list_agreements
from tracker.closeout.report_part import CARRIED_OVER_LABEL
from tracker.core import clock
from tracker.core.errors import NotFound
from tracker.core.pagination import clamp
from tracker.workspace import charts
from tracker.workspace.labels import ACTION_STATUS, HEALTH
from tracker.workspace.queries.common import agreement_today
from tracker.workspace.queries.dashboard import Dashboard, load_dashboard
from tracker.workspace.queries.my_work import MY_LISTS, load_my_work, my_list
from tracker.workspace.queries.search import search_actions
from tracker.workspace.queries.workstream import (
    ActionList,
    WorkstreamFrame,
    load_workstream_frame,
    load_workstream_page,
)


def my_work() -> str:
    return render_template("workspace/my_work.html", work=load_my_work(current_user))


def my_work_list(section: str) -> str:
    """The whole of one list of my work ("actions" or "milestones"), page by page."""
    if section not in MY_LISTS:
        raise NotFound(_l("This page does not exist, or you may not see it."))
    page_n, per_page = clamp(request.args.get("page"), request.args.get("per_page"), current_app.config["PAGE_SIZE"])
    today, page = my_list(current_user, section, page_n, per_page)
    return render_template("workspace/my_work_list.html", section=section, page=page, today=today)


def dashboard(slug: str) -> str:
    agreement = get_agreement(current_user, slug, parts=False)
    key = (agreement.id, agreement_today(agreement), is_admin(current_user))
    body = cache.kept(cache.dashboards, agreement.id, key, lambda: _dashboard_body(load_dashboard(agreement)))
    return render_template("workspace/dashboard.html", agreement=agreement, body=body)


def _dashboard_body(board: Dashboard) -> Markup:
    return Markup(  # noqa: S704 - rendered by Jinja with autoescape
        render_template(
            "workspace/_dashboard_body.html", board=board, charts=charts, carried_over_label=CARRIED_OVER_LABEL
        )
    )


def workstream(slug: str, code: str) -> str:
    listing = ActionList.from_args(request.args, current_app.config["PAGE_SIZE"])
    frame = load_workstream_frame(current_user, slug, code)
    ws = frame.workstream
    # The indicators' "record a measurement" links are the body's only part that depends on the reader.
    key = (ws.id, frame.today, listing, can_manage_indicators(current_user, ws))
    body = cache.kept(cache.workstreams, frame.agreement.id, key, lambda: _workstream_body(frame, listing))
    return render_template("workspace/workstream.html", frame=frame, body=body)


def _workstream_body(frame: WorkstreamFrame, listing: ActionList) -> Markup:
    page = load_workstream_page(current_user, frame, listing)
    timeline = charts.timeline(
        page.workstream.starts_on or page.agreement.starts_on,
        page.agreement.ends_on,
        page.actions.items,
        page.milestones,
        page.today,
        original_end=page.original_ends_on,
    )
    body = render_template(
        "workspace/_workstream_body.html",
        page=page,
        timeline=timeline,
        action_url=id_url("actions.action", "action_id"),
        status_names=_names(ACTION_STATUS),
        health_names=_names(HEALTH),
    )
    return Markup(body)  # noqa: S704 - rendered by Jinja with autoescape


def id_url(endpoint: str, name: str) -> str:
    """Return the address of `endpoint` for an id without the id (`/actions/`): a list links each row by adding its
    id, where a url_for per row would build the same route again each time."""
    marker = 2**31 - 1
    head, found, tail = url_for(endpoint, **{name: marker}).partition(str(marker))
    if not found or tail:
        raise ValueError(f"the address of {endpoint} does not end with its {name}")
    return head


def _names(table: Mapping[str, Any]) -> dict[str, str]:
    """Return each name of `table` in the request's language, looked up once for a page rather than once a row."""
    return {key: str(name) for key, name in table.items()}


def search() -> str:
    text = (request.args.get("q") or "").strip()
    page_n, per_page = clamp(request.args.get("page"), current_app.config["PAGE_SIZE"])
    results = search_actions(current_user, text, page_n, per_page) if text else None
    return render_template(
        "workspace/search.html",
        q=text,
        results=results,
        agreements=list_agreements(current_user),
        today=clock.today(current_app.config["TRACKER_TIMEZONE"]),
    )
