"""An action carried over that has moved into the successor reads « Reprise dans l’accord suivant » in every list of
the ended agreement, with a link to its continuation, and is never called late or overdue there; the lists read the
continuations without a query per action."""

from __future__ import annotations

from datetime import date

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.api.helpers import Api, token_for
from tests.factories import load_agreement, make_action, make_milestone, make_user, workstream
from tests.helpers import login, logout
from tracker.accounts.models import User
from tracker.actions.models import Action, ActionStatus, Health
from tracker.agreements.models import Agreement
from tracker.closeout import decisions, renewal
from tracker.closeout.models import Decision
from tracker.core.db import db

WORKSTREAM_PAGE = "/agreements/idf-bxl-2021/workstreams/ECO-DEV"


@pytest.fixture
def ended(app: Flask, frozen_clock) -> Agreement:
    return load_agreement(ended=True)


def _carry_over(owner: User, ended: Agreement, title: str) -> Action:
    """An action on hold, late and with an overdue milestone in the ended agreement, carried over."""
    action = make_action(
        workstream(ended, "ECO-DEV"), owner, title=title, status=ActionStatus.ON_HOLD, due_on=date(2026, 9, 15)
    )
    make_milestone(action, date(2026, 9, 1), title=f"Jalon de {title}")
    decisions.decide(owner, ended, action, Decision.CARRIED_OVER, "À poursuivre")
    db.session.commit()
    return action


def _renew(ended: Agreement) -> None:
    renewal.renew(
        ended,
        by=make_user("IDF", "admin"),
        slug="idf-bxl-2026",
        starts_on=date(2026, 9, 23),
        ends_on=date(2031, 9, 22),
        signed_on=date(2026, 9, 15),
    )
    db.session.commit()


def _row(client: FlaskClient, path: str, action: Action) -> lxml.html.HtmlElement:
    """The row of the page's list of actions (a table row or a list item) that links to `action` by its title."""
    page = lxml.html.fromstring(client.get(path).get_data(as_text=True))
    link = page.xpath(f'//main//table//a[@href="/actions/{action.id}"] | //main//ul/li/a[@href="/actions/{action.id}"]')
    assert link and link[0].text_content() == action.title, f"{action.title} not listed on {path}"
    return link[0].xpath("ancestor::*[self::tr or self::li][1]")[0]


def test_a_continued_action_reads_continued_with_a_link_and_is_never_late_in_the_lists(
    client: FlaskClient, ended: Agreement
) -> None:
    owner = make_user("IDF", language="fr")
    carried = _carry_over(owner, ended, "Mission croisée")
    _renew(ended)
    continuation = db.session.scalars(select(Action).where(Action.continues_action_id == carried.id)).one()
    login(client, owner.email)

    for path in (WORKSTREAM_PAGE, "/", "/my-work/actions", "/search?q=Mission"):
        row = _row(client, path, carried)
        shown = " ".join(row.text_content().split())
        assert "Reprise dans l’accord suivant" in shown, path
        assert "Suspendue" not in shown and "En retard" not in shown, (path, shown)
        badge = row.xpath('.//a[normalize-space()="Reprise dans l’accord suivant"]')
        assert badge and badge[0].get("href") == f"/actions/{continuation.id}", path
    # Each commitment it serves lists it the same way.
    html = client.get(WORKSTREAM_PAGE).get_data(as_text=True)
    assert html.count(f'href="/actions/{continuation.id}"') == 1 + len(carried.commitments)

    # The ended agreement's dashboard counts it neither late nor overdue, nor lists its milestone.
    board = client.get("/agreements/idf-bxl-2021/dashboard").get_data(as_text=True)
    assert '<dt>Actions en retard</dt><dd class="figure-late">0</dd>' in board
    assert "<dt>Jalons en retard</dt><dd>0</dd>" in board and "Jalon de Mission croisée" not in board

    # The API lists it with its stored status, its continuation, and never among the late ones.
    api = Api(client, token_for(make_user("BXL", "reviewer")))
    listed = {a["id"]: a for a in api.get("/actions?agreement=idf-bxl-2021").get_json()["items"]}
    assert (listed[carried.id]["status"], listed[carried.id]["continued_by"]) == ("on_hold", continuation.id)
    late = api.get("/actions?agreement=idf-bxl-2021&late=true").get_json()["items"]
    assert carried.id not in {a["id"] for a in late}


def test_the_lists_read_the_continuations_in_the_same_number_of_queries_for_one_or_many(
    client: FlaskClient, ended: Agreement, count_queries
) -> None:
    owner = make_user("IDF", language="fr")
    _carry_over(owner, ended, "Mission 0")
    _renew(ended)
    login(client, owner.email)
    paths = (WORKSTREAM_PAGE, "/", "/my-work/actions", "/search?q=Mission", "/agreements/idf-bxl-2021/dashboard")

    def counts() -> dict[str, int]:
        found = {}
        for path in paths:
            before = count_queries.count
            assert client.get(path).status_code == 200, path
            found[path] = count_queries.count - before
        return found

    one = counts()
    for n in range(1, 6):
        _carry_over(owner, ended, f"Mission {n}")  # moves into the successor at its decision
    assert db.session.scalar(select(db.func.count()).where(Action.continues_action_id.is_not(None))) == 6
    assert counts() == one


def test_the_dashboard_counts_a_continued_action_as_carried_over_neither_ongoing_nor_by_health(
    client: FlaskClient, ended: Agreement
) -> None:
    owner = make_user("IDF", language="fr")
    ws = workstream(ended, "ECO-DEV")
    make_action(ws, owner, title="Foire commune", status=ActionStatus.ACTIVE, health=Health.ON_TRACK)
    carried = make_action(ws, owner, title="Mission croisée", status=ActionStatus.ACTIVE, health=Health.AT_RISK)
    decisions.decide(owner, ended, carried, Decision.CARRIED_OVER, "À poursuivre")
    db.session.commit()
    _renew(ended)
    login(client, owner.email)

    page = lxml.html.fromstring(client.get("/agreements/idf-bxl-2021/dashboard").get_data(as_text=True))
    row = page.xpath(f'//tr[th/a[@href="{WORKSTREAM_PAGE}"]]')[0]
    health, statuses = ([li.text_content().strip() for li in cell.xpath(".//ul/li")] for cell in row.xpath("td")[1:3])
    assert statuses == ["En cours\xa0: 1", "Reportée\xa0: 1"]
    assert health == ["En bonne voie\xa0: 1", "À risque\xa0: 0", "En difficulté\xa0: 0"]


def test_my_actions_name_the_agreement_of_each_row_when_they_span_several(
    client: FlaskClient, ended: Agreement
) -> None:
    owner = make_user("IDF", language="fr")
    carried = _carry_over(owner, ended, "Mission croisée")
    _renew(ended)
    continuation = db.session.scalars(select(Action).where(Action.continues_action_id == carried.id)).one()
    login(client, owner.email)
    for path, table in (
        ("/", '//section[@aria-labelledby="my-actions"]//table'),
        ("/my-work/actions", "//main//table"),
    ):
        page = lxml.html.fromstring(client.get(path).get_data(as_text=True))
        for action, period in ((carried, "2021–2026"), (continuation, "2026–2031")):
            row = page.xpath(f'{table}//tr[td[1]/a[@href="/actions/{action.id}"]]')
            assert len(row) == 1 and row[0].xpath("td//a")[0].text_content() == "Mission croisée", path
            assert f"Accord {period}" in " ".join(row[0].text_content().split()), path

    alone = make_user("IDF", language="fr")  # all in one agreement: no need to say which
    fair = make_action(workstream(ended, "ECO-DEV"), alone, title="Foire commune")
    db.session.commit()
    logout(client)
    login(client, alone.email)
    assert "Accord" not in _row(client, "/my-work/actions", fair).text_content()


def test_my_milestones_name_the_agreement_of_each_row_when_they_span_several(
    client: FlaskClient, ended: Agreement
) -> None:
    owner = make_user("IDF", language="fr")
    late = make_action(workstream(ended, "ECO-DEV"), owner, title="Foire commune", status=ActionStatus.ACTIVE)
    overdue = make_milestone(late, date(2026, 9, 1), title="Bilan de la foire")
    db.session.commit()
    _renew(ended)
    successor = db.session.scalars(select(Agreement).where(Agreement.slug == "idf-bxl-2026")).one()
    fresh = make_action(workstream(successor, "ECO-DEV"), owner, title="Salon 2027", status=ActionStatus.ACTIVE)
    soon = make_milestone(fresh, date(2026, 12, 4), title="Réservation du salon")
    db.session.commit()
    login(client, owner.email)
    for path, table in (
        ("/", '//section[@aria-labelledby="my-milestones"]//table'),
        ("/my-work/milestones", "//main//table"),
    ):
        page = lxml.html.fromstring(client.get(path).get_data(as_text=True))
        for milestone, period in ((overdue, "2021–2026"), (soon, "2026–2031")):
            row = page.xpath(f'{table}//tr[td[2][normalize-space()="{milestone.title}"]]')
            assert len(row) == 1, (path, milestone.title)
            assert f"Accord {period}" in " ".join(row[0].text_content().split()), path

    alone = make_user("IDF", language="fr")  # all in one agreement: no need to say which
    make_milestone(make_action(workstream(ended, "ECO-DEV"), alone, title="Forum"), date(2026, 9, 1), title="Clôture")
    db.session.commit()
    logout(client)
    login(client, alone.email)
    page = lxml.html.fromstring(client.get("/my-work/milestones").get_data(as_text=True))
    assert "Clôture" in page.xpath("string(//main//table)") and "Accord" not in page.xpath("string(//main//table)")


def test_the_actions_downloaded_to_read_say_continued_as_the_pages_do(client: FlaskClient, ended: Agreement) -> None:
    owner = make_user("IDF", language="fr")
    carried = _carry_over(owner, ended, "Mission croisée")
    _renew(ended)
    login(client, owner.email)
    response = client.get(f"{WORKSTREAM_PAGE}/export/actions.csv?sep=semicolon")
    rows = [line.split(";") for line in response.get_data(as_text=True).lstrip("\ufeff").splitlines()]
    row = next(r for r in rows if r[0] == str(carried.id))
    assert "Reprise dans l’accord suivant" in row and "Suspendue" not in row
