"""Creating and editing actions: visibility, permission, validation, audit entries and stale versions."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.actions.conftest import Team
from tracker.accounts.models import Party
from tracker.actions import services
from tracker.actions.models import Action, ActionStatus
from tracker.agreements.models import Commitment
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed


def _create(team: Team, user=None, **overrides):
    values = {
        "title": "Mission économique croisée",
        "description": "Deux délégations d'entreprises.",
        "start_on": date(2026, 1, 5),
        "due_on": date(2026, 12, 18),
    }
    values.update(overrides)
    return services.create_action(user or team.owner, team.ws, **values)


def _audit(entity: str, entity_id: int) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


def test_a_coordinator_creates_a_draft_they_own_for_their_party(team: Team) -> None:
    commitment = team.ws.commitments[0]
    action = _create(team, commitment_ids=[str(commitment.id)])
    db.session.commit()
    assert action.status == ActionStatus.DRAFT and action.version == 1
    assert action.owner_id == team.owner.id and action.created_by_id == team.owner.id
    assert action.lead_party.code == "IDF" and action.commitments == [commitment]
    [entry] = _audit("action", action.id)
    assert entry.verb == "create" and entry.actor_id == team.owner.id
    assert entry.agreement_id == team.agreement.id
    assert entry.changes["title"] == "Mission économique croisée"
    assert entry.changes["commitment_ids"] == [commitment.id]


def test_a_title_with_html_is_kept_as_inert_text(team: Team) -> None:
    action = _create(team, title="  <script>alert('x')</script>\n <b>Salon</b>  ")
    assert action.title == "<script>alert('x')</script> <b>Salon</b>"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   \n "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "x" * 10_000}, "title"),
        ({"due_on": date(2025, 12, 31)}, "due_on"),
        ({"due_on": "31/12/2026"}, "due_on"),
        ({"description": "x" * 20_001}, "description"),
        ({"lead_party_id": "nope"}, "lead_party_id"),
        ({"owner_id": 10**9}, "owner_id"),
    ],
)
def test_bad_input_is_refused_with_a_message_on_the_field_and_nothing_is_created(
    team: Team, overrides: dict, field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _create(team, **overrides)
    assert field in refused.value.errors
    assert str(refused.value.errors[field][0])
    assert db.session.scalar(select(func.count()).select_from(Action)) == 0


def test_owner_lead_party_and_commitments_must_belong_to_the_agreement(team: Team) -> None:
    quebec = db.session.scalar(select(Party).where(Party.code == "QC"))
    elsewhere = db.session.scalar(select(Commitment).where(Commitment.workstream_id != team.ws.id).limit(1))
    with pytest.raises(ValidationFailed) as refused:
        _create(team, owner_id=team.reviewer.id, lead_party_id=quebec.id, commitment_ids=[elsewhere.id])
    assert set(refused.value.errors) == {"owner_id", "lead_party_id", "commitment_ids"}
    with pytest.raises(ValidationFailed):
        _create(team, owner_id=team.outsider.id)


def test_reviewers_may_not_create_and_outsiders_do_not_see_the_workstream(team: Team) -> None:
    with pytest.raises(PermissionDenied):
        _create(team, team.reviewer)
    with pytest.raises(NotFound):
        _create(team, team.outsider)
    bxl = _create(team, team.bxl_coordinator)
    assert bxl.lead_party.code == "BXL"


def test_get_action_answers_not_found_outside_the_users_agreements(team: Team) -> None:
    action = _create(team)
    assert services.get_action(team.bxl_coordinator, action.id) is action
    assert services.get_action(team.reviewer, str(action.id)) is action
    for user, ident in [(team.outsider, action.id), (team.owner, "abc"), (team.owner, -1), (team.owner, 10**30)]:
        with pytest.raises(NotFound):
            services.get_action(user, ident)


def test_an_edit_changes_the_fields_bumps_the_version_and_records_before_and_after(team: Team) -> None:
    action = _create(team)
    db.session.commit()
    services.update_action(team.owner, action, version=1, title="Mission croisée 2026", due_on="2026-11-30")
    db.session.commit()
    assert (action.title, action.due_on, action.version) == ("Mission croisée 2026", date(2026, 11, 30), 2)
    entry = _audit("action", action.id)[-1]
    assert entry.verb == "update"
    assert entry.changes == {
        "title": ["Mission économique croisée", "Mission croisée 2026"],
        "due_on": ["2026-12-18", "2026-11-30"],
    }


def test_an_edit_that_changes_nothing_writes_no_entry(team: Team) -> None:
    action = _create(team)
    services.update_action(team.owner, action, version=1, title=action.title)
    assert [e.verb for e in _audit("action", action.id)] == ["create"]


def test_two_edits_from_the_same_version_one_wins_the_other_gets_the_conflict(team: Team) -> None:
    action = _create(team)
    db.session.commit()
    services.update_action(team.idf_lead, action, version=1, title="Version de Claire")
    db.session.commit()
    with pytest.raises(Conflict) as conflict:
        services.update_action(team.owner, action, version=1, title="Version d'Amélie", due_on="2026-12-18")
    db.session.rollback()
    details = conflict.value.details
    assert "Claire Martin" in str(conflict.value.message)
    assert details["your_version"] == 1 and details["current_version"] == 2
    assert details["mine"]["title"] == "Version d'Amélie"
    assert details["current"]["title"] == "Version de Claire"
    assert details["changed"] == ["title"]
    assert action.title == "Version de Claire" and action.version == 2


def test_only_owners_co_leads_and_admins_edit(team: Team) -> None:
    action = _create(team)
    for user in (team.idf_coordinator, team.bxl_coordinator, team.reviewer):
        with pytest.raises(PermissionDenied):
            services.update_action(user, action, version=action.version, title="Autre")
    with pytest.raises(NotFound):
        services.update_action(team.outsider, action, version=action.version, title="Autre")
    for user in (team.bxl_lead, team.idf_lead, team.admin, team.owner):
        services.update_action(user, action, version=action.version, title=f"Par {user.name}")
    assert action.version == 5


def test_unknown_fields_and_a_missing_version_are_refused(team: Team) -> None:
    action = _create(team)
    with pytest.raises(ValidationFailed):
        services.update_action(team.owner, action, version=1, status="active")
    with pytest.raises(ValidationFailed) as refused:
        services.update_action(team.owner, action, version="", title="x")
    assert "version" in refused.value.errors


def test_a_closed_action_can_no_longer_be_edited(team: Team) -> None:
    action = factories.make_action(team.ws, team.owner, status=ActionStatus.COMPLETED)
    with pytest.raises(InvalidTransition):
        services.update_action(team.owner, action, version=action.version, title="Encore")


def test_a_conflict_lists_only_the_fields_that_really_differ(team: Team) -> None:
    action = _create(team, description="Ligne 1\nLigne 2")
    db.session.commit()
    services.update_action(team.idf_lead, action, version=1, due_on="2026-11-30")
    db.session.commit()
    form = {  # what a browser posts: strings, CRLF line ends, the values of the page as it was
        "title": " Mission économique croisée ",
        "description": "Ligne 1\r\nLigne 2",
        "owner_id": str(team.owner.id),
        "lead_party_id": str(action.lead_party_id),
        "start_on": "2026-01-05",
        "due_on": "2026-12-18",
        "commitment_ids": [],
    }
    with pytest.raises(Conflict) as conflict:
        services.update_action(team.owner, action, version=1, **form)
    assert conflict.value.details["changed"] == ["due_on"]


def test_empty_form_values_compare_as_stored(team: Team) -> None:
    action = _create(team, description="", due_on=None)
    db.session.commit()
    services.update_action(team.idf_lead, action, version=1, title="Renommée")
    db.session.commit()
    with pytest.raises(Conflict) as conflict:
        services.update_action(
            team.owner, action, version=1, title="Mission économique croisée", description="", due_on=""
        )
    assert conflict.value.details["changed"] == ["title"]
