"""Report periods: `2026-Q3` (a calendar quarter), `Y3` (third agreement year), `final`, or `START..END`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from tracker.agreements.amendments import add_years
from tracker.core.errors import ValidationFailed
from tracker.reminders.calendar import quarter_end
from tracker.reports.models import ReportKind
from tracker.web.i18n import reader_date

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^Y(\d{1,2})$", re.IGNORECASE)
_AD_HOC = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Period:
    """A report period with its key (as stored), its kind and its first and last days."""

    key: str
    kind: ReportKind
    start: date
    end: date

    def elapsed_percent(self, today: date) -> float:
        """Return how much of the period had passed on `today` (0 to 100)."""
        days = (self.end - self.start).days + 1
        passed = (min(today, self.end) - self.start).days + 1
        return round(100 * max(0, min(passed, days)) / days, 1)

    def following(self, agreement_ends_on: date) -> tuple[date, date] | None:
        """Return the period that comes next (same length), or everything after the end for a final report."""
        if self.kind == ReportKind.QUARTER:
            start = self.end + timedelta(days=1)
            return start, quarter_end(start)
        if self.kind == ReportKind.AGREEMENT_YEAR:
            start = self.end + timedelta(days=1)
            return start, add_years(start, 1) - timedelta(days=1)
        if self.kind == ReportKind.FINAL:
            return agreement_ends_on + timedelta(days=1), date.max
        return self.end + timedelta(days=1), self.end + (self.end - self.start) + timedelta(days=1)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * (quarter - 1) + 1, 1)


def agreement_years(years_from: date, ends_on: date) -> int:
    """Return how many agreement years the agreement spans, counted from `years_from` (`Agreement.years_from`: the
    signature, or the start when the agreement was signed after it)."""
    years = 0
    while add_years(years_from, years) <= ends_on:
        years += 1
    return years


def year_period(number: int, years_from: date, ends_on: date) -> Period:
    start = add_years(years_from, number - 1)
    end = min(add_years(years_from, number) - timedelta(days=1), ends_on)
    return Period(f"Y{number}", ReportKind.AGREEMENT_YEAR, start, end)


def _bad(message: object) -> ValidationFailed:
    return ValidationFailed(message, errors={"period": [message]})


def parse_period(text: str, *, years_from: date, starts_on: date, ends_on: date) -> Period:
    """Return the period `text` names for an agreement, or raise ValidationFailed with one clear message."""
    raw = (text or "").strip()
    if raw.lower() == "final":
        return Period("final", ReportKind.FINAL, starts_on, ends_on)
    if match := _QUARTER.match(raw):
        year, quarter = int(match.group(1)), int(match.group(2))
        start = quarter_start(year, quarter)
        period = Period(f"{year}-Q{quarter}", ReportKind.QUARTER, start, quarter_end(start))
    elif match := _YEAR.match(raw):
        number, count = int(match.group(1)), agreement_years(years_from, ends_on)
        if not 1 <= number <= count:
            raise _bad(_l("This agreement has agreement years Y1 to Y%(count)d.", count=count))
        return year_period(number, years_from, ends_on)
    elif match := _AD_HOC.match(raw):
        try:
            start, end = date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2))
        except ValueError:
            raise _bad(_l("These dates do not exist.")) from None
        if end < start:
            raise _bad(_l("The period ends before it starts."))
        period = Period(f"{start.isoformat()}..{end.isoformat()}", ReportKind.AD_HOC, start, end)
    else:
        raise _bad(
            _l(
                "Unknown period %(period)s: use a quarter (2026-Q3), an agreement year (Y3), final, "
                "or two dates (2026-01-01..2026-03-31).",
                period=raw[:40] or "''",
            )
        )
    if period.end < starts_on or period.start > ends_on:
        raise _bad(
            _l(
                "This period is outside the agreement (%(start)s to %(end)s).",
                start=reader_date(starts_on),
                end=reader_date(ends_on),
            )
        )
    return period


def due_periods(
    today: date, *, years_from: date, starts_on: date, ends_on: date, quarter_delay_days: int
) -> list[Period]:
    """Return the periods whose report is due by `today`: the last ended quarter (after the delay), the last
    agreement year once its anniversary has passed, and the whole period once the agreement has ended."""
    due: list[Period] = []
    # The last quarter that ended at least `quarter_delay_days` ago.
    cutoff = today - timedelta(days=quarter_delay_days)
    year, quarter = quarter_of(cutoff)
    if quarter_end(cutoff) != cutoff:
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    q_start = quarter_start(year, quarter)
    if quarter_end(q_start) >= starts_on and q_start <= ends_on:
        due.append(Period(f"{year}-Q{quarter}", ReportKind.QUARTER, q_start, quarter_end(q_start)))
    count = agreement_years(years_from, ends_on)
    ended_years = [n for n in range(1, count + 1) if year_period(n, years_from, ends_on).end < today]
    if ended_years:
        due.append(year_period(ended_years[-1], years_from, ends_on))
    if ends_on < today:
        due.append(Period("final", ReportKind.FINAL, starts_on, ends_on))
    return due
