"""The administrators' audit log (filters, pages, CSV export) and the history helpers for templates."""

from __future__ import annotations

import tempfile

from flask import Blueprint, Response, current_app, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.audit import log
from tracker.core import clock
from tracker.core.pagination import clamp
from tracker.transfer.views import chosen_separator
from tracker.web.downloads import content_disposition, download_name

bp = Blueprint("audit", __name__, template_folder="templates", url_prefix="/admin/audit")


@bp.get("")
@login_required
def index() -> str:
    user = current_user._get_current_object()
    filters = log.Filters.from_args(request.args, current_app.config["TRACKER_TIMEZONE"])
    page, per_page = clamp(request.args.get("page"), request.args.get("per_page"), 50)
    return render_template(
        "audit/log.html",
        page=log.search(user, filters, page, per_page),
        filters=filters,
        choices=log.filter_choices(user),
        query=filters.query_args(),
    )


@bp.get("/export.csv")
@login_required
def export() -> Response:
    user = current_user._get_current_object()
    filters = log.Filters.from_args(request.args, current_app.config["TRACKER_TIMEZONE"])
    # Written while the request (and its database session) is open; kept in memory up to a few MB, then on disk.
    lines = log.csv_lines(user, filters, chosen_separator())
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - send_file closes it
    for line in lines:
        spool.write(line.encode("utf-8"))
    spool.seek(0)
    response = send_file(spool, mimetype="text/csv")
    today = clock.today(current_app.config["TRACKER_TIMEZONE"])
    response.headers["Content-Disposition"] = content_disposition(download_name(_("Audit log"), today, extension="csv"))
    return response
