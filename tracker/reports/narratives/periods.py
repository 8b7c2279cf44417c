"""The report periods whose narratives are being written: the quarter and agreement year under way and the ones
just ended, and the final report, as long as their report is not published."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tracker.agreements.models import Agreement
from tracker.core.db import db
from tracker.reminders.calendar import quarter_end
from tracker.reports.models import Report, ReportKind, ReportStatus
from tracker.reports.periods import (
    Period,
    agreement_years,
    quarter_of,
    quarter_period,
    quarter_start,
    year_period,
)

# Co-leads hear of a missing narrative before the period's report is generated: two weeks and one week before the
# period ends, and on its last day (the scheduler generates the report in the days after).
REMIND_FROM_DAYS = 14
REPEAT_DAYS = 7
# When two periods end together (the last year and the final report), the broader one is asked for first.
_WEIGHT = {ReportKind.FINAL: 0, ReportKind.AGREEMENT_YEAR: 1, ReportKind.QUARTER: 2, ReportKind.AD_HOC: 3}


def _quarters(agreement: Agreement, today: date) -> list[Period]:
    year, quarter = quarter_of(min(today, agreement.ends_on))
    previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    periods = []
    for y, q in (previous, (year, quarter)):
        start = quarter_start(y, q)
        if quarter_end(start) >= agreement.starts_on and start <= agreement.ends_on:
            periods.append(quarter_period(y, q, starts_on=agreement.starts_on, ends_on=agreement.ends_on))
    return periods


def _years(agreement: Agreement, today: date) -> list[Period]:
    count = agreement_years(agreement.years_from, agreement.ends_on)
    years = [
        year_period(n, agreement.years_from, agreement.ends_on, starts_on=agreement.starts_on)
        for n in range(1, count + 1)
    ]
    started = [p for p in years if p.start <= today]
    return started[-2:]


def candidate_periods(agreement: Agreement, today: date) -> list[Period]:
    """Return the periods one may write for on `today`, published or not: the previous and current quarters and
    agreement years that have begun, and the final report (the agreement's whole term)."""
    final = Period("final", ReportKind.FINAL, agreement.starts_on, agreement.ends_on)
    found = [p for p in _quarters(agreement, today) + _years(agreement, today) if p.start <= today]
    return sorted([*found, final], key=lambda p: (p.end, _WEIGHT[p.kind]))


def published_keys(agreement_id: int, keys: list[str]) -> set[str]:
    """Return which of these period keys have a published report (one query)."""
    if not keys:
        return set()
    return set(
        db.session.scalars(
            select(Report.period).where(
                Report.agreement_id == agreement_id,
                Report.period.in_(keys),
                Report.status == ReportStatus.PUBLISHED,
            )
        )
    )


def writing_periods(agreement: Agreement, today: date) -> list[Period]:
    """Return the candidate periods whose report is not published yet, the soonest to end first."""
    candidates = candidate_periods(agreement, today)
    done = published_keys(agreement.id, [p.key for p in candidates])
    return [p for p in candidates if p.key not in done]


def reminded_periods(agreements: list[Agreement], on: date) -> dict[int, Period]:
    """Return, per agreement id, the period whose narratives the digest asks for on `on`: the first candidate
    that ends within REMIND_FROM_DAYS days, by the agreement's end, and has no report generated yet. Agreements with
    none are left out (one query)."""
    # A quarter running past the agreement's end is not asked for: the final report covers it.
    candidates = {
        a.id: [
            p
            for p in candidate_periods(a, on)
            if p.end - timedelta(days=REMIND_FROM_DAYS) <= on <= p.end and p.end <= a.ends_on
        ]
        for a in agreements
    }
    keys = sorted({p.key for periods in candidates.values() for p in periods})
    generated: set[tuple[int, str]] = set()
    if keys:
        generated = {
            (int(a), str(p))
            for a, p in db.session.execute(
                select(Report.agreement_id, Report.period).where(
                    Report.agreement_id.in_(list(candidates)), Report.period.in_(keys)
                )
            )
        }
    found = {}
    for agreement_id, periods in candidates.items():
        due = [p for p in periods if (agreement_id, p.key) not in generated]
        if due:
            found[agreement_id] = due[0]
    return found


def is_reminder_day(period: Period, days: tuple[date, ...]) -> bool:
    """Return whether one of a digest's covered `days` is a reminder day: REMIND_FROM_DAYS before the period's
    end, then every REPEAT_DAYS days up to its last day."""
    first = period.end - timedelta(days=REMIND_FROM_DAYS)
    return any(first <= d <= period.end and (d - first).days % REPEAT_DAYS == 0 for d in days)
