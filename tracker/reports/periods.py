"""Report periods: `2026-Q3` (a calendar quarter), `Y3` (third agreement year), `final`, or `START..END`.

People type a period as the app shows it to them, in any of its languages: « T3 2026 », « K3 2026 », « Q3 2026 »;
« Année d’accord 3 », « Jaar van de overeenkomst 3 »; « final », « rapport final », « eind », « eindverslag »; two
dates as they write them (« du 01/01/2026 au 31/03/2026 », « 1 jan. 2026 – 31 mrt. 2026 »). The keys above, as
stored, are read too (the command line and the API name periods by them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from babel import Locale
from babel.dates import parse_date as babel_parse_date
from flask import current_app, has_app_context
from flask_babel import LazyString, force_locale, format_date, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.agreements.amendments import add_years
from tracker.core.errors import ValidationFailed
from tracker.reminders.calendar import quarter_end
from tracker.reports.models import ReportKind
from tracker.web.i18n import current_language, reader_date, short_date_pattern

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
        if self.kind == ReportKind.QUARTER:  # to the end of the next calendar quarter, though this one was clipped
            return self.end + timedelta(days=1), quarter_end(quarter_end(self.start) + timedelta(days=1))
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


def year_period(number: int, years_from: date, ends_on: date, *, starts_on: date | None = None) -> Period:
    """Return agreement year `number`, within the agreement's term (from `starts_on` when given, to `ends_on`)."""
    start = max(add_years(years_from, number - 1), starts_on or date.min)
    end = min(add_years(years_from, number) - timedelta(days=1), ends_on)
    return Period(f"Y{number}", ReportKind.AGREEMENT_YEAR, start, end)


def quarter_period(year: int, quarter: int, *, starts_on: date, ends_on: date) -> Period:
    """Return the calendar quarter within the agreement's term: the T3 2026 of an agreement ending on 22 September
    2026 covers 1 July to 22 September (a published report keeps the dates it was generated with)."""
    start = quarter_start(year, quarter)
    return Period(f"{year}-Q{quarter}", ReportKind.QUARTER, max(start, starts_on), min(quarter_end(start), ends_on))


def _bad(message: object) -> ValidationFailed:
    return ValidationFailed(message, errors={"period": [message]})


# What a typed period is read as, in each language: the quarter and agreement-year titles and the final report's
# names come from the catalog, so that what people read is what they may type.
EXAMPLE_START, EXAMPLE_END = date(2026, 1, 1), date(2026, 3, 31)


def _squash(text: str) -> str:
    """Return `text` folded for comparison: case, apostrophes, no-break spaces and runs of spaces ignored."""
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()


def _pattern(message: str, **groups: str) -> str:
    """Return a regular expression matching the translated `message`, each %(name)s placeholder by `groups`."""
    parts = re.split(r"%\((\w+)\)[sd]", _squash(message))
    return "".join(re.escape(part) if n % 2 == 0 else groups[part] for n, part in enumerate(parts))


def _months(language: str) -> dict[str, int]:
    """Return the month names and abbreviations people write in `language` (folded, without dots)."""
    names: dict[str, int] = {}
    for context in Locale.parse(language).months.values():
        for width in ("wide", "abbreviated"):
            for number, name in context.get(width, {}).items():
                names[_squash(name).rstrip(".")] = number
    return names


def _reader_day(text: str, language: str) -> date | None:
    """Return the date `text` names as people of `language` write one (ISO, `31/03/2026`, `31-3-2026`,
    « 1er janvier 2026 », « 1 jan. 2026 », « January 1, 2026 »), None when it is no date; raise when the
    date does not exist (« 30/02/2026 »)."""
    text = text.strip(" ,")
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        if re.fullmatch(r"\d{1,2}[./-]\d{1,2}[./-]\d{4}", text):
            return babel_parse_date(text.replace(".", "/"), locale=language)
        tokens = re.findall(r"\d+|[^\W\d_]+", re.sub(r"\b1er\b", "1", text))
        numbers = [int(t) for t in tokens if t.isdigit()]
        words = [t for t in tokens if not t.isdigit()]
        months = _months(language)
        if len(numbers) == 2 and len(words) == 1 and words[0] in months and numbers[1] >= 1000:
            return date(numbers[1], months[words[0]], numbers[0])
    except ValueError:
        raise _bad(_l("These dates do not exist.")) from None
    return None


def _key_in_current_language(text: str) -> str | None:
    """Return the stored key of the period `text` (folded) names in the current language, or None."""
    language = current_language()
    if text in {_squash(_("Final report")), _squash(pgettext("report period", "final"))}:
        return "final"
    for kind in ("Quarterly report", "Agreement-year report"):  # a report's title: « Rapport trimestriel · T3 2026 »
        text = re.sub(rf"^{re.escape(_squash(_(kind)))}\s*·?\s*", "", text)
    if match := re.fullmatch(_pattern(_("Q%(quarter)s %(year)s"), quarter=r"([1-4])", year=r"(\d{4})"), text):
        return f"{match.group(2)}-Q{match.group(1)}"
    if match := re.fullmatch(_pattern(_("Agreement year %(n)s"), n=r"(\d{1,2})"), text):
        return f"Y{match.group(1)}"
    # Two dates: as titles show them (« du … au … »), as lists show them (« … – … »), or around `..`.
    between = _pattern(_("%(start)s to %(end)s"), start="(.+?)", end="(.+)")
    for separator in (between, r"(.+?) [–-] (.+)", r"(.+?)\.\.(.+)"):
        if match := re.fullmatch(separator, text):
            start, end = _reader_day(match.group(1), language), _reader_day(match.group(2), language)
            if start is None and end is not None:  # the year said once (« du 1er juillet au 22 septembre 2026 »)
                start = _reader_day(f"{match.group(1)} {end.year}", language)
            if start and end:
                return f"{start.isoformat()}..{end.isoformat()}"
    return None


def _reader_key(raw: str) -> str | None:
    """Return the stored key of the period `raw` names as people read periods, in any language of the app (the
    reader's first), or None."""
    if not has_app_context():
        return None
    text, first = _squash(raw), current_language()
    languages = [first, *(lang for lang in current_app.config["LANGUAGES"] if lang != first)]
    for language in languages:
        with force_locale(language):
            key = _key_in_current_language(text)
        if key:
            return key
    return None


def period_examples() -> dict[str, str]:
    """Return a period of each kind as the reader writes it (« T3 2026 », « Année d’accord 3 », « final »,
    « du 01/01/2026 au 31/03/2026 »), for hints and messages."""
    pattern = short_date_pattern()
    return {
        "quarter": _("Q%(quarter)s %(year)s", quarter=3, year=2026),
        "agreement_year": _("Agreement year %(n)s", n=3),
        "final": pgettext("report period", "final"),
        "dates": _(
            "%(start)s to %(end)s",
            start=format_date(EXAMPLE_START, pattern),
            end=format_date(EXAMPLE_END, pattern),
        ),
    }


def period_hint() -> str:
    """Return the hint of the period field, with examples as the reader writes periods."""
    return _(
        "A quarter (%(quarter)s), an agreement year (%(agreement_year)s, counted from the signing anniversary), "
        "%(final)s for the final report (the whole period), or two dates (%(dates)s).",
        **period_examples(),
    )


def parse_period(text: str, *, years_from: date, starts_on: date, ends_on: date) -> Period:
    """Return the period `text` names for an agreement, or raise ValidationFailed with one clear message."""
    raw = (text or "").strip()
    if not (_QUARTER.match(raw) or _YEAR.match(raw) or _AD_HOC.match(raw) or raw.lower() == "final"):
        raw = _reader_key(raw) or raw
    if raw.lower() == "final":
        return Period("final", ReportKind.FINAL, starts_on, ends_on)
    if match := _QUARTER.match(raw):
        year, quarter = int(match.group(1)), int(match.group(2))
        start = quarter_start(year, quarter)
        if quarter_end(start) < starts_on or start > ends_on:
            raise _outside(starts_on, ends_on)
        return quarter_period(year, quarter, starts_on=starts_on, ends_on=ends_on)
    elif match := _YEAR.match(raw):
        number, count = int(match.group(1)), agreement_years(years_from, ends_on)
        if not 1 <= number <= count:
            raise _bad(
                _l(
                    "This agreement’s years go from “%(first)s” to “%(last)s”.",
                    first=LazyString(_, "Agreement year %(n)s", n=1),
                    last=LazyString(_, "Agreement year %(n)s", n=count),
                )
            )
        return year_period(number, years_from, ends_on, starts_on=starts_on)
    elif match := _AD_HOC.match(raw):
        try:
            start, end = date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2))
        except ValueError:
            raise _bad(_l("These dates do not exist.")) from None
        if end < start:
            raise _bad(_l("The period ends before it starts."))
        period = Period(f"{start.isoformat()}..{end.isoformat()}", ReportKind.AD_HOC, start, end)
    else:
        raise _bad(LazyString(_unknown, raw[:40] or "''"))
    if period.end < starts_on or period.start > ends_on:
        raise _outside(starts_on, ends_on)
    return period


def _outside(starts_on: date, ends_on: date) -> ValidationFailed:
    return _bad(
        _l(
            "This period is outside the agreement (%(start)s to %(end)s).",
            start=reader_date(starts_on),
            end=reader_date(ends_on),
        )
    )


def _unknown(typed: str) -> str:
    return _(
        "Unknown period %(period)s: use a quarter (%(quarter)s), an agreement year (%(agreement_year)s), "
        "%(final)s, or two dates (%(dates)s).",
        period=typed,
        **period_examples(),
    )


def due_periods(
    today: date, *, years_from: date, starts_on: date, ends_on: date, quarter_delay_days: int
) -> list[Period]:
    """Return the periods whose report is due by `today`: the last ended quarter (after the delay, counted from
    the quarter's end within the agreement's term: the last quarter ends with the agreement), the last agreement
    year once its anniversary has passed, and the whole period once the agreement has ended."""
    due: list[Period] = []
    # The last quarter that ended at least `quarter_delay_days` ago; the one the agreement's end falls in ends then.
    cutoff = today - timedelta(days=quarter_delay_days)
    year, quarter = quarter_of(cutoff)
    q_start = quarter_start(year, quarter)
    q_end = ends_on if q_start <= ends_on < quarter_end(q_start) else quarter_end(q_start)
    if q_end > cutoff:
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        q_start = quarter_start(year, quarter)
    if quarter_end(q_start) >= starts_on and q_start <= ends_on:
        due.append(quarter_period(year, quarter, starts_on=starts_on, ends_on=ends_on))
    count = agreement_years(years_from, ends_on)
    ended_years = [n for n in range(1, count + 1) if year_period(n, years_from, ends_on).end < today]
    if ended_years:
        due.append(year_period(ended_years[-1], years_from, ends_on, starts_on=starts_on))
    if ends_on < today:
        due.append(Period("final", ReportKind.FINAL, starts_on, ends_on))
    return due
