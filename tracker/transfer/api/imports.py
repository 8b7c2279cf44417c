"""The import resource: the import template, and importing a file of actions with their milestones into an
agreement."""

from __future__ import annotations

from typing import Any, Literal

from flask import request
from flask_babel import gettext as _
from pydantic import ConfigDict, Field
from werkzeug.wrappers import Response

from tracker.agreements.services import get_agreement
from tracker.api.blueprint import Route, takes_files
from tracker.api.common import current_api_user
from tracker.api.schemas import ApiModel, answer
from tracker.api.spec import WRITE_ERRORS, Problem, file_answer, responses, spec
from tracker.core.db import discard
from tracker.transfer import export
from tracker.transfer.api.exports import FILE_ANSWER, SEP, SHEET_TYPES, sheet_file
from tracker.transfer.importer import import_actions
from tracker.web.errors import problem


class TemplateQuery(ApiModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["csv", "xlsx"] = "csv"
    sep: Literal["comma", "semicolon"] = SEP


class ImportQuery(ApiModel):
    model_config = ConfigDict(extra="forbid")

    dry_run: bool = Field(True, description="Only check the file (the default); false imports it")


class ImportForm(ApiModel):
    file: Any = Field(
        description="The CSV or XLSX file (multipart field `file`)",
        json_schema_extra={"format": "binary", "type": "string"},
    )


class RowErrorOut(ApiModel):
    line: int
    column: str
    message: str


class PresentRowOut(ApiModel):
    line: int
    action_id: int = Field(description="The existing action the line stands for")
    action_title: str
    milestone_title: str | None = Field(description="The milestone of the line, which the action already has")


class ImportReportOut(ApiModel):
    dry_run: bool
    applied: bool
    rows: int
    actions: int = Field(description="Actions created (or, on a dry run, that would be)")
    milestones: int = Field(description="Milestones created (or, on a dry run, that would be)")
    errors: list[RowErrorOut]
    already_present: list[PresentRowOut] = Field(
        description="Lines whose action (and milestone) the agreement already has: not created again"
    )


@file_answer(*SHEET_TYPES)
@spec.validate(query=TemplateQuery, resp=responses(HTTP_200=FILE_ANSWER), tags=["import and export"])
def import_template(query: TemplateQuery) -> Response:
    """A file with the import columns and an example action with two milestones."""
    return sheet_file("actions-template", query.format, export.IMPORT_COLUMNS, export.TEMPLATE_EXAMPLE, query.sep)


@takes_files
@spec.validate(
    query=ImportQuery,
    form=ImportForm,
    resp=responses(
        errors={
            **WRITE_ERRORS,
            "HTTP_422": (
                Problem,
                "Bad rows (`row_errors` lists them), or a file whose name says another type than its content "
                "(`errors.file`); nothing was written",
            ),
        },
        HTTP_200=(ImportReportOut, "Dry run: every row is good; or imported with nothing new to create"),
        HTTP_201=(ImportReportOut, "Imported"),
    ),
    tags=["import and export"],
)
def import_actions_file(slug: str, query: ImportQuery, form: ImportForm) -> Response | tuple[dict[str, Any], int]:
    """Import actions with their milestones from a CSV or XLSX file (multipart field `file`).

    Every row is checked first; nothing is written unless all are good, and nothing at all on a dry run.
    Sending the same file again creates nothing: lines whose action (by `action_ref` = an action's id, else by
    title in the same workstream) and milestone (by title) exist are listed in `already_present`.
    """
    agreement = get_agreement(current_api_user(), slug)
    upload = request.files.get("file")
    if upload is None:
        return problem(
            422,
            "validation-failed",
            _("Send the file in the multipart field `file`."),
            errors={"file": [_("Required.")]},
        )
    report = import_actions(current_api_user(), agreement, upload.read(), dry_run=query.dry_run)
    body = answer(
        ImportReportOut(
            dry_run=report.dry_run,
            applied=report.applied,
            rows=report.rows,
            actions=report.actions,
            milestones=report.milestones,
            errors=[RowErrorOut(**vars(e)) for e in report.errors],
            already_present=[PresentRowOut(**vars(p)) for p in report.present],
        )
    )
    if report.errors:
        discard()
        return problem(
            422, "import-rejected", _("Some rows are not valid; nothing was imported."), row_errors=body["errors"]
        )
    if report.applied:
        return body, 201 if report.created else 200
    discard()
    return body, 200


# This resource's routes, which its domain's init_app declares on the API blueprint.
ROUTES: tuple[Route, ...] = (
    ("/import/template", import_template, ("GET",)),
    ("/agreements/<slug>/import", import_actions_file, ("POST",)),
)
