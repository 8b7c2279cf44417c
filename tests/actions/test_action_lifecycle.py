"""Every action transition, allowed and refused, for each role and party (the table below)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests import factories
from tests.actions.conftest import Team
from tracker.actions import services
from tracker.actions.models import ActionApproval, ActionStatus, MilestoneStatus
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.core.errors import DomainError, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from tracker.core.lifecycle import available_transitions

ROLES = ("owner", "idf_lead", "bxl_lead", "idf_coordinator", "bxl_coordinator", "reviewer", "admin", "outsider")
OK, DENIED, HIDDEN, REFUSED, INVALID = "ok", "403", "404", "409", "422"
S = ActionStatus

#: (from, to, comment): outcome for owner, IDF co-lead, BXL co-lead, IDF coordinator, BXL coordinator, reviewer,
#: admin, coordinator of a party outside the agreement. "ok" for approve means the approval is recorded.
TABLE = {
    (S.DRAFT, S.PROPOSED, None): (OK, OK, OK, DENIED, DENIED, DENIED, OK, HIDDEN),
    (S.PROPOSED, S.ACTIVE, None): (DENIED, OK, OK, DENIED, DENIED, DENIED, OK, HIDDEN),
    (S.PROPOSED, S.DRAFT, "À revoir"): (DENIED, OK, OK, DENIED, DENIED, DENIED, OK, HIDDEN),
    (S.PROPOSED, S.DRAFT, None): (DENIED, INVALID, INVALID, DENIED, DENIED, DENIED, INVALID, HIDDEN),
    (S.ACTIVE, S.ON_HOLD, None): (OK, OK, OK, DENIED, DENIED, DENIED, OK, HIDDEN),
    (S.ON_HOLD, S.ACTIVE, None): (OK, OK, OK, DENIED, DENIED, DENIED, OK, HIDDEN),
    (S.ACTIVE, S.COMPLETED, None): (OK, OK, OK, DENIED, DENIED, DENIED, OK, HIDDEN),
    (S.DRAFT, S.CANCELLED, "Plus utile"): (OK, OK, OK, DENIED, DENIED, DENIED, OK, HIDDEN),
    (S.PROPOSED, S.CANCELLED, "Plus utile"): (OK, OK, OK, DENIED, DENIED, DENIED, OK, HIDDEN),
    (S.ACTIVE, S.CANCELLED, "Plus utile"): (OK, OK, OK, DENIED, DENIED, DENIED, OK, HIDDEN),
    (S.ON_HOLD, S.CANCELLED, "Plus utile"): (OK, OK, OK, DENIED, DENIED, DENIED, OK, HIDDEN),
    (S.ACTIVE, S.CANCELLED, None): (INVALID, INVALID, INVALID, DENIED, DENIED, DENIED, INVALID, HIDDEN),
    # Moves missing from the lifecycle are refused to everyone who sees the action.
    (S.DRAFT, S.ACTIVE, None): (REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, HIDDEN),
    (S.DRAFT, S.COMPLETED, None): (REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, HIDDEN),
    (S.ACTIVE, S.DRAFT, None): (REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, HIDDEN),
    (S.COMPLETED, S.ACTIVE, None): (REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, HIDDEN),
    (S.CANCELLED, S.DRAFT, None): (REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, HIDDEN),
    (S.ON_HOLD, S.COMPLETED, None): (REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, HIDDEN),
}
OUTCOMES = {
    NotFound: HIDDEN,
    PermissionDenied: DENIED,
    InvalidTransition: REFUSED,
    ValidationFailed: INVALID,
}


def _attempt(team: Team, role: str, source: S, target: S, comment: str | None) -> tuple[str, S]:
    action = factories.make_action(team.ws, team.owner, status=source)
    user = team.by_name(role)
    try:
        services.transition_action(user, action, target, comment=comment)
    except DomainError as exc:
        db.session.rollback()
        db.session.refresh(action)
        return OUTCOMES[type(exc)], action.status
    db.session.commit()
    return OK, action.status


@pytest.mark.parametrize(("source", "target", "comment"), list(TABLE), ids=[f"{s}->{t}-{c}" for s, t, c in TABLE])
def test_transition_table(team: Team, source: S, target: S, comment: str | None) -> None:
    expected = dict(zip(ROLES, TABLE[(source, target, comment)], strict=True))
    outcomes = {}
    for role in ROLES:
        outcome, status = _attempt(team, role, source, target, comment)
        outcomes[role] = outcome
        moved = target if not (source == S.PROPOSED and target == S.ACTIVE) else S.PROPOSED  # one approval only
        assert status == (moved if outcome == OK else source), (role, status)
    assert outcomes == expected


@pytest.mark.parametrize("role", ROLES)
def test_what_each_role_is_offered_matches_what_it_may_do(team: Team, role: str) -> None:
    user = team.by_name(role)
    for source in (S.DRAFT, S.PROPOSED, S.ACTIVE, S.ON_HOLD, S.COMPLETED, S.CANCELLED):
        action = factories.make_action(team.ws, team.owner, status=source)
        offered = {o.to for o in available_transitions(action, user, include_blocked=True)}
        allowed = {
            target
            for (s, target, _c), outcomes in TABLE.items()
            if s == source and outcomes[ROLES.index(role)] != DENIED
        }
        allowed -= {t for (s, t, _c), o in TABLE.items() if s == source and o[ROLES.index(role)] in {REFUSED, HIDDEN}}
        assert offered == allowed, (role, source)


def test_the_second_party_approval_activates_the_action_in_either_order(team: Team) -> None:
    for first, second in ((team.bxl_lead, team.idf_lead), (team.idf_lead, team.bxl_lead)):
        action = factories.make_action(team.ws, team.owner, status=S.PROPOSED)
        assert not services.approve_action(first, action).moved
        assert action.status == S.PROPOSED
        assert services.approve_action(second, action, comment="OK pour nous").moved
        assert action.status == S.ACTIVE
        approvals = db.session.scalars(select(ActionApproval).where(ActionApproval.action_id == action.id)).all()
        assert {(a.party.code, a.user_id) for a in approvals} == {
            ("IDF", team.idf_lead.id),
            ("BXL", team.bxl_lead.id),
        }
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "action", AuditEntry.entity_id == action.id)
        ).all()
        assert [(e.verb, e.actor_id, e.changes.get("status")) for e in entries] == [
            ("approve", first.id, None),
            ("approve", second.id, ["proposed", "active"]),
        ]


def test_the_same_party_approving_twice_counts_once(team: Team) -> None:
    action = factories.make_action(team.ws, team.owner, status=S.PROPOSED)
    services.approve_action(team.idf_lead, action)
    with pytest.raises(InvalidTransition, match="already approved"):
        services.approve_action(team.admin, action)  # an IDF admin: IDF has approved already
    assert action.status == S.PROPOSED and len(action.approvals) == 1
    offered = {o.name: o.blocked for o in available_transitions(action, team.idf_lead, include_blocked=True)}
    assert "Claire Martin" in offered["approve"]


def test_returning_withdraws_the_approvals_and_needs_both_again(team: Team) -> None:
    action = factories.make_action(team.ws, team.owner, status=S.PROPOSED)
    services.approve_action(team.bxl_lead, action)
    services.transition_action(team.idf_lead, action, S.DRAFT, comment="Préciser le budget")
    assert action.status == S.DRAFT and action.approvals == []
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.verb == "return")).one()
    assert entry.changes == {"approvals_withdrawn": ["BXL"], "status": ["proposed", "draft"]}
    assert entry.comment == "Préciser le budget"
    services.transition_action(team.owner, action, S.PROPOSED)
    assert not services.approve_action(team.idf_lead, action).moved
    assert services.approve_action(team.bxl_lead, action).moved


def test_completing_needs_every_milestone_done_or_cancelled(team: Team, frozen_clock) -> None:
    action = factories.make_action(team.ws, team.owner, status=S.ACTIVE)
    done = factories.make_milestone(action, date(2026, 3, 1))
    later = factories.make_milestone(action, date(2026, 12, 1))
    services.complete_milestone(team.owner, done, completed_on="2026-03-01", version=done.version)
    offered = {o.name: o.blocked for o in available_transitions(action, team.owner, include_blocked=True)}
    assert "1 milestone is still planned: mark it done" in offered["complete"]
    with pytest.raises(InvalidTransition, match="still planned"):
        services.transition_action(team.owner, action, S.COMPLETED)
    services.cancel_milestone(team.owner, later, reason="Reporté à l'an prochain", version=later.version)
    assert later.status == MilestoneStatus.CANCELLED
    services.transition_action(team.owner, action, S.COMPLETED)
    assert action.status == S.COMPLETED


def test_cancelling_an_action_cancels_its_planned_milestones_with_its_reason(team: Team, frozen_clock) -> None:
    action = factories.make_action(team.ws, team.owner, status=S.ACTIVE)
    done = factories.make_milestone(action, date(2026, 3, 1))
    late = factories.make_milestone(action, date(2026, 10, 1))  # overdue on 2026-11-27
    services.complete_milestone(team.owner, done, completed_on="2026-03-01", version=done.version)
    services.transition_action(team.owner, action, S.CANCELLED, comment="Budget supprimé")
    db.session.commit()
    assert (done.status, late.status) == (MilestoneStatus.DONE, MilestoneStatus.CANCELLED)
    assert not late.is_overdue(date(2026, 11, 27))
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "milestone", AuditEntry.entity_id == late.id)
    ).one()
    assert (entry.verb, entry.comment) == ("cancel", "Budget supprimé")


M = MilestoneStatus
#: Milestone moves: (from, to, comment) -> outcome per role, in the order of ROLES.
MILESTONE_TABLE = {
    (M.PLANNED, M.DONE, None): (OK, OK, OK, DENIED, DENIED, DENIED, OK, HIDDEN),
    (M.PLANNED, M.CANCELLED, "Plus utile"): (OK, OK, OK, DENIED, DENIED, DENIED, OK, HIDDEN),
    (M.PLANNED, M.CANCELLED, None): (INVALID, INVALID, INVALID, DENIED, DENIED, DENIED, INVALID, HIDDEN),
    (M.DONE, M.PLANNED, None): (REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, HIDDEN),
    (M.CANCELLED, M.DONE, None): (REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, HIDDEN),
}


@pytest.mark.parametrize(
    ("source", "target", "comment"), list(MILESTONE_TABLE), ids=[f"{s}->{t}-{c}" for s, t, c in MILESTONE_TABLE]
)
def test_milestone_transition_table(team: Team, frozen_clock, source: M, target: M, comment: str | None) -> None:
    expected = dict(zip(ROLES, MILESTONE_TABLE[(source, target, comment)], strict=True))
    action = factories.make_action(team.ws, team.owner)
    outcomes = {}
    for role in ROLES:
        done_on = date(2026, 3, 1) if source == M.DONE else None
        milestone = factories.make_milestone(action, date(2026, 3, 1), status=source, completed_on=done_on)
        data = {"completed_on": "2026-03-02"} if target == M.DONE else {}
        try:
            services.transition_milestone(team.by_name(role), milestone, target, comment=comment, **data)
        except DomainError as exc:
            db.session.rollback()
            outcomes[role] = OUTCOMES[type(exc)]
            continue
        db.session.commit()
        outcomes[role] = OK
        assert milestone.status == target
    assert outcomes == expected
