"""The OpenAPI document and a readable reference page generated from it (no CDN, no script)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, render_template
from werkzeug.wrappers import Response

from tracker.api.blueprint import Route
from tracker.api.spec import document

METHOD_ORDER = ("get", "post", "put", "patch", "delete")


def openapi_json() -> Response:
    return jsonify(document())


def _schema_name(ref_holder: dict[str, Any] | None) -> str | None:
    ref = (ref_holder or {}).get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else None


def _operations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the operations of the document, grouped by tag order, for the reference page."""
    found = []
    for path, item in doc["paths"].items():
        for method in METHOD_ORDER:
            op = item.get(method)
            if op is None:
                continue
            body = (op.get("requestBody") or {}).get("content", {})
            body_schema = next(iter(body.values()), {}).get("schema") if body else None
            found.append(
                {
                    "id": op["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "tag": (op.get("tags") or ["other"])[0],
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": op.get("parameters", []),
                    "body": _schema_name(body_schema),
                    "body_type": next(iter(body), None),
                    "responses": [
                        (
                            status,
                            answer.get("description", ""),
                            _schema_name(next(iter(answer.get("content", {}).values()), {}).get("schema")),
                        )
                        for status, answer in sorted(op.get("responses", {}).items())
                    ],
                }
            )
    return found


def type_label(schema: dict[str, Any] | None) -> str:
    """Return a short human reading of a JSON schema: `string (date)`, `list of Action`, `A | null`."""
    if not schema:
        return "any"
    if "$ref" in schema:
        return str(_schema_name(schema))
    if "anyOf" in schema:
        return " | ".join(type_label(part) for part in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(f'"{value}"' for value in schema["enum"])
    if "const" in schema:
        return '"' + str(schema["const"]) + '"'
    kind = schema.get("type", "object")
    if kind == "array":
        return "list of " + type_label(schema.get("items"))
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    return str(kind)


def docs() -> str:
    doc = document()
    operations = _operations(doc)
    tags = sorted({op["tag"] for op in operations}, key=lambda t: [o["tag"] for o in operations].index(t))
    return render_template(
        "api/docs.html",
        doc=doc,
        tags=tags,
        operations=operations,
        schemas=doc["components"]["schemas"],
        type_label=type_label,
    )


# This resource's routes, which its domain's init_app declares on the API blueprint.
ROUTES: tuple[Route, ...] = (
    ("/openapi.json", openapi_json, ("GET",)),
    ("/docs", docs, ("GET",)),
)
