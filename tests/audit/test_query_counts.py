"""The history and the approvals page load what they show in a fixed number of queries (no query per row)."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests import factories
from tests.actions.conftest import Team
from tests.helpers import login
from tracker.actions import services
from tracker.actions.models import ActionStatus
from tracker.audit.history import history_for
from tracker.core.db import db


def _changes(team: Team, action, n: int) -> None:
    for i in range(n):
        services.update_action(team.owner, action, version=action.version, title=f"Titre {i}", owner_id=team.owner.id)
        services.add_milestone(team.idf_lead, action, title=f"Jalon {i}", due_on="2026-06-01")
    db.session.commit()


def test_history_queries_do_not_grow_with_entries(team: Team, count_queries) -> None:
    small, large = (factories.make_action(team.ws, team.owner) for _ in range(2))
    _changes(team, small, 1)
    _changes(team, large, 8)
    counts = []
    for action in (small, large):
        db.session.expire_all()
        before = count_queries.count
        history = history_for(team.reviewer, action)
        assert [e.actor for e in history.entries]
        counts.append(count_queries.count - before)
    assert counts[0] == counts[1], counts


def test_the_approvals_page_queries_do_not_grow_with_proposals(client: FlaskClient, team: Team, count_queries) -> None:
    login(client, team.bxl_lead.email)
    counts = []
    for n in (1, 6):
        for _ in range(n):
            factories.make_action(team.ws, team.owner, status=ActionStatus.PROPOSED)
        before = count_queries.count
        assert client.get("/approvals").status_code == 200
        counts.append(count_queries.count - before)
    assert counts[0] == counts[1], counts
