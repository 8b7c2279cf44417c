"""Taking an ended agreement to *closed* as its people do (close-out, final report signed, both admins confirm)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from tests.factories import make_action, make_milestone, make_user, workstream
from tracker.actions.evidence import store_evidence
from tracker.agreements.models import Agreement, AgreementStatus
from tracker.closeout import decisions
from tracker.closeout.jobs import agreement_end
from tracker.core.db import db
from tracker.core.lifecycle import transition
from tracker.reports import services as reports
from tracker.reports import storage
from tracker.reports.models import Report
from tracker.reports.render import FORMATS, LANGUAGES
from tracker.reports.storage import store_pending_files
from tracker.scheduling.jobs import JobContext


def close(agreement: Agreement, frozen_clock, *, files: str | None = "small", evidence: bool = True) -> dict[str, Any]:
    """Take an ended agreement through the close-out to *closed*: an action with evidence cancelled by its owner
    and another carried over (still active, with a planned milestone: returned as "carried_over"),
    the final report signed by a reviewer of each party (its files kept), an admin of each party confirming.

    `files`: "rendered" has the scheduler's job render the nine files (PDFs take tens of seconds on a busy
    machine: one test does it), "small" stores nine short files through the same storage, None none yet.
    `evidence`: False leaves the cancelled action without its evidence file."""
    agreement_end(JobContext("agreement_end", frozen_clock.now()))
    people = {
        "owner": make_user("IDF", language="fr"),
        "idf_admin": make_user("IDF", "admin", language="fr"),
        "bxl_admin": make_user("BXL", "admin", language="nl"),
        "idf_reviewer": make_user("IDF", "reviewer", language="fr"),
        "bxl_reviewer": make_user("BXL", "reviewer", language="nl"),
    }
    action = make_action(workstream(agreement, "CULTURE"), people["owner"], title="Résidences croisées")
    if evidence:
        store_evidence(people["owner"], action, "programme.txt", io.BytesIO(b"Programme des residences 2026\n"))
    decisions.decide_many(people["owner"], agreement, [action.id], "cancelled", "Budget non reconduit")
    carried = make_action(workstream(agreement, "CULTURE"), people["owner"], title="Saison croisée")
    make_milestone(carried, date(2027, 3, 1))
    decisions.decide_many(people["owner"], agreement, [carried.id], "carried_over", "")
    report = reports.generate_report(agreement, "final")
    reports.sign_report(people["idf_reviewer"], report, "Lu et approuvé")
    reports.sign_report(people["bxl_reviewer"], report, "Gelezen en goedgekeurd")
    db.session.commit()
    if files == "rendered":
        assert store_pending_files()["stored"] == [report.id]
    elif files == "small":
        keep_small_files(report)
    for admin in ("idf_admin", "bxl_admin"):
        transition(agreement, AgreementStatus.CLOSED.value, by=people[admin])
    db.session.commit()
    assert agreement.status == AgreementStatus.CLOSED
    return {**people, "carried_over": carried}


def keep_small_files(report: Report) -> None:
    """Store nine short files as the report's published files, through the reports' own storage."""
    contents = {(lang, fmt): f"{lang}.{fmt} of report {report.id}".encode() for lang in LANGUAGES for fmt in FORMATS}
    report.files = {
        lang: {fmt: {"sha256": storage._write(contents[lang, fmt]), "size": 20} for fmt in FORMATS}
        for lang in LANGUAGES
    }
    db.session.commit()
