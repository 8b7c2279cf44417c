"""Amendments: an admin of one party records it, an admin of the other confirms it, and the end date moves."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from tests.factories import load_agreement, make_user
from tests.forms import submit_form
from tests.helpers import login, logout, text
from tracker.agreements.models import Agreement, AgreementStatus, Amendment
from tracker.closeout.jobs import agreement_end
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.reports.periods import parse_period
from tracker.scheduling.jobs import JobContext

PAGE = "/agreements/idf-bxl-2021/amendments"


@pytest.fixture
def ended(app: Flask, frozen_clock) -> Agreement:
    agreement = load_agreement(ended=True)
    agreement_end(JobContext("agreement_end", frozen_clock.now()))
    assert agreement.status == AgreementStatus.ENDED
    return agreement


def test_both_parties_confirm_and_the_ended_agreement_is_in_force_again(client: FlaskClient, ended: Agreement) -> None:
    idf_admin = make_user("IDF", "admin", language="fr")
    bxl_admin = make_user("BXL", "admin", language="nl")
    login(client, idf_admin.email)
    response = submit_form(
        client,
        PAGE,
        fields={"reference": "Avenant n° 1", "signed_on": "2026-11-20", "new_ends_on": "2027-09-22", "text": "Un an"},
        follow_redirects=True,
    )
    assert "prend effet une fois que l’autre partie l’aura confirmé" in text(response)
    db.session.refresh(ended)
    assert ended.ends_on == date(2026, 9, 22)  # one party is not enough
    logout(client)

    login(client, bxl_admin.email)
    page = client.get(PAGE)
    amendment = db.session.scalars(select(Amendment)).one()
    response = submit_form(client, page, action=f"{PAGE}/{amendment.id}/confirm", fields={}, follow_redirects=True)
    assert "Het aanhangsel is van kracht" in text(response)
    db.session.refresh(ended)
    assert (ended.ends_on, ended.status) == (date(2027, 9, 22), AgreementStatus.IN_FORCE)
    assert amendment.previous_ends_on == date(2026, 9, 22)  # history keeps both dates
    body = text(client.get("/agreements/idf-bxl-2021/"))
    assert "agreement-ended" not in body and "22 september 2027" in body
    final = parse_period("final", years_from=ended.years_from, starts_on=ended.starts_on, ends_on=ended.ends_on)
    assert final.end == date(2027, 9, 22)  # the final report's period follows
    verbs = db.session.scalars(select(AuditEntry.verb).order_by(AuditEntry.id)).all()
    assert verbs[-5:] == ["record_amendment", "confirm", "confirm", "amend", "extend"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reference": "", "signed_on": "2026-11-20", "new_ends_on": "2027-09-22"}, "Indiquez la référence"),
        ({"reference": "A1", "signed_on": "2026-11-20", "new_ends_on": "2026-09-01"}, "après la date actuelle"),
        ({"reference": "A1", "signed_on": "2026-11-20", "new_ends_on": "2040-12-31"}, "10 ans au plus"),
        (
            {"reference": "A1", "signed_on": "2026-11-20", "new_ends_on": "9999-12-31"},
            "Indiquez une date entre le 1er janvier 2000 et le 31 décembre 2099.",
        ),
        ({"reference": "A1", "signed_on": "2031-01-01", "new_ends_on": "2027-09-22"}, "au plus tard aujourd’hui"),
        ({"reference": "A1", "signed_on": "hier", "new_ends_on": "2027-09-22"}, "Date non valide\u00a0: utilisez"),
        ({"reference": "A1", "signed_on": "", "new_ends_on": "2027-09-22"}, "Une date est nécessaire (AAAA-MM-JJ)."),
        (
            {"reference": "A1", "signed_on": "2026-11-20", "new_ends_on": "31/02/2027"},
            "Cette date n’existe pas\u00a0: 31/02/2027",
        ),
        (
            {"reference": "A1", "signed_on": "2026-02-31", "new_ends_on": "2027-09-22"},
            "Cette date n’existe pas\u00a0: 2026-02-31",
        ),
    ],
)
def test_bad_amendments_are_refused_with_a_clear_message(
    client: FlaskClient, ended: Agreement, fields: dict[str, str], message: str
) -> None:
    login(client, make_user("IDF", "admin", language="fr").email)
    response = submit_form(client, PAGE, fields=fields)
    assert response.status_code == 422 and message in text(response)
    assert db.session.scalar(select(Amendment)) is None


def test_only_admins_record_and_confirm(client: FlaskClient, ended: Agreement) -> None:
    login(client, make_user("IDF", "coordinator", language="fr").email)
    page = text(client.get(PAGE))
    assert "Enregistrer l’avenant" not in page


def test_a_reference_is_unique_whatever_its_case_and_spaces(client: FlaskClient, ended: Agreement) -> None:
    login(client, make_user("IDF", "admin", language="fr").email)
    fields = {"signed_on": "2026-11-20", "new_ends_on": "2027-09-22"}
    submit_form(client, PAGE, fields={"reference": "AV-1", **fields})
    db.session.execute(update(Amendment).values(in_effect_at=ended.created_at))  # as if the other party confirmed
    db.session.commit()
    again = submit_form(client, PAGE, fields={"reference": "  av-1 ", **fields, "new_ends_on": "2028-09-22"})
    assert again.status_code == 422 and "déjà un avenant portant cette référence" in text(again)
