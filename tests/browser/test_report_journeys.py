"""Issue 10: the report workflow in the browser, with mouse and keyboard, through the forms as the pages render them.

An admin generates the final report from the reports page; the Île-de-France reviewer signs it from « Mon travail »,
the Brussels reviewer signs it too, and it reads as published with its files downloadable; a reviewer who returns a
report with a comment sends it back to draft. (The coordinator's progress log with a file and ticked milestone is
tests/browser/test_workspace.py; both regions' co-leads approving a proposed action is test_two_region_approval.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests import factories
from tests.browser.conftest import download, log_in, log_out
from tracker.core.db import db
from tracker.mail.models import OutboxMessage
from tracker.reports import services as reports
from tracker.reports.models import Report, ReportStatus
from tracker.reports.storage import store_pending_files

REPORTS = "/agreements/idf-bxl-2021/reports/"
WAITING_ON_ME = "section[aria-labelledby='my-approvals']"  # « Mon travail »: what waits on me
RENDERING = 60_000  # ms: a PDF is drawn on demand until the scheduler keeps the published files

pytestmark = pytest.mark.usefixtures("patient")  # a report page draws three charts


def _final_report() -> int:
    report = reports.generate_report(factories.load_agreement(), "final")
    db.session.commit()
    return report.id


def test_an_admin_generates_the_final_report_from_the_reports_page(page: Page, live_app) -> None:
    factories.load_agreement()
    admin = factories.make_user("IDF", "admin", email="admin@example.org", name="Admin Île-de-France")
    reviewer = factories.make_user("BXL", "reviewer", email="an@example.org", name="An Janssens")
    log_in(page, admin.email, keyboard=True)

    page.get_by_role("link", name="Accords", exact=True).click()
    page.get_by_role("link", name="Île-de-France", exact=False).first.click()
    page.get_by_role("link", name="Rapports d’avancement").click()
    expect(page.get_by_text("Aucun rapport n’a encore été généré pour cet accord.")).to_be_visible()
    period = page.get_by_role("textbox", name="Période")
    period.fill("T9")
    page.get_by_role("button", name="Générer").click()
    expect(page.get_by_text("Période inconnue T9", exact=False)).to_be_visible()

    page.get_by_role("textbox", name="Période").fill("final")
    expect(page.get_by_label("L’envoyer par e-mail aux relecteurs des deux parties")).to_be_checked()
    page.get_by_role("button", name="Générer").click()
    expect(page.get_by_role("status").first).to_contain_text("Le rapport est généré (version 1)")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapport final")
    expect(page.locator(".report-status").first).to_have_text("Brouillon")

    db.session.rollback()
    report = db.session.scalars(select(Report)).one()
    assert report.kind.value == "final" and report.status == ReportStatus.DRAFT
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_id == reviewer.id)).all()
    assert len(mails) == 1


def test_both_reviewers_sign_the_final_report_and_it_is_published_with_its_files(
    page: Page, live_app, tmp_path: Path
) -> None:
    factories.load_agreement()
    idf = factories.make_user("IDF", "reviewer", email="sophie@example.org", name="Sophie Leroy")
    bxl = factories.make_user("BXL", "reviewer", email="an@example.org", name="An Janssens")
    report_id = _final_report()

    log_in(page, idf.email, keyboard=True)
    page.locator(WAITING_ON_ME).get_by_role("link", name="Rapport final", exact=False).click()
    expect(page.locator(".report-status").first).to_have_text("Brouillon")
    comment = page.get_by_label("Commentaire (facultatif)")
    comment.click()
    page.keyboard.type("Chiffres relus avec l’équipe ECO-DEV.")
    sign = page.get_by_role("button", name="Signer pour ma partie")
    sign.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("Signé par une partie")
    expect(page.get_by_role("button", name="Signer pour ma partie")).to_have_count(0)
    log_out(page)

    log_in(page, bxl.email, keyboard=True)
    page.locator(WAITING_ON_ME).get_by_role("link", name="Rapport final", exact=False).click()
    expect(page.get_by_text("L’autre partie a signé : votre signature publie le rapport.")).to_be_visible()
    page.get_by_role("button", name="Signer pour ma partie").click()
    expect(page.get_by_role("status").first).to_contain_text("Publié")
    expect(page.locator(".report-status").first).to_have_text("Publié")
    expect(page.get_by_text("Validé par les deux parties : ce rapport et ses fichiers sont figés.")).to_be_visible()
    expect(page.get_by_role("button", name="Signer pour ma partie")).to_have_count(0)
    expect(page.get_by_role("button", name="Renvoyer avec un commentaire")).to_have_count(0)

    # The scheduler's report_files job keeps the published files within a minute; here it runs at once.
    db.session.rollback()  # a fresh transaction sees what the web server committed
    assert store_pending_files()["stored"] == [report_id], "the published files were not kept"
    db.session.commit()
    page.reload()
    for name, magic in (("PDF – Français", b"%PDF"), ("XLSX – Nederlands", b"PK")):
        kept = download(page, page.get_by_role("link", name=name), tmp_path, timeout=RENDERING)
        assert kept.read_bytes().startswith(magic), name

    db.session.rollback()
    report = db.session.get(Report, report_id)
    assert report.status == ReportStatus.PUBLISHED
    assert sorted(s.user_id for s in report.signatures) == sorted([idf.id, bxl.id])


def test_a_reviewer_returns_a_signed_report_with_a_comment_and_it_is_a_draft_again(page: Page, live_app) -> None:
    factories.load_agreement()
    idf = factories.make_user("IDF", "reviewer", email="sophie@example.org", name="Sophie Leroy")
    bxl = factories.make_user("BXL", "reviewer", email="an@example.org", name="An Janssens")
    report_id = _final_report()
    reports.sign_report(idf, db.session.get(Report, report_id), "Relu.")
    db.session.commit()

    log_in(page, bxl.email, keyboard=True)
    page.goto(f"/reports/{report_id}")
    expect(page.locator(".report-status").first).to_have_text("Signé par une partie")
    what = page.get_by_label("Ce qui doit changer")
    expect(what).to_have_attribute("required", "")  # the browser asks for it before sending
    what.fill("Les chiffres du chantier ENV sont à revoir.")
    page.get_by_role("button", name="Renvoyer avec un commentaire").click()
    expect(page.get_by_role("status").first).to_contain_text("Brouillon")
    expect(page.locator(".report-status").first).to_have_text("Brouillon")
    expect(page.get_by_role("note")).to_contain_text("Les chiffres du chantier ENV sont à revoir.")
    expect(page.get_by_role("button", name="Signer pour ma partie")).to_be_visible()

    db.session.rollback()
    report = db.session.get(Report, report_id)
    assert report.status == ReportStatus.DRAFT and report.signatures == []
