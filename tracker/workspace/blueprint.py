"""URL rules of the workspace (the views live in pages.py and forms_views.py)."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

from tracker.actions import permissions
from tracker.workspace import forms_views, labels, pages, text

bp = Blueprint("workspace", __name__, template_folder="templates")


def _page(rule: str, view, **options) -> None:
    bp.add_url_rule(rule, view_func=login_required(view), **options)


_page("/agreements/<slug>/dashboard", pages.dashboard, endpoint="dashboard")
_page("/agreements/<slug>/workstreams/<code>", pages.workstream, endpoint="workstream")
_page("/agreements/<slug>/milestones/<when>", pages.milestones, endpoint="milestones")
_page("/agreements/<slug>/progress", pages.progress, endpoint="progress")
_page("/actions/<int:action_id>", pages.action, endpoint="action")
_page("/search", pages.search, endpoint="search")
_page("/my-work/<section>", pages.my_work_list, endpoint="my_work_list")

FORM = {"methods": ["GET", "POST"]}
_page("/agreements/<slug>/workstreams/<code>/actions/new", forms_views.new_action, endpoint="new_action", **FORM)
_page("/actions/<int:action_id>/edit", forms_views.edit_action, endpoint="edit_action", **FORM)
_page("/actions/<int:action_id>/milestones/new", forms_views.new_milestone, endpoint="new_milestone", **FORM)
_page("/milestones/<int:milestone_id>/edit", forms_views.edit_milestone, endpoint="edit_milestone", **FORM)
_page("/actions/<int:action_id>/progress", forms_views.log_progress, endpoint="log_progress", **FORM)
_page(
    "/indicators/<int:indicator_id>/measurements/new", forms_views.new_measurement, endpoint="new_measurement", **FORM
)
_page("/attachments/<int:attachment_id>/download", forms_views.download, endpoint="download")


@bp.record_once
def _register_helpers(state) -> None:
    text.register(state.app)
    labels.register(state.app)
    state.app.jinja_env.globals.update(
        can_create_action=permissions.can_create_action,
        can_edit_action=permissions.can_edit_action,
        can_log_progress=permissions.can_log_progress,
        can_manage_indicators=permissions.can_manage_indicators,
    )
