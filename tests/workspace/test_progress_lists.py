"""The latest progress logs on the dashboard and on my work say how many are hidden and link to all of them."""

from __future__ import annotations

from datetime import date, timedelta

from flask.testing import FlaskClient

from tests.helpers import login, text
from tests.workspace.conftest import World, add_update, at
from tracker.actions.models import Health


def test_the_dashboard_and_my_work_link_to_every_progress_log(client: FlaskClient, world: World, frozen_clock) -> None:
    for n in range(13):
        add_update(
            world.action,
            world.owner,
            f"Point n° {n}",
            5 * n,
            Health.ON_TRACK,
            at(date(2026, 10, 1) + timedelta(days=n)),
        )
    login(client, world.owner.email)
    dashboard = text(client.get("/agreements/idf-bxl-2021/dashboard"))
    assert "3 de plus" in dashboard and "/agreements/idf-bxl-2021/progress" in dashboard
    everything = text(client.get("/agreements/idf-bxl-2021/progress"))
    assert "Points d’avancement" in everything and "(13)" in everything
    assert "Point n° 12" in everything and "Point n° 0" in everything  # newest and oldest on one page of 25
    mine = text(client.get("/"))
    assert "8 de plus" in mine and "/my-work/updates" in mine
    all_mine = text(client.get("/my-work/updates"))
    assert "Mes points d’avancement" in all_mine and all_mine.count("Point n°") == 13
    assert client.get("/agreements/idf-bxl-2021/progress?page=99999999999999999999").status_code in (200, 404)
