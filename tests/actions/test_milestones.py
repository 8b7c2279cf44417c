"""Milestones: add, edit, move (a reschedule), mark done, cancel; each checked and audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests import factories
from tests.actions.conftest import Team
from tracker.actions import services
from tracker.actions.models import ActionStatus, MilestoneStatus
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed


@pytest.fixture
def action(team: Team):
    return factories.make_action(team.ws, team.owner)


def _entries(milestone_id: int) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.entity == "milestone", AuditEntry.entity_id == milestone_id)
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


def test_adding_a_milestone_checks_title_and_date(team: Team, action) -> None:
    milestone = services.add_milestone(team.owner, action, title="Comité de pilotage", due_on="2026-03-02")
    assert milestone.status == MilestoneStatus.PLANNED and milestone.due_on == date(2026, 3, 2)
    assert _entries(milestone.id)[0].changes == {
        "action_id": action.id,
        "title": "Comité de pilotage",
        "due_on": "2026-03-02",
    }
    with pytest.raises(ValidationFailed) as refused:
        services.add_milestone(team.owner, action, title="", due_on="2025-12-01")
    assert set(refused.value.errors) == {"title", "due_on"}
    with pytest.raises(PermissionDenied):
        services.add_milestone(team.reviewer, action, title="x", due_on="2026-03-02")
    with pytest.raises(NotFound):
        services.add_milestone(team.outsider, action, title="x", due_on="2026-03-02")


def test_moving_the_date_counts_a_reschedule_and_renaming_does_not(team: Team, action) -> None:
    milestone = services.add_milestone(team.owner, action, title="Salon", due_on="2026-03-02")
    db.session.commit()
    services.move_milestone(team.owner, milestone, version=1, due_on="2026-04-15", comment="Salle indisponible")
    services.update_milestone(team.owner, milestone, version=2, title="Salon régional")
    db.session.commit()
    assert (milestone.due_on, milestone.reschedule_count, milestone.version) == (date(2026, 4, 15), 1, 3)
    move, rename = _entries(milestone.id)[1:]
    assert (move.verb, move.changes, move.comment) == (
        "move",
        {"due_on": ["2026-03-02", "2026-04-15"]},
        "Salle indisponible",
    )
    assert (rename.verb, rename.changes) == ("update", {"title": ["Salon", "Salon régional"]})


def test_a_stale_milestone_edit_gets_the_conflict(team: Team, action) -> None:
    milestone = services.add_milestone(team.owner, action, title="Salon", due_on="2026-03-02")
    db.session.commit()
    services.move_milestone(team.idf_lead, milestone, version=1, due_on="2026-04-15")
    db.session.commit()
    with pytest.raises(Conflict) as conflict:
        services.move_milestone(team.owner, milestone, version=1, due_on="2026-05-01")
    assert conflict.value.details["current"] == {"due_on": "2026-04-15"}
    assert milestone.reschedule_count == 1


def test_marking_done_needs_a_date_not_in_the_future_and_takes_an_evidence_link(
    team: Team, action, frozen_clock
) -> None:
    milestone = services.add_milestone(team.owner, action, title="Salon", due_on="2026-11-20")
    for bad, field in [(None, "completed_on"), ("2026-11-28", "completed_on")]:
        with pytest.raises(ValidationFailed) as refused:
            services.complete_milestone(team.owner, milestone, completed_on=bad, version=1)
        assert field in refused.value.errors
    with pytest.raises(ValidationFailed) as refused:
        services.complete_milestone(
            team.owner, milestone, completed_on="2026-11-27", evidence_url="javascript:alert(1)", version=1
        )
    assert "evidence_url" in refused.value.errors
    assert milestone.status == MilestoneStatus.PLANNED
    services.complete_milestone(
        team.owner, milestone, completed_on="2026-11-27", evidence_url="https://example.org/cr.pdf", version=1
    )
    assert milestone.status == MilestoneStatus.DONE and milestone.completed_on == date(2026, 11, 27)
    entry = _entries(milestone.id)[-1]
    assert entry.verb == "complete" and entry.changes["status"] == ["planned", "done"]
    assert entry.changes["evidence_url"] == [None, "https://example.org/cr.pdf"]
    with pytest.raises(InvalidTransition):
        services.update_milestone(team.owner, milestone, version=milestone.version, title="Autre")


def test_cancelling_needs_a_reason(team: Team, action) -> None:
    milestone = services.add_milestone(team.owner, action, title="Salon", due_on="2026-11-20")
    with pytest.raises(ValidationFailed):
        services.cancel_milestone(team.owner, milestone, reason=" ", version=1)
    services.cancel_milestone(team.owner, milestone, reason="Salon annulé", version=1)
    assert milestone.status == MilestoneStatus.CANCELLED
    assert _entries(milestone.id)[-1].comment == "Salon annulé"
    with pytest.raises(InvalidTransition):
        services.complete_milestone(team.owner, milestone, completed_on="2026-01-10", version=milestone.version)


def test_milestones_of_a_closed_action_cannot_change(team: Team) -> None:
    action = factories.make_action(team.ws, team.owner, status=ActionStatus.CANCELLED)
    milestone = factories.make_milestone(action, date(2026, 3, 1))
    with pytest.raises(InvalidTransition):
        services.add_milestone(team.owner, action, title="x", due_on="2026-03-02")
    with pytest.raises(InvalidTransition):
        services.complete_milestone(team.owner, milestone, completed_on="2026-03-01", version=milestone.version)


def test_a_milestone_sent_with_its_date_emptied_is_refused_not_saved_with_the_old_date(team: Team, action) -> None:
    milestone = services.add_milestone(team.owner, action, title="Salon", due_on="2026-03-02")
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        services.update_milestone(team.owner, milestone, version=1, title="Salon", due_on="")
    assert refused.value.errors == {"due_on": ["A date is needed."]}
    db.session.rollback()
    assert (milestone.due_on, milestone.version) == (date(2026, 3, 2), 1)
