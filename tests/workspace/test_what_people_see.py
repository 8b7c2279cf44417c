"""What people need to see on the pages: late actions flagged everywhere, truncated lists that say how many are
hidden and link to them all (the action page's own: tests/actions/test_action_page.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import factories
from tests.api.helpers import Api, token_for
from tests.helpers import login, text
from tests.workspace.conftest import World
from tracker.actions import services
from tracker.actions.models import ActionStatus
from tracker.agreements import cache
from tracker.core import clock
from tracker.core.db import db

DASHBOARD = "/agreements/idf-bxl-2021/dashboard"
ECO_DEV = "/agreements/idf-bxl-2021/workstreams/ECO-DEV"


@pytest.fixture
def cached(app: Flask) -> Iterator[None]:
    """Pages kept per process, as in production: what they newly show must follow every change."""
    stores = (cache.dashboards, cache.workstreams, cache.action_records)
    for store in stores:
        store.clear()
    app.config["PAGE_CACHE_SIZE"] = 16
    yield
    app.config["PAGE_CACHE_SIZE"] = 0
    for store in stores:
        store.clear()


def _doc(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(text(response))


def _late_titles(doc: lxml.html.HtmlElement, scope: str = "//main") -> set[str]:
    """Titles of the actions linked next to a "late" badge within `scope`."""
    links = doc.xpath(f"{scope}//li[span[contains(@class, 'badge--late')]]/a[contains(@href, '/actions/')]")
    cells = doc.xpath(f"{scope}//tr[.//span[contains(@class, 'badge--late')]]//a[contains(@href, '/actions/')]")
    return {a.text_content().strip() for a in [*links, *cells]}


@pytest.fixture
def late(world: World, frozen_clock):  # today is 2026-11-27
    late = factories.make_action(world.ws, world.owner, title="Forum en retard", due_on=date(2026, 11, 20))
    factories.make_action(world.ws, world.owner, title="Forum terminé", status=ActionStatus.COMPLETED,
                          due_on=date(2026, 11, 1))  # fmt: skip
    factories.make_action(world.ws, world.owner, title="Forum annulé", status=ActionStatus.CANCELLED,
                          due_on=date(2026, 11, 1))  # fmt: skip
    factories.make_action(world.ws, world.owner, title="Forum du jour", due_on=date(2026, 11, 27))
    return late


def test_a_late_action_is_flagged_on_every_list_and_counted(client: FlaskClient, world: World, late) -> None:
    login(client, world.owner.email)
    assert _late_titles(_doc(client.get(ECO_DEV))) == {"Forum en retard"}
    assert _late_titles(_doc(client.get("/"))) == {"Forum en retard"}  # my work
    assert _late_titles(_doc(client.get("/search?q=forum"))) == {"Forum en retard"}
    assert _late_titles(_doc(client.get("/my-work/actions"))) == {"Forum en retard"}
    page = _doc(client.get(f"/actions/{late.id}"))
    assert page.xpath("//h1/following-sibling::p[1]/span[contains(@class, 'badge--late')]")

    board = _doc(client.get(DASHBOARD))
    assert board.xpath("string(//dd[@class='figure-late'])") == "1"
    link = board.xpath("//a[contains(@href, 'late=1')]")
    assert [a.text_content().split("–")[0].strip() for a in link] == ["1 action en retard"]
    # The link leads to the workstream's actions filtered on lateness: only the late one.
    filtered = _doc(client.get(link[0].get("href")))
    rows = filtered.xpath("//table[@class='actions-table']/tbody/tr")
    assert [r.xpath("string(td[1])").strip() for r in rows] == ["Forum en retard"]


def test_the_workstream_filter_and_the_api_list_late_actions(client: FlaskClient, world: World, late) -> None:
    login(client, world.owner.email)
    (form,) = [f for f in _doc(client.get(ECO_DEV)).xpath("//form[@class='filters']")]
    assert form.get("method") == "get" and form.xpath(".//input[@type='checkbox'][@name='late'][@value='1']")
    doc = _doc(client.get(ECO_DEV, query_string={"late": "1"}))
    assert doc.xpath("//input[@name='late']/@checked")
    assert {r.xpath("string(td[1])").strip() for r in doc.xpath("//table[@class='actions-table']/tbody/tr")} == {
        "Forum en retard"
    }
    api = Api(client, token_for(world.owner, scope="read"))
    assert [a["title"] for a in api.get("/actions?late=true").get_json()["items"]] == ["Forum en retard"]
    on_time = {a["title"] for a in api.get("/actions?late=false").get_json()["items"]}
    assert (
        "Forum en retard" not in on_time and {"Forum du jour", "Forum terminé", "Mission économique croisée"} <= on_time
    )


def test_the_kept_dashboard_follows_lateness_by_day_and_by_completion(
    client: FlaskClient, world: World, late, cached
) -> None:
    login(client, world.reviewer.email)
    figure = "string(//dd[@class='figure-late'])"
    assert _doc(client.get(DASHBOARD)).xpath(figure) == "1"
    clock.advance(timedelta(days=1))  # "Forum du jour" was due yesterday
    assert _doc(client.get(DASHBOARD)).xpath(figure) == "2"
    services.transition_action(world.owner, late, "completed")
    db.session.commit()
    assert _doc(client.get(DASHBOARD)).xpath(figure) == "1"


def test_every_cut_list_says_how_many_are_hidden_and_links_to_all(client: FlaskClient, world: World, frozen_clock):
    ws2 = factories.workstream(world.agreement, "CULTURE")
    for n in range(19):  # overdue milestones, over two workstreams
        factories.make_milestone(world.action if n % 2 else factories.make_action(ws2, world.owner, title=f"Culture {n}"),
                                 date(2026, 10, 1) + timedelta(days=n), title=f"Jalon en retard {n:02d}")  # fmt: skip
    for n in range(22):
        factories.make_action(world.ws, world.owner, title=f"Action à moi {n:02d}", due_on=date(2027, 1, 1))
    login(client, world.owner.email)

    board = _doc(client.get(DASHBOARD))
    more = board.xpath("//section[@aria-labelledby='overdue-heading']//p[@class='more']/a")
    assert more and more[0].text_content().startswith("9 de plus")
    everything = _doc(client.get(more[0].get("href")))
    assert len(everything.xpath("//main//tbody/tr")) == 19
    assert "Jalon en retard 00" in everything.text_content() and "Jalon en retard 18" in everything.text_content()

    home = _doc(client.get("/"))
    more = home.xpath("//section[@aria-labelledby='my-actions']//p[@class='more']/a")
    # 22 + Mission économique croisée + the ten "Culture" actions = 33 open actions, 20 shown.
    assert more and more[0].text_content().startswith("13 de plus")
    mine = client.get(more[0].get("href"), query_string={"per_page": "100"})
    assert len(_doc(mine).xpath("//main//tbody/tr")) == 33

    # A commitment served by more actions than the workstream page lists links to them all.
    commitment = world.ws.commitments[0]
    for n in range(7):
        services.update_action(world.owner, factories.make_action(world.ws, world.owner, title=f"Au service {n}"),
                               version=1, commitment_ids=[str(commitment.id)])  # fmt: skip
    db.session.commit()
    page = _doc(client.get(ECO_DEV))
    more = page.xpath(f"//li[@id='commitment-{commitment.id}']//p[@class='more']/a")
    assert more and more[0].text_content().startswith("2 de plus")
    serving = _doc(client.get(more[0].get("href")))
    titles = {r.xpath("string(td[1])").strip() for r in serving.xpath("//table[@class='actions-table']/tbody/tr")}
    assert titles == {f"Au service {n}" for n in range(7)}
