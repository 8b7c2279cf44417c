"""Checking the values people type: clear translated messages, one per field, nothing half-applied.

Text is kept as typed (HTML and scripts included: every page escapes it, so it stays inert text),
except control characters, which PostgreSQL refuses and no person means to type.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from babel.numbers import NumberFormatError, get_decimal_symbol, parse_decimal
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from tracker.actions.models import Health
from tracker.agreements.amendments import FIRST_DATE, LAST_DATE, unreadable_date
from tracker.core.errors import ValidationFailed
from tracker.web.i18n import reader_date

MAX_TITLE = 200
MAX_DESCRIPTION = 20_000
MAX_PROGRESS_TEXT = 10_000
MAX_URL = 500
MAX_SOURCE = 300
MAX_NOTE = 5_000
# An action's outcome (« résultat »): a short paragraph the reports list beside the action.
MAX_OUTCOME = 2_000
# The domain of every date people give (FIRST_DATE..LAST_DATE, kept with the agreements' dates): agreements run
# for a few years this century; 9999-12-31 or 0001-01-01 are typing slips, and at the edge of what Python can add
# days to (calendars, reminders would break on them).

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


class Errors:
    """Collects messages per field, then raises them together."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[Any]] = {}

    def add(self, field: str, message: Any) -> None:
        self.by_field.setdefault(field, []).append(message)

    def check(self, field: str, func: Any, *args: Any, **kwargs: Any) -> Any:
        """Return func(*args) or record its ValidationFailed under `field` and return None."""
        try:
            return func(*args, **kwargs)
        except ValidationFailed as exc:
            for message in exc.errors.get(field) or [exc.message]:
                self.add(field, message)
            return None

    def raise_if_any(self) -> None:
        if self.by_field:
            first = next(iter(self.by_field.values()))[0]
            raise ValidationFailed(first, self.by_field)


def _fail(field: str, message: Any) -> ValidationFailed:
    return ValidationFailed(message, {field: [message]})


def clean_line(value: Any, field: str = "title", max_length: int = MAX_TITLE) -> str:
    """Return a one-line title: trimmed, inner whitespace collapsed, 1 to `max_length` characters."""
    text = _SPACES.sub(" ", _CONTROL.sub("", str(value or ""))).strip()
    if not text:
        raise _fail(field, _l("A title is needed."))
    if len(text) > max_length:
        raise _fail(
            field, _l("The title may have at most %(max)d characters (it has %(n)d).", max=max_length, n=len(text))
        )
    return text


def clean_text(value: Any, field: str, max_length: int, *, required: bool = False) -> str:
    """Return multi-line text without control characters, within `max_length`."""
    text = _CONTROL.sub("", str(value or "")).replace("\r\n", "\n").strip()
    if required and not text:
        raise _fail(field, _l("This text is needed."))
    if len(text) > max_length:
        raise _fail(field, _l("At most %(max)d characters, please (there are %(n)d).", max=max_length, n=len(text)))
    return text


def as_date(value: Any, field: str, *, required: bool = False) -> date | None:
    """Return a date from a date or an ISO string (YYYY-MM-DD), within FIRST_DATE..LAST_DATE.

    Every date a person gives (actions, milestones, completions, measurements: forms, API and import alike)
    comes through here. Raises ValidationFailed on `field` when it is missing (and required), malformed or
    outside the window.
    """
    if value in (None, ""):
        if required:
            raise _fail(field, _l("A date is needed."))
        return None
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        text = str(value).strip()
        try:
            value = date.fromisoformat(text)
        except ValueError:
            raise _fail(field, unreadable_date(text)) from None
    if not FIRST_DATE <= value <= LAST_DATE:
        raise _fail(
            field,
            _l(
                "Give a date between %(first)s and %(last)s.",
                first=reader_date(FIRST_DATE),
                last=reader_date(LAST_DATE),
            ),
        )
    return value


def check_dates(errors: Errors, start_on: date | None, due_on: date | None) -> None:
    if start_on and due_on and due_on < start_on:
        errors.add("due_on", _l("The due date cannot be before the start date."))


_GROUPING = re.compile(r"[\s\u00a0\u202f']")
# Thousands grouped with points and a decimal comma (`1.234,5`): how Belgians write in French as in Dutch, though
# the French locale groups with spaces.
_POINT_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(\.[0-9]{3})+,[0-9]+")


def parse_number(value: Any) -> float:
    """Return the number a person typed, read in their language (« 7,4 », « 1 234,5 », `1.234,5`, `1,234.5`);
    a number with a decimal point is read as such in any language. Raises ValueError when it is not a number."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = _GROUPING.sub("", str(value if value is not None else ""))
    locale = get_locale() or "en"
    try:
        return float(parse_decimal(text, locale=locale, strict=True))
    except (NumberFormatError, ValueError):
        if _POINT_GROUPED.fullmatch(text) and get_decimal_symbol(locale) == ",":
            return float(text.replace(".", "").replace(",", "."))
        return float(text)  # `7.4` typed on a French or Dutch page; raises ValueError for anything else


def clean_percent(value: Any) -> int:
    """Return a whole percentage from 0 to 100."""
    try:
        number = parse_number(value)
    except (TypeError, ValueError):
        raise _fail("percent", _l("The percentage must be a whole number from 0 to 100.")) from None
    if not math.isfinite(number) or number != int(number) or not 0 <= number <= 100:
        raise _fail("percent", _l("The percentage must be a whole number from 0 to 100."))
    return int(number)


def clean_health(value: Any) -> Health:
    try:
        return Health(str(value))
    except ValueError:
        raise _fail("health", _l("Choose on track, at risk or off track.")) from None


# What an indicator can measure: a trillion either way (a region's budget in euros fits; 1e308 is a typing error).
MAX_MAGNITUDE = 1e12


def clean_number(value: Any, field: str = "value") -> float:
    """Return a finite number typed in the reader's language (see parse_number), at most MAX_MAGNITUDE either way."""
    try:
        number = parse_number(value)
    except (TypeError, ValueError):
        raise _fail(field, _l("A number is needed.")) from None
    if not math.isfinite(number):
        raise _fail(field, _l("A number is needed."))
    if abs(number) > MAX_MAGNITUDE:
        raise _fail(field, _l("The number is too large: at most a trillion (1 000 000 000 000) either way."))
    return number


def clean_url(value: Any, field: str = "evidence_url") -> str | None:
    """Return an http(s) address, or None when empty."""
    text = str(value or "").strip()
    if not text:
        return None
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.netloc or _CONTROL.search(text) or " " in text:
        raise _fail(field, _l("Give a web address starting with https:// or http://."))
    if len(text) > MAX_URL:
        raise _fail(field, _l("At most %(max)d characters, please (there are %(n)d).", max=MAX_URL, n=len(text)))
    return text


def check_completed_on(value: Any, today: date, started_on: date | None = None) -> date:
    """Return the day something was done: a date (see as_date) neither after `today` nor before `started_on`.

    `started_on` is the action's start when it has one: a milestone cannot be met before its action began.
    Raises ValidationFailed on `completed_on`.
    """
    completed_on = as_date(value, "completed_on", required=True)
    assert completed_on is not None
    if completed_on > today:
        raise _fail("completed_on", _l("The completion date cannot be in the future."))
    if started_on is not None and completed_on < started_on:
        raise _fail(
            "completed_on",
            _l("The completion date cannot be before the action starts (%(date)s).", date=reader_date(started_on)),
        )
    return completed_on


def check_version(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _fail("version", _l("The version of the page is missing. Please reload the page.")) from None


def _ids(values: Any) -> list[int]:
    if values in (None, ""):
        return []
    if isinstance(values, str | int):
        values = [values]
    return sorted({int(v) for v in values})


def as_stored(fields: dict[str, Any]) -> dict[str, Any]:
    """Return the user's values as they would be stored, so that only real differences show in a conflict."""
    cleaners = {
        "title": lambda v: clean_line(v, "title"),
        "description": lambda v: clean_text(v, "description", MAX_DESCRIPTION),
        "start_on": lambda v: as_date(v, "start_on"),
        "due_on": lambda v: as_date(v, "due_on"),
        "owner_id": int,
        "lead_party_id": int,
        "commitment_ids": _ids,
    }
    plain = {}
    for name, value in fields.items():
        try:
            clean = cleaners.get(name, lambda v: v)
            plain[name] = None if value in (None, "") and name in {"owner_id", "lead_party_id"} else clean(value)
        except (ValidationFailed, TypeError, ValueError):
            plain[name] = value  # shown as typed; the edit is refused anyway
    return plain
