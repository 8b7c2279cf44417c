"""Translatable names of what a report shows (statuses, health, figures, kinds), shared by every format."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from babel.dates import format_skeleton
from babel.numbers import format_percent
from flask_babel import format_date, format_decimal, get_locale
from flask_babel import lazy_gettext as _l

from tracker.actions.labels import ACTION_STATUS, HEALTH
from tracker.actions.units import measure, quantity, unit_name
from tracker.reports.narratives.labels import narrative_text
from tracker.web.i18n import commitment_number, current_language, french_first

# The statuses a report counts actions under: their own, then those registered for some reports by other packages
# (tracker.reports.snapshot.register_status: the final report's « carried over »).
ACTION_FIGURES: dict[str, Any] = {str(status): label for status, label in ACTION_STATUS.items()}
MILESTONE_FIGURES = {
    "met_on_time": _l("Met on time"),
    "met_late": _l("Met late"),
    "missed": _l("Missed"),
    "coming": _l("Coming next period"),
    "planned": _l("Due in the period"),
    "done": _l("Done by the end of the period"),
}
KIND = {
    "quarter": _l("Quarterly report"),
    "agreement_year": _l("Agreement-year report"),
    "final": _l("Final report"),
    "ad_hoc": _l("Report"),
}
REPORT_STATUS = {
    "draft": _l("Draft"),
    "signed": _l("Signed by one party"),
    "published": _l("Published"),
    "superseded": _l("Superseded"),
}
DIRECTION = {"increase": _l("to increase"), "decrease": _l("to decrease"), "maintain": _l("to maintain")}


def loc(texts: dict[str, str] | None) -> str:
    """Return the text in the current language from a {fr, en, nl} dict (French, then any, as fallback)."""
    if not texts:
        return ""
    lang = current_language()
    return texts.get(lang) or texts.get("fr") or next((t for t in texts.values() if t), "")


def iso_date(value: str | date | None, fmt: str = "medium") -> str:
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return french_first(format_date(day, fmt), day, current_language())


def period_span(start: str | date, end: str | date) -> str:
    """Return a period's days as a sentence reads them, the year said once when both days share it: « du 1er juillet
    au 22 septembre 2026 », « van 1 juli tot 22 september 2026 », « July 1 to September 22, 2026 »."""
    first = start if isinstance(start, date) else date.fromisoformat(str(start)[:10])
    last = end if isinstance(end, date) else date.fromisoformat(str(end)[:10])
    if first.year == last.year:
        day_month = french_first(format_skeleton("MMMMd", first, locale=current_language()), first, current_language())
    else:
        day_month = iso_date(first, "long")
    return str(_l("%(start)s to %(end)s", start=day_month, end=iso_date(last, "long")))


def number(value: float | int | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return format_decimal(value, format=f"#,##0.{'#' * digits}" if digits else "#,##0")


def percent(value: float | None) -> str:
    """Return a 0-100 figure as the reader writes a percentage, to one decimal (`45,2 %` in French)."""
    if value is None:
        return "–"
    # Decimal, not float: 96.7 / 100 as a float is 0.9670000000000001, which Babel would print in full.
    share = Decimal(str(round(float(value), 1))) / 100
    return format_percent(share, locale=get_locale() or "fr", decimal_quantization=False)


def period_title(period: dict[str, Any]) -> str:
    """Return how the period reads in titles: `T3 2026`-like for quarters, `Year 3` for agreement years."""
    key = period["key"]
    if period["kind"] == "quarter":
        year, quarter = key.split("-Q")
        return str(_l("Q%(quarter)s %(year)s", quarter=quarter, year=year))
    if period["kind"] == "agreement_year":
        return str(_l("Agreement year %(n)s", n=key[1:]))
    return period_span(period["start"], period["end"])


def period_of_key(
    key: str, kind: str | None = None, start: str | None = None, end: str | None = None
) -> dict[str, Any]:
    """Return the period dict that `period_title` reads, from a period key (`2026-Q3`, `Y3`, `final`, `START..END`)
    and, when known, its kind and bounds (ISO dates; a final period needs them to read as dates)."""
    if re.fullmatch(r"\d{4}-Q[1-4]", key):
        kind = "quarter"
    elif re.fullmatch(r"Y\d+", key):
        kind = "agreement_year"
    elif ".." in key:
        kind, (start, _, end) = kind or "ad_hoc", key.partition("..")
    return {"kind": kind or key, "key": key, "start": start, "end": end}


def previous_title(previous: dict[str, Any]) -> str:
    """Return how a report's `changes.previous` names the period it is compared with (`Q2 2026`); snapshots frozen
    before it kept the bounds read the final period as « the whole agreement »."""
    period = period_of_key(previous["period"], previous.get("kind"), previous.get("start"), previous.get("end"))
    if period["start"] is None and period["kind"] not in ("quarter", "agreement_year"):
        return str(_l("the whole agreement"))
    return period_title(period)


def report_title(snapshot: dict[str, Any]) -> str:
    """Return the report's title in the current language, e.g. `Final report · 23 September 2021 to …`."""
    return f"{KIND[snapshot['period']['kind']]} · {period_title(snapshot['period'])}"


def template_helpers() -> dict[str, Any]:
    return {
        "loc": loc,
        "commitment_number": commitment_number,
        "iso_date": iso_date,
        "number": number,
        "measure": measure,
        "unit_name": unit_name,
        "quantity": quantity,
        "percent": percent,
        "period_title": period_title,
        "period_span": period_span,
        "narrative_text": narrative_text,
        "previous_title": previous_title,
        "ACTION_STATUS": ACTION_FIGURES,
        "HEALTH": HEALTH,
        "MILESTONE_FIGURES": MILESTONE_FIGURES,
        "KIND": KIND,
        "REPORT_STATUS": REPORT_STATUS,
        "DIRECTION": DIRECTION,
    }
