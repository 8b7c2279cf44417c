"""The exports resource: the actions and the milestones of the actions you see, as CSV or XLSX files (the shared
file answer of the import template too)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field
from werkzeug.wrappers import Response

from tracker.actions.api.actions import ActionFilterQuery
from tracker.api.blueprint import Route
from tracker.api.common import current_api_user, today
from tracker.api.spec import file_answer, responses, spec
from tracker.transfer import export
from tracker.transfer.sheets import FORMATS, render
from tracker.web.downloads import content_disposition, download_name

SEP = Field(
    "comma",
    description="CSV separator: `comma`, or `semicolon` (with decimal commas) for spreadsheets in French or Dutch",
)


class ExportQuery(ActionFilterQuery):
    format: Literal["csv", "xlsx"] = "csv"
    sep: Literal["comma", "semicolon"] = SEP


def sheet_file(kind: str, fmt: str, headers: tuple[str, ...], rows: Any, sep: str = "comma") -> Response:
    """Return the rows as a CSV or XLSX download (`fmt`: csv or xlsx; `sep`: comma or semicolon), named
    `<kind>-<today>.<fmt>`."""
    response = Response(render(fmt, headers, rows, kind, sep), mimetype=FORMATS[fmt])
    response.headers["Content-Disposition"] = content_disposition(download_name(kind, today(), extension=fmt))
    return response


FILE_ANSWER = (None, "A CSV or XLSX file")
SHEET_TYPES = (FORMATS["csv"], FORMATS["xlsx"])


@file_answer(*SHEET_TYPES)
@spec.validate(query=ExportQuery, resp=responses(HTTP_200=FILE_ANSWER), tags=["import and export"])
def export_actions(query: ExportQuery) -> Response:
    """The filtered actions as CSV or XLSX, one row per milestone; the file can be imported back."""
    headers, rows = export.action_export(current_api_user(), query.filters(), today())
    return sheet_file("actions", query.format, headers, rows, query.sep)


@file_answer(*SHEET_TYPES)
@spec.validate(query=ExportQuery, resp=responses(HTTP_200=FILE_ANSWER), tags=["import and export"])
def export_milestones(query: ExportQuery) -> Response:
    """The milestones of the filtered actions as CSV or XLSX."""
    headers, rows = export.milestone_export(current_api_user(), query.filters(), today())
    return sheet_file("milestones", query.format, headers, rows, query.sep)


# This resource's routes, which its domain's init_app declares on the API blueprint.
ROUTES: tuple[Route, ...] = (
    ("/actions/export", export_actions, ("GET",)),
    ("/milestones/export", export_milestones, ("GET",)),
)
