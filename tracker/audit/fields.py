"""Names of recorded fields and values as people read them in the history: never a column name or an enum key.

`title_nl` reads « Titre (Nederlands) », `language: nl → fr` reads « Langue : Nederlands → Français », a size in
bytes reads « 45 octets », a report period key reads as its kind.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from tracker.actions.units import file_size, unit_name
from tracker.closeout.decisions import DECISION_LABELS
from tracker.mail.labels import MAIL_STATE
from tracker.reminders.forms import CADENCE_LABELS
from tracker.reports.labels import DIRECTION, KIND, previous_title
from tracker.web.i18n import LANGUAGE_NAMES, ROLE_LABELS, format_calendar_date

FIELD_NAMES = {
    # accounts
    "email": _l("Email"),
    "name": _l("Name"),
    "short_name": _l("Short name"),
    "party_id": _l("Party"),
    "role": _l("Role"),
    "language": _l("Language"),
    "digest": _l("Reminder digest"),
    "digest_hour": _l("Hour of the digest"),
    "active": _l("Account enabled"),
    "scope": _l("Access"),
    # the agreement file
    "slug": _l("Short name"),
    "code": _l("Code"),
    "summary": _l("Summary"),
    "objective": _l("Objective"),
    "signed_on": _l("Signed on"),
    "starts_on": _l("Start date"),
    "ends_on": _l("End date"),
    "timezone": _l("Time zone"),
    "source_url": _l("Source"),
    "country": _l("Country"),
    "subdivision": _l("Region"),
    "unit": _l("Unit"),
    "direction": _l("Direction"),
    "baseline_value": _l("Baseline"),
    "baseline_on": _l("Baseline date"),
    "target_value": _l("Target"),
    "target_on": _l("Target date"),
    "source": _l("Source"),
    "note": _l("Note"),
    # evidence, reports, mail, demo
    "content_type": _l("File type"),
    "size": _l("Size"),
    "signed_for": _l("Signed for"),
    "period": _l("Period"),
    "kind": _l("Kind of report"),
    "version": _l("Version"),
    "state": _l("State"),
    "attempts": _l("Attempts"),
    "users": _l("Accounts"),
    "actions": _l("Actions"),
    # people administration, sign-offs, days off
    "co_lead": _l("Co-lead"),
    "handed_to": _l("Handed over to"),
    "signatures_withdrawn": _l("Signatures withdrawn"),
    "on": _l("Date"),
    "label": _l("Label"),
    # reminder settings
    **CADENCE_LABELS,
}
LANGUAGE_SUFFIXES = {"_fr": "fr", "_en": "en", "_nl": "nl"}
DIGESTS = {"daily": _l("Daily"), "weekly": _l("Weekly (Mondays)"), "none": _l("No digest")}
SCOPES = {"read": _l("Read only"), "write": _l("Read and write")}
# Recorded values that special_value formats (a period key, a unit key, a size, a day).
FORMATTED_FIELDS = {"period", "unit", "size", "on"}
# Recorded enumerations whose keys read as their names.
VALUE_NAMES: dict[str, dict[str, Any]] = {
    "language": LANGUAGE_NAMES,
    "role": ROLE_LABELS,
    "digest": DIGESTS,
    "direction": DIRECTION,
    "kind": KIND,
    "decision": DECISION_LABELS,
    "state": MAIL_STATE,
    "scope": SCOPES,
}
# Recorded for the machine only: not shown in the history.
MACHINE_FIELDS = {"content_type"}


def has_label(field: str, labels: dict[str, Any]) -> bool:
    """Whether a recorded field has a name for people (in `labels`, in this module's, or as `<named>_<language>`)."""
    base, suffix = field[:-3], field[-3:]
    return bool(
        labels.get(field) or FIELD_NAMES.get(field) or (suffix in LANGUAGE_SUFFIXES and has_label(base, labels))
    )


def field_label(field: str, labels: dict[str, Any]) -> str:
    """Return the name of a recorded field (`labels` first, then this module's; `title_nl` → « Titre (Nederlands) »)."""
    known = labels.get(field) or FIELD_NAMES.get(field)
    if known is not None:
        return str(known)
    base, suffix = field[:-3], field[-3:]
    if suffix in LANGUAGE_SUFFIXES and (labels.get(base) or FIELD_NAMES.get(base)):
        return f"{labels.get(base) or FIELD_NAMES[base]} ({LANGUAGE_NAMES[LANGUAGE_SUFFIXES[suffix]]})"
    return field


def text_language(field: str) -> str | None:
    """Return the language of a field holding one version of a text (`title_en` → `en`), else None."""
    return LANGUAGE_SUFFIXES.get(field[-3:])


def special_value(field: str, value: Any) -> str | None:
    """Return how a value of a known kind reads (language, role, digest, unit, size, period), else None."""
    text = str(value)
    names = VALUE_NAMES.get(field, {})
    if text in names:
        return str(names[text])
    if field == "on" and isinstance(value, str):
        return _date(value)
    if field == "period":
        return _period(text)
    if field == "unit":
        return unit_name(text)
    if field == "size" and isinstance(value, int):
        return file_size(value)
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if isinstance(value, int | float):
        return format_decimal(value, format="#,##0.##")
    return None


def _date(text: str) -> str | None:
    """Return an ISO date as people read it, or None when the text is not one."""
    try:
        return format_calendar_date(date.fromisoformat(text), "medium")
    except ValueError:
        return None


def _period(key: str) -> str:
    """Return a report period key (`2026-Q3`, `Y3`, `final`, `START..END`) as its title."""
    return previous_title({"period": key})
