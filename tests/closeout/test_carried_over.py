"""An action carried over into the successor lives on there: in the ended agreement it no longer changes (edits,
milestones, progress, moves), and each refusal points to its continuation."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import load_agreement, make_action, make_milestone, make_user, workstream
from tests.forms import submit_form
from tests.helpers import login, text
from tracker.actions.models import ActionStatus, MilestoneStatus, ProgressUpdate
from tracker.agreements.models import Agreement
from tracker.closeout import decisions, renewal
from tracker.closeout.models import Decision
from tracker.core.db import db


@pytest.fixture
def ended(app: Flask, frozen_clock) -> Agreement:
    return load_agreement(ended=True)


def test_an_action_carried_over_refuses_changes_in_the_ended_agreement_and_points_to_its_continuation(
    client: FlaskClient, ended: Agreement
) -> None:
    owner = make_user("IDF", language="fr")
    carried = make_action(workstream(ended, "ECO-DEV"), owner, title="Mission croisée")
    step = make_milestone(carried, date(2026, 12, 1), title="Deuxième mission")
    decisions.decide(owner, ended, carried, Decision.CARRIED_OVER, "À poursuivre")
    db.session.commit()
    login(client, owner.email)
    before = client.get(f"/actions/{carried.id}")  # the page as rendered before the successor starts
    assert before.status_code == 200

    renewal.renew(
        ended, by=make_user("IDF", "admin"), slug="idf-bxl-2026", starts_on=date(2026, 9, 23), ends_on=date(2031, 9, 22)
    )
    db.session.commit()
    continuation = carried.continued_by
    refusal = (
        f"Cette action a été reportée dans l’accord idf-bxl-2026\u202f: elle s’y poursuit (action {continuation.id})"
    )

    for url, fields in (
        (f"/actions/{carried.id}/progress", {"text": "Encore une étape", "percent": "60", "health": "on_track"}),
        (f"/actions/{carried.id}/edit", {"title": "Mission croisée renommée"}),
        (f"/actions/{carried.id}/milestones/new", {"title": "Troisième mission", "due_on": "2026-12-15"}),
        (f"/milestones/{step.id}/edit", {"due_on": "2027-01-15"}),
    ):
        response = submit_form(client, url, fields=fields)
        assert response.status_code == 422 and refusal in text(response), url
    held = submit_form(
        client, before, action=f"/actions/{carried.id}/transition", match={"to": "on_hold"}, follow_redirects=True
    )
    assert refusal in text(held)
    done = submit_form(
        client, before, action=f"/milestones/{step.id}/transition", match={"to": "done"}, follow_redirects=True
    )
    assert refusal in text(done)

    db.session.expire_all()
    assert (carried.title, carried.status) == ("Mission croisée", ActionStatus.ACTIVE)
    assert (step.status, step.due_on, len(carried.milestones)) == (MilestoneStatus.PLANNED, date(2026, 12, 1), 1)
    assert db.session.query(ProgressUpdate).filter_by(action_id=carried.id).count() == 0
    # Its continuation, in the successor, is where the owner works now.
    logged = submit_form(
        client,
        f"/actions/{continuation.id}/progress",
        fields={"text": "Encore une étape", "percent": "60", "health": "on_track"},
    )
    assert logged.status_code == 303
