"""Report pages: listed per agreement, shown with their rendition, signed and returned through their forms as rendered."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from flask.testing import FlaskClient
from sqlalchemy import select

from tests import factories
from tests.forms import submit_form
from tests.helpers import csrf_check_off, login, text
from tracker.agreements.models import Agreement
from tracker.core.db import db
from tracker.mail.models import OutboxMessage
from tracker.reports import services
from tracker.reports.models import Report, ReportStatus


@pytest.fixture
def report(agreement: Agreement, frozen_clock) -> Report:
    owner = factories.make_user("IDF")
    action = factories.make_action(factories.workstream(agreement, "CULTURE"), owner, start_on=date(2026, 7, 1))
    factories.make_milestone(action, date(2026, 8, 20), title="Saison culturelle croisée")
    generated = services.generate_report(agreement, "2026-Q3")
    db.session.commit()
    return generated


def test_a_reviewer_reads_signs_and_the_other_party_is_mailed(client: FlaskClient, report: Report) -> None:
    idf = factories.make_user("IDF", "reviewer", language="fr")
    bxl = factories.make_user("BXL", "reviewer", language="nl")
    login(client, idf.email)
    listing = text(client.get("/agreements/idf-bxl-2021/reports/"))
    assert "Rapport trimestriel · T3 2026" in listing and "Brouillon" in listing
    page = client.get(f"/reports/{report.id}")
    assert page.status_code == 200
    body = text(page)
    assert "Saison culturelle croisée" in body and "Signer pour ma partie" in body
    assert f"/reports/{report.id}/nl.pdf" in body
    response = submit_form(client, page, action=f"/reports/{report.id}/sign", fields={"sign-comment": "Relu."})
    assert response.status_code == 302
    db.session.refresh(report)
    assert report.status == ReportStatus.SIGNED
    history = text(client.get(f"/reports/{report.id}")).split('class="panel history"')[1]
    assert idf.name in history and "Relu." in history
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_id == bxl.id)).all()
    assert len(mails) == 1 and mails[0].subject.startswith("Te ondertekenen: Kwartaalverslag, K3 2026")
    assert "Al ondertekend door" in mails[0].body_text and idf.name in mails[0].body_text


def test_forms_need_their_csrf_token(client: FlaskClient, report: Report) -> None:
    idf = factories.make_user("IDF", "reviewer")
    login(client, idf.email)
    page = client.get(f"/reports/{report.id}")
    for action in (f"/reports/{report.id}/sign", f"/reports/{report.id}/return"):
        prefix = action.rsplit("/", 1)[1]
        fields = {f"{prefix}-csrf_token": None, f"{prefix}-comment": "x"}
        assert submit_form(client, page, action=action, fields=fields).status_code == 400
    db.session.refresh(report)
    assert report.status == ReportStatus.DRAFT


def test_a_coordinator_sees_no_sign_off_form_and_cannot_sign(client: FlaskClient, report: Report) -> None:
    coordinator = factories.make_user("BXL", "coordinator")
    login(client, coordinator.email)
    body = text(client.get(f"/reports/{report.id}"))
    assert "/sign" not in body.split("<article")[0]
    with csrf_check_off(client.application):  # a POST that no page offers this user
        response = client.post(f"/reports/{report.id}/sign", data={"sign-comment": "x"})
    assert response.status_code == 302
    assert "Alleen de beoordelaars" in text(client.get(f"/reports/{report.id}")) or report.status == ReportStatus.DRAFT
    db.session.refresh(report)
    assert report.status == ReportStatus.DRAFT


def test_returning_needs_a_comment(client: FlaskClient, report: Report) -> None:
    bxl = factories.make_user("BXL", "reviewer", language="en")
    login(client, bxl.email)
    page = client.get(f"/reports/{report.id}")
    submit_form(client, page, action=f"/reports/{report.id}/return", fields={"return-comment": ""})
    db.session.refresh(report)
    assert report.returned_comment is None
    assert "returning a report needs a comment" in text(client.get(f"/reports/{report.id}"))
    page = client.get(f"/reports/{report.id}")
    submit_form(
        client, page, action=f"/reports/{report.id}/return", fields={"return-comment": "ENV figures look wrong."}
    )
    db.session.refresh(report)
    assert report.returned_comment == "ENV figures look wrong."


def test_an_admin_generates_from_the_list(client: FlaskClient, agreement: Agreement, frozen_clock) -> None:
    admin = factories.make_user("IDF", "admin", language="en")
    reviewer = factories.make_user("BXL", "reviewer", language="nl")
    login(client, admin.email)
    listing = "/agreements/idf-bxl-2021/reports/"
    bad = submit_form(client, listing, fields={"period": "Q9", "send": "y"})
    assert bad.status_code == 422 and "Unknown period Q9" in text(bad)
    assert db.session.query(Report).count() == 0
    good = submit_form(client, listing, fields={"period": "final", "send": "y"})
    assert good.status_code == 302
    report = db.session.scalars(select(Report)).one()
    assert report.kind.value == "final" and good.headers["Location"].endswith(f"/reports/{report.id}")
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_id == reviewer.id)).one()
    assert "Eindverslag" in mail.subject


def test_a_french_admin_types_the_period_as_the_page_shows_it(
    client: FlaskClient, agreement: Agreement, frozen_clock
) -> None:
    admin = factories.make_user("IDF", "admin", language="fr")
    login(client, admin.email)
    listing = "/agreements/idf-bxl-2021/reports/"
    hint = text(client.get(listing))
    assert "T3 2026" in hint and "du 01/01/2026 au 31/03/2026" in hint and "2026-Q3" not in hint
    assert submit_form(client, listing, fields={"period": "T3 2026", "send": ""}).status_code == 302
    assert submit_form(client, listing, fields={"period": "rapport final", "send": ""}).status_code == 302
    assert sorted(r.period for r in db.session.scalars(select(Report))) == ["2026-Q3", "final"]


def test_only_admins_get_the_generate_form(client: FlaskClient, agreement: Agreement) -> None:
    reviewer = factories.make_user("IDF", "reviewer")
    login(client, reviewer.email)
    assert 'name="period"' not in text(client.get("/agreements/idf-bxl-2021/reports/"))
    with csrf_check_off(client.application):  # a POST that no page offers this user
        response = client.post("/agreements/idf-bxl-2021/reports/", data={"period": "final"})
    assert response.status_code == 403
    assert db.session.query(Report).count() == 0


def test_downloads_of_a_draft(client: FlaskClient, report: Report) -> None:
    from datetime import UTC, datetime

    from tracker.reports.jobs import report_files
    from tracker.scheduling.jobs import JobContext

    reviewer = factories.make_user("IDF", "reviewer")
    login(client, reviewer.email)
    for path in (f"/reports/{report.id}/fr.xlsx", f"/reports/{report.id}/nl.html"):
        assert client.get(path).status_code == 202  # asked for: the scheduler prepares them
    report_files(JobContext("report_files", datetime.now(UTC)))
    xlsx = client.get(f"/reports/{report.id}/fr.xlsx")
    assert xlsx.status_code == 200 and xlsx.data.startswith(b"PK")
    # Named in the file's language, in words (no slug, no period key): « rapport trimestriel T3 2026 version 1 ».
    assert xlsx.headers["Content-Disposition"] == 'attachment; filename="rapport-trimestriel-t3-2026-version-1.xlsx"'
    html = client.get(f"/reports/{report.id}/nl.html")
    assert html.headers["Content-Disposition"] == 'attachment; filename="kwartaalverslag-k3-2026-versie-1.html"'
    assert "script-src" not in html.headers["Content-Security-Policy"] and "Kwartaalverslag" in text(html)
    assert client.get(f"/reports/{report.id}/de.pdf").status_code == 404
    assert client.get(f"/reports/{report.id}/fr.docx").status_code == 404


def test_another_partys_user_gets_404(client: FlaskClient, report: Report, tmp_path: Path) -> None:
    data = yaml.safe_load(factories.AGREEMENT_FILE.read_text(encoding="utf-8"))
    data["slug"] = "idf-qc-2024"
    data["parties"][1] = {
        "code": "QC",
        "name": {"fr": "Québec", "en": "Quebec", "nl": "Quebec"},
        "country": "CA",
        "timezone": "America/Toronto",
    }
    path = tmp_path / "idf-qc.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    factories.load_agreement(path)
    outsider = factories.make_user("QC", "reviewer")
    login(client, outsider.email)
    for url in (f"/reports/{report.id}", f"/reports/{report.id}/fr.pdf", "/agreements/idf-bxl-2021/reports/"):
        assert client.get(url).status_code == 404, url
    with csrf_check_off(client.application):  # a POST that no page offers this user
        assert client.post(f"/reports/{report.id}/sign", data={}).status_code == 404
    assert services.reports_awaiting(outsider) == []


def _waiting_on_me(client: FlaskClient) -> str:
    return text(client.get("/")).split('id="my-approvals"')[1].split("</section>")[0]


def test_my_work_lists_the_reports_waiting_for_my_signature(client: FlaskClient, report: Report) -> None:
    idf = factories.make_user("IDF", "reviewer", language="fr")
    bxl = factories.make_user("BXL", "reviewer", language="en")
    db.session.commit()
    login(client, idf.email)
    waiting = _waiting_on_me(client)
    assert f'href="/reports/{report.id}"' in waiting
    assert "Rapport trimestriel · T3 2026" in waiting and "attend votre signature" in waiting
    services.sign_report(idf, report)
    db.session.commit()
    waiting = _waiting_on_me(client)
    assert f"/reports/{report.id}" not in waiting and "Rien n’attend votre approbation ni votre signature." in waiting
    other = client.application.test_client()
    login(other, bxl.email)
    waiting = _waiting_on_me(other)
    assert f'href="/reports/{report.id}"' in waiting
    assert "Quarterly report · Q3 2026" in waiting and "waits for your signature" in waiting


def test_a_published_report_shows_its_fingerprints_once_the_scheduler_kept_its_files(
    client: FlaskClient, report: Report
) -> None:
    import hashlib
    from datetime import UTC, datetime

    from tracker.reports.jobs import report_files
    from tracker.scheduling.jobs import JobContext

    idf = factories.make_user("IDF", "reviewer", language="fr")
    bxl = factories.make_user("BXL", "reviewer", language="nl")
    services.sign_report(idf, report)
    services.sign_report(bxl, report)
    db.session.commit()
    login(client, idf.email)
    page = text(client.get(f"/reports/{report.id}"))
    assert "en cours d’archivage définitif" in page and "SHA-256 du PDF" not in page
    assert client.get(f"/reports/{report.id}/fr.html").status_code == 202  # being kept: not rendered meanwhile
    summary = report_files(JobContext("report_files", datetime.now(UTC)))
    assert summary == {"stored": [report.id], "failed": [], "prepared": [], "prepare_failed": []}
    page = text(client.get(f"/reports/{report.id}"))
    digest = report.files["fr"]["pdf"]["sha256"]
    assert "en cours d’archivage définitif" not in page and digest in page
    kept = client.get(f"/reports/{report.id}/fr.pdf").data
    assert hashlib.sha256(kept).hexdigest() == digest
    html = client.get(f"/reports/{report.id}/fr.html").data
    assert hashlib.sha256(html).hexdigest() == report.files["fr"]["html"]["sha256"]


def test_a_final_reports_period_is_said_once_and_its_breadcrumb_is_capitalised(
    client: FlaskClient, agreement: Agreement, frozen_clock
) -> None:
    final = services.generate_report(agreement, "final")
    db.session.commit()
    login(client, factories.make_user("BXL", "reviewer", language="nl").email)
    listing = text(client.get("/agreements/idf-bxl-2021/reports/"))
    body = listing.split("<tbody>")[1]
    row = next(r for r in body.split("<tr>") if f'/reports/{final.id}"' in r)
    cells = " ".join(re.sub(r"<[^>]+>", " ", row).split())
    assert cells.startswith("Eindverslag ") and cells.count("2021") == 1, cells
    page = text(client.get(f"/reports/{final.id}"))
    crumb = re.search(r'aria-current="page">([^<]*)<', page).group(1)
    assert crumb.startswith("Van ") and "versie 1" in crumb, crumb


def test_the_last_quarter_of_an_ended_agreement_stops_at_its_end(client: FlaskClient, app, frozen_clock) -> None:
    """T3 2026 of an agreement ending on 22 September 2026 covers 1 July to 22 September, as the report says."""
    factories.load_agreement(ended=True)
    admin = factories.make_user("IDF", "admin", language="fr")
    login(client, admin.email)
    response = submit_form(
        client, "/agreements/idf-bxl-2021/reports/", fields={"period": "T3 2026", "send": ""}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "du 1er juillet au 22 septembre 2026" in text(response)
    report = db.session.scalars(select(Report)).one()
    assert (report.period_start_on, report.period_end_on) == (date(2026, 7, 1), date(2026, 9, 22))
    assert "30 sept" not in text(client.get("/agreements/idf-bxl-2021/reports/"))
