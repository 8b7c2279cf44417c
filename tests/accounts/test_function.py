"""A person's function (job title): set on their own profile or by an admin of their party, shown under their
signature of a report."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import factories
from tests.forms import submit_form
from tests.helpers import login, text
from tracker.agreements.models import Agreement
from tracker.core.db import db


@pytest.fixture
def agreement(app: Flask) -> Agreement:
    return factories.load_agreement()


def test_a_person_sets_their_function_on_their_profile(client: FlaskClient, agreement: Agreement) -> None:
    person = factories.make_user("IDF", "reviewer", name="Hélène Moreau")
    login(client, person.email)
    page = client.get("/profile")
    assert "Fonction" in text(page)
    fields = {"profile-function": "  Directrice des   affaires européennes  "}
    assert submit_form(client, page, fields=fields, action="/profile").status_code == 302
    db.session.refresh(person)
    assert person.function == "Directrice des affaires européennes"
    too_long = submit_form(client, "/profile", fields={"profile-function": "x" * 201}, action="/profile")
    assert too_long.status_code == 422
    db.session.refresh(person)
    assert person.function == "Directrice des affaires européennes"


def test_an_admin_sets_the_function_of_a_person_of_their_party(client: FlaskClient, agreement: Agreement) -> None:
    admin = factories.make_user("BXL", "admin", language="en")
    colleague = factories.make_user("BXL", "reviewer", name="Jan Claes")
    login(client, admin.email)
    page = client.get(f"/admin/people/{colleague.id}")
    assert "Function, role, language and digest" in text(page)
    fields = {"function": "Director-General, Brussels International"}
    assert submit_form(client, page, fields=fields, action=f"/admin/people/{colleague.id}").status_code == 302
    db.session.refresh(colleague)
    assert colleague.function == "Director-General, Brussels International"
    assert "Director-General, Brussels International" in text(client.get(f"/admin/people/{colleague.id}"))
