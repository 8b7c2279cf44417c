"""Hostile input on every route of the application (pages and API), as each role: no answer is a 5xx.

Every rule of `app.url_map` is requested with hostile values in each place a value can travel: its path
parameters, a query string, a form body (the fields the pages render for that URL, harvested from the role's
own pages) and, for the API's writes, a JSON body built from the operation's own schema, one field at a time.
The values: huge and negative integers, digits Python reads but a database column cannot hold, NUL and other
control characters, a bidi override, a 100,000-character text, invalid UTF-8 percent-escapes, far dates, JSON
values of the wrong type and JSON nested 100,000 deep.

The fuzzing roles post forms without their CSRF token (CSRF checks are switched off for this test only, so that
the values reach the views) and without rate limits (so that every request reaches its view, not a 429).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

from tests import factories
from tests.api.helpers import token_for
from tests.forms import form_path, page_forms, submit_form
from tests.helpers import csrf_check_off
from tracker.extensions import limiter

HUGE = "99999999999999999999999"
INTS = (HUGE, "2147483648", "-1", "²")  # "²" is a digit to str.isdigit, not to int()
CONTROL = "a\x01\x07\x1b[2J\x7f\r\nX-Injected: 1 résumé\u202egpj.exe"
TEXTS = ("\x00", CONTROL, "x" * 100_000)
DATES = ("9999-12-31", "0001-01-01")
# Sent as they are inside URLs and urlencoded bodies: not UTF-8 once decoded.
INVALID_UTF8 = "%ff%fe%c3%28"
QUERY_VALUES = (HUGE, "-1", "²", *TEXTS, *DATES, INVALID_UTF8)
JSON_WRONG_TYPES: tuple[Any, ...] = (True, None, 1.5, 2**64, "1", [], {"a": [1]})
JSON_VALUES = (*JSON_WRONG_TYPES, *DATES, *TEXTS)
DEEP_JSON = "[" * 100_000 + "]" * 100_000
# Names the pages read from query strings, beyond those of the API's documented parameters.
QUERY_NAMES = (
    "page", "per_page", "q", "agreement", "workstream", "status", "health", "owner", "party", "lead_party",
    "overdue", "sort", "order", "state", "next", "lang", "format", "entity", "actor", "verb", "date_from",
    "date_to", "email", "to", "comment", "dry_run", "period", "kind", "token",
)  # fmt: skip
NUMBER_NAMES = ("page", "per_page", "workstream", "owner", "actor", "agreement")
# Fields posted where no page renders a form for the URL (forms are harvested from the pages otherwise).
FORM_NAMES = ("comment", "to", "next", "version", "lang", "email", "title", "due_on", "percent", "text", "name")
# The 100,000-character text goes in these alone: in every argument, URLs would grow to megabytes.
LONG_QUERY_NAMES = ("q", "next", "page")
LONG = TEXTS[-1]
ROLES = ("anonymous", "coordinator", "admin", "reviewer")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Logging out would end the role's session halfway through; anonymous visitors still try it.
SESSION_ENDING = {"accounts.logout"}
# Answers that say a plain GET never reached its view.
UNREACHED = {301, 302, 303, 401, 403, 404, 405}


@dataclass
class Failure:
    role: str
    method: str
    url: str
    status: int | str

    def __str__(self) -> str:
        return f"{self.role} {self.method} {self.url[:160]!r} -> {self.status}"


def _escaped(value: str) -> str:
    return value if value == INVALID_UTF8 else quote(value, safe="")


def _query(names: Any, value: str) -> str:
    return "&".join(f"{name}={_escaped(value)}" for name in names)


_PARAM = re.compile(r"<(?:[^>:]+(?:\([^)]*\))?:)?([^>]+)>")


def _path(rule: Rule, values: dict[str, str]) -> str:
    return _PARAM.sub(lambda m: _escaped(values[m.group(1)]), rule.rule)


def _openapi_path(rule: Rule) -> str:
    return _PARAM.sub(lambda m: "{" + m.group(1) + "}", rule.rule)


class World:
    """The objects the valid parts of each URL point at, the people of each role and their clients."""

    def __init__(self, app: Flask, team: Any) -> None:
        action = factories.make_action(team.ws, team.owner)
        milestone = factories.make_milestone(action, date(2026, 12, 1))
        self.app, self.team = app, team
        self.ids = {"action_id": action.id, "milestone_id": milestone.id}
        self.texts = {"slug": team.agreement.slug, "code": team.ws.code}
        self.people = {"coordinator": team.owner, "admin": team.admin, "reviewer": team.reviewer}
        self.doc = app.test_client().get("/api/v1/openapi.json").get_json()
        self.form_fields: dict[str, set[str]] = {}
        self.answers: dict[tuple[str, str], int] = {}

    def reaches_view(self, method: str, url: str) -> bool:
        """Tell whether the plain request reached its view (not a login redirect, refusal or 404)."""
        return self.answers.get((method, url)) not in UNREACHED

    def harvest_forms(self, path: str, response: Any) -> None:
        """Remember the fields of the POST forms a page renders, by the path they post to."""
        if response.status_code != 200 or response.mimetype != "text/html":
            return
        for form in page_forms(response.get_data(as_text=True), "http://localhost" + path):
            if (form.method or "GET").upper() == "POST":
                names = {element.name for element in form.inputs if element.name}
                self.form_fields.setdefault(form_path(form).split("?")[0], set()).update(names)

    def valid_value(self, rule: Rule, name: str) -> str:
        converter = rule._converters[name]
        if isinstance(converter, AnyConverter):
            return sorted(converter.items)[0]
        if isinstance(converter, IntegerConverter):
            return str(self.ids.get(name, 1))
        return self.texts.get(name, "x")

    def client(self, role: str) -> tuple[FlaskClient, dict[str, str]]:
        """Return a client logged in as the role (anonymous: not at all) and its API headers."""
        client = self.app.test_client()
        if role == "anonymous":
            return client, {}
        person = self.people[role]
        response = submit_form(client, "/login", fields={"email": person.email, "password": factories.PASSWORD})
        assert response.status_code in (302, 303), response.status_code
        return client, {"Authorization": f"Bearer {token_for(person)}"}


def _requests(world: World, rule: Rule, methods: set[str]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Yield (method, url, request options) for one rule: hostile path, query, form and JSON values."""
    params = sorted(rule.arguments)
    valid = {name: world.valid_value(rule, name) for name in params}
    base = _path(rule, valid)
    is_api = rule.rule.startswith("/api/")
    operations = world.doc["paths"].get(_openapi_path(rule), {}) if is_api else {}
    for method in sorted((rule.methods or set()) & methods):
        yield method, base, {}
        for name in params:
            values = INTS if isinstance(rule._converters[name], IntegerConverter) else (*TEXTS, INVALID_UTF8)
            for value in values:
                yield method, _path(rule, {**valid, name: value}), {}
        if method == "GET":
            if not world.reaches_view(method, base):
                continue  # the page is not this role's: its arguments never reach it
            names = sorted({*QUERY_NAMES, *(p["name"] for p in operations.get("get", {}).get("parameters", []))})
            for value in QUERY_VALUES:
                yield method, f"{base}?{_query(LONG_QUERY_NAMES if value is LONG else names, value)}", {}
            # Alone, so that no other argument's refusal hides what a number too large does.
            yield method, f"{base}?{_query(NUMBER_NAMES, HUGE)}", {}
            continue
        if not is_api:
            fields = sorted(world.form_fields.get(base, FORM_NAMES))
            for value in QUERY_VALUES:
                body = _query(fields, value)
                yield method, base, {"data": body, "content_type": "application/x-www-form-urlencoded"}
            continue
        yield method, base, {"data": DEEP_JSON, "content_type": "application/json"}
        yield method, base, {"data": b'{"title": "\xff\xfe"}', "content_type": "application/json"}
        yield from _json_bodies(world, method, base, operations.get(method.lower(), {}))


def _example(schema: dict[str, Any], doc: dict[str, Any]) -> Any:
    """Return a plausible valid value for a JSON schema (first enum member, a date, an id, a word)."""
    if "$ref" in schema:
        return _example(doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]], doc)
    if "anyOf" in schema:
        return _example(schema["anyOf"][0], doc)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if kind == "object":
        return {}
    return "2026-12-01" if schema.get("format") == "date" else "Fuzz"


def _json_bodies(world: World, method: str, base: str, operation: dict[str, Any]) -> Iterator[Any]:
    """Yield requests whose JSON body is valid but for one field, holding a hostile value."""
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return
    model = world.doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    properties = model.get("properties", {})
    valid = {name: _example(prop, world.doc) for name, prop in properties.items()}
    for name in properties:
        for value in (*JSON_VALUES, int(HUGE)):
            yield method, base, {"data": json.dumps({**valid, name: value}), "content_type": "application/json"}


@pytest.fixture
def world(app: Flask, team: Any) -> Iterator[World]:
    # Hostile requests that no page sends: the server's answer is under test, not the token (csrf_check_off).
    enabled, limiter.enabled = limiter.enabled, False
    try:
        with csrf_check_off(app):
            yield World(app, team)
    finally:
        limiter.enabled = enabled


@pytest.mark.parametrize("role", ROLES)
def test_no_route_answers_a_server_error_to_hostile_input(app: Flask, world: World, role: str) -> None:
    app.config["PROPAGATE_TEST_ERRORS"] = False
    try:
        client, api_headers = world.client(role)
        failures = []
        rules = sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
        # Pages first: their forms say which fields each POST takes.
        for methods, rule in [(m, r) for m in ({"GET"}, set(METHODS) - {"GET"}) for r in rules]:
            if role != "anonymous" and rule.endpoint in SESSION_ENDING:
                continue
            headers = api_headers if rule.rule.startswith("/api/") else {}
            for method, url, options in _requests(world, rule, methods):
                response = client.open(url, method=method, headers=headers, **options)
                if response.status_code >= 500:
                    failures.append(Failure(role, method, url, response.status_code))
                elif method == "GET" and not options and "?" not in url:
                    world.answers[(method, url)] = response.status_code
                    world.harvest_forms(url, response)
    finally:
        app.config["PROPAGATE_TEST_ERRORS"] = True
    assert not failures, "\n".join(str(f) for f in failures[:60])
