"""No query inside a loop: the main pages send the same number of SQL statements whatever the data size."""

from __future__ import annotations

from datetime import date

from flask.testing import FlaskClient

from tests import factories
from tests.helpers import login
from tests.workspace.conftest import World, add_update, at
from tracker.actions.models import Action, Attachment, Health, MilestoneStatus
from tracker.core.db import db


def _grow(world: World, actions: int) -> Action:
    """Add `actions` actions spread over workstreams, each with milestones, logs, files and commitments."""
    codes = ["ECO-DEV", "ENV", "CULTURE", "URBAN"]
    last = world.action
    for n in range(actions):
        ws = factories.workstream(world.agreement, codes[n % len(codes)])
        owner = world.owner if n % 2 else world.co_lead
        last = factories.make_action(ws, owner, title=f"Action {n}", health=list(Health)[n % 3])
        last.commitments = list(ws.commitments[:2])
        db.session.commit()
        factories.make_milestone(last, date(2026, 1, 10 + n % 15))
        factories.make_milestone(last, date(2026, 12, 1 + n % 20))
        factories.make_milestone(last, date(2025, 5, 5), status=MilestoneStatus.DONE, completed_on=date(2025, 5, 4))
        for k in range(2):
            update = add_update(last, owner, f"Point {k}", 10 * (k + 1), Health.ON_TRACK, at(date(2026, 2, 1 + k)))
            db.session.add(Attachment(action_id=last.id, progress_update_id=update.id, uploaded_by_id=owner.id,
                                      filename=f"f{k}.pdf", content_type="application/pdf", size=10, sha256="0" * 64))  # fmt: skip
        db.session.commit()
    return last


def _count(client: FlaskClient, count_queries, path: str) -> int:
    before = count_queries.count
    response = client.get(path)
    assert response.status_code == 200, path
    return count_queries.count - before


def _pages(action: Action) -> dict[str, str]:
    return {
        "my work": "/",
        "dashboard": "/agreements/idf-bxl-2021/dashboard",
        "workstream": "/agreements/idf-bxl-2021/workstreams/ECO-DEV",
        "action": f"/actions/{action.id}",
        "search": "/search?q=Action",
    }


def test_pages_issue_the_same_number_of_statements_at_two_sizes(
    client: FlaskClient, world: World, count_queries, frozen_clock
) -> None:
    login(client, world.owner.email)
    small_action = _grow(world, 1)
    small = {name: _count(client, count_queries, path) for name, path in _pages(small_action).items()}
    large_action = _grow(world, 24)
    large = {name: _count(client, count_queries, path) for name, path in _pages(large_action).items()}
    assert large == small
    # The dashboard counts its progress logs too (to say how many its latest list leaves out); its late, overdue and
    # coming counts, per workstream and for the agreement, are one statement.
    assert small["dashboard"] <= 12 and small["workstream"] <= 15 and small["action"] <= 12, small
