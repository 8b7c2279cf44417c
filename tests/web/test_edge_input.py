"""Edge input answers a clear 4xx (an error page, or a problem for the API) and changes nothing.

Integers beyond the database's integer range, the NUL character (PostgreSQL refuses it in text), JSON nested
100,000 deep and JSON values of the wrong type. tests/web/test_fuzz.py tries every route; these name the cases.
"""

from __future__ import annotations

from sqlalchemy import func, select

from tests.actions.conftest import Team
from tests.api.helpers import Api, assert_problem, token_for
from tests.factories import make_action
from tests.helpers import login
from tracker.actions.models import Action, ProgressUpdate
from tracker.core.db import db
from tracker.core.numbers import parse_db_int
from tracker.core.pagination import MAX_PAGE, clamp

HUGE = "99999999999999999999999"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_integers_beyond_the_column_range_are_not_found_or_bounded(client, team: Team) -> None:
    action = make_action(team.ws, team.owner)
    login(client, team.owner.email)
    assert client.get(f"/actions/{HUGE}").status_code == 404
    assert client.get("/actions/2147483648").status_code == 404
    assert client.get(f"/actions/{action.id}?page={HUGE}").status_code == 200
    assert client.get(f"/search?q=a&page={HUGE}").status_code == 200
    assert client.get(f"/agreements/{team.agreement.slug}/workstreams/{team.ws.code}?owner={HUGE}").status_code == 200
    assert client.get(f"/admin/audit?actor={HUGE}").status_code in (200, 403)
    api = Api(client, token_for(team.reviewer))
    assert_problem(api.post("/reports/679107733286072483840/sign", json={}), 404, "not-found")
    assert_problem(api.get(f"/actions/{HUGE}/milestones"), 404, "not-found")


def test_the_int_parser_takes_ascii_digits_within_the_range_only() -> None:
    assert parse_db_int(" 42 ") == 42
    for raw in (HUGE, "2147483648", "-1", "0", "²", "١٢", "1e3", "", None, 7):
        assert parse_db_int(raw) is None, raw
    assert clamp(HUGE, HUGE) == (1, 25)  # not numbers a page could have: the defaults
    assert clamp("99999", "3") == (99_999, 3)
    assert clamp(str(MAX_PAGE + 1), None) == (MAX_PAGE, 25)


def test_a_nul_character_is_refused_before_reaching_the_database(client, team: Team) -> None:
    make_action(team.ws, team.owner, title="Salon")
    login(client, team.owner.email)
    page = client.get("/search?q=%00")
    assert page.status_code == 400 and "NUL" in page.get_data(as_text=True)
    api = Api(client, token_for(team.owner))
    assert_problem(api.get("/actions?q=%00"), 400, "nul-character")
    assert_problem(api.get("/agreements/idf%00"), 400, "nul-character")
    before = _count(Action)
    body = {"workstream_id": team.ws.id, "title": "Titre\u0000caché"}
    assert_problem(api.post("/actions", json=body), 400, "nul-character")
    assert _count(Action) == before


def test_json_nested_too_deep_is_invalid_json_that_says_so(client, team: Team) -> None:
    api = Api(client, token_for(team.owner))
    before = _count(Action)
    for deep in ('{"title": ' + "[" * 100_000 + "]" * 100_000 + "}", "[" * 100_000):
        response = api.post("/actions", data=deep, headers={"Content-Type": "application/json"})
        problem = assert_problem(response, 400, "invalid-json")
        assert problem["title"] == "The body is nested too deeply: send JSON with fewer levels of [ and {.", problem
    broken = api.post("/actions", data='{"title": ', headers={"Content-Type": "application/json"})
    assert assert_problem(broken, 400, "invalid-json")["title"] == "The body is not valid JSON."
    assert _count(Action) == before


def test_json_values_of_another_type_are_refused(client, team: Team) -> None:
    action = make_action(team.ws, team.owner)
    api = Api(client, token_for(team.owner))
    for wrong in (True, "40", 40.0, None):
        body = {"text": "Avancée", "percent": wrong, "health": "on_track"}
        problem = assert_problem(api.post(f"/actions/{action.id}/updates", json=body), 422, "validation-failed")
        assert list(problem["errors"]) == ["percent"], problem
    for wrong in (1_767_225_600, True):
        problem = assert_problem(
            api.post(f"/actions/{action.id}/milestones", json={"title": "Stand", "due_on": wrong}),
            422,
            "validation-failed",
        )
        assert list(problem["errors"]) == ["due_on"], problem
    assert _count(ProgressUpdate) == 0
    assert (
        api.post(f"/actions/{action.id}/updates", json={"text": "Ok", "percent": 40, "health": "on_track"}).status_code
        == 201
    )
