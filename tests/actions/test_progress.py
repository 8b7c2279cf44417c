"""The progress log sets the action's health, percent and last progress."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.actions.conftest import Team
from tracker.actions import services
from tracker.actions.models import ActionStatus, Health, ProgressUpdate
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed


def test_a_progress_log_sets_health_percent_and_last_progress(team: Team, frozen_clock) -> None:
    action = factories.make_action(team.ws, team.owner)
    update = services.log_progress(team.owner, action, text="Délégation reçue.", percent="40", health="at_risk")
    db.session.commit()
    assert (action.percent, action.health) == (40, Health.AT_RISK)
    assert action.last_progress_at == datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    assert (update.author_id, update.percent, update.health) == (team.owner.id, 40, Health.AT_RISK)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "progress_update")).one()
    assert entry.changes == {
        "action_id": action.id,
        "text": "Délégation reçue.",
        "percent": [0, 40],
        "health": ["on_track", "at_risk"],
    }


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"percent": -1}, "percent"),
        ({"percent": 101}, "percent"),
        ({"percent": "beaucoup"}, "percent"),
        ({"percent": 12.5}, "percent"),
        ({"percent": "nan"}, "percent"),
        ({"health": "great"}, "health"),
        ({"text": "  "}, "text"),
        ({"text": "x" * 10_001}, "text"),
    ],
)
def test_bad_progress_is_refused_and_changes_nothing(team: Team, values: dict, field: str) -> None:
    action = factories.make_action(team.ws, team.owner)
    arguments = {"text": "Ok", "percent": 10, "health": "on_track", **values}
    with pytest.raises(ValidationFailed) as refused:
        services.log_progress(team.owner, action, **arguments)
    assert field in refused.value.errors
    assert action.percent == 0 and action.last_progress_at is None
    assert db.session.scalar(select(func.count()).select_from(ProgressUpdate)) == 0


def test_only_editors_log_progress_on_open_actions(team: Team) -> None:
    action = factories.make_action(team.ws, team.owner)
    with pytest.raises(PermissionDenied):
        services.log_progress(team.reviewer, action, text="x", percent=1, health="on_track")
    with pytest.raises(NotFound):
        services.log_progress(team.outsider, action, text="x", percent=1, health="on_track")
    services.log_progress(team.bxl_lead, action, text="x", percent=1, health="on_track")
    closed = factories.make_action(team.ws, team.owner, status=ActionStatus.COMPLETED)
    with pytest.raises(InvalidTransition):
        services.log_progress(team.owner, closed, text="x", percent=1, health="on_track")
