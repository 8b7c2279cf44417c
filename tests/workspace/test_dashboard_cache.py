"""The dashboard kept per process follows every change of what it shows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import factories
from tests.helpers import csrf_token, login, text
from tests.workspace.conftest import World
from tracker.actions import services
from tracker.actions.models import Milestone
from tracker.core import clock
from tracker.core.db import db
from tracker.workspace import cache

DASHBOARD = "/agreements/idf-bxl-2021/dashboard"


@pytest.fixture
def cached(app: Flask) -> Iterator[None]:
    cache.dashboards.clear()
    app.config["DASHBOARD_CACHE_SIZE"] = 16
    yield
    app.config["DASHBOARD_CACHE_SIZE"] = 0
    cache.dashboards.clear()


def test_a_repeated_visit_is_served_from_the_cache(client: FlaskClient, world: World, cached, count_queries) -> None:
    login(client, world.reviewer.email)
    first = count_queries.count
    page = text(client.get(DASHBOARD))
    miss = count_queries.count - first
    again = text(client.get(DASHBOARD))
    hit = count_queries.count - first - miss
    assert again == page
    assert hit <= 4 < miss, (hit, miss)


def test_the_cached_dashboard_follows_logs_milestones_names_dates_and_languages(
    client: FlaskClient, world: World, cached
) -> None:
    with clock.frozen(datetime(2024, 3, 23, 12, tzinfo=UTC)):
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
        client.post("/language", data={"lang": "nl", "next": "/", "csrf_token": csrf_token(client, "/")})
        assert "Achterstallige mijlpalen" in text(client.get(DASHBOARD))


def test_outsiders_get_404_even_when_the_dashboard_is_cached(client: FlaskClient, world: World, cached) -> None:
    login(client, world.reviewer.email)
    assert client.get(DASHBOARD).status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, world.outsider.email)
    assert client.get(DASHBOARD).status_code == 404
