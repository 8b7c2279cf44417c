"""The digest's narrative sections: before a report is due, each workstream's co-leads hear that its assessment is
still missing in French or Dutch, and the admins of the signing parties that the executive summary is: two weeks
and one week before the period ends and on its last day, unless the text is written or the report generated."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, exists, literal, select
from sqlalchemy.orm import aliased, selectinload

from tracker.accounts.models import Role, User
from tracker.agreements.models import Agreement, AgreementParty, AgreementStatus, Workstream, WorkstreamLead
from tracker.core import clock
from tracker.core.db import db
from tracker.mail.render import link
from tracker.reminders.rules import Rows, Scope
from tracker.reminders.sections import Line, Section
from tracker.reports.labels import KIND, loc, period_title
from tracker.reports.narratives.models import Narrative
from tracker.reports.narratives.periods import is_reminder_day, reminded_periods
from tracker.reports.periods import Period

OPEN = (AgreementStatus.IN_FORCE, AgreementStatus.ENDED)


def _agreements() -> list[Agreement]:
    return list(
        db.session.scalars(
            select(Agreement)
            .where(Agreement.status.in_(OPEN))
            .options(selectinload(Agreement.signatories), selectinload(Agreement.workstreams))
            .order_by(Agreement.id)
        )
    )


def _written(workstream_id: Any, period_key: Any, agreement_id: Any) -> Any:
    """True when the narrative of this subject and period has both required languages."""
    subject = Narrative.workstream_id.is_(None) if workstream_id is None else Narrative.workstream_id == workstream_id
    return exists().where(
        Narrative.agreement_id == agreement_id,
        Narrative.period == period_key,
        subject,
        Narrative.text_fr != "",
        Narrative.text_nl != "",
    )


def _due(scope: Scope) -> dict[int, Period]:
    return reminded_periods(_agreements(), scope.on)


def _due_today(scope: Scope) -> Iterator[tuple[Any, dict[int, Any]]]:
    """Yield (group, {agreement id: period}) for each group of the scope that has texts to remind of today."""
    due = _due(scope)
    for group in scope.groups:
        today = {a: p for a, p in due.items() if is_reminder_day(p, group.days)}
        if today:
            yield group, today


def assessments_to_write(scope: Scope) -> Rows:
    """Return (co-lead id, workstream id) for each assessment the co-lead still has to write (one query per group)."""
    rows: list[tuple[int, int]] = []
    for group, today in _due_today(scope):
        u = aliased(User)
        period_key = case({a: literal(p.key) for a, p in today.items()}, value=Workstream.agreement_id)
        statement = (
            select(u.id, Workstream.id)
            .join(WorkstreamLead, WorkstreamLead.workstream_id == Workstream.id)
            .join(u, u.id == WorkstreamLead.user_id)
            .where(
                Workstream.agreement_id.in_(list(today)),
                ~_written(Workstream.id, period_key, Workstream.agreement_id),
                group.matches(u),
            )
        )
        rows.extend((int(a), int(b)) for a, b in db.session.execute(statement))
    return rows


def summaries_to_write(scope: Scope) -> Rows:
    """Return (admin id, agreement id) for each executive summary the admins of a signing party still have to
    write (one query per group)."""
    rows: list[tuple[int, int]] = []
    for group, today in _due_today(scope):
        u = aliased(User)
        period_key = case({a: literal(p.key) for a, p in today.items()}, value=AgreementParty.agreement_id)
        statement = (
            select(u.id, AgreementParty.agreement_id)
            .join(u, u.party_id == AgreementParty.party_id)
            .where(
                AgreementParty.agreement_id.in_(list(today)),
                u.role == Role.ADMIN,
                ~_written(None, period_key, AgreementParty.agreement_id),
                group.matches(u),
            )
        )
        rows.extend((int(a), int(b)) for a, b in db.session.execute(statement))
    return rows


def _period_note(period: Period) -> LazyString:
    plain = {
        "key": period.key,
        "kind": period.kind.value,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }
    return LazyString(lambda: f"{KIND[plain['kind']]} · {period_title(plain)}")


def _due_now(agreements: Sequence[Agreement]) -> dict[int, Period]:
    """The periods asked for as the digest is rendered (its texts are built when it is sent)."""
    if not agreements:
        return {}
    return reminded_periods(list(agreements), clock.today(agreements[0].timezone))


def describe_assessments(ids: Sequence[int], _scope: Scope) -> dict[int, Line]:
    """Return a line per workstream: its title, the page where its assessment is written, and the period."""
    workstreams = db.session.scalars(
        select(Workstream).where(Workstream.id.in_(ids)).options(selectinload(Workstream.agreement))
    ).all()
    agreements = list({ws.agreement_id: ws.agreement for ws in workstreams}.values())
    due = _due_now(agreements)
    lines = {}
    for ws in workstreams:
        period = due.get(ws.agreement_id)
        base = f"/agreements/{ws.agreement.slug}/narratives/"
        lines[ws.id] = Line(
            title=LazyString(lambda w=ws: loc({lang: w.text("title", lang) for lang in ("fr", "en", "nl")})),
            url=link(f"{base}{period.key}/{ws.code}" if period else base),
            note=_period_note(period) if period else None,
        )
    return lines


def describe_summaries(ids: Sequence[int], _scope: Scope) -> dict[int, Line]:
    """Return a line per agreement: its title, the page where its executive summary is written, and the period."""
    agreements = db.session.scalars(select(Agreement).where(Agreement.id.in_(ids))).all()
    due = _due_now(list(agreements))
    lines = {}
    for a in agreements:
        period = due.get(a.id)
        base = f"/agreements/{a.slug}/narratives/"
        lines[a.id] = Line(
            title=LazyString(lambda ag=a: loc({lang: ag.text("title", lang) for lang in ("fr", "en", "nl")})),
            url=link(f"{base}{period.key}/summary" if period else base),
            note=_period_note(period) if period else None,
        )
    return lines


# Registered by tracker.reports.init_app.
SECTIONS = (
    Section(
        "narratives",
        57,
        _l("Assessments to write before the report: workstreams you co-lead"),
        assessments_to_write,
        describe_assessments,
    ),
    Section(
        "narrative_summaries",
        58,
        _l("Executive summaries to write before the report"),
        summaries_to_write,
        describe_summaries,
    ),
)
