"""People administration in the browser: invitations and their single-use link, roles, departures handed over,
co-leads named by each party's admin, password resets by email; never across parties."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests import factories
from tests.forms import submit_form
from tests.helpers import login, text
from tracker.accounts.models import User
from tracker.accounts.services import create_api_token
from tracker.agreements.models import Agreement, WorkstreamLead
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.mail.models import OutboxMessage


@pytest.fixture
def agreement(app: Flask) -> Agreement:
    return factories.load_agreement()


def mailed_link(email: str, path: str) -> str:
    """Return the path of the last link to `path…` mailed to `email` (read from the outbox)."""
    body = db.session.scalars(
        select(OutboxMessage.body_text).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id.desc())
    ).first()
    assert body, f"no mail to {email}"
    match = re.search(rf"https?://[^/\s]+({re.escape(path)}[^\s]+)", body)
    assert match, body
    return match.group(1)


def test_an_invited_person_sets_a_password_from_the_link_once(
    app: Flask, client: FlaskClient, agreement: Agreement
) -> None:
    admin = factories.make_user("BXL", "admin", language="en")
    login(client, admin.email)
    page = client.get("/admin/people")
    fields = {"email": "Nora.Janssens@example.org", "name": "Nora Janssens", "role": "coordinator", "language": "nl"}
    done = submit_form(client, page, action="/admin/people", fields=fields, follow_redirects=True)
    assert "Nora Janssens" in text(done) and "Invited" in text(done)
    again = submit_form(client, "/admin/people", action="/admin/people", fields=fields)
    assert again.status_code == 422 and "already exists" in text(again)

    path = mailed_link("nora.janssens@example.org", "/welcome/")
    newcomer = app.test_client()
    welcome = newcomer.get(path)
    assert welcome.status_code == 200 and "Nora Janssens" in text(welcome)
    short = submit_form(newcomer, welcome, fields={"password": "short", "confirm": "short"})
    assert short.status_code == 422
    chosen = {"password": "a long enough passphrase", "confirm": "a long enough passphrase", "language": "en"}
    assert submit_form(newcomer, path, fields=chosen).status_code == 302
    assert newcomer.get(path).status_code == 404  # spent
    assert login(newcomer, "nora.janssens@example.org", "a long enough passphrase").status_code == 302
    nora = db.session.scalar(select(User).where(User.email == "nora.janssens@example.org"))
    assert nora.party.code == "BXL" and nora.language == "en"
    created = select(AuditEntry.actor_id).where(
        AuditEntry.entity == "user", AuditEntry.entity_id == nora.id, AuditEntry.verb == "create"
    )
    assert db.session.scalar(created) == admin.id


def test_an_admin_changes_people_of_their_party_but_never_their_own_role(
    app: Flask, client: FlaskClient, agreement: Agreement
) -> None:
    admin = factories.make_user("BXL", "admin", language="en")
    colleague = factories.make_user("BXL", "coordinator", name="Pieter Peeters")
    other = factories.make_user("IDF", "coordinator", name="Claire Martin")
    login(client, admin.email)
    listing = text(client.get("/admin/people?q=peeters"))
    assert "Pieter Peeters" in listing and f"/admin/people/{admin.id}" not in listing
    assert "Claire Martin" not in text(client.get("/admin/people?q=claire"))
    assert client.get(f"/admin/people/{other.id}").status_code == 404

    fields = {"role": "reviewer", "language": "fr", "digest": "weekly"}
    assert submit_form(client, f"/admin/people/{colleague.id}", fields=fields).status_code == 302
    db.session.refresh(colleague)
    assert (colleague.role, colleague.language, colleague.digest) == ("reviewer", "fr", "weekly")
    own = submit_form(client, f"/admin/people/{admin.id}", fields={"role": "coordinator"})
    assert own.status_code == 422 and "your own role" in text(own)
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_a_person_who_left_is_deactivated_and_hands_over_at_once(
    app: Flask, client: FlaskClient, agreement: Agreement
) -> None:
    ws = factories.workstream(agreement, "ECO-DEV")
    admin = factories.make_user("IDF", "admin", language="en")
    leaving = factories.make_user("IDF", "coordinator", name="Léa Départ")
    colleague = factories.make_user("IDF", "coordinator", name="Hugo Relais")
    factories.make_co_lead(ws, leaving)
    action = factories.make_action(ws, leaving, title="Forum de l’emploi")
    _token, plaintext = create_api_token(leaving, name="script", scope="read")
    db.session.commit()
    feed = f"/calendar/{leaving.feed_token}.ics"
    session = app.test_client()
    login(session, leaving.email)
    assert session.get("/profile").status_code == 200
    assert client.get(feed).status_code == 200
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plaintext}"}).status_code == 200

    login(client, admin.email)
    page = client.get(f"/admin/people/{leaving.id}")
    # What they hold, by title (the workstream too, never its code).
    assert "Forum de l’emploi" in text(page) and ws.title_en in text(page) and "ECO-DEV" not in text(page)
    action_path = f"/admin/people/{leaving.id}/deactivate"
    missing = submit_form(client, page, action=action_path, fields={"successor": ""})
    assert missing.status_code == 422 and "Choose an active coordinator" in text(missing)
    done = submit_form(client, page, action=action_path, fields={"successor": str(colleague.id)})
    assert done.status_code == 302

    db.session.expire_all()
    assert db.session.get(type(action), action.id).owner_id == colleague.id
    assert db.session.get(WorkstreamLead, (ws.id, leaving.party_id)).user_id == colleague.id
    assert session.get("/profile").status_code == 302  # the session ended
    assert client.get(feed).status_code == 404
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plaintext}"}).status_code == 401
    history = text(client.get(f"/actions/{action.id}"))
    assert "Léa Départ" in history and "Hugo Relais" in history


def test_each_partys_admin_names_its_co_lead(app: Flask, client: FlaskClient, agreement: Agreement) -> None:
    ws = factories.workstream(agreement, "ECO-DEV")
    admin = factories.make_user("BXL", "admin", language="en")
    lead = factories.make_user("BXL", "coordinator", name="Bram Lead")
    idf_person = factories.make_user("IDF", "coordinator")
    login(client, admin.email)
    page = client.get("/admin/co-leads")
    path = f"/admin/co-leads/{ws.id}"
    submit_form(client, page, action=path, fields={f"ws{ws.id}-person": str(idf_person.id)})
    assert db.session.get(WorkstreamLead, (ws.id, admin.party_id)) is None  # not of their party
    submit_form(client, page, action=path, fields={f"ws{ws.id}-person": str(lead.id)})
    assert db.session.get(WorkstreamLead, (ws.id, admin.party_id)).user_id == lead.id
    assert db.session.get(WorkstreamLead, (ws.id, idf_person.party_id)) is None  # the other party's stays theirs


def test_password_reset_answers_the_same_and_its_link_works_once(
    app: Flask, client: FlaskClient, agreement: Agreement
) -> None:
    person = factories.make_user("IDF", "coordinator", email="oubli@example.org")
    _token, plaintext = create_api_token(person, name="script", scope="read")
    db.session.commit()
    known = submit_form(client, "/password/forgot", fields={"email": "oubli@example.org"})
    unknown = submit_form(client, "/password/forgot", fields={"email": "personne@example.org"})
    assert known.status_code == unknown.status_code == 200
    for page in (known, unknown):
        assert "Si un compte utilise cette adresse, un lien" in text(page)
    assert db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.recipient == "personne@example.org")) is None

    path = mailed_link("oubli@example.org", "/password/reset/")
    fields = {"password": "a brand new passphrase", "confirm": "a brand new passphrase"}
    assert submit_form(client, path, fields=fields).status_code == 302
    assert client.get(path).status_code == 404
    assert login(app.test_client(), person.email, "a brand new passphrase").status_code == 302
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plaintext}"}).status_code == 401


def test_an_active_person_reads_as_active_not_as_an_action_under_way(client: FlaskClient, agreement: Agreement) -> None:
    admin = factories.make_user("IDF", "admin", language="fr")
    factories.make_user("IDF", name="Camille Martin", language="fr")
    login(client, admin.email)
    page = text(client.get("/admin/people"))
    assert "Actif" in page and "En cours" not in page


@pytest.mark.parametrize(
    "email", ["élodie.dupré@idf.example.org", "new.person@idf.example.org\r\nBcc: x@y.org", "deux@@example.org"]
)
def test_an_address_no_mail_could_reach_is_refused_in_the_admins_language(
    client: FlaskClient, agreement: Agreement, email: str
) -> None:
    """An accented name before the @ would sit in the outbox for ever (relays without SMTPUTF8): it is refused at
    the form, like a broken address, with a French sentence rather than the validator's English."""
    admin = factories.make_user("IDF", "admin", language="fr")
    login(client, admin.email)
    fields = {"email": email, "name": "Élodie Dupré", "role": "coordinator", "language": "fr"}
    refused = submit_form(client, "/admin/people", action="/admin/people", fields=fields)
    shown = text(refused)
    assert refused.status_code == 422 and "aucune lettre accentuée avant le @" in shown
    assert "invalid characters" not in shown and "The part after" not in shown
    assert db.session.scalar(select(User).where(User.name == "Élodie Dupré")) is None
    assert db.session.scalar(select(OutboxMessage.id)) is None
