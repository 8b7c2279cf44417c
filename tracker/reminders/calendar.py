"""Working days of each region (weekends, public holidays, its administration's days off) and the days a digest
covers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from config import reminders as defaults

# A digest looks back at most this far for the previous sending day (long holiday runs are shorter).
_MAX_LOOKBACK_DAYS = 21


@lru_cache(maxsize=64)
def _holidays(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    # Imported on first use: the holidays package takes a quarter of a second to import, on every start.
    import holidays

    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year).keys())


@dataclass(frozen=True)
class RegionCalendar:
    """The working days of a party's staff: Monday to Friday except its country's public holidays and the
    days off of its administration: `yearly` ((month, day), ...) every year, `days_off` on given dates."""

    country: str
    subdivision: str | None = None
    yearly: frozenset[tuple[int, int]] = frozenset()
    days_off: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() < 5
            and day not in _holidays(self.country, self.subdivision, day.year)
            and (day.month, day.day) not in self.yearly
            and day not in self.days_off
        )

    def previous_working_day(self, day: date) -> date:
        for back in range(1, _MAX_LOOKBACK_DAYS):
            candidate = day - timedelta(days=back)
            if self.is_working_day(candidate):
                return candidate
        return day - timedelta(days=1)

    def weekly_day(self, day: date) -> date | None:
        """Return the week's sending day of weekly digests: its Monday, or the next working day."""
        start = day - timedelta(days=(day.weekday() - defaults.WEEKLY_DIGEST_WEEKDAY) % 7)
        return next(
            (start + timedelta(days=k) for k in range(7) if self.is_working_day(start + timedelta(days=k))), None
        )

    def window(self, day: date, weekly: bool) -> tuple[date, ...]:
        """Return the days whose reminders go into the digest of `day` (empty: no digest that day).

        Daily: the days after the previous working day, up to `day` (so a weekend's and a holiday's go into
        the next working day's digest). Weekly: the days since the previous week's sending day.
        """
        if not self.is_working_day(day):
            return ()
        if weekly:
            if self.weekly_day(day) != day:
                return ()
            previous = next(
                (d for k in (7, 14, 21) if (d := self.weekly_day(day - timedelta(days=k))) is not None),
                day - timedelta(days=7),
            )
        else:
            previous = self.previous_working_day(day)
        return tuple(previous + timedelta(days=k) for k in range(1, (day - previous).days + 1))


def party_calendar(country: str, subdivision: str | None, code: str, days_off: Iterable[date] = ()) -> RegionCalendar:
    """Return the calendar of a party: its country's holidays, its defaults of config/reminders.py, `days_off`."""
    yearly = frozenset((month, day) for month, day, _label in defaults.PARTY_DAYS_OFF.get(code, ()))
    return RegionCalendar(country, subdivision, yearly, frozenset(days_off))


def quarter_end(day: date) -> date:
    """Return the last day of the quarter `day` is in."""
    first_of_next = date(day.year + (day.month > 9), (((day.month - 1) // 3 + 1) * 3) % 12 + 1, 1)
    return first_of_next - timedelta(days=1)
