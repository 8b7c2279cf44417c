"""Helpers shared by the API views: the current user, today's date, pages, ETags and versions."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import current_app, request
from flask_babel import gettext as _
from sqlalchemy import Select

from tracker.api.auth import current_api_user
from tracker.api.schemas import PageQuery
from tracker.core import clock
from tracker.core.errors import DomainError
from tracker.core.pagination import Page, paginate

__all__ = ["current_api_user", "expected_version", "page_of", "today"]


class PreconditionRequired(DomainError):
    """An update came without the version it is based on."""

    status = 428
    problem_type = "precondition-required"


class PreconditionFailed(DomainError):
    """An update came with an If-Match that names no version of the resource (not an ETag this API gives)."""

    status = 412
    problem_type = "precondition-failed"


def today() -> date:
    return clock.today(current_app.config["TRACKER_TIMEZONE"])


def page_of(statement: Select[Any], query: PageQuery) -> Page[Any]:
    return paginate(statement, query.page, query.per_page)


def etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


def expected_version(body_version: int | None) -> int:
    """Return the version an update is based on: the body's `version`, else the If-Match ETag.

    No version at all answers 428; an If-Match that matches no version (`"zzz"`, `*`) answers 412; a version that
    is no longer the current one answers 409 later, with the current values."""
    if body_version is not None:
        return body_version
    header = request.headers.get("If-Match")
    if header is not None and header.strip():
        match = _ETAG.match(header)
        if match:
            return int(match.group(1))
        raise PreconditionFailed(_("The If-Match ETag matches no version of this resource: send the ETag you read."))
    raise PreconditionRequired(_("Send the version you based the change on: `version` in the body, or If-Match."))
