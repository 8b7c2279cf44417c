"""The scheduled generation: each agreement's reports whose period has ended, generated once and mailed."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, tuple_
from sqlalchemy.orm import selectinload

from tracker.agreements.models import READ_ONLY_STATUSES, Agreement
from tracker.core.db import db, unit_of_work
from tracker.reports import notify
from tracker.reports.models import Report
from tracker.reports.periods import Period, due_periods
from tracker.reports.services import generate_report

log = logging.getLogger(__name__)
# A quarterly report is generated this many days after its quarter ends (time to log the last progress).
QUARTER_DELAY_DAYS = 5


def due_reports(at: datetime, quarter_delay_days: int = QUARTER_DELAY_DAYS) -> list[tuple[Agreement, Period]]:
    """Return the (agreement, period) pairs whose report is due at `at` and not generated yet (two queries); a
    closed agreement is read-only and gets no new report."""
    agreements = db.session.scalars(
        select(Agreement)
        .where(Agreement.status.not_in(READ_ONLY_STATUSES))
        .options(selectinload(Agreement.signatories), selectinload(Agreement.workstreams))
    ).all()
    wanted = [
        (agreement, period)
        for agreement in agreements
        for period in due_periods(
            at.astimezone(ZoneInfo(agreement.timezone)).date(),
            years_from=agreement.years_from,
            starts_on=agreement.starts_on,
            ends_on=agreement.ends_on,
            quarter_delay_days=quarter_delay_days,
        )
    ]
    if not wanted:
        return []
    keys = [(a.id, p.kind.value, p.key) for a, p in wanted]
    existing = set(
        db.session.execute(
            select(Report.agreement_id, Report.kind, Report.period).where(
                tuple_(Report.agreement_id, Report.kind, Report.period).in_(keys)
            )
        ).all()
    )
    done = {(a, str(k), p) for a, k, p in existing}
    return [(a, p) for a, p in wanted if (a.id, p.kind.value, p.key) not in done]


def generate_due_reports(at: datetime, quarter_delay_days: int = QUARTER_DELAY_DAYS) -> dict[str, Any]:
    """Generate every due report, mail its reviewers, and commit once; return what was done for the ledger."""
    generated, mailed = [], 0
    with unit_of_work():
        for agreement, period in due_reports(at, quarter_delay_days):
            report = generate_report(agreement, period)
            mailed += notify.awaiting(report, {s.party_id for s in agreement.signatories})
            generated.append(f"{agreement.slug} {period.key}")
            log.info("report generated: %s %s (id %s)", agreement.slug, period.key, report.id)
    return {"generated": generated, "mailed": mailed}
