"""Schemathesis against the OpenAPI document: no 5xx, and every answer matches the document."""

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
