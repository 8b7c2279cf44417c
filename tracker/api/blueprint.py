"""The API blueprint: authentication, JSON body checks and rate limits for every /api/v1/ route."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import Blueprint, current_app, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response

from tracker.api import auth
from tracker.api.spec import API_PREFIX
from tracker.core.db import READ_METHODS
from tracker.core.uploads import check_declared_type
from tracker.extensions import csrf, limiter
from tracker.web.edge import JSONNestedTooDeeply
from tracker.web.errors import problem

bp = Blueprint("api", __name__, url_prefix=API_PREFIX, template_folder="templates")
# Bearer tokens are not sent by browsers on their own, and cookies never authenticate the API: no CSRF risk.
csrf.exempt(bp)

PUBLIC_ENDPOINTS = {"api.openapi_json", "api.docs"}
View = TypeVar("View", bound=Callable[..., Any])
# A route of a resource: its rule under /api/v1, its view (the endpoint is `api.<view name>`) and its methods.
Route = tuple[str, Callable[..., Any], tuple[str, ...]]
_declared: set[tuple[str, str]] = set()


def declare(*resources: Iterable[Route]) -> None:
    """Add the routes of these resources (each module's ROUTES) to the blueprint, in order. Each domain's init_app
    declares its resources before tracker.api.init_app registers the blueprint on the app. The blueprint is one per
    process and an app made again (tests make one per database) finds its routes there: a route already declared is
    left as it is."""
    for routes in resources:
        for rule, view, methods in routes:
            if (rule, view.__name__) not in _declared:
                _declared.add((rule, view.__name__))
                bp.add_url_rule(rule, view_func=view, methods=list(methods))


def takes_files(view: View) -> View:
    """Declare that the view takes a multipart file upload instead of JSON (put it above `spec.validate`)."""
    view.takes_files = True  # type: ignore[attr-defined]
    return view


def _rate_key() -> str:
    token = auth.bearer_token()
    return "api-token:" + token[:16] if token else "api-addr:" + (request.remote_addr or "?")


limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=_rate_key)(bp)


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    """Tell whether `kind` is in the chain of exceptions that led to `exc` (Flask re-raises a parse error twice)."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, kind):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


@bp.before_request
def _authenticate_and_check_body() -> Response | None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    refused = auth.authenticate()
    if refused is not None:
        return refused
    if request.method in READ_METHODS:
        return None
    if getattr(current_app.view_functions.get(request.endpoint or ""), "takes_files", False):
        # Each file's content must be of the type its name claims: 422 validation-failed naming both.
        for name, upload in request.files.items(multi=True):
            if upload.filename:
                check_declared_type(upload.filename, upload.stream, name)
        return None
    # A form or multipart body may have been read already (the edge's NUL check reads forms): count it too.
    if not (request.content_length or request.get_data(cache=True) or request.form or request.files):
        return None
    if not request.is_json:
        return problem(415, "unsupported-media-type", _("Send JSON with Content-Type: application/json."))
    try:
        request.get_json()
    except BadRequest as exc:
        if _caused_by(exc, JSONNestedTooDeeply):
            return problem(
                400, "invalid-json", _("The body is nested too deeply: send JSON with fewer levels of [ and {.")
            )
        return problem(400, "invalid-json", _("The body is not valid JSON."))
    return None
