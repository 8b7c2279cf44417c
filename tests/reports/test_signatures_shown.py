"""A report's page says, near the top, who signed for which party and when, and whose signature is awaited."""

from __future__ import annotations

import io
from datetime import date

from flask.testing import FlaskClient
from openpyxl import load_workbook

from tests import factories
from tests.helpers import login, text
from tracker.agreements.models import Agreement
from tracker.core.db import db
from tracker.reports import services
from tracker.reports.xlsx import render_xlsx

NBSP = "\u00a0"


def test_the_report_page_names_each_partys_signer_and_when_before_the_document(
    client: FlaskClient, agreement: Agreement, frozen_clock
) -> None:
    owner = factories.make_user("IDF")
    action = factories.make_action(factories.workstream(agreement, "CULTURE"), owner, start_on=date(2026, 7, 1))
    factories.make_milestone(action, date(2026, 8, 20), title="Saison culturelle croisée")
    report = services.generate_report(agreement, "2026-Q3")
    idf = factories.make_user("IDF", "reviewer", name="Hélène Moreau", language="fr")
    bxl = factories.make_user("BXL", "reviewer", name="Jan Claes", language="fr")
    db.session.commit()
    login(client, bxl.email)
    page = text(client.get(f"/reports/{report.id}"))
    assert f"Région Île-de-France{NBSP}: signature en attente" in page
    assert f"Région de Bruxelles-Capitale{NBSP}: signature en attente" in page

    services.sign_report(idf, report, "Conforme aux comptes rendus")
    db.session.commit()
    page = text(client.get(f"/reports/{report.id}"))
    signed = f"Région Île-de-France{NBSP}: signé par Hélène Moreau le 27 nov. 2026"
    assert signed in page and "Conforme aux comptes rendus" in page
    assert f"Région de Bruxelles-Capitale{NBSP}: signature en attente" in page
    # Near the top: before the downloads, the sign-off form and the document, not only in the history.
    assert page.index(signed) < page.index('id="downloads-heading"') < page.index('id="history-heading')


def test_the_signers_function_as_it_was_is_shown_on_the_page_and_in_the_spreadsheet(
    client: FlaskClient, agreement: Agreement, frozen_clock
) -> None:
    report = services.generate_report(agreement, "2026-Q3")
    idf = factories.make_user("IDF", "reviewer", name="Hélène Moreau", language="fr")
    idf.function = "Directrice des affaires européennes"
    db.session.commit()
    services.sign_report(idf, report, "")
    idf.function = "Directrice générale des services"  # promoted after signing: the signature keeps its function
    db.session.commit()
    login(client, idf.email)
    page = text(client.get(f"/reports/{report.id}"))
    assert "signé par Hélène Moreau le 27 nov. 2026" in page
    assert "(Directrice des affaires européennes)" in page and "Directrice générale" not in page

    book = load_workbook(io.BytesIO(render_xlsx(report, "fr")))
    sheet = book["Validation"]  # the sign-off sheet
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Partie", "Signé par", "Fonction"]
    assert rows[1][1:3] == ["Hélène Moreau", "Directrice des affaires européennes"]
