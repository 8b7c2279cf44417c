"""The scheduled generation: quarters five days after they end, agreement years on the signing anniversary,
the final report after the end date; once per period; reviewers mailed and reminded by the digest."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tests import factories
from tracker.agreements.models import Agreement
from tracker.core import clock
from tracker.core.db import db
from tracker.mail.models import OutboxMessage
from tracker.reminders.digest import render_digests
from tracker.reminders.sweep import sweep
from tracker.reports.jobs import report_generation
from tracker.reports.models import Report
from tracker.reports.scheduled import generate_due_reports
from tracker.scheduling.jobs import JobContext

PARIS = ZoneInfo("Europe/Paris")


def at(day: date, hour: int = 5) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 30, tzinfo=PARIS).astimezone(UTC)


def periods() -> list[str]:
    return sorted(db.session.scalars(select(Report.period)))


def test_quarter_reports_come_five_days_after_the_quarter(agreement: Agreement) -> None:
    assert generate_due_reports(at(date(2024, 7, 4)))["generated"] == ["idf-bxl-2021 2024-Q1", "idf-bxl-2021 Y2"]
    assert generate_due_reports(at(date(2024, 7, 4)))["generated"] == []
    assert generate_due_reports(at(date(2024, 7, 5)))["generated"] == ["idf-bxl-2021 2024-Q2"]
    assert generate_due_reports(at(date(2024, 9, 20)))["generated"] == []
    assert periods() == ["2024-Q1", "2024-Q2", "Y2"]


def test_agreement_year_reports_come_on_the_signing_anniversary(agreement: Agreement) -> None:
    generate_due_reports(at(date(2024, 9, 22)))
    assert "Y3" not in periods()
    assert generate_due_reports(at(date(2024, 9, 23)))["generated"] == ["idf-bxl-2021 Y3"]
    report = db.session.scalars(select(Report).where(Report.period == "Y3")).one()
    assert (report.period_start_on, report.period_end_on) == (date(2023, 9, 23), date(2024, 9, 22))


def test_the_final_report_comes_after_the_end_date_once(agreement: Agreement) -> None:
    idf = factories.make_user("IDF", "reviewer", language="fr")
    bxl = factories.make_user("BXL", "reviewer", language="nl")
    generate_due_reports(at(date(2026, 9, 22)))
    assert "final" not in periods()
    done = generate_due_reports(at(date(2026, 9, 23)))
    assert done["generated"] == ["idf-bxl-2021 Y5", "idf-bxl-2021 final"]
    assert done["mailed"] == 4
    assert generate_due_reports(at(date(2026, 9, 26)))["generated"] == []
    # The last quarter ends with the agreement on 22 September: its report comes five days later.
    assert generate_due_reports(at(date(2026, 9, 27)))["generated"] == ["idf-bxl-2021 2026-Q3"]
    assert generate_due_reports(at(date(2026, 10, 5)))["generated"] == []
    assert generate_due_reports(at(date(2026, 11, 28)))["generated"] == []
    subjects = {
        m.recipient_id: m.subject
        for m in db.session.scalars(select(OutboxMessage))
        if "Final" in m.subject or "final" in m.subject or "Eind" in m.subject
    }
    assert subjects == {
        idf.id: "À signer\u202f: Rapport final, du 23 septembre 2021 au 22 septembre 2026",
        bxl.id: "Te ondertekenen: Eindverslag, van 23 september 2021 tot 22 september 2026",
    }


def test_the_scheduler_runs_the_job(agreement: Agreement, frozen_clock) -> None:
    summary = report_generation(JobContext("report_generation", at(date(2026, 11, 28))))
    assert summary["generated"] == ["idf-bxl-2021 2026-Q3", "idf-bxl-2021 Y5", "idf-bxl-2021 final"]


def test_the_digest_reminds_reviewers_of_reports_to_sign(agreement: Agreement, frozen_clock) -> None:
    reviewer = factories.make_user("BXL", "reviewer", language="nl")
    coordinator = factories.make_user("BXL", "coordinator", language="nl")
    generate_due_reports(at(date(2026, 11, 28)))
    db.session.execute(OutboxMessage.__table__.delete())
    db.session.commit()  # the sweep reads in a transaction of its own: what it reads is committed
    monday = date(2026, 11, 30)
    clock.freeze(at(monday, 8))
    sweep(monday)
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_id == reviewer.id)).all()
    assert len(rows) == 1
    rendered = render_digests(rows)[rows[0].id]
    assert rendered is not None
    print(rendered.text)
    assert (
        "Verslagen die op uw ondertekening wachten" in rendered.text.replace("VERSLAGEN", "Verslagen")
        or "VERSLAGEN" in rendered.text
    )
    assert "Eindverslag · van 23 september 2021 tot 22 september 2026" in rendered.text
    final = db.session.scalars(select(Report).where(Report.period == "final")).one()
    assert f"/reports/{final.id}" in rendered.text
    assert not db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_id == coordinator.id)).all()
