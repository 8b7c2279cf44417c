"""Error pages for people and problem+json (RFC 9457) answers for the API."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from tracker.core.db import discard, is_busy, reading
from tracker.core.errors import DomainError, ValidationFailed

log = logging.getLogger(__name__)

PROBLEM_BASE = "/problems/"
# Seconds after which a request refused because the database was busy may be sent again.
BUSY_RETRY_SECONDS = 5


def wants_problem_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/problem+json"


def problem(status: int, problem_type: str, title: str, detail: str | None = None, **extra: Any) -> Response:
    """Return an RFC 9457 problem document."""
    body: dict[str, Any] = {"type": PROBLEM_BASE + problem_type, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


HTTP_TYPES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-failed",
    428: "precondition-required",
    429: "too-many-requests",
    500: "internal-error",
    503: "service-unavailable",
}


def _http_title(status: int) -> str:
    titles = {
        400: _("The request could not be understood."),
        401: _("You need to log in."),
        403: _("You may not do this."),
        404: _("This page does not exist, or you may not see it."),
        405: _("This method is not allowed here."),
        409: _("This conflicts with the current state."),
        413: _("The file is too large."),
        415: _("This type of content is not accepted."),
        422: _("Some values are not valid."),
        429: _("Too many attempts. Please wait a moment and try again."),
        500: _("Something went wrong on our side. The team has been told."),
        503: _("The service is busy. Please try again in a moment."),
    }
    return titles.get(status, _("The request failed."))


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(exc: DomainError) -> tuple[str, int] | Response:
        if wants_problem_json():
            extra: dict[str, Any] = {}
            if isinstance(exc, ValidationFailed) and exc.errors:
                extra["errors"] = {k: [str(m) for m in v] for k, v in exc.errors.items()}
            extra.update(
                {k: v for k, v in exc.details.items() if isinstance(v, str | int | float | bool | dict | list)}
            )
            return problem(exc.status, exc.problem_type, str(exc.message), **extra)
        return render_template("errors/error.html", status=exc.status, title=str(exc.message)), exc.status

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError) -> tuple[str, int] | Response:
        title = _("The form expired or was not sent from this site. Please reload the page and try again.")
        if wants_problem_json():
            return problem(400, "csrf-failed", title)
        return render_template("errors/error.html", status=400, title=title), 400

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> tuple[str, int] | Response:
        status = exc.code or 500
        if wants_problem_json():
            return problem(status, HTTP_TYPES.get(status, "http-error"), _http_title(status))
        return render_template("errors/error.html", status=status, title=_http_title(status)), status

    @app.errorhandler(OperationalError)
    def _database_error(exc: OperationalError) -> tuple[str, int, dict[str, str]] | Response:
        if not is_busy(exc):
            return _unexpected(exc)
        return _busy(exc)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> tuple[str, int] | Response:
        if isinstance(exc, HTTPException):  # pragma: no cover - handled above
            return _http_error(exc)
        log.exception("unhandled error on %s %s", request.method, request.path)
        if app.testing and app.config.get("PROPAGATE_TEST_ERRORS", True):
            raise exc
        return _http_error(InternalServerError())


def _busy(exc: OperationalError) -> tuple[str, int, dict[str, str]] | Response:
    """Answer 503 with Retry-After: the database stayed busy past the wait; nothing of the request was kept."""
    discard()
    log.warning("database busy on %s %s: %s", request.method, request.path, exc.orig)
    headers = {"Retry-After": str(BUSY_RETRY_SECONDS)}
    # The answer reads as a reader (who is signed in, their language): a writer would wait for the lock again.
    with reading():
        title = _(
            "The database is busy with other work and your request was not carried out. Please try again in a moment."
        )
        if wants_problem_json():
            answer = problem(503, "database-busy", title)
            answer.headers.update(headers)
            return answer
        return render_template("errors/error.html", status=503, title=title), 503, headers
