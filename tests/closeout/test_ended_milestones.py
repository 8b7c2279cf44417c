"""Once the agreement has ended, a milestone is new work like an action: none is added under it (page, API), and
none is moved past its end, nor is an action's own due date; the successor, in force, takes them — the carried-over
milestones included."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.api.helpers import Api, assert_problem, token_for
from tests.factories import load_agreement, make_action, make_milestone, make_user, workstream
from tests.forms import submit_form
from tests.helpers import login, text
from tracker.actions import services
from tracker.actions.models import Action, Milestone
from tracker.agreements.models import Agreement
from tracker.closeout import decisions, renewal
from tracker.closeout.models import Decision
from tracker.core.db import db

N = "\u202f"  # the narrow no-break space of French typography


@pytest.fixture
def ended(app: Flask, frozen_clock) -> Agreement:
    return load_agreement(ended=True)


def _milestones() -> int:
    return int(db.session.scalar(select(func.count(Milestone.id))))


def test_no_new_milestone_is_offered_or_accepted_on_an_ended_agreement(client: FlaskClient, ended: Agreement) -> None:
    owner = make_user("IDF", language="fr")
    action = make_action(workstream(ended, "CULTURE"), owner, title="Festival croisé")
    login(client, owner.email)
    page = text(client.get(f"/actions/{action.id}"))
    assert "Modifier l’action" in page and f"/actions/{action.id}/milestones/new" not in page  # not offered
    # Opened anyway (a bookmark): the refusal, not a form that would only be refused on submit.
    response = client.get(f"/actions/{action.id}/milestones/new")
    assert response.status_code == 200 and 'name="title"' not in text(response)
    assert (
        f"Cet accord a pris fin le 22 septembre 2026{N}: un nouveau jalon a sa place dans l’accord qui lui succède, "
        "ou dans celui-ci une fois prolongé par un avenant." in text(response)
    )
    api = Api(client, token_for(owner))
    refused = api.post(
        f"/actions/{action.id}/milestones",
        json={"title": "Édition 2099", "due_on": "2099-06-30"},
        headers={"Accept-Language": "en"},
    )
    problem = assert_problem(refused, 422, "validation-failed")
    assert "new milestones belong in the agreement that succeeds it" in (problem.get("detail") or problem["title"])
    assert _milestones() == 0


def test_a_milestone_of_an_ended_agreement_is_not_moved_past_its_end(client: FlaskClient, ended: Agreement) -> None:
    owner = make_user("IDF", language="fr")
    milestone = make_milestone(make_action(workstream(ended, "CULTURE"), owner), date(2026, 6, 1))
    login(client, owner.email)
    edit = f"/milestones/{milestone.id}/edit"
    refused = submit_form(client, edit, fields={"due_on": "2027-03-01"})
    assert refused.status_code == 422
    assert f"Cet accord a pris fin le 22 septembre 2026{N}: un jalon prévu après cette date" in text(refused)
    db.session.refresh(milestone)
    assert milestone.due_on == date(2026, 6, 1)
    api = Api(client, token_for(owner))
    moved_far = api.patch(f"/milestones/{milestone.id}", json={"version": milestone.version, "due_on": "2099-12-31"})
    assert_problem(moved_far, 422, "validation-failed")
    db.session.refresh(milestone)
    assert milestone.due_on == date(2026, 6, 1)
    # Within the term, a date is still corrected (a milestone met late, before the end).
    within = api.patch(f"/milestones/{milestone.id}", json={"version": milestone.version, "due_on": "2026-09-22"})
    assert within.status_code == 200, within.get_data(as_text=True)
    db.session.refresh(milestone)
    assert milestone.due_on == date(2026, 9, 22)


def test_the_due_date_of_an_action_of_an_ended_agreement_is_not_moved_past_its_end(
    client: FlaskClient, ended: Agreement
) -> None:
    owner = make_user("IDF", language="fr")
    action = make_action(workstream(ended, "CULTURE"), owner, title="Festival croisé", due_on=date(2026, 6, 1))
    login(client, owner.email)
    refused = submit_form(client, f"/actions/{action.id}/edit", fields={"due_on": "2027-03-01"})
    assert refused.status_code == 422
    assert (
        f"Cet accord a pris fin le 22 septembre 2026{N}: une action prévue après cette date a sa place dans l’accord "
        "qui lui succède, ou dans celui-ci une fois prolongé par un avenant." in text(refused)
    )
    db.session.refresh(action)
    assert action.due_on == date(2026, 6, 1)
    api = Api(client, token_for(owner))
    moved_far = api.patch(
        f"/actions/{action.id}",
        json={"version": action.version, "due_on": "2099-12-31"},
        headers={"Accept-Language": "en"},
    )
    problem = assert_problem(moved_far, 422, "validation-failed")
    assert "an action due after that date belongs in the agreement that succeeds it" in str(problem)
    db.session.refresh(action)
    assert action.due_on == date(2026, 6, 1)
    # Within the term, the date is still corrected; on the page too.
    within = api.patch(f"/actions/{action.id}", json={"version": action.version, "due_on": "2026-09-22"})
    assert within.status_code == 200, within.get_data(as_text=True)
    saved = submit_form(client, f"/actions/{action.id}/edit", fields={"due_on": "2026-09-01"})
    assert saved.status_code == 303, text(saved)
    db.session.refresh(action)
    assert action.due_on == date(2026, 9, 1)


def test_an_action_already_due_after_the_end_keeps_its_date_through_other_edits(
    client: FlaskClient, ended: Agreement
) -> None:
    owner = make_user("IDF", language="fr")
    action = make_action(workstream(ended, "CULTURE"), owner, due_on=date(2026, 12, 18))  # planned before the end
    login(client, owner.email)
    saved = submit_form(client, f"/actions/{action.id}/edit", fields={"title": "Festival croisé, édition 2026"})
    assert saved.status_code == 303, text(saved)
    db.session.refresh(action)
    assert (action.title, action.due_on) == ("Festival croisé, édition 2026", date(2026, 12, 18))


def test_the_carried_over_milestones_move_into_the_successor_which_takes_new_ones(ended: Agreement) -> None:
    owner = make_user("IDF")
    action = make_action(workstream(ended, "ECO-DEV"), owner, title="Mission croisée")
    make_milestone(action, date(2027, 3, 1), title="Mission de printemps")
    decisions.decide(owner, ended, action, Decision.CARRIED_OVER, "")
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
    assert [m.title for m in moved.milestones] == ["Mission de printemps"]
    added = services.add_milestone(owner, moved, title="Mission d’automne", due_on="2027-10-15")
    db.session.commit()
    assert added.action_id == moved.id
    later = services.update_milestone(owner, added, version=added.version, due_on="2031-09-01")
    assert later.due_on == date(2031, 9, 1)
    # The action's own due date, in the successor in force, moves as far as its term.
    moved = services.update_action(owner, moved, version=moved.version, due_on="2031-09-15")
    assert moved.due_on == date(2031, 9, 15)
