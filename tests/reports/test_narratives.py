"""Narratives of a report period, as co-leads and admins write them on the pages: who may write what, the
status per language, versions and their history, and the copy a report freezes at generation."""

from __future__ import annotations

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import load_agreement, make_co_lead, make_party, make_user, workstream
from tests.forms import find_form, form_data, form_path, submit_form
from tests.helpers import login, logout, text
from tracker.agreements.models import Agreement
from tracker.core.db import db
from tracker.reports.narratives.models import Narrative, NarrativeVersion
from tracker.reports.services import generate_report

FINAL = "/agreements/idf-bxl-2021/narratives/final/"
ECO = FINAL + "ECO-DEV"
SUMMARY = FINAL + "summary"


@pytest.fixture
def ended(app: Flask, frozen_clock) -> Agreement:
    return load_agreement(ended=True)


def test_a_co_lead_writes_the_assessment_in_french_and_sees_dutch_missing(
    client: FlaskClient, ended: Agreement
) -> None:
    lead = make_user("BXL", language="fr")
    make_co_lead(workstream(ended, "ECO-DEV"), lead)
    login(client, lead.email)
    period_page = client.get(FINAL)
    assert period_page.status_code == 200
    assert f'href="{ECO}"' in period_page.text and f'href="{SUMMARY}"' not in period_page.text
    response = submit_form(
        client,
        ECO,
        fields={"text_fr": "Trois missions menées ; la quatrième reportée faute de budget."},
        follow_redirects=True,
    )
    body = text(response)
    assert "Enregistré comme version 1." in body
    assert "Manque encore en\u202f: néerlandais." in body
    narrative = db.session.query(Narrative).one()
    assert narrative.missing() == ["nl"]

    response = submit_form(
        client, ECO, fields={"text_nl": "Drie missies; de vierde uitgesteld."}, follow_redirects=True
    )
    assert "Enregistré comme version 2." in text(response)
    history = client.get(ECO + "/history")
    assert "Version 2" in text(history) and "Version 1" in text(history) and lead.name in text(history)
    assert db.session.query(NarrativeVersion).count() == 2


def test_an_admin_writes_the_summary_and_a_co_lead_may_not(client: FlaskClient, ended: Agreement) -> None:
    admin = make_user("IDF", "admin", language="nl")
    lead = make_user("IDF")
    make_co_lead(workstream(ended, "ECO-DEV"), lead)
    login(client, lead.email)
    assert client.get(SUMMARY).status_code == 403
    assert client.get(FINAL + "CULTURE").status_code == 403  # not a workstream they co-lead
    logout(client)
    login(client, admin.email)
    assert client.get(ECO).status_code == 403  # admins write the summary, co-leads the assessments
    response = submit_form(client, SUMMARY, fields={"text_nl": "Samenvatting."}, follow_redirects=True)
    assert "Opgeslagen als versie 1." in text(response)
    assert "Ontbreekt nog in: Frans." in text(response)


def test_a_party_that_did_not_sign_and_an_outsider_see_nothing(client: FlaskClient, ended: Agreement) -> None:
    make_party("HDF")
    stranger = make_user("HDF", "admin")
    login(client, stranger.email)
    assert client.get(FINAL).status_code == 404
    assert client.get(SUMMARY).status_code == 404
    logout(client)
    assert client.get(FINAL).status_code in (302, 303)  # to the login page


def test_bad_input_is_refused_with_a_clear_error(client: FlaskClient, ended: Agreement) -> None:
    lead = make_user("IDF", language="fr")
    make_co_lead(workstream(ended, "ECO-DEV"), lead)
    login(client, lead.email)
    response = submit_form(client, ECO, fields={"text_fr": "x" * 5001})
    assert response.status_code == 422
    assert "Au plus 5\u202f000 caractères" in text(response)  # grouped as French writes it
    response = submit_form(client, ECO, fields={"text_fr": "   "})
    assert response.status_code == 422 and "au moins une langue" in text(response)
    assert db.session.query(NarrativeVersion).count() == 0
    assert client.get("/agreements/idf-bxl-2021/narratives/2030-Q1/").status_code == 404
    assert client.get(FINAL + "NO-SUCH").status_code == 404


def test_a_save_based_on_an_older_version_is_not_lost(client: FlaskClient, ended: Agreement) -> None:
    first, second = make_user("IDF"), make_user("BXL")
    ws = workstream(ended, "ECO-DEV")
    make_co_lead(ws, first)
    make_co_lead(ws, second)
    login(client, first.email)
    stale_page = client.get(ECO)
    logout(client)
    login(client, second.email)
    submit_form(client, ECO, fields={"text_fr": "Texte du second."})
    logout(client)
    login(client, first.email)
    response = submit_form(client, stale_page, fields={"text_fr": "Texte du premier."})
    assert response.status_code == 409
    assert "Texte du second." in text(response) and "Rien n’a été enregistré" in text(response)
    assert db.session.query(NarrativeVersion).count() == 1
    form = find_form(response.text, action=ECO)  # the conflict page (409) keeps their text in the form: saving it again
    again = client.post(form_path(form), data=form_data(form), follow_redirects=True)  # knowingly replaces theirs
    assert "version 2" in text(again)


def test_generation_freezes_the_texts(client: FlaskClient, ended: Agreement) -> None:
    lead = make_user("IDF", language="fr")
    make_co_lead(workstream(ended, "ECO-DEV"), lead)
    login(client, lead.email)
    submit_form(client, ECO, fields={"text_fr": "Avant la génération.", "text_nl": "Voor het genereren."})
    report = generate_report(ended, "final")
    db.session.commit()
    submit_form(client, ECO, fields={"text_fr": "Après la génération."})
    db.session.expire_all()
    frozen = {ws["code"]: ws for ws in report.snapshot["workstreams"]}["ECO-DEV"]["assessment"]
    assert frozen["texts"]["fr"] == "Avant la génération." and frozen["version"] == 1
    page = client.get(f"/reports/{report.id}")
    assert "Avant la génération." in text(page) and "Après la génération." not in text(page)


def test_the_periods_to_write_for_give_their_dates_once(client: FlaskClient, app: Flask, frozen_clock) -> None:
    """Before: « Rapport final · du 23 septembre 2021 au 22 septembre 2026 — du 23 sept. 2021 au 22 sept. 2026 »,
    and the final period's page said its dates again under its title."""
    load_agreement()  # in force: its current quarter and year are written for too
    admin = make_user("IDF", "admin")
    login(client, admin.email)
    page = lxml.html.fromstring(text(client.get("/agreements/idf-bxl-2021/narratives/")))
    periods = {
        " ".join(li.text_content().split()) for li in page.xpath('//ul[contains(@class, "narrative-periods")]/li')
    }
    (final,) = [p for p in periods if p.startswith("Rapport final")]
    assert final == "Rapport final · du 23 septembre 2021 au 22 septembre 2027", final
    (quarter,) = [p for p in periods if p.startswith("Rapport trimestriel · T4 2026")]
    assert quarter.count("2026") == 3, quarter  # named, then its dates
    final_page = lxml.html.fromstring(text(client.get(FINAL)))
    heading_and_lead = " ".join(el.text_content() for el in final_page.xpath('//main/h1 | //main/p[@class="lead"]'))
    assert heading_and_lead.count("septembre 2021") == 1, heading_and_lead  # in the title, not again in the lead
