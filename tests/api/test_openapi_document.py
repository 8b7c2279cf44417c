"""What the OpenAPI document tells generated clients: file media types, If-Match, optional fields, links."""

from __future__ import annotations

from typing import Any

import pytest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def doc(client) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").get_json()


def test_file_answers_declare_their_media_types(doc) -> None:
    files = {
        "/api/v1/actions/export": {"text/csv", XLSX},
        "/api/v1/milestones/export": {"text/csv", XLSX},
        "/api/v1/import/template": {"text/csv", XLSX},
        "/api/v1/reports/{report_id}/{fmt}": {"application/pdf", XLSX, "text/html"},
    }
    for path, media_types in files.items():
        content = doc["paths"][path]["get"]["responses"]["200"]["content"]
        # Bytes first: generated clients read the first media type they know, and know bytes only by this one.
        first = next(iter(content))
        assert first == "application/octet-stream" and set(content) == {first, *media_types}, path
        for media_type, declared in content.items():
            expected = {"type": "string"} if media_type.startswith("text/") else {"type": "string", "format": "binary"}
            assert expected.items() <= declared["schema"].items()
        assert content[XLSX]["schema"]["contentMediaType"] == XLSX


def test_exports_advertise_no_pages(doc) -> None:
    for path in ("/api/v1/actions/export", "/api/v1/milestones/export"):
        names = {p["name"] for p in doc["paths"][path]["get"]["parameters"]}
        assert {"page", "per_page"}.isdisjoint(names) and {"agreement", "q", "format"} <= names
    assert {"page", "per_page"} <= {p["name"] for p in doc["paths"]["/api/v1/actions"]["get"]["parameters"]}


def test_updates_declare_if_match_as_a_header(doc) -> None:
    for method, path in (
        ("patch", "/api/v1/actions/{action_id}"),
        ("patch", "/api/v1/milestones/{milestone_id}"),
        ("post", "/api/v1/milestones/{milestone_id}/transitions"),
    ):
        headers = [p for p in doc["paths"][path][method]["parameters"] if p["in"] == "header"]
        assert [(h["name"], h["required"]) for h in headers] == [("If-Match", False)], path


def test_optional_fields_carry_no_null_default(doc) -> None:
    update = doc["components"]["schemas"]["ActionUpdate"]
    assert "required" not in update and "title" in update["properties"]
    for name, schema in doc["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            assert prop.get("default", "absent") is not None, f"{name}.{field}"
    for operations in doc["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                assert parameter["schema"].get("default", "absent") is not None, parameter["name"]


def test_progress_answers_the_actions_new_version(doc) -> None:
    answer = doc["paths"]["/api/v1/actions/{action_id}/updates"]["post"]["responses"]["201"]
    schema = answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "action_version" in doc["components"]["schemas"][schema]["required"]


def test_links_lead_from_lists_to_what_hangs_below(doc) -> None:
    operation_ids = {op["operationId"] for ops in doc["paths"].values() for op in ops.values()}
    links = doc["paths"]["/api/v1/actions"]["get"]["responses"]["200"]["links"]
    assert links["GetActionsOne"]["parameters"] == {"action_id": "$response.body#/items/0/id"}
    assert links["GetActionsMilestones"]["operationId"] == "get__api_v1_actions_{action_id}_milestones"
    milestones = doc["paths"]["/api/v1/actions/{action_id}/milestones"]["get"]["responses"]["200"]["links"]
    assert milestones["GetMilestonesOne"]["parameters"] == {"milestone_id": "$response.body#/items/0/id"}
    every_link = [
        link
        for ops in doc["paths"].values()
        for op in ops.values()
        for answer in op["responses"].values()
        for link in answer.get("links", {}).values()
    ]
    assert len(every_link) > 30 and all(link["operationId"] in operation_ids for link in every_link)
