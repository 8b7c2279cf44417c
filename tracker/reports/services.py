"""Report services: generate, read, list, and what awaits a reviewer. Sign-off verbs are in `signoff.py`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.accounts.models import User
from tracker.accounts.permissions import is_admin
from tracker.agreements.models import Agreement, AgreementParty
from tracker.agreements.services import party_signed, visible_agreement_ids
from tracker.core import audit, clock
from tracker.core.db import db
from tracker.core.errors import Conflict, NotFound, PermissionDenied
from tracker.core.pagination import Page, paginate
from tracker.reports import notify
from tracker.reports.digest import awaiting_clause
from tracker.reports.models import OPEN_STATUSES, Report, ReportKind, ReportSignature, ReportStatus
from tracker.reports.periods import Period, parse_period
from tracker.reports.prepared import Prepared, is_ready, prepared_file
from tracker.reports.render import FORMATS
from tracker.reports.signoff import missing_parties, return_report, sign_report, supersede_older
from tracker.reports.snapshot import build_snapshot, outdated_reason
from tracker.reports.storage import published_file


def period_of(agreement: Agreement, text: str) -> Period:
    """Return the period `text` names for the agreement (ValidationFailed with one clear line otherwise)."""
    return parse_period(text, years_from=agreement.years_from, starts_on=agreement.starts_on, ends_on=agreement.ends_on)


def outdated(report: Report) -> str | None:
    """Return why an open report must be regenerated before it is signed (the data it must show moved on since it
    was generated), or None: current, published or superseded."""
    if report.status not in OPEN_STATUSES:
        return None
    reason = outdated_reason(report)
    return None if reason is None else str(reason)


def agreement_for_report(slug: str) -> Agreement:
    """Return the agreement with what a snapshot reads (system callers: the command line and the scheduler)."""
    agreement = db.session.scalar(
        select(Agreement)
        .where(Agreement.slug == slug)
        .options(selectinload(Agreement.signatories), selectinload(Agreement.workstreams))
    )
    if agreement is None:
        raise NotFound(_l("There is no agreement %(slug)s.", slug=slug))
    return agreement


def latest_report(agreement: Agreement, period: Period) -> Report | None:
    """Return the newest version generated for this agreement, kind and period."""
    return db.session.scalar(
        select(Report)
        .where(Report.agreement_id == agreement.id, Report.kind == period.kind, Report.period == period.key)
        .order_by(Report.version.desc())
        .limit(1)
    )


def _previous(agreement: Agreement, period: Period) -> Report | None:
    """Return the report this one is compared with: the last published report of an earlier period of the same
    kind, or for a final report (the whole term) the last published report of any other period; never a version
    of the same report, which nobody read (None: nothing to compare with)."""
    earlier = (
        Report.kind != ReportKind.FINAL
        if period.kind == ReportKind.FINAL
        else (Report.kind == period.kind) & (Report.period_end_on < period.start)
    )
    return db.session.scalar(
        select(Report)
        .where(Report.agreement_id == agreement.id, Report.status == ReportStatus.PUBLISHED, earlier)
        .order_by(Report.period_end_on.desc(), Report.published_at.desc())
        .limit(1)
    )


def _previous_summary(report: Report | None) -> dict[str, Any] | None:
    if report is None:
        return None
    return {
        "id": report.id,
        "period": report.period,
        "kind": report.kind.value,
        "start": report.period_start_on.isoformat(),
        "end": report.period_end_on.isoformat(),
        "version": report.version,
        "generated_at": report.generated_at.isoformat(),
        "milestone_index": report.snapshot.get("milestone_index", {}),
    }


def generate_report(
    agreement: Agreement, period: Period | str, by: User | None = None, *, regenerate: bool = False
) -> Report:
    """Freeze a new report of `agreement` over `period` (flushed; the caller commits).

    `by` is None for the command line and the scheduler; a person must be an admin of a signing party. A
    second report for the same period is refused unless `regenerate`, which makes a new version and
    supersedes the versions not yet published.
    """
    if by is not None and (not is_admin(by) or not party_signed(agreement.id, by.party_id)):
        raise PermissionDenied(_l("Only administrators generate reports."))
    if isinstance(period, str):
        period = period_of(agreement, period)
    existing = latest_report(agreement, period)
    if existing is not None and not regenerate:
        raise Conflict(
            _l(
                "The report for %(period)s exists already (version %(version)d); regenerate it to make a new version.",
                period=period.key,
                version=existing.version,
            ),
            report_id=existing.id,
        )
    version = existing.version + 1 if existing else 1
    now = clock.now()
    snapshot = build_snapshot(
        agreement,
        period,
        today=clock.today(agreement.timezone),
        generated_at=now,
        previous=_previous_summary(_previous(agreement, period)),
    )
    report = Report(
        agreement_id=agreement.id,
        kind=period.kind,
        period=period.key,
        period_start_on=period.start,
        period_end_on=period.end,
        version=version,
        generated_at=now,
        generated_by_id=by.id if by else None,
        snapshot=snapshot,
        status=ReportStatus.DRAFT,
    )
    db.session.add(report)
    db.session.flush()
    if existing is not None:
        supersede_older(report)
    audit.record(
        actor=by,
        entity="report",
        entity_id=report.id,
        verb="generate",
        changes={"period": period.key, "kind": period.kind.value, "version": version},
        agreement_id=agreement.id,
    )
    return report


def get_report(user: User, report_id: int) -> Report:
    """Return a report of an agreement the user's party signed; otherwise it does not exist for them."""
    report = db.session.scalar(
        select(Report)
        .where(Report.id == report_id, Report.agreement_id.in_(visible_agreement_ids(user)))
        .options(
            selectinload(Report.signatures).joinedload(ReportSignature.user),
            selectinload(Report.agreement).selectinload(Agreement.signatories),
        )
    )
    if report is None:
        raise NotFound(_l("This report does not exist, or you may not see it."))
    return report


def list_reports(user: User, agreement: Agreement, page: int = 1, per_page: int = 25) -> Page[Report]:
    """Return a page of the agreement's reports, newest period first (the agreement is already visible)."""
    statement = (
        select(Report)
        .where(Report.agreement_id == agreement.id, Report.agreement_id.in_(visible_agreement_ids(user)))
        .options(selectinload(Report.signatures).joinedload(ReportSignature.user))
        .order_by(Report.period_end_on.desc(), Report.kind, Report.version.desc())
    )
    return paginate(statement, page, per_page)


def reports_awaiting(user: User) -> Sequence[Report]:
    """Return the reports waiting for the user's sign-off: open reports of agreements their party signed,
    not yet signed for their party (reviewers only; everyone else gets an empty list). The digest's
    section uses the same rule (`tracker.reports.digest.awaiting_clause`) for every recipient at once."""
    return db.session.scalars(
        select(Report)
        .join(AgreementParty, AgreementParty.agreement_id == Report.agreement_id)
        .join(User, User.party_id == AgreementParty.party_id)
        .where(User.id == user.id, awaiting_clause(User))
        .options(selectinload(Report.agreement))
        .order_by(Report.generated_at)
    ).all()


def send_for_signoff(report: Report) -> int:
    """Mail the reviewers of the parties that have not signed yet; return how many messages were queued."""
    return notify.awaiting(report, missing_parties(report))


def files_ready(report: Report, languages: Sequence[str]) -> dict[str, dict[str, bool]]:
    """Return, per language and format, whether the report's file can be downloaded at once (else it is being
    prepared)."""
    if report.status == ReportStatus.PUBLISHED:
        return {lang: dict.fromkeys(FORMATS, bool(report.files)) for lang in languages}
    return {lang: {fmt: is_ready(report, lang, fmt) for fmt in FORMATS} for lang in languages}


def report_file(report: Report, lang: str, fmt: str) -> Prepared:
    """Return a file of the report, or where it stands when it is not ready yet.

    Once published and kept: the stored file. Before (drafts, signed reports), every format takes time to
    render (a PDF seconds), so none is rendered in a request: the scheduler prepares it ("preparing" until then,
    "failed" with its reason when it could not). A published report the scheduler has not kept yet is
    "preparing" too: its files are rendered once, kept and never changed. Raises NotFound when a kept file is
    missing or damaged.
    """
    if report.status == ReportStatus.PUBLISHED and report.files:
        return Prepared("ready", published_file(report, lang, fmt))
    if report.status == ReportStatus.PUBLISHED:
        return Prepared("preparing")  # the report_files job keeps every file of a published report
    return prepared_file(report, lang, fmt)


__all__ = [
    "agreement_for_report",
    "files_ready",
    "generate_report",
    "get_report",
    "list_reports",
    "period_of",
    "report_file",
    "reports_awaiting",
    "return_report",
    "send_for_signoff",
    "sign_report",
]
