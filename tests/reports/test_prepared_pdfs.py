"""A report's files (PDF, HTML, XLSX) are never rendered in a web request: the scheduler prepares them, the page
says so meanwhile."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import update

from tests import factories
from tests.api.helpers import Api, token_for
from tests.helpers import login, text
from tracker.agreements.models import Agreement
from tracker.core.db import db
from tracker.reports import services
from tracker.reports.jobs import report_files
from tracker.reports.models import Report
from tracker.reports.prepared import MAX_ATTEMPTS
from tracker.scheduling.jobs import JobContext


@pytest.fixture
def report(agreement: Agreement, frozen_clock) -> Report:
    owner = factories.make_user("IDF")
    action = factories.make_action(factories.workstream(agreement, "CULTURE"), owner, start_on=date(2026, 7, 1))
    factories.make_milestone(action, date(2026, 8, 20), title="Saison culturelle croisée")
    generated = services.generate_report(agreement, "2026-Q3")
    db.session.commit()
    return generated


def run_report_files_job() -> dict:
    return report_files(JobContext("report_files", datetime.now(UTC)))


def _pdf_link(page: str, report: Report, lang: str, fmt: str = "pdf") -> str:
    href = f'href="/reports/{report.id}/{lang}.{fmt}"'
    return page.split(href)[1].split("</a>")[0]


def test_a_draft_pdf_is_prepared_by_the_scheduler_while_the_page_says_so(client: FlaskClient, report: Report) -> None:
    reviewer = factories.make_user("IDF", "reviewer", language="fr")
    login(client, reviewer.email)
    assert "download" not in _pdf_link(text(client.get(f"/reports/{report.id}")), report, "fr")

    waiting = client.get(f"/reports/{report.id}/fr.pdf")
    assert waiting.status_code == 202 and waiting.mimetype == "text/html"
    assert "PDF en préparation" in text(waiting) and 'http-equiv="refresh"' in text(waiting)
    assert client.get(f"/reports/{report.id}/fr.pdf").status_code == 202  # asked once, still being prepared

    assert run_report_files_job()["prepared"] == [f"{report.id}-fr.pdf"]
    ready = client.get(f"/reports/{report.id}/fr.pdf")
    assert ready.status_code == 200 and ready.data.startswith(b"%PDF")
    assert "attachment" in ready.headers["Content-Disposition"]
    assert _pdf_link(text(client.get(f"/reports/{report.id}")), report, "fr").startswith(" download>")
    assert client.get(f"/reports/{report.id}/nl.pdf").status_code == 202  # each language on its own

    # A signature changes what the file shows: the PDF of the earlier state is not served any more.
    services.sign_report(reviewer, report, "Bon pour l’Île-de-France.")
    db.session.commit()
    assert client.get(f"/reports/{report.id}/fr.pdf").status_code == 202
    assert set(run_report_files_job()["prepared"]) == {f"{report.id}-fr.pdf", f"{report.id}-nl.pdf"}
    assert client.get(f"/reports/{report.id}/fr.pdf").status_code == 200


@pytest.mark.parametrize(("fmt", "signature"), [("html", b"<!doctype html>"), ("xlsx", b"pk\x03\x04")])
def test_a_drafts_html_and_xlsx_take_the_pdfs_path(client: FlaskClient, report: Report, fmt: str, signature) -> None:
    reviewer = factories.make_user("IDF", "reviewer", language="fr")
    login(client, reviewer.email)
    assert "download" not in _pdf_link(text(client.get(f"/reports/{report.id}")), report, "fr", fmt)

    waiting = client.get(f"/reports/{report.id}/fr.{fmt}")
    assert waiting.status_code == 202 and waiting.mimetype == "text/html"
    assert f"{fmt.upper()} en préparation" in text(waiting) and 'http-equiv="refresh"' in text(waiting)

    assert run_report_files_job()["prepared"] == [f"{report.id}-fr.{fmt}"]
    ready = client.get(f"/reports/{report.id}/fr.{fmt}")
    assert ready.status_code == 200 and ready.data[:15].lower().startswith(signature)
    assert "attachment" in ready.headers["Content-Disposition"]
    assert _pdf_link(text(client.get(f"/reports/{report.id}")), report, "fr", fmt).startswith(" download>")

    services.sign_report(reviewer, report, "Bon pour l’Île-de-France.")
    db.session.commit()
    assert client.get(f"/reports/{report.id}/fr.{fmt}").status_code == 202  # the signed state is another file


def test_the_api_answers_202_with_retry_after_until_the_pdf_is_ready(client: FlaskClient, report: Report) -> None:
    api = Api(client, token_for(factories.make_user("BXL", "reviewer"), scope="read"))
    waiting = api.get(f"/reports/{report.id}/pdf?lang=en")
    assert waiting.status_code == 202 and waiting.get_json() == {"status": "preparing", "retry_after": 30}
    assert int(waiting.headers["Retry-After"]) > 0
    run_report_files_job()
    assert api.get(f"/reports/{report.id}/pdf?lang=en").get_data().startswith(b"%PDF")


def test_one_report_that_cannot_be_laid_out_holds_up_no_other(
    client: FlaskClient, agreement: Agreement, report: Report
) -> None:
    broken = services.generate_report(agreement, "2026-Q2")
    db.session.commit()
    # An old row whose snapshot no renderer can read (written by a version long gone).
    db.session.execute(update(Report).where(Report.id == broken.id).values(snapshot={"workstreams": "?"}))
    db.session.commit()
    reviewer = factories.make_user("IDF", "reviewer", language="fr")
    login(client, reviewer.email)
    for one in (broken, report):
        assert client.get(f"/reports/{one.id}/fr.pdf").status_code == 202

    first = run_report_files_job()
    assert (first["prepared"], first["prepare_failed"]) == ([f"{report.id}-fr.pdf"], [f"{broken.id}-fr.pdf"])
    assert client.get(f"/reports/{report.id}/fr.pdf").data.startswith(b"%PDF")
    assert client.get(f"/reports/{broken.id}/fr.pdf").status_code == 202  # tried again at the next runs

    for _attempt in range(MAX_ATTEMPTS - 1):
        assert run_report_files_job()["prepare_failed"] == [f"{broken.id}-fr.pdf"]
    assert run_report_files_job()["prepare_failed"] == []  # failed for good: not tried again
    gave_up = client.get(f"/reports/{broken.id}/fr.pdf")
    assert gave_up.status_code == 200 and "Le fichier PDF n’a pas pu être préparé" in text(gave_up)
    assert 'http-equiv="refresh"' not in text(gave_up)
    api = Api(client, token_for(reviewer, scope="read"))
    assert api.get(f"/reports/{broken.id}/pdf?lang=fr").status_code == 409
