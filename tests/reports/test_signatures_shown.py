"""A report's page says, near the top, who signed for which party and when, and whose signature is awaited."""

from __future__ import annotations

from datetime import date

from flask.testing import FlaskClient

from tests import factories
from tests.helpers import login, text
from tracker.agreements.models import Agreement
from tracker.core.db import db
from tracker.reports import services

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
