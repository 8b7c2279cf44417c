"""The OpenAPI 3.1 document, generated from the pydantic models the views declare (spectree)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from flask import Flask, current_app
from flask_babel import gettext as _
from pydantic import ConfigDict, ValidationError
from spectree import Response, SecurityScheme, SecuritySchemeData, SpecTree
from spectree.plugins.flask_plugin import FlaskPlugin
from spectree.plugins.werkzeug_utils import flask_response_unpack

from tracker.api.links import add_links
from tracker.api.messages import field_message
from tracker.api.schemas import ApiModel
from tracker.web.errors import PROBLEM_BASE

API_PREFIX = "/api/v1"
PROBLEM_MEDIA_TYPE = "application/problem+json"


class Problem(ApiModel):
    """An RFC 9457 problem: `type` is stable, `title` is for people, `errors` maps fields to messages."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str | None = None
    errors: dict[str, list[str]] | None = None


def _field_errors(raw: list[dict[str, Any]]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for item in raw:
        name = ".".join(str(part) for part in item.get("loc", ())) or "body"
        errors.setdefault(name, []).append(field_message(item))
    return errors


def _errors_of(error: Exception, adapter: Any) -> list[dict[str, Any]]:
    """Return the errors with their context (limits, choices), which the messages quote."""
    if isinstance(error, ValidationError):
        return error.errors(include_url=False, include_input=False)  # type: ignore[return-value]
    return list(adapter.validation_errors(error))


def _before(req: Any, resp: Any, req_validation_error: Exception | None, instance: Any, adapter: Any) -> None:
    """Turn spectree's validation answer into a problem document (the view is not called)."""
    if req_validation_error is None or resp is None:
        return
    body = {
        "type": PROBLEM_BASE + "validation-failed",
        "title": _("Some values are not valid."),
        "status": 422,
        "errors": _field_errors(_errors_of(req_validation_error, adapter)),
    }
    resp.set_data(json.dumps(body))
    resp.mimetype = PROBLEM_MEDIA_TYPE


class _Plugin(FlaskPlugin):
    """Validates answers against the document only where API_VALIDATE_RESPONSES is on (tests, development)."""

    def validate_response(self, resp: Any, resp_model: Any, skip_validation: bool, force_resp_serialize: bool) -> Any:
        if not current_app.config.get("API_VALIDATE_RESPONSES", True):
            # Serialise plain answers here: spectree would otherwise walk every value looking for models.
            payload, status, headers = flask_response_unpack(resp)
            if isinstance(payload, dict | list):
                resp = (current_app.json.response(payload), status, headers)
            resp_model = None
        return super().validate_response(resp, resp_model, skip_validation, force_resp_serialize)


class _LazySchemas(SpecTree):
    """Computes the models' JSON schemas when the document is first asked for, not as each view is declared.

    spectree builds them while decorating (about 250 schemas): a second of CPU at every start of every command
    and worker, for a document most processes never serve. The document is the same: models are added in order.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._pending: list[tuple[Any, Any]] = []
        super().__init__(*args, **kwargs)

    def _add_model(self, model: Any, mode: Any = "validation") -> str:
        self._pending.append((model, mode))
        return self.naming_strategy(model)

    def _generate_spec(self) -> dict[str, Any]:
        pending, self._pending = self._pending, []
        for model, mode in pending:
            SpecTree._add_model(self, model, mode)
        return super()._generate_spec()


spec = _LazySchemas(
    "flask",
    backend=_Plugin,
    title="Cooperation tracker API",
    version="1.0.0",
    description=(
        "Every capability a coordinator or reviewer has in the browser, through the same services and "
        "permissions. Authenticate with a personal token: `Authorization: Bearer TOKEN` (create one in your "
        "profile). Errors are `application/problem+json` documents with a stable `type`. Updates carry the "
        "resource's `version` (in the body or as an `If-Match` ETag); a stale one answers 409."
    ),
    # The document is served by our own view at /api/v1/openapi.json; spectree's pages use a CDN.
    path="_spectree",
    page_templates={},
    mode="strict",
    naming_strategy=lambda model: getattr(model, "__name__", str(model)),
    nested_naming_strategy=lambda _parent, child: child,
    validation_error_model=Problem,
    before=_before,
    security_schemes=[SecurityScheme(name="bearer", data=SecuritySchemeData(type="http", scheme="bearer"))],
    security={"bearer": []},
)

STANDARD_ERRORS = {
    "HTTP_400": (Problem, "A value no text may hold (a NUL character), refused at the edge"),
    "HTTP_401": (Problem, "Missing, unknown, revoked or expired token"),
    "HTTP_429": (Problem, "Too many requests"),
    "HTTP_503": (Problem, "The database stayed busy: nothing was done; ask again after Retry-After seconds"),
}
READ_ERRORS = {**STANDARD_ERRORS, "HTTP_404": (Problem, "Not found, or not visible to you")}
WRITE_ERRORS = {
    **READ_ERRORS,
    "HTTP_400": (Problem, "The body is not valid JSON, or holds a NUL character"),
    "HTTP_403": (Problem, "Not allowed (or a read-only token)"),
    "HTTP_409": (Problem, "Stale version, or a transition not allowed now"),
    "HTTP_412": (Problem, "An If-Match that matches no version of the resource"),
    "HTTP_415": (Problem, "The body is not JSON"),
    "HTTP_428": (Problem, "An update without the version it is based on"),
}


def responses(*, errors: dict[str, Any] = READ_ERRORS, **codes: Any) -> Response:
    """Return a spectree Response with our usual problem answers added."""
    return Response(**{**errors, **codes})


IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": 'The ETag you read (`"3"`), instead of `version` in the body',
    "schema": {"type": "string"},
}
_RULE_PARAMETER = re.compile(r"<(?:[^>:]+(?:\([^)]*\))?:)?([^>]+)>")
View = TypeVar("View", bound=Callable[..., Any])


def file_answer(*media_types: str) -> Callable[[View], View]:
    """Declare that the view answers a file of one of these media types (put above `spec.validate`)."""

    def mark(view: View) -> View:
        view.file_media_types = media_types  # type: ignore[attr-defined]
        return view

    return mark


def accepts_if_match(view: View) -> View:
    """Declare that the view takes the version it is based on as an If-Match header too."""
    view.accepts_if_match = True  # type: ignore[attr-defined]
    return view


def _file_schema(media_type: str) -> dict[str, str]:
    """Return the schema of a file's body: text for text types, bytes for the others."""
    if media_type.startswith("text/"):
        return {"type": "string"}
    return {"type": "string", "format": "binary", "contentMediaType": media_type}


# Generated clients read a body as bytes only under this media type (openapi-python-client 0.29 gives a `File` for
# it, and decodes every other non-JSON type as text: a PDF or an XLSX would arrive broken).
BYTES_MEDIA_TYPE = "application/octet-stream"


def _file_content(media_types: tuple[str, ...]) -> dict[str, Any]:
    """Return the `content` of a file answer: each media type the view sends, and first, when one of them is not
    text, `application/octet-stream`, which clients read as the file's bytes (the Content-Type names its type)."""
    content = {kind: {"schema": _file_schema(kind)} for kind in media_types}
    if any(not kind.startswith("text/") for kind in media_types):
        content = {BYTES_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}, **content}
    return content


def _declared_operations(app: Flask) -> Iterator[tuple[str, str, Any]]:
    """Yield (document path, method, view function) for every API rule of the app."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API_PREFIX):
            path = _RULE_PARAMETER.sub(lambda m: "{" + m.group(1) + "}", rule.rule)
            for method in sorted(rule.methods or ()):
                yield path, method.lower(), app.view_functions[rule.endpoint]


def _declare_views(doc: dict[str, Any], app: Flask) -> None:
    """Write what views declared with `file_answer` and `accepts_if_match` into their operations."""
    for path, method, view in _declared_operations(app):
        operation = doc["paths"].get(path, {}).get(method)
        if operation is None:
            continue
        media_types = getattr(view, "file_media_types", ())
        if media_types:
            operation["responses"]["200"]["content"] = _file_content(media_types)
        if getattr(view, "accepts_if_match", False):
            operation.setdefault("parameters", []).append(dict(IF_MATCH))


def _without_null_defaults(doc: dict[str, Any]) -> None:
    """Drop `default: null` from optional fields: generated clients (TypeScript) would make them required."""
    schemas = list(doc["components"]["schemas"].values())
    for operations in doc["paths"].values():
        for operation in operations.values():
            schemas.extend(p.get("schema", {}) for p in operation.get("parameters", []))
    for schema in schemas:
        if schema.get("default", ...) is None:
            del schema["default"]
        for prop in schema.get("properties", {}).values():
            if prop.get("default", ...) is None:
                del prop["default"]


def document() -> dict[str, Any]:
    """Return the OpenAPI document, with problem answers under their own media type."""
    doc = copy.deepcopy(spec.spec)
    doc["servers"] = [{"url": current_app.config["BASE_URL"]}]
    for operations in doc["paths"].values():
        for operation in operations.values():
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if status.startswith(("4", "5")) and "application/json" in content:
                    content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")
            if operation.get("security") == [] or operation.get("security") is None:
                operation.pop("security", None)
    _declare_views(doc, current_app)
    _without_null_defaults(doc)
    add_links(doc)
    return doc
