"""The dashboard's counts that follow the date (overdue milestones, late actions, milestones coming up) read at most
a thousand rows for the agreement and a hundred per workstream, so that their cost stops growing with the data:
below the cap the figure is exact, at it the page says « plus de 999 » (« plus de 99 » in a workstream's row)
and the full list gives the exact figure."""

from __future__ import annotations

from datetime import date

import lxml.html
from flask.testing import FlaskClient
from sqlalchemy import insert, select

from tests import factories
from tests.helpers import login, text
from tests.workspace.conftest import World
from tracker.actions.models import Action, ActionStatus, Milestone, action_commitments
from tracker.agreements.models import Workstream
from tracker.core.db import db

DASHBOARD = "/agreements/idf-bxl-2021/dashboard"


def _milestones(action: Action, count: int, due_on: date) -> None:
    rows = [
        {"action_id": action.id, "title": f"Jalon {k}", "due_on": due_on, "status": "planned"} for k in range(count)
    ]
    db.session.execute(insert(Milestone), rows)
    db.session.commit()


def _late_actions(ws: Workstream, world: World, count: int) -> None:
    owner = world.owner
    row = {"workstream_id": ws.id, "description": "", "owner_id": owner.id, "lead_party_id": owner.party_id,
           "status": ActionStatus.ACTIVE, "start_on": date(2026, 1, 5), "due_on": date(2026, 11, 20)}  # fmt: skip
    rows = [{**row, "title": f"Action en retard {k}"} for k in range(count)]
    db.session.execute(insert(Action), rows)
    db.session.commit()


def _board(client: FlaskClient) -> lxml.html.HtmlElement:
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return lxml.html.fromstring(text(response))


def _said(doc: lxml.html.HtmlElement, xpath: str) -> str:
    return " ".join(doc.xpath(f"string({xpath})").split())


def _row(doc: lxml.html.HtmlElement, code: str) -> str:
    return " ".join(doc.xpath(f"string(//table[@class='ws-table']//tr[th/a[contains(@href, '/{code}')]])").split())


def test_counts_are_exact_below_their_cap_and_say_more_than_at_it(
    client: FlaskClient, world: World, frozen_clock
) -> None:  # today is 2026-11-27
    culture = factories.workstream(world.agreement, "CULTURE")
    culture_action = factories.make_action(culture, world.owner, title="Festival croisé", due_on=date(2027, 6, 1))
    _milestones(world.action, 99, date(2026, 10, 1))  # overdue
    _milestones(culture_action, 900, date(2026, 10, 1))
    _milestones(culture_action, 999, date(2026, 12, 10))  # in the next 30 days
    _late_actions(world.ws, world, 99)
    login(client, world.reviewer.email)

    board = _board(client)
    assert _said(board, "//dt[.='Jalons en retard']/following-sibling::dd") == "999"
    assert _said(board, "//h2[@id='overdue-heading']/span") == "(999)"
    assert _said(board, "//h2[@id='upcoming-heading']/span") == "(999)"
    assert _said(board, "//dd[@class='figure-late']") == "99"
    assert "99 en retard" in _row(board, "ECO-DEV") and "plus de" not in _row(board, "ECO-DEV")
    assert "99 actions en retard" in _row(board, "ECO-DEV")
    assert "plus de 99 en retard" in _row(board, "CULTURE")  # 900 in that workstream
    more = _said(board, "//section[@aria-labelledby='overdue-heading']//p[@class='more']")
    assert more.startswith("989 de plus") and "(10 affichés sur 999)" in more

    _milestones(world.action, 1, date(2026, 10, 2))
    _milestones(culture_action, 1, date(2026, 12, 11))
    _late_actions(world.ws, world, 1)
    _late_actions(culture, world, 900)

    board = _board(client)
    assert _said(board, "//dt[.='Jalons en retard']/following-sibling::dd") == "plus de 999"
    assert _said(board, "//h2[@id='overdue-heading']/span") == "(plus de 999)"
    assert _said(board, "//h2[@id='upcoming-heading']/span") == "(plus de 999)"
    assert _said(board, "//dd[@class='figure-late']") == "plus de 999"
    assert "plus de 99 en retard" in _row(board, "ECO-DEV")
    assert "plus de 99 actions en retard" in _row(board, "ECO-DEV")
    more = board.xpath("//section[@aria-labelledby='overdue-heading']//p[@class='more']")[0]
    assert " ".join(more.text_content().split()) == "Tout voir – Jalons en retard (10 affichés sur plus de 999)"
    # The whole list, linked, gives the exact figure.
    listed = client.get(more.xpath("a")[0].get("href"))
    assert "(1\u202f000 au total)" in text(listed)


def test_the_actions_serving_a_commitment_are_counted_up_to_a_thousand(client: FlaskClient, world: World) -> None:
    commitment = world.ws.commitments[0]
    _late_actions(world.ws, world, 999)
    served = list(db.session.scalars(select(Action.id).where(Action.id != world.action.id)))
    db.session.execute(insert(action_commitments), [{"action_id": a, "commitment_id": commitment.id} for a in served])
    second = world.ws.commitments[1]
    db.session.execute(insert(action_commitments), [{"action_id": a, "commitment_id": second.id} for a in served[:6]])
    db.session.commit()
    login(client, world.reviewer.email)

    def more(position: int = 0) -> str:
        page = lxml.html.fromstring(text(client.get("/agreements/idf-bxl-2021/workstreams/ECO-DEV")))
        said = page.xpath("//ul[@class='serving']/following-sibling::p[@class='more']")
        return " ".join(said[position].text_content().split())

    assert more(1) == "1 de plus – actions qui portent l’engagement n° 2 (5 affichés sur 6)"
    assert more() == "994 de plus – actions qui portent l’engagement n° 1 (5 affichés sur 999)"
    extra = factories.make_action(world.ws, world.owner, title="Millième")
    db.session.execute(insert(action_commitments), [{"action_id": extra.id, "commitment_id": commitment.id}])
    db.session.commit()
    assert more() == "Tout voir – actions qui portent l’engagement n° 1 (5 affichés sur plus de 999)"


def test_the_owner_filter_lists_each_owner_of_the_workstream_once_by_name(client: FlaskClient, world: World) -> None:
    # Read owner by owner (a skip scan over the index of actions by workstream and owner): none missed, none twice.
    _late_actions(world.ws, world, 30)  # Camille Martin's, as `world.action`
    factories.make_action(world.ws, world.co_lead, title="Action de Lotte")
    unowned = factories.make_action(world.ws, world.owner, title="Sans responsable")
    unowned.owner_id = None
    factories.make_action(factories.workstream(world.agreement, "CULTURE"), world.other, title="Ailleurs")
    db.session.commit()
    login(client, world.reviewer.email)
    page = lxml.html.fromstring(text(client.get("/agreements/idf-bxl-2021/workstreams/ECO-DEV")))
    assert [o.text_content() for o in page.xpath("//select[@id='f-owner']/option")] == [
        "Tous",
        "Camille Martin",
        "Lotte Peeters",
    ]
