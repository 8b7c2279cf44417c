"""The workstream page in few SQL statements: its frame in one, its figures in one row, the size of its list read
from the workstream's tallies when the filters are those the tallies keep (none, status, health)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests import factories
from tests.helpers import login
from tests.workspace.conftest import World
from tracker.actions.models import ActionStatus, Health
from tracker.core.db import db

PAGE = "/agreements/idf-bxl-2021/workstreams/ECO-DEV"


def _listed(client: FlaskClient, query: str) -> int:
    """The number the page gives beside its « Actions » heading."""
    html = client.get(f"{PAGE}?{query}").get_data(as_text=True)
    return int(re.search(r'id="actions-heading">[^<]*<span class="count">\((\d+)\)', html).group(1))


def test_the_workstream_page_reads_what_it_shows_in_ten_statements(
    client: FlaskClient, world: World, count_queries, frozen_clock
) -> None:
    login(client, world.owner.email)
    for n in range(6):
        action = factories.make_action(world.ws, world.owner, title=f"Action {n}", health=list(Health)[n % 3])
        action.commitments = list(world.ws.commitments[:2])
    db.session.commit()
    client.get(PAGE)
    before = count_queries.count
    assert client.get(PAGE).status_code == 200
    # The signed-in user, the workstream with its agreement, the figures, the list, its milestones, the actions
    # serving each commitment, the owners, the indicators; and the notice of an ended agreement, none here.
    assert count_queries.count - before <= 8


def test_the_list_size_read_from_the_tallies_is_that_of_the_listed_actions(
    client: FlaskClient, world: World, frozen_clock
) -> None:
    login(client, world.owner.email)
    statuses = [ActionStatus.ACTIVE, ActionStatus.CANCELLED, ActionStatus.COMPLETED, ActionStatus.ON_HOLD]
    for n in range(8):
        owner = world.owner if n % 2 else world.other
        factories.make_action(world.ws, owner, title=f"Action {n}", status=statuses[n % 4], health=list(Health)[n % 3])
    factories.make_action(factories.workstream(world.agreement, "ENV"), world.owner, title="Elsewhere")
    db.session.commit()
    expected = {
        "": 9,
        "status=active": 3,
        "status=cancelled": 2,
        "health=at_risk": 3,
        "status=active&health=on_track": 2,
        "status=nonsense": 0,
        f"owner={world.owner.id}": 5,  # not kept by the tallies: counted
        f"owner={world.owner.id}&status=cancelled": 2,
    }
    assert {query: _listed(client, query) for query in expected} == expected
