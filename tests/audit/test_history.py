"""The history of an object shows every change made through the services, with names and times."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from tests.actions.conftest import Team
from tests.helpers import login, text
from tracker.actions import services
from tracker.actions.models import ActionStatus
from tracker.audit.history import history_for
from tracker.core import clock
from tracker.core.db import db
from tracker.core.errors import NotFound


def _life_of_an_action(team: Team):
    """Everything a coordinator and the co-leads do to an action, a minute apart."""
    start = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    steps = []

    def step(label, func, *args, **kwargs):
        clock.freeze(start + timedelta(minutes=len(steps)))
        result = func(*args, **kwargs)
        db.session.commit()
        steps.append(label)
        return result

    action = step(
        "create", services.create_action, team.owner, team.ws, title="Forum de l'emploi", start_on="2026-01-05"
    )
    step("update", services.update_action, team.owner, action, version=1, title="Forum bruxellois de l'emploi")
    milestone = step("add", services.add_milestone, team.owner, action, title="Salle réservée", due_on="2026-10-01")
    step("move", services.move_milestone, team.owner, milestone, version=1, due_on="2026-10-15", comment="Salle prise")
    step("propose", services.transition_action, team.owner, action, ActionStatus.PROPOSED)
    step("approve BXL", services.approve_action, team.bxl_lead, action, comment="Akkoord")
    step("approve IDF", services.approve_action, team.idf_lead, action)
    step("done", services.complete_milestone, team.owner, milestone, completed_on="2026-10-15", version=2)
    step("file", services.store_evidence, team.owner, action, "notes.txt", io.BytesIO(b"Compte rendu"))
    step("progress", services.log_progress, team.owner, action, text="Salle prête.", percent=30, health="at_risk")
    return action, milestone, steps


def test_history_shows_every_change_with_names_and_times(team: Team, frozen_clock) -> None:
    action, milestone, steps = _life_of_an_action(team)
    history = history_for(team.reviewer, action)
    assert history.total == len(steps) and not history.truncated
    rows = [(e.actor, e.entity, e.raw_verb) for e in reversed(history.entries)]
    assert rows == [
        ("Amélie Durand", "Action", "create"),
        ("Amélie Durand", "Action", "update"),
        ("Amélie Durand", "Milestone", "create"),
        ("Amélie Durand", "Milestone", "move"),
        ("Amélie Durand", "Action", "propose"),
        ("Pieter Janssens", "Action", "approve"),
        ("Claire Martin", "Action", "approve"),
        ("Amélie Durand", "Milestone", "complete"),
        ("Amélie Durand", "Evidence file", "upload"),
        ("Amélie Durand", "Progress log", "create"),
    ]
    times = [e.at for e in reversed(history.entries)]
    assert times == [datetime(2026, 11, 2, 8, n, tzinfo=UTC) for n in range(len(steps))]
    by_verb = {(e.entity, e.raw_verb, e.actor): e for e in history.entries}
    activation = by_verb[("Action", "approve", "Claire Martin")]
    assert [(c.label, c.old, c.new) for c in activation.changes] == [
        ("Approved for", None, "Île-de-France Region"),
        ("Status", "Proposed", "Active"),
    ]
    assert by_verb[("Action", "approve", "Pieter Janssens")].comment == "Akkoord"
    rename = by_verb[("Action", "update", "Amélie Durand")]
    assert [(c.old, c.new) for c in rename.changes] == [("Forum de l'emploi", "Forum bruxellois de l'emploi")]
    assert [e.raw_verb for e in history_for(team.owner, milestone).entries] == ["complete", "move", "create"]


def test_history_is_limited_and_hidden_from_other_parties(team: Team, frozen_clock) -> None:
    action, _, steps = _life_of_an_action(team)
    short = history_for(team.owner, action, limit=3)
    assert len(short.entries) == 3 and short.truncated and short.total == len(steps)
    with pytest.raises(NotFound):
        history_for(team.outsider, action)


def test_the_action_page_shows_its_history(client: FlaskClient, team: Team, frozen_clock) -> None:
    action, _, _ = _life_of_an_action(team)
    login(client, team.bxl_coordinator.email)
    page = text(client.get(f"/actions/{action.id}"))
    assert "Historique" in page
    assert "Pieter Janssens" in page and "Claire Martin" in page and "Amélie Durand" in page
    assert '<time datetime="2026-11-02T08:06:00+00:00">' in page
    # Times read to the minute in Paris time, in the progress log as in the history: no seconds.
    assert '<time datetime="2026-11-02T08:09:00+00:00">2 nov. 2026, 09:09</time>' in page
    assert "09:09:00" not in page and "09:06:00" not in page


def test_french_history_names_each_status_as_its_object_agrees(team: Team, frozen_clock) -> None:
    from flask_babel import force_locale

    from tracker.actions.milestones import cancel_milestone

    action = services.create_action(team.owner, team.ws, title="Salon commun", start_on="2026-01-05")
    milestone = services.add_milestone(team.owner, action, title="Stand réservé", due_on="2026-12-15")
    db.session.commit()
    cancel_milestone(team.owner, milestone, reason="Salon reporté", version=milestone.version)
    services.transition_action(team.owner, action, "cancelled", comment="Salon annulé")
    db.session.commit()
    with force_locale("fr"):
        entries = {e.raw_verb + ":" + e.entity: e for e in history_for(team.owner, action).entries}
        milestone_status = next(c for c in entries["cancel:Jalon"].changes if c.label == "Statut")
        action_status = next(c for c in entries["cancel:Action"].changes if c.label == "Statut")
    assert (milestone_status.old, milestone_status.new) == ("Prévu", "Annulé")
    assert action_status.new == "Annulée"
