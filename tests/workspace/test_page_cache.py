"""The dashboard and workstream pages kept per process follow every change of what they show."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import factories
from tests.helpers import login, logout, switch_language, text
from tests.workspace.conftest import World
from tracker.actions import services
from tracker.actions.models import Milestone
from tracker.agreements import cache
from tracker.core import clock
from tracker.core.db import db

DASHBOARD = "/agreements/idf-bxl-2021/dashboard"
WORKSTREAM = "/agreements/idf-bxl-2021/workstreams/ECO-DEV"


def shown(response) -> str:
    """The page without its CSRF tokens (they carry the time, and differ from one response to the next)."""
    page = re.sub(r'<input type="hidden" name="csrf_token" value="[^"]*">', "", text(response))
    assert "csrf_token" not in page
    return page


@pytest.fixture
def cached(app: Flask) -> Iterator[None]:
    kept = (cache.dashboards, cache.workstreams, cache.action_records)
    for store in kept:
        store.clear()
    app.config["PAGE_CACHE_SIZE"] = 16
    yield
    app.config["PAGE_CACHE_SIZE"] = 0
    for store in kept:
        store.clear()


def test_a_repeated_visit_is_served_from_the_cache(client: FlaskClient, world: World, cached, count_queries) -> None:
    login(client, world.reviewer.email)
    first = count_queries.count
    page = shown(client.get(DASHBOARD))
    miss = count_queries.count - first
    again = shown(client.get(DASHBOARD))
    hit = count_queries.count - first - miss
    assert again == page
    assert hit <= 4 < miss, (hit, miss)


def test_the_cached_dashboard_follows_logs_milestones_names_dates_and_languages(
    client: FlaskClient, world: World, cached
) -> None:
    with clock.frozen(datetime(2024, 3, 23, 12, tzinfo=UTC)):
        world.action.start_on = date(2024, 1, 8)  # these tests live in 2024: the action has begun
        milestone = factories.make_milestone(world.action, date(2024, 4, 1), title="Comité d’avril")
        login(client, world.reviewer.email)
        assert "0 sur 1" in text(client.get(DASHBOARD))
        services.log_progress(world.owner, world.action, text="Salle réservée", percent=20, health="on_track")
        db.session.commit()
        assert "Salle réservée" in text(client.get(DASHBOARD))
        services.complete_milestone(world.owner, milestone, completed_on=date(2024, 3, 20), version=milestone.version)
        db.session.commit()
        assert "1 sur 1" in text(client.get(DASHBOARD))
        # A row written without an audit entry (a bulk load) still shows.
        db.session.add(Milestone(action_id=world.action.id, title="Chargé en masse", due_on=date(2024, 3, 25)))
        db.session.commit()
        page = text(client.get(DASHBOARD))
        assert "1 sur 2" in page and "Chargé en masse" in page
        world.owner.name = "Camille Martin-Renard"
        db.session.commit()
        assert "Camille Martin-Renard" in text(client.get(DASHBOARD))
    with clock.frozen(datetime(2024, 3, 27, 12, tzinfo=UTC)):  # two days later the bulk milestone is overdue
        page = text(client.get(DASHBOARD))
        assert "Chargé en masse" in page.split('id="overdue-heading"')[1].split("</section>")[0]
        switch_language(client, "nl")
        assert "Achterstallige mijlpalen" in text(client.get(DASHBOARD))


@pytest.mark.parametrize("path", [DASHBOARD, WORKSTREAM, "/actions/{action}"])
def test_outsiders_get_404_even_when_the_page_is_kept(client: FlaskClient, world: World, cached, path: str) -> None:
    path = path.format(action=world.action.id)
    login(client, world.reviewer.email)
    assert client.get(path).status_code == 200
    logout(client)
    login(client, world.outsider.email)
    assert client.get(path).status_code == 404


def test_a_repeated_workstream_visit_is_served_from_the_cache(
    client: FlaskClient, world: World, cached, count_queries
) -> None:
    login(client, world.reviewer.email)
    first = count_queries.count
    page = shown(client.get(WORKSTREAM))
    miss = count_queries.count - first
    again = shown(client.get(WORKSTREAM))
    hit = count_queries.count - first - miss
    assert again == page and "Mission économique croisée" in page
    assert hit < miss, (hit, miss)
    filtered = text(client.get(WORKSTREAM + "?health=off_track"))
    assert "Mission économique croisée" not in filtered.split('id="actions-heading"')[1]


def test_the_cached_workstream_page_follows_changes_readers_and_languages(
    client: FlaskClient, world: World, cached
) -> None:
    with clock.frozen(datetime(2024, 3, 23, 12, tzinfo=UTC)):
        world.action.start_on = date(2024, 1, 8)  # these tests live in 2024: the action has begun
        milestone = factories.make_milestone(world.action, date(2024, 4, 1), title="Comité d’avril")
        db.session.commit()
        login(client, world.reviewer.email)
        actions = text(client.get(WORKSTREAM)).split('id="actions-heading"')[1]
        assert "0 sur 1" in actions and "Saisir une mesure" not in text(client.get(WORKSTREAM))
        services.log_progress(world.owner, world.action, text="Salle réservée", percent=20, health="off_track")
        db.session.commit()
        actions = text(client.get(WORKSTREAM)).split('id="actions-heading"')[1]
        assert re.search(r"\b20\s%", actions) and "En difficulté" in actions
        services.complete_milestone(world.owner, milestone, completed_on=date(2024, 3, 20), version=milestone.version)
        db.session.commit()
        assert "1 sur 1" in text(client.get(WORKSTREAM)).split('id="actions-heading"')[1]
        world.owner.name = "Camille Martin-Renard"
        db.session.commit()
        assert "Camille Martin-Renard" in text(client.get(WORKSTREAM))
        switch_language(client, "nl")
        assert "Acties" in text(client.get(WORKSTREAM))
        # The co-lead may record indicator measurements: the reviewer's kept page does not leak to them, nor back.
        other = client.application.test_client()
        login(other, world.co_lead.email)
        switch_language(other, "nl")
        assert "Een meting invoeren" in text(other.get(WORKSTREAM))
        assert "Een meting invoeren" not in text(client.get(WORKSTREAM))


def test_the_kept_progress_log_and_history_follow_each_change(
    client: FlaskClient, world: World, cached, count_queries
) -> None:
    path = f"/actions/{world.action.id}"
    login(client, world.reviewer.email)
    first = count_queries.count
    page = shown(client.get(path))
    miss = count_queries.count - first
    assert shown(client.get(path)) == page
    hit = count_queries.count - first - miss
    assert hit < miss, (hit, miss)
    assert "Aucun avancement" in page.split('id="log-heading"')[1]
    services.log_progress(world.owner, world.action, text="Première réunion tenue", percent=10, health="at_risk")
    db.session.commit()
    page = text(client.get(path))
    log = page.split('id="log-heading"')[1]
    history = page.split('class="panel history"')[1]
    assert "Première réunion tenue" in log and "Camille Martin" in history
    world.owner.name = "Camille Martin-Renard"
    db.session.commit()
    assert "Camille Martin-Renard" in text(client.get(path)).split('id="log-heading"')[1]
