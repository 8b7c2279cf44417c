"""The reports resource: progress reports listed, read, signed, returned and downloaded (through the reports
services)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from flask import Response, jsonify
from flask_babel import gettext as _
from pydantic import ConfigDict, Field

from tracker.agreements.services import get_agreement
from tracker.api.blueprint import Route
from tracker.api.common import current_api_user
from tracker.api.inputs import Strict
from tracker.api.schemas import ApiModel, Instant, Links, PageInfo, PageQuery, answer, page_answer
from tracker.api.spec import API_PREFIX as API
from tracker.api.spec import WRITE_ERRORS, Problem, file_answer, responses, spec
from tracker.core.db import refresh
from tracker.reports import services
from tracker.reports.models import Report
from tracker.reports.render import MEDIA_TYPES, file_name
from tracker.web.downloads import content_disposition
from tracker.web.errors import problem

# The downloaded HTML file carries its own styles and no script at all.
PREPARING_RETRY_SECONDS = 30
FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


class ReportQuery(PageQuery):
    agreement: str = Field(max_length=64, description="Slug of the agreement")


class SignatureOut(ApiModel):
    party: str
    person: str
    signed_at: Instant
    comment: str


class ReportOut(ApiModel):
    id: int
    agreement: str
    kind: Literal["quarter", "agreement_year", "final", "ad_hoc"]
    period: str
    period_start_on: date
    period_end_on: date
    version: int
    status: Literal["draft", "signed", "published", "superseded"]
    generated_at: Instant
    published_at: Instant | None
    returned_comment: str | None
    signatures: list[SignatureOut]
    links: Links


class ReportList(PageInfo):
    items: list[ReportOut]


class CommentIn(Strict):
    comment: str | None = Field(None, max_length=10_000)


class DownloadQuery(ApiModel):
    model_config = ConfigDict(extra="forbid")

    lang: Literal["fr", "en", "nl"] = "fr"


def _report(report: Report, slug: str) -> ReportOut:
    downloads = {fmt: f"{API}/reports/{report.id}/{fmt}" for fmt in ("pdf", "xlsx", "html")}
    return ReportOut(
        id=report.id,
        agreement=slug,
        kind=str(report.kind),
        period=report.period,
        period_start_on=report.period_start_on,
        period_end_on=report.period_end_on,
        version=report.version,
        status=str(report.status),
        generated_at=report.generated_at,
        published_at=report.published_at,
        returned_comment=report.returned_comment,
        signatures=[
            SignatureOut(party=s.party.code, person=s.user.name, signed_at=s.signed_at, comment=s.comment or "")
            for s in report.signatures
        ],
        links=Links(self=f"{API}/reports/{report.id}", **downloads),
    )


@spec.validate(query=ReportQuery, resp=responses(HTTP_200=ReportList), tags=["reports"])
def list_reports(query: ReportQuery) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The progress reports of an agreement, newest period first."""
    user = current_api_user()
    agreement = get_agreement(user, query.agreement)
    result = services.list_reports(user, agreement, query.page, query.per_page)
    return page_answer(ReportList, result, [_report(r, agreement.slug) for r in result.items])


@spec.validate(resp=responses(HTTP_200=ReportOut), tags=["reports"])
def get_report(report_id: int) -> dict[str, Any]:
    """One report: its period, status and the signatures of each party."""
    report = services.get_report(current_api_user(), report_id)
    return answer(_report(report, report.agreement.slug))


def _after(report_id: int) -> dict[str, Any]:
    refresh()
    report = services.get_report(current_api_user(), report_id)
    return answer(_report(report, report.agreement.slug))


@spec.validate(json=CommentIn, resp=responses(errors=WRITE_ERRORS, HTTP_200=ReportOut), tags=["reports"])
def sign_report(report_id: int, json: CommentIn) -> dict[str, Any]:
    """Sign the report for your party (reviewers); the last party's signature publishes it."""
    user = current_api_user()
    services.sign_report(user, services.get_report(user, report_id), json.comment)
    return _after(report_id)


@spec.validate(json=CommentIn, resp=responses(errors=WRITE_ERRORS, HTTP_200=ReportOut), tags=["reports"])
def return_report(report_id: int, json: CommentIn) -> dict[str, Any]:
    """Send the report back with a comment saying what should change."""
    user = current_api_user()
    services.return_report(user, services.get_report(user, report_id), json.comment)
    return _after(report_id)


class PreparingOut(ApiModel):
    status: Literal["preparing"]
    retry_after: int = Field(description="Seconds after which to ask again (also the Retry-After header)")


@file_answer(*(MEDIA_TYPES[fmt].split(";")[0] for fmt in ("pdf", "xlsx", "html")))
@spec.validate(
    query=DownloadQuery,
    resp=responses(
        HTTP_200=(None, "The report as PDF, XLSX or HTML"),
        HTTP_202=(PreparingOut, "A file not prepared yet: the scheduler prepares it; ask again after Retry-After"),
        HTTP_409=(Problem, "The file could not be prepared (`file-failed`)"),
    ),
    tags=["reports"],
)
def download_report(report_id: int, fmt: str, query: DownloadQuery) -> Response:
    """The report as a file, in French, English or Dutch (`lang`); published reports are served as frozen.

    No file is rendered during the request: until the scheduler has prepared it, the answer is 202.
    """
    report = services.get_report(current_api_user(), report_id)
    prepared = services.report_file(report, query.lang, fmt)
    if prepared.state == "failed":
        return problem(409, "file-failed", _("This file could not be prepared; the administrators have been told."))
    if prepared.data is None:
        preparing = jsonify(answer(PreparingOut(status="preparing", retry_after=PREPARING_RETRY_SECONDS)))
        preparing.status_code = 202
        preparing.headers["Retry-After"] = str(PREPARING_RETRY_SECONDS)
        return preparing
    response = Response(prepared.data, mimetype=MEDIA_TYPES[fmt].split(";")[0])
    if fmt == "html":
        response.headers["Content-Type"] = MEDIA_TYPES["html"]
        response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["Content-Disposition"] = content_disposition(file_name(report, query.lang, fmt))
    return response


# This resource's routes, which its domain's init_app declares on the API blueprint.
ROUTES: tuple[Route, ...] = (
    ("/reports", list_reports, ("GET",)),
    ("/reports/<int:report_id>", get_report, ("GET",)),
    ("/reports/<int:report_id>/sign", sign_report, ("POST",)),
    ("/reports/<int:report_id>/return", return_report, ("POST",)),
    ("/reports/<int:report_id>/<any(pdf, xlsx, html):fmt>", download_report, ("GET",)),
)
