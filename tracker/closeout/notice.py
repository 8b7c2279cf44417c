"""The notice every page of an ended agreement shows: since when it has ended and what is left to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from tracker.agreements.models import Agreement
from tracker.closeout.queries import count_awaiting_decision
from tracker.core import clock
from tracker.core.db import db
from tracker.reports.models import Report, ReportKind, ReportStatus


@dataclass(frozen=True)
class EndNotice:
    """`final_report` is None (not generated yet), "to_sign" or "published"; `open_actions` counts the actions
    that still need a close-out decision (neither completed nor cancelled, and not yet decided); `read_only` is
    set once the agreement is closed (or archived)."""

    slug: str
    ended_on: date
    final_report: str | None
    final_report_id: int | None
    open_actions: int
    read_only: bool = False


def end_notice(agreement: Agreement | None) -> EndNotice | None:
    """Return what an ended agreement's pages must say, or None while it is in force (two small queries)."""
    if agreement is None or not agreement.has_ended(clock.today(agreement.timezone)):
        return None
    open_actions = count_awaiting_decision(agreement.id)
    final = db.session.execute(
        select(Report.id, Report.status)
        .where(
            Report.agreement_id == agreement.id,
            Report.kind == ReportKind.FINAL,
            Report.status != ReportStatus.SUPERSEDED,
        )
        .order_by(Report.version.desc())
        .limit(1)
    ).first()
    state = None if final is None else ("published" if final.status == ReportStatus.PUBLISHED else "to_sign")
    return EndNotice(
        agreement.slug,
        agreement.ends_on,
        state,
        final.id if final else None,
        open_actions,
        agreement.is_read_only,
    )
