"""Renewal into a successor (the service): an admin starts the agreement that follows the ended one; the actions
carried over move into it with their open milestones and owners, linked both ways; indicators continue."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from sqlalchemy import select

from tests.factories import load_agreement, make_action, make_co_lead, make_milestone, make_user, workstream
from tracker.actions.models import Action, ActionStatus, Indicator, Measurement, MilestoneStatus
from tracker.agreements.models import Agreement, Commitment, Workstream
from tracker.closeout import carry_over, decisions, renewal
from tracker.closeout.models import CloseoutDecision, Decision
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.core.errors import InvalidTransition, PermissionDenied, ValidationFailed


@pytest.fixture
def ended(app: Flask, frozen_clock) -> Agreement:
    return load_agreement(ended=True)


def _renew(agreement: Agreement, admin, **overrides) -> Agreement:
    values = {"slug": "idf-bxl-2026", "starts_on": date(2026, 9, 23), "ends_on": date(2031, 9, 22)}
    values |= {"signed_on": date(2026, 9, 15), **overrides}
    successor = renewal.renew(agreement, by=admin, **values)
    db.session.commit()
    return successor


def test_the_successor_takes_the_parties_workstreams_co_leads_commitments_and_carried_over_actions(
    ended: Agreement,
) -> None:
    ws = workstream(ended, "ECO-DEV")
    lead = make_user("BXL")
    make_co_lead(ws, lead)
    owner = make_user("IDF")
    carried = make_action(ws, owner, title="Mission croisée des incubateurs")
    carried.commitments = [ws.commitments[0]]
    open_step = make_milestone(carried, date(2026, 12, 1), title="Deuxième mission")
    make_milestone(
        carried, date(2025, 5, 1), title="Première mission", status=MilestoneStatus.DONE, completed_on=date(2025, 5, 2)
    )
    make_milestone(carried, date(2025, 6, 1), title="Salon annulé", status=MilestoneStatus.CANCELLED)
    cancelled = make_action(ws, owner, title="Étude abandonnée")
    decisions.decide(owner, ended, carried, Decision.CARRIED_OVER, "À poursuivre")
    decisions.decide(owner, ended, cancelled, Decision.CANCELLED, "Sans budget")
    db.session.commit()

    admin = make_user("IDF", "admin")
    successor = _renew(ended, admin, title={"fr": "Accord de coopération 2026–2031"})

    assert successor.succeeds_id == ended.id and ended.succeeded_by == successor
    assert [p.code for p in successor.parties] == [p.code for p in ended.parties]
    assert successor.title_fr == "Accord de coopération 2026–2031" and successor.title_nl == ended.title_nl
    assert [w.code for w in successor.workstreams] == [w.code for w in ended.workstreams]
    new_ws = workstream(successor, "ECO-DEV")
    assert new_ws.lead_for(lead.party_id) == lead
    assert [c.code for c in new_ws.commitments] == [c.code for c in ws.commitments]

    moved = db.session.scalars(select(Action).where(Action.workstream_id == new_ws.id)).one()
    assert (moved.title, moved.owner_id, moved.status) == (
        "Mission croisée des incubateurs",
        owner.id,
        ActionStatus.ACTIVE,
    )
    assert [(m.title, m.due_on, m.status) for m in moved.milestones] == [
        ("Deuxième mission", date(2026, 12, 1), MilestoneStatus.PLANNED)
    ]
    assert [c.code for c in moved.commitments] == [ws.commitments[0].code]
    assert moved.commitments[0].workstream_id == new_ws.id  # the successor's own commitment
    assert moved.continues == carried and carried.continued_by == moved
    assert db.session.get(CloseoutDecision, carried.id).successor_action_id == moved.id
    # The ended agreement keeps its action as it was, with its decision; the cancelled one does not move.
    db.session.refresh(open_step)
    assert carried.workstream_id == ws.id and open_step.status == MilestoneStatus.PLANNED
    assert cancelled.continued_by is None
    verbs = db.session.scalars(select(AuditEntry.verb).order_by(AuditEntry.id)).all()
    assert verbs[-4:] == ["renew", "renew", "carry_over", "continue"]


def test_an_action_carried_over_after_the_renewal_moves_at_its_decision(ended: Agreement) -> None:
    successor = _renew(ended, make_user("BXL", "admin"))
    owner = make_user("IDF")
    late = make_action(workstream(ended, "CULTURE"), owner, title="Résidences croisées", status=ActionStatus.ON_HOLD)
    outcome = decisions.decide_many(owner, ended, [late.id], "carried_over", "")
    db.session.commit()
    assert outcome.decided == [late.id]
    moved = db.session.scalars(select(Action).where(Action.continues_action_id == late.id)).one()
    assert moved.workstream.agreement_id == successor.id and moved.workstream.code == "CULTURE"
    assert moved.status == ActionStatus.ON_HOLD
    # Moving again changes nothing: the decision knows where its action went.
    assert carry_over.carry_over_decided(ended, successor, by=None) == []


def test_indicators_continue_from_their_last_measurement(ended: Agreement) -> None:
    share = db.session.scalars(
        select(Indicator).where(Indicator.agreement_id == ended.id, Indicator.code == "BE-FR-EXPORT-SHARE")
    ).one()
    db.session.add_all(
        [
            Measurement(indicator_id=share.id, measured_on=date(2024, 12, 31), value=7.1),
            Measurement(indicator_id=share.id, measured_on=date(2026, 6, 30), value=7.4),
        ]
    )
    db.session.commit()
    successor = _renew(ended, make_user("IDF", "admin"))
    continued = {i.code: i for i in db.session.scalars(select(Indicator).where(Indicator.agreement_id == successor.id))}
    assert set(continued) == set(db.session.scalars(select(Indicator.code).where(Indicator.agreement_id == ended.id)))
    assert (continued[share.code].baseline_value, continued[share.code].baseline_on) == (7.4, date(2026, 6, 30))
    assert continued[share.code].workstream.agreement_id == successor.id
    never_measured = next(i for code, i in continued.items() if code != share.code)
    assert never_measured.baseline_on == date(2021, 9, 23)  # nothing measured: the old baseline carries on
    # The ended agreement's indicator keeps its own baseline.
    db.session.refresh(share)
    assert share.baseline_value == 6.9


def test_only_an_admin_of_a_signatory_party_renews_an_ended_agreement_once(ended: Agreement) -> None:
    with pytest.raises(PermissionDenied):
        renewal.renew(
            ended, by=make_user("IDF", "coordinator"), slug="idf-bxl-2026", starts_on="2026-09-23", ends_on="2031-09-22"
        )
    with pytest.raises(ValidationFailed) as bad:
        renewal.renew(ended, by=make_user("IDF", "admin"), slug="IDF BXL", starts_on="2026-09-01", ends_on="2026-10-01")
    assert set(bad.value.errors) == {"slug", "starts_on", "ends_on", "signed_on"}
    with pytest.raises(ValidationFailed) as taken:
        renewal.renew(ended, by=make_user("IDF", "admin"), slug="idf-bxl-2021", starts_on="2026-09-23", ends_on="x")
    assert set(taken.value.errors) == {"slug", "ends_on", "signed_on"}
    db.session.rollback()
    _renew(ended, make_user("BXL", "admin"))
    with pytest.raises(InvalidTransition):
        renewal.renew(
            ended, by=make_user("IDF", "admin"), slug="idf-bxl-2026b", starts_on="2026-09-23", ends_on="2031-09-22"
        )
    assert db.session.scalar(select(Agreement).where(Agreement.slug == "idf-bxl-2026b")) is None


def test_an_agreement_in_force_is_not_renewed(app: Flask, frozen_clock) -> None:
    in_force = load_agreement()
    with pytest.raises(InvalidTransition):
        renewal.renew(
            in_force, by=make_user("IDF", "admin"), slug="idf-bxl-2027", starts_on="2027-09-23", ends_on="2032-09-22"
        )
    assert db.session.scalars(select(Workstream).where(Workstream.agreement_id != in_force.id)).first() is None
    assert db.session.scalars(select(Commitment)).first() is not None


def test_the_proposal_is_the_day_after_the_end_for_five_years(ended: Agreement) -> None:
    offer = renewal.proposal(ended)
    assert (offer.slug, offer.starts_on, offer.ends_on) == ("idf-bxl-2026", date(2026, 9, 23), date(2031, 9, 22))
    assert renewal.period_label(ended) == "2021–2026"
