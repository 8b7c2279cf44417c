"""Sign-off: reviewers sign for their own party; the second party's signature publishes and freezes the report."""

from __future__ import annotations

import copy
import hashlib
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests import factories
from tracker.actions.models import Action, ActionStatus
from tracker.agreements.models import Agreement
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from tracker.core.lifecycle import available_transitions
from tracker.reports import services
from tracker.reports.models import Report, ReportStatus
from tracker.reports.storage import published_file, store_pending_files


@pytest.fixture
def report(agreement: Agreement, frozen_clock) -> Report:
    owner = factories.make_user("IDF")
    action = factories.make_action(factories.workstream(agreement, "ENV"), owner, start_on=date(2026, 7, 1))
    factories.make_milestone(action, date(2026, 8, 20))
    generated = services.generate_report(agreement, "2026-Q3")
    db.session.commit()
    return generated


@pytest.mark.parametrize(
    ("party", "role", "error"),
    [
        ("IDF", "coordinator", PermissionDenied),
        ("BXL", "coordinator", PermissionDenied),
        ("IDF", "admin", PermissionDenied),
        ("BXL", "admin", PermissionDenied),
    ],
)
def test_only_reviewers_sign(report: Report, party: str, role: str, error: type) -> None:
    user = factories.make_user(party, role)
    assert available_transitions(report, user) == []
    with pytest.raises(error):
        services.sign_report(user, report)
    db.session.rollback()
    assert report.status == ReportStatus.DRAFT and report.signatures == []


def test_a_reviewer_signs_once_for_their_party(report: Report) -> None:
    idf = factories.make_user("IDF", "reviewer")
    colleague = factories.make_user("IDF", "reviewer")
    assert [o.name for o in available_transitions(report, idf)] == ["sign", "return"]
    services.sign_report(idf, report, "Relu, conforme.")
    db.session.commit()
    assert report.status == ReportStatus.SIGNED
    [signature] = report.signatures
    assert (signature.user_id, signature.party.code, signature.comment) == (idf.id, "IDF", "Relu, conforme.")
    assert [o.name for o in available_transitions(report, colleague)] == ["return"]
    with pytest.raises(InvalidTransition, match="signed this report already"):
        services.sign_report(colleague, report)
    db.session.rollback()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "report", AuditEntry.verb == "sign")).one()
    assert entry.actor_id == idf.id and entry.changes["status"] == ["draft", "signed"]


def test_a_returned_report_goes_back_to_draft_with_the_comment(report: Report) -> None:
    idf, bxl = factories.make_user("IDF", "reviewer"), factories.make_user("BXL", "reviewer")
    services.sign_report(idf, report)
    db.session.commit()
    with pytest.raises(ValidationFailed):
        services.return_report(bxl, report, "  ")
    db.session.rollback()
    services.return_report(bxl, report, "Les chiffres du chantier ENV sont à revoir.")
    db.session.commit()
    assert report.status == ReportStatus.DRAFT
    assert report.signatures == []
    assert report.returned_comment == "Les chiffres du chantier ENV sont à revoir."
    assert [r.id for r in services.reports_awaiting(idf)] == [report.id]


def test_reports_awaiting_each_reviewer(report: Report) -> None:
    idf, bxl = factories.make_user("IDF", "reviewer"), factories.make_user("BXL", "reviewer")
    coordinator = factories.make_user("IDF", "coordinator")
    assert [r.id for r in services.reports_awaiting(idf)] == [report.id]
    assert [r.id for r in services.reports_awaiting(bxl)] == [report.id]
    assert services.reports_awaiting(coordinator) == []
    services.sign_report(idf, report)
    db.session.commit()
    assert services.reports_awaiting(idf) == []
    assert [r.id for r in services.reports_awaiting(bxl)] == [report.id]


def test_regenerating_supersedes_the_open_version(agreement: Agreement, report: Report) -> None:
    idf = factories.make_user("IDF", "reviewer")
    newer = services.generate_report(agreement, "2026-Q3", regenerate=True)
    db.session.commit()
    assert (report.status, newer.status, newer.version) == (ReportStatus.SUPERSEDED, ReportStatus.DRAFT, 2)
    assert available_transitions(report, idf) == []
    with pytest.raises(InvalidTransition):
        services.sign_report(idf, report)
    db.session.rollback()
    assert [r.id for r in services.reports_awaiting(idf)] == [newer.id]


def test_both_signatures_publish_a_frozen_report(app, agreement: Agreement, report: Report) -> None:
    idf, bxl = factories.make_user("IDF", "reviewer"), factories.make_user("BXL", "reviewer")
    services.sign_report(idf, report, "Bon pour l’Île-de-France.")
    db.session.commit()
    services.sign_report(bxl, report, "Goed voor Brussel.")
    db.session.commit()
    assert report.status == ReportStatus.PUBLISHED and report.published_at is not None
    assert {s.party.code: s.user.name for s in report.signatures} == {"IDF": idf.name, "BXL": bxl.name}
    # Publishing is acknowledged at once; the scheduler's job renders and keeps the files (once).
    assert report.files is None
    assert store_pending_files() == {"stored": [report.id], "failed": []}
    assert store_pending_files() == {"stored": [], "failed": []}
    db.session.refresh(report)
    assert set(report.files) == {"fr", "en", "nl"} and set(report.files["nl"]) == {"pdf", "xlsx", "html"}
    stored = {(lang, fmt): published_file(report, lang, fmt) for lang in ("fr", "nl") for fmt in ("pdf", "html")}
    for (lang, fmt), data in stored.items():
        assert hashlib.sha256(data).hexdigest() == report.files[lang][fmt]["sha256"]
    assert "Goed voor Brussel." in stored[("nl", "html")].decode() and stored[("fr", "pdf")].startswith(b"%PDF")
    assert services.reports_awaiting(idf) == [] and services.reports_awaiting(bxl) == []
    assert available_transitions(report, idf) == [] and available_transitions(report, bxl) == []

    # Later edits change nothing: not the snapshot, not the files.
    snapshot, files = copy.deepcopy(report.snapshot), copy.deepcopy(report.files)
    for ws in agreement.workstreams:
        ws.title_fr = "Titre modifié"
    for a in db.session.scalars(select(Action)):
        a.title, a.status = "Action renommée", ActionStatus.CANCELLED
    db.session.commit()
    db.session.expire_all()
    again = db.session.get(Report, report.id)
    assert again.snapshot == snapshot and again.files == files
    assert published_file(again, "nl", "html") == stored[("nl", "html")]
    with pytest.raises(InvalidTransition):
        services.return_report(bxl, again, "Trop tard")
    db.session.rollback()


def test_a_damaged_file_is_refused(app, report: Report) -> None:
    report.files = {"fr": {"html": {"sha256": hashlib.sha256(b"original").hexdigest(), "size": 8}}}
    digest = report.files["fr"]["html"]["sha256"]
    path = Path(app.config["REPORT_DIR"]) / digest[:2] / digest
    path.parent.mkdir(parents=True)
    path.write_bytes(b"tampered")
    with pytest.raises(NotFound, match="damaged"):
        published_file(report, "fr", "html")


def test_a_report_whose_files_fail_to_render_holds_up_no_other(
    app, agreement: Agreement, report: Report, monkeypatch
) -> None:
    from tracker.reports import storage

    other = services.generate_report(agreement, "2026-Q2")
    idf, bxl = factories.make_user("IDF", "reviewer"), factories.make_user("BXL", "reviewer")
    for published in (report, other):
        services.sign_report(idf, published)
        services.sign_report(bxl, published)
    db.session.commit()
    render_all = storage.render_all

    def broken_for_the_first(r: Report, lang: str) -> dict[str, bytes]:
        if r.id == report.id:
            raise RuntimeError("WeasyPrint could not lay out the page")
        return render_all(r, lang)

    monkeypatch.setattr(storage, "render_all", broken_for_the_first)
    assert store_pending_files() == {"stored": [other.id], "failed": [report.id]}
    db.session.expire_all()
    assert db.session.get(Report, report.id).files is None and db.session.get(Report, other.id).files
    monkeypatch.setattr(storage, "render_all", render_all)
    assert store_pending_files() == {"stored": [report.id], "failed": []}


def test_the_kept_files_show_the_signers_as_they_were_when_they_signed(app, report: Report) -> None:
    idf = factories.make_user("IDF", "reviewer", name="Hélène Dubois")
    bxl = factories.make_user("BXL", "reviewer", name="Pieter Claes")
    services.sign_report(idf, report)
    services.sign_report(bxl, report)
    db.session.commit()
    idf.name = "Hélène Dubois-Martin"  # renamed before the scheduler kept the files
    db.session.commit()
    store_pending_files()
    db.session.refresh(report)
    kept = published_file(report, "fr", "html").decode()
    assert "Hélène Dubois" in kept and "Dubois-Martin" not in kept and "Pieter Claes" in kept
