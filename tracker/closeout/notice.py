"""The notice every page of an ended agreement shows: since when it has ended and what is left to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select

from tracker.agreements.models import Agreement
from tracker.closeout.queries import awaiting_decision_count
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


def _final_report(column: Any) -> Any:
    """`column` of the agreement's latest final report still in force (superseded ones left out), as a scalar
    subquery (NULL when there is none)."""
    return (
        select(column)
        .where(
            Report.agreement_id == bindparam("agreement_id"),
            Report.kind == ReportKind.FINAL,
            Report.status != ReportStatus.SUPERSEDED,
        )
        .order_by(Report.version.desc())
        .limit(1)
        .scalar_subquery()
    )


# Built once: every page of an ended agreement runs it.
_NOTICE = select(
    awaiting_decision_count(bindparam("agreement_id")).label("open_actions"),
    _final_report(Report.id).label("final_id"),
    _final_report(Report.status).label("final_status"),
)


def end_notice(agreement: Agreement | None) -> EndNotice | None:
    """Return what an ended agreement's pages must say, or None while it is in force (one query)."""
    if agreement is None or not agreement.has_ended(clock.today(agreement.timezone)):
        return None
    row = db.session.execute(_NOTICE, {"agreement_id": agreement.id}).one()
    final = row.final_status
    state = None if final is None else ("published" if final == ReportStatus.PUBLISHED else "to_sign")
    return EndNotice(
        agreement.slug,
        agreement.ends_on,
        state,
        row.final_id,
        int(row.open_actions or 0),
        agreement.is_read_only,
    )
