"""Narrative services: who writes what, the status of a period's texts, saving a version, the history, and the
frozen copy a report's snapshot takes at generation.

Who writes: a workstream's assessment by the co-leads of that workstream (of either party); the executive summary
by the administrators of the parties that signed the agreement. Everyone who sees the agreement reads them. Once
the report of a period is published its texts no longer change (a new report would not take them anyway).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from tracker.accounts.models import Role, User
from tracker.agreements.models import Agreement, Workstream, WorkstreamLead
from tracker.agreements.services import co_led_workstream_ids
from tracker.core import audit, clock
from tracker.core.db import db
from tracker.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from tracker.core.text import clean_text
from tracker.reports.models import Report, ReportStatus
from tracker.reports.narratives.models import NARRATIVE_LANGUAGES, Narrative, NarrativeVersion
from tracker.reports.periods import Period

SUMMARY = "summary"
# Bounds in characters: an assessment is about a page, the executive summary about two.
MAX_LENGTH = {SUMMARY: 8000, "workstream": 5000}


@dataclass(frozen=True)
class Subject:
    """What a narrative is about: the executive summary (no workstream) or one workstream's assessment."""

    workstream: Workstream | None

    @property
    def key(self) -> str:
        return SUMMARY if self.workstream is None else self.workstream.code

    @property
    def max_length(self) -> int:
        return MAX_LENGTH[SUMMARY if self.workstream is None else "workstream"]


@dataclass(frozen=True)
class Row:
    """A line of a period's narratives page: its subject, its narrative (None before the first save), the
    required languages still missing, and whether the reader may write it."""

    subject: Subject
    narrative: Narrative | None
    missing: list[str]
    may_write: bool


def subject_of(agreement: Agreement, key: str) -> Subject:
    """Return the subject named by `key` ("summary" or a workstream code) in the agreement (NotFound otherwise)."""
    if key == SUMMARY:
        return Subject(None)
    workstream = next((ws for ws in agreement.workstreams if ws.code == key), None)
    if workstream is None:
        raise NotFound(_l("This workstream does not exist, or you may not see it."))
    return Subject(workstream)


def may_write(user: User, agreement: Agreement, subject: Subject, lead_ids: set[int] | None = None) -> bool:
    """Return whether `user` writes this subject: an admin of a signing party for the summary, a co-lead of the
    workstream for its assessment. `lead_ids` (the workstream ids the user co-leads) spares a query per row."""
    if not user.active or user.party_id not in {s.party_id for s in agreement.signatories}:
        return False
    if subject.workstream is None:
        return user.role == Role.ADMIN
    leads = lead_ids if lead_ids is not None else _led_workstreams(user, agreement)
    return subject.workstream.id in leads


def _led_workstreams(user: User, agreement: Agreement) -> set[int]:
    return set(
        db.session.scalars(
            co_led_workstream_ids(user)
            .join(Workstream, Workstream.id == WorkstreamLead.workstream_id)
            .where(Workstream.agreement_id == agreement.id)
        )
    )


def is_published(agreement_id: int, period: Period) -> bool:
    """Return whether a report of this period is published (its narratives are then settled)."""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Report.agreement_id == agreement_id,
                    Report.period == period.key,
                    Report.status == ReportStatus.PUBLISHED,
                )
            )
        )
    )


def _narratives(agreement_id: int, period_key: str) -> dict[int | None, Narrative]:
    found = db.session.scalars(
        select(Narrative).where(Narrative.agreement_id == agreement_id, Narrative.period == period_key)
    )
    return {n.workstream_id: n for n in found}


def period_rows(user: User, agreement: Agreement, period: Period) -> list[Row]:
    """Return the summary then every workstream of the agreement with its narrative for the period (two queries;
    the agreement is one the user sees)."""
    narratives = _narratives(agreement.id, period.key)
    leads = _led_workstreams(user, agreement)
    subjects = [Subject(None)] + [Subject(ws) for ws in agreement.workstreams]
    rows = []
    for subject in subjects:
        narrative = narratives.get(subject.workstream.id if subject.workstream else None)
        missing = narrative.missing() if narrative else ["fr", "nl"]
        rows.append(Row(subject, narrative, missing, may_write(user, agreement, subject, leads)))
    return rows


def get_narrative(agreement: Agreement, period: Period, subject: Subject) -> Narrative | None:
    """Return the narrative of this subject and period, with its versions, or None before its first save."""
    return db.session.scalar(
        select(Narrative)
        .where(
            Narrative.agreement_id == agreement.id,
            Narrative.period == period.key,
            Narrative.workstream_id.is_(None)
            if subject.workstream is None
            else Narrative.workstream_id == subject.workstream.id,
        )
        .options(selectinload(Narrative.versions))
    )


def check_may_write(user: User, agreement: Agreement, period: Period, subject: Subject) -> None:
    """Raise PermissionDenied when the user does not write this subject, InvalidTransition once the period's
    report is published."""
    if not may_write(user, agreement, subject):
        if subject.workstream is None:
            raise PermissionDenied(_l("Only the administrators of the parties write the executive summary."))
        raise PermissionDenied(_l("Only the co-leads of this workstream write its assessment."))
    if is_published(agreement.id, period):
        raise InvalidTransition(_l("The report of this period is published: its texts can no longer change."))


def _clean(texts: dict[str, Any], subject: Subject) -> dict[str, str]:
    cleaned = {lang: clean_text(str(texts.get(lang) or "")).strip() for lang in NARRATIVE_LANGUAGES}
    errors: dict[str, list[Any]] = {}
    for lang, text in cleaned.items():
        if len(text) > subject.max_length:
            errors[f"text_{lang}"] = [
                _l("At most %(n)d characters (this text has %(count)d).", n=subject.max_length, count=len(text))
            ]
    if errors:
        raise ValidationFailed(_l("A text is too long."), errors)
    if not any(cleaned.values()):
        message = _l("Write the text in at least one language.")
        raise ValidationFailed(message, {"text_fr": [message]})
    return cleaned


def save_narrative(
    user: User, agreement: Agreement, period: Period, subject: Subject, texts: dict[str, Any], base_version: Any
) -> Narrative:
    """Save the texts ({fr, nl, en}) as a new version and return the narrative (flushed; the caller commits).

    `base_version` is the version number the writer's form was opened at (0 before the first save): when someone
    saved in between, Conflict (nothing saved). Saving the same texts again makes no version (ValidationFailed)."""
    check_may_write(user, agreement, period, subject)
    cleaned = _clean(texts, subject)
    try:
        base = int(base_version)
    except (TypeError, ValueError):
        message = _l("The version of the page is missing. Please reload the page.")
        raise ValidationFailed(message, {"version": [message]}) from None
    narrative = _narrative_for_update(agreement, period, subject)
    if narrative.versions_count != base:
        who = narrative.updated_by.name if narrative.updated_by else _l("someone")
        raise Conflict(
            _l("%(name)s saved this text after you opened it. Nothing was saved: read their version first.", name=who),
            entity="narrative",
            entity_id=narrative.id,
            your_version=base,
            current_version=narrative.versions_count,
        )
    if narrative.versions_count and narrative.texts() == cleaned:
        raise ValidationFailed(_l("Nothing changed: no new version was saved."))
    number = narrative.versions_count + 1
    changed = sorted(lang for lang in NARRATIVE_LANGUAGES if narrative.texts()[lang] != cleaned[lang])
    for lang, text in cleaned.items():
        setattr(narrative, f"text_{lang}", text)
    narrative.versions_count = number
    narrative.updated_by_id = user.id
    db.session.add(
        NarrativeVersion(
            narrative=narrative,
            number=number,
            author_id=user.id,
            author_name=user.name,
            saved_at=clock.now(),
            **{f"text_{lang}": text for lang, text in cleaned.items()},
        )
    )
    db.session.flush()
    audit.record(
        actor=user,
        entity="narrative",
        entity_id=narrative.id,
        verb="write",
        changes={"period": period.key, "version": number, "languages": changed},
        agreement_id=agreement.id,
    )
    return narrative


def _narrative_for_update(agreement: Agreement, period: Period, subject: Subject) -> Narrative:
    """Return the narrative row, locked, creating it on the first save (a concurrent first save: Conflict)."""
    narrative = get_narrative(agreement, period, subject)
    if narrative is not None:
        db.session.execute(select(Narrative.id).where(Narrative.id == narrative.id).with_for_update())
        db.session.refresh(narrative)
        return narrative
    narrative = Narrative(
        agreement_id=agreement.id,
        period=period.key,
        workstream_id=subject.workstream.id if subject.workstream else None,
        versions_count=0,
    )
    try:
        with db.session.begin_nested():
            db.session.add(narrative)
            db.session.flush()
    except IntegrityError:
        raise Conflict(
            _l("Someone saved this text after you opened it. Nothing was saved: read their version first.")
        ) from None
    return narrative


def frozen(agreement_id: int, period_key: str) -> dict[str, Any]:
    """Return the period's narratives as a report's snapshot keeps them (plain JSON, one query):
    {"summary": entry or None, "workstreams": {workstream code: entry}}, each entry
    {"texts": {fr, nl, en}, "version": n, "saved_at": ISO instant, "author": name}."""
    rows = db.session.execute(
        select(Narrative, Workstream.code)
        .outerjoin(Workstream, Workstream.id == Narrative.workstream_id)
        .where(Narrative.agreement_id == agreement_id, Narrative.period == period_key, Narrative.versions_count > 0)
        .options(selectinload(Narrative.versions))
    ).all()
    result: dict[str, Any] = {"summary": None, "workstreams": {}}
    for narrative, code in rows:
        latest = narrative.versions[0]
        entry = {
            "texts": narrative.texts(),
            "version": narrative.versions_count,
            "saved_at": latest.saved_at.isoformat(),
            "author": latest.author_name,
        }
        if code is None:
            result["summary"] = entry
        else:
            result["workstreams"][code] = entry
    return result


def latest_saved_at(agreement_id: int, period_key: str) -> Any:
    """Return when a narrative of the period was last saved (None if never): a report generated before it
    does not hold the latest texts."""
    return db.session.scalar(
        select(func.max(NarrativeVersion.saved_at))
        .join(Narrative, Narrative.id == NarrativeVersion.narrative_id)
        .where(Narrative.agreement_id == agreement_id, Narrative.period == period_key)
    )


def period_reports(agreement_id: int, period_key: str) -> list[Report]:
    """Return the reports generated for the period, newest version first."""
    return list(
        db.session.scalars(
            select(Report)
            .where(Report.agreement_id == agreement_id, Report.period == period_key)
            .order_by(Report.version.desc())
        )
    )


def today_of(agreement: Agreement) -> date:
    """Return today's date in the agreement's time zone."""
    return clock.today(agreement.timezone)
