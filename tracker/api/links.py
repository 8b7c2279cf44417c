"""OpenAPI links between operations: where the id an operation needs comes from in another one's answer.

Clients (and Schemathesis' stateful tests) follow them: the actions list gives the id that reading an action,
its milestones, updates and transitions need; a milestone list gives the id of a milestone; and so on.
"""

from __future__ import annotations

from typing import Any

# Operations that take an id of each kind, as (method, path below /api/v1).
BELOW = {
    "action_id": [
        ("get", "/actions/{action_id}"),
        ("patch", "/actions/{action_id}"),
        ("get", "/actions/{action_id}/milestones"),
        ("post", "/actions/{action_id}/milestones"),
        ("get", "/actions/{action_id}/updates"),
        ("post", "/actions/{action_id}/updates"),
        ("get", "/actions/{action_id}/transitions"),
        ("post", "/actions/{action_id}/transitions"),
        ("get", "/actions/{action_id}/approvals"),
        ("post", "/actions/{action_id}/approvals"),
    ],
    "milestone_id": [
        ("get", "/milestones/{milestone_id}"),
        ("patch", "/milestones/{milestone_id}"),
        ("post", "/milestones/{milestone_id}/transitions"),
    ],
    "slug": [("get", "/agreements/{slug}"), ("post", "/agreements/{slug}/import")],
    "workstream_id": [("get", "/workstreams/{workstream_id}")],
    "indicator_id": [
        ("get", "/indicators/{indicator_id}"),
        ("get", "/indicators/{indicator_id}/measurements"),
        ("post", "/indicators/{indicator_id}/measurements"),
    ],
    "report_id": [
        ("get", "/reports/{report_id}"),
        ("post", "/reports/{report_id}/sign"),
        ("post", "/reports/{report_id}/return"),
    ],
}

# (method, path, status) of an answer -> (kind of id, where the answer holds it).
SOURCES = {
    ("get", "/actions", "200"): [("action_id", "/items/0/id")],
    ("post", "/actions", "201"): [("action_id", "/id")],
    ("get", "/actions/{action_id}", "200"): [("action_id", "/id")],
    ("patch", "/actions/{action_id}", "200"): [("action_id", "/id")],
    ("get", "/actions/{action_id}/milestones", "200"): [("milestone_id", "/items/0/id")],
    ("post", "/actions/{action_id}/milestones", "201"): [("milestone_id", "/id"), ("action_id", "/action_id")],
    ("get", "/milestones/{milestone_id}", "200"): [("milestone_id", "/id"), ("action_id", "/action_id")],
    ("get", "/agreements", "200"): [("slug", "/items/0/slug")],
    ("get", "/workstreams", "200"): [("workstream_id", "/items/0/id")],
    ("get", "/indicators", "200"): [("indicator_id", "/items/0/id")],
    ("get", "/reports", "200"): [("report_id", "/items/0/id")],
}


def _link_name(method: str, path: str) -> str:
    words = [part.strip("{}") for part in path.split("/") if part and not part.startswith("{")]
    return method.capitalize() + "".join(word.capitalize() for word in words) + ("One" if path.endswith("}") else "")


def add_links(doc: dict[str, Any], prefix: str = "/api/v1") -> None:
    """Add `links` to the answers listed in SOURCES, towards the operations that take the id they hold."""
    paths = doc["paths"]
    for (method, path, status), ids in SOURCES.items():
        answer = paths.get(prefix + path, {}).get(method, {}).get("responses", {}).get(status)
        if answer is None:
            continue
        links = answer.setdefault("links", {})
        for kind, pointer in ids:
            for target_method, target_path in BELOW[kind]:
                target = paths.get(prefix + target_path, {}).get(target_method)
                if target is None:
                    continue
                links[_link_name(target_method, target_path)] = {
                    "operationId": target["operationId"],
                    "parameters": {kind: f"$response.body#{pointer}"},
                }
