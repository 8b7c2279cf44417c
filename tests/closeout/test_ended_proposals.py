"""Once the agreement has ended, its proposed actions wait for no approval: they get a close-out decision instead.
The approvals page and « Waiting on me » list none of them, and approving one (or proposing a draft) is refused
with the reason; a proposal carried over waits for approval once, in the successor, where it is approved."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.api.helpers import Api, assert_problem, token_for
from tests.factories import load_agreement, make_action, make_co_lead, make_user, workstream
from tests.helpers import login, text
from tracker.accounts.models import User
from tracker.actions.models import Action, ActionApproval, ActionStatus
from tracker.agreements.models import Agreement
from tracker.closeout import decisions, renewal
from tracker.closeout.models import Decision
from tracker.core.db import db

N = "\u202f"  # the narrow no-break space of French typography
ENDED = (
    f"Cet accord a pris fin le 22 septembre 2026{N}: ses actions ne sont plus proposées ni approuvées{N}; leurs "
    "responsables et les copilotes des chantiers décident plutôt de leur clôture."
)


def _proposal(agreement: Agreement, title: str) -> tuple[Action, User]:
    """A proposal in the agreement's CULTURE workstream, and the Brussels co-lead who would approve it."""
    lead = make_user("BXL", language="fr")
    make_co_lead(workstream(agreement, "CULTURE"), lead)
    action = make_action(workstream(agreement, "CULTURE"), make_user("IDF"), title=title, status=ActionStatus.PROPOSED)
    return action, lead


def test_a_proposal_of_an_ended_agreement_waits_for_no_approval_and_gets_a_close_out_decision(
    client: FlaskClient, app: Flask, frozen_clock
) -> None:
    ended = load_agreement(ended=True)
    action, lead = _proposal(ended, "Festival croisé")
    login(client, lead.email)
    assert "Festival croisé" not in text(client.get("/approvals"))
    assert "Festival croisé" not in text(client.get("/"))  # « En attente de moi »: nothing to approve
    page = text(client.get(f"/actions/{action.id}"))
    assert f"Approuver pour ma région</span> — {ENDED}" in page  # shown with its reason, not offered
    refused = Api(client, token_for(lead)).post(f"/actions/{action.id}/approvals", json={})
    problem = assert_problem(refused, 409, "invalid-transition")
    assert "its actions are no longer proposed or approved" in problem["title"]  # the API speaks English
    db.session.refresh(action)
    assert action.status == ActionStatus.PROPOSED and not action.approvals
    # What it gets instead: its close-out decision, by a co-lead.
    decisions.decide(lead, ended, action, Decision.CANCELLED, "Pas de budget après la fin de l’accord.")
    db.session.commit()
    assert action.status == ActionStatus.CANCELLED


def test_a_draft_of_an_ended_agreement_is_not_proposed(client: FlaskClient, frozen_clock) -> None:
    ended = load_agreement(ended=True)
    owner = make_user("IDF", language="fr")
    draft = make_action(workstream(ended, "CULTURE"), owner, status=ActionStatus.DRAFT)
    login(client, owner.email)
    refused = Api(client, token_for(owner)).post(f"/actions/{draft.id}/transitions", json={"to": "proposed"})
    assert_problem(refused, 409, "invalid-transition")
    db.session.refresh(draft)
    assert draft.status == ActionStatus.DRAFT


def test_a_proposal_carried_over_waits_for_approval_once_in_the_successor(client: FlaskClient, frozen_clock) -> None:
    ended = load_agreement(ended=True)
    action, lead = _proposal(ended, "Résidences croisées")
    decisions.decide(lead, ended, action, Decision.CARRIED_OVER, "")
    successor = renewal.renew(
        ended,
        by=make_user("IDF", "admin"),
        slug="idf-bxl-2026",
        starts_on="2026-09-23",
        ends_on="2031-09-22",
        signed_on="2026-11-27",
    )
    db.session.commit()
    moved = db.session.scalars(select(Action).where(Action.continues_action_id == action.id)).one()
    assert moved.workstream.agreement_id == successor.id
    login(client, lead.email)
    approvals = client.get("/approvals").get_data(as_text=True)
    assert approvals.count("Résidences croisées") == 1  # the continuation alone, not the action it continues
    assert f"/actions/{moved.id}" in approvals and f'/actions/{action.id}"' not in approvals
    assert text(client.get("/")).count("Résidences croisées") == 1
    approved = Api(client, token_for(lead)).post(f"/actions/{moved.id}/approvals", json={})
    assert approved.status_code == 201, approved.get_data(as_text=True)
    assert db.session.scalar(select(ActionApproval.party_id).where(ActionApproval.action_id == moved.id)) == (
        lead.party_id
    )
