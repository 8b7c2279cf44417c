"""URL rules of the workspace: the pages that span domains (the views live in pages.py)."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

from tracker.workspace import pages

bp = Blueprint("workspace", __name__, template_folder="templates")


def _page(rule: str, view, **options) -> None:
    bp.add_url_rule(rule, view_func=login_required(view), **options)


_page("/agreements/<slug>/dashboard", pages.dashboard, endpoint="dashboard")
_page("/agreements/<slug>/workstreams/<code>", pages.workstream, endpoint="workstream")
_page("/search", pages.search, endpoint="search")
_page("/my-work/<section>", pages.my_work_list, endpoint="my_work_list")
