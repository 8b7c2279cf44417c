"""Schemathesis against the OpenAPI document: no 5xx, and every answer matches the document.

Each operation is tried on its own, then in sequences that follow the document's links (a list gives the id
that reading, changing and listing what hangs below need), which reach past the 404s of made-up ids.
"""

from __future__ import annotations

import contextvars
from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.helpers import token_for
from tests.factories import make_action, make_milestone

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Bounded: a few examples per operation keep the whole run well under a minute.
EXAMPLES = 12


@pytest.fixture
def api_schema(app, team):
    action = make_action(team.ws, team.owner)
    make_milestone(action, date(2026, 12, 1))
    token = token_for(team.admin)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return schema, {"Authorization": f"Bearer {token}"}


def test_every_operation_answers_as_documented(api_schema, backend):
    schema, headers = api_schema
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES if backend == "sqlite" else EXAMPLES // 3,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            # Each call runs in its own context, like a real request (not in the test's app context).
            contextvars.Context().run(case.call_and_validate, headers=headers, checks=CHECKS)

        check()


def test_linked_operations_reach_past_not_found(api_schema, backend):
    schema, headers = api_schema
    answered: set[tuple[str, str, int]] = set()

    class Linked(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": headers}

        def call(self, case, **kwargs):
            response = contextvars.Context().run(case.call, **kwargs)
            answered.add((case.method.upper(), case.operation.path, response.status_code))
            return response

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, headers=headers)

    Linked.run(
        settings=settings(
            max_examples=60,
            stateful_step_count=10,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
    # Ids taken from the answers lead to the objects themselves, not only to 404s.
    reached = {(method, path.removeprefix("/api/v1")) for method, path, status in answered if status < 300}
    assert any(path.startswith("/actions/{action_id}/") for _method, path in reached), sorted(answered)
