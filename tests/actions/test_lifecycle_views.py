"""The transition forms, the approvals page and the conflict page, driven like a browser would."""

from __future__ import annotations

import re
from datetime import date

from flask.testing import FlaskClient

from tests import factories
from tests.actions.conftest import Team
from tests.forms import submit_form
from tests.helpers import csrf_check_off, login, logout, text
from tracker.actions import services
from tracker.actions.models import ActionStatus, MilestoneStatus
from tracker.core.db import db


def _move(client: FlaskClient, page: str, url: str, to: str, **fields: str):
    """Press the lifecycle move `to` on `page` (its form posts to `url`), with `fields` filled in."""
    return submit_form(client, page, action=url, match={"to": to}, fields=fields)


def _forced(client: FlaskClient, url: str, **data: str):
    """POST a move that no page offers this user (what the server does with it is under test, not the token)."""
    with csrf_check_off(client.application):
        return client.post(url, data=data)


def test_the_owner_proposes_from_the_form_and_sees_a_confirmation(client: FlaskClient, team: Team) -> None:
    action = factories.make_action(team.ws, team.owner, status=ActionStatus.DRAFT, title="Forum <b>vert</b>")
    login(client, team.owner.email)
    url = f"/actions/{action.id}/transition"
    response = _move(client, f"/actions/{action.id}", url, "proposed", next="/approvals")
    assert response.status_code == 303 and response.headers["Location"] == "/approvals"
    db.session.refresh(action)
    assert action.status == ActionStatus.PROPOSED
    page = text(client.get("/approvals"))
    assert "«\u00a0Forum &lt;b&gt;vert&lt;/b&gt;\u00a0» est maintenant proposée." in page


def test_a_refused_move_is_explained_and_changes_nothing(client: FlaskClient, team: Team) -> None:
    action = factories.make_action(team.ws, team.owner, status=ActionStatus.PROPOSED)
    login(client, team.idf_lead.email)
    url = f"/actions/{action.id}/transition"
    response = _move(client, "/approvals", url, "draft", comment="  ")
    assert response.status_code == 303
    assert "demande un commentaire" in text(client.get("/approvals"))
    response = _forced(client, url, to="completed", next="/approvals")
    assert "Impossible de passer de «\u00a0Proposée\u00a0» à «\u00a0Terminée\u00a0»" in text(client.get("/approvals"))
    db.session.refresh(action)
    assert action.status == ActionStatus.PROPOSED and action.approvals == []


def test_forbidden_unknown_and_unsafe_requests(client: FlaskClient, team: Team) -> None:
    action = factories.make_action(team.ws, team.owner, status=ActionStatus.ACTIVE)
    login(client, team.reviewer.email)
    url = f"/actions/{action.id}/transition"
    assert _forced(client, url, to="on_hold").status_code == 403
    assert client.post(url, data={"to": "on_hold"}).status_code == 400  # no CSRF token
    logout(client)
    login(client, team.outsider.email)
    assert _forced(client, url, to="on_hold").status_code == 404
    logout(client)
    login(client, team.owner.email)
    response = _move(client, f"/actions/{action.id}", url, "on_hold", next="https://evil.example/")
    assert response.status_code == 303 and "evil" not in response.headers["Location"]
    assert _forced(client, "/actions/999999/transition", to="on_hold").status_code == 404
    db.session.refresh(action)
    assert action.status == ActionStatus.ON_HOLD


def test_the_approvals_page_lists_what_awaits_me_until_i_approve(client: FlaskClient, team: Team) -> None:
    waiting = factories.make_action(team.ws, team.owner, status=ActionStatus.PROPOSED, title="Salon des PME")
    factories.make_action(team.ws, team.owner, status=ActionStatus.DRAFT, title="Brouillon discret")
    login(client, team.bxl_lead.email)
    page = text(client.get("/approvals"))
    assert "Salon des PME" in page and "Brouillon discret" not in page
    assert 'name="to" value="active"' in page and 'name="to" value="draft"' in page
    assert re.search(r'<label for="actions-\d+-return-comment">', page)
    _move(client, "/approvals", f"/actions/{waiting.id}/transition", "active")
    page = text(client.get("/approvals"))
    assert "Salon des PME" not in page and "goedkeuring is geregistreerd" in page
    logout(client)
    login(client, team.idf_coordinator.email)
    assert "Rien n’attend votre approbation." in text(client.get("/approvals"))
    logout(client)
    login(client, team.idf_lead.email)
    page = text(client.get("/approvals"))
    # The IDF co-lead sees, in words, that Brussels approved (and who did) and that Île-de-France has not yet.
    assert "Salon des PME" in page
    assert "Région de Bruxelles-Capitale\u00a0: approuvée par Pieter Janssens le" in page
    assert "Région Île-de-France\u00a0: approbation en attente" in page


def test_the_approvals_page_is_paginated(client: FlaskClient, team: Team) -> None:
    for n in range(7):
        factories.make_action(team.ws, team.owner, status=ActionStatus.PROPOSED, title=f"Proposition {n}")
    login(client, team.idf_lead.email)
    first = text(client.get("/approvals?per_page=5"))
    assert "Proposition 4" in first and "Proposition 5" not in first and "Page 1 sur 2" in first
    second = text(client.get("/approvals?per_page=5&page=2"))
    assert "Proposition 6" in second and "Proposition 0" not in second
    assert client.get("/approvals?page=abc&per_page=-3").status_code == 200


def test_a_milestone_is_marked_done_from_its_form(client: FlaskClient, team: Team, frozen_clock) -> None:
    action = factories.make_action(team.ws, team.owner)
    milestone = factories.make_milestone(action, date(2026, 11, 20))
    login(client, team.owner.email)
    response = _move(
        client,
        f"/actions/{action.id}",
        f"/milestones/{milestone.id}/transition",
        "done",
        completed_on="2026-11-26",
        evidence_url="https://example.org/compte-rendu",
    )
    assert response.status_code == 303
    db.session.refresh(milestone)
    assert (milestone.status, milestone.completed_on) == (MilestoneStatus.DONE, date(2026, 11, 26))


def test_a_milestone_done_before_its_action_started_is_refused_on_the_form(
    client: FlaskClient, team: Team, frozen_clock
) -> None:
    action = factories.make_action(team.ws, team.owner, start_on=date(2026, 3, 2))
    milestone = factories.make_milestone(action, date(2026, 4, 1))
    login(client, team.owner.email)
    response = _move(
        client, f"/actions/{action.id}", f"/milestones/{milestone.id}/transition", "done", completed_on="2026-02-27"
    )
    assert response.status_code == 303
    page = text(client.get(response.headers["Location"]))
    assert "La date de réalisation ne peut pas précéder le début de l’action (2 mars 2026)." in page
    db.session.refresh(milestone)
    assert (milestone.status, milestone.completed_on) == (MilestoneStatus.PLANNED, None)
    _move(client, f"/actions/{action.id}", f"/milestones/{milestone.id}/transition", "done", completed_on="2026-03-02")
    db.session.refresh(milestone)
    assert (milestone.status, milestone.completed_on) == (MilestoneStatus.DONE, date(2026, 3, 2))


def test_a_stale_milestone_form_shows_both_versions(client: FlaskClient, team: Team, frozen_clock) -> None:
    action = factories.make_action(team.ws, team.owner)
    milestone = factories.make_milestone(action, date(2026, 11, 20))
    login(client, team.owner.email)
    page = client.get(f"/actions/{action.id}")  # rendered at version 1
    services.move_milestone(team.idf_lead, milestone, version=1, due_on="2026-12-01")
    db.session.commit()
    response = _move(client, page, f"/milestones/{milestone.id}/transition", "cancelled", comment="Annulé")
    assert response.status_code == 409
    page = text(response)
    assert "Claire Martin a modifié cet élément" in page
    assert "Votre version" in page and "Version actuelle" in page
    assert 'name="version" value="2"' in page and 'name="comment" value="Annulé"' in page
    db.session.refresh(milestone)
    assert milestone.status == MilestoneStatus.PLANNED


def test_the_forms_of_a_completed_or_cancelled_action_say_why_instead_of_showing_themselves(
    client: FlaskClient, team: Team
) -> None:
    login(client, team.owner.email)
    for status in (ActionStatus.COMPLETED, ActionStatus.CANCELLED):
        action = factories.make_action(team.ws, team.owner, status=status, title=f"Forum {status}")
        milestone = factories.make_milestone(action, date(2026, 12, 15))
        db.session.commit()
        for path, reason in (
            (f"/actions/{action.id}/edit", "Une action terminée ou annulée ne peut plus être modifiée."),
            (f"/actions/{action.id}/progress", "Une action terminée ou annulée ne peut plus être modifiée."),
            (
                f"/actions/{action.id}/milestones/new",
                "L’action est terminée ou annulée\xa0: ses jalons ne peuvent plus changer.",
            ),
            (
                f"/milestones/{milestone.id}/edit",
                "L’action est terminée ou annulée\xa0: ses jalons ne peuvent plus changer.",
            ),
        ):
            page = client.get(path)
            assert page.status_code == 200, path
            html = text(page)
            assert f'<p class="notice" role="status">{reason}</p>' in html, (status, path)
            assert '<form method="post" novalidate class="panel"' not in html and 'name="title"' not in html, path


def test_an_impossible_due_date_is_said_not_to_exist(client: FlaskClient, team: Team) -> None:
    action = factories.make_action(team.ws, team.owner, title="Forum vert")
    login(client, team.owner.email)
    for typed in ("2026-02-31", "31/02/2026"):
        response = submit_form(
            client, f"/actions/{action.id}/milestones/new", fields={"title": "Jalon", "due_on": typed}
        )
        assert response.status_code == 422
        assert f"Cette date n’existe pas\u00a0: {typed}" in text(response), typed
    assert action.milestones == []
