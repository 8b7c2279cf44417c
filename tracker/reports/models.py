"""Report and ReportSignature."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core import clock
from tracker.core.db import Base, IdMixin, TimestampMixin, str_enum

if TYPE_CHECKING:
    from tracker.accounts.models import User
    from tracker.agreements.models import Agreement
from tracker.accounts.models import Party


class ReportKind(enum.StrEnum):
    QUARTER = "quarter"
    AGREEMENT_YEAR = "agreement_year"
    FINAL = "final"
    AD_HOC = "ad_hoc"


class ReportStatus(enum.StrEnum):
    DRAFT = "draft"
    # Signed by one party, awaiting the other(s).
    SIGNED = "signed"
    PUBLISHED = "published"
    # A newer version of the same period replaced it before it was published.
    SUPERSEDED = "superseded"


# Reports still open: a draft, or signed by some parties but not yet published.
OPEN_STATUSES = (ReportStatus.DRAFT, ReportStatus.SIGNED)


class Report(IdMixin, TimestampMixin, Base):
    """A frozen snapshot of an agreement's figures over a period; `snapshot` never changes once generated."""

    __tablename__ = "reports"

    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    kind: Mapped[ReportKind] = mapped_column(str_enum(ReportKind, "report_kind"))
    # The period as typed on the command line (2026-Q3, Y3, final, 2026-01-01..2026-03-31).
    period: Mapped[str] = mapped_column(String(32))
    period_start_on: Mapped[date]
    period_end_on: Mapped[date]
    # Regenerating a period makes a new version; each version keeps its own frozen snapshot.
    version: Mapped[int] = mapped_column(default=1)
    # Optimistic locking of the sign-off: two parties signing at once cannot both be "the first".
    lock_version: Mapped[int] = mapped_column(default=1)
    generated_at: Mapped[datetime] = mapped_column(default=clock.now)
    generated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[ReportStatus] = mapped_column(str_enum(ReportStatus, "report_status"), default=ReportStatus.DRAFT)
    returned_comment: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None]
    # {language: {format: {"sha256": ..., "size": ...}}} of the files rendered at publication.
    # None (SQL NULL) until the scheduler has rendered them (see tracker.reports.storage.store_pending_files).
    files: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))

    agreement: Mapped[Agreement] = relationship()
    generated_by: Mapped[User | None] = relationship()
    signatures: Mapped[list[ReportSignature]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportSignature.signed_at"
    )

    __table_args__ = (
        UniqueConstraint("agreement_id", "kind", "period", "version", name="uq_reports_agreement_kind_period_version"),
        CheckConstraint("period_end_on >= period_start_on", name="period_ordered"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_reports_agreement_kind_end", "agreement_id", "kind", "period_end_on"),
        Index("ix_reports_status", "status"),
    )
    __mapper_args__ = {"version_id_col": lock_version}  # noqa: RUF012

    def signature_for(self, party_id: int) -> ReportSignature | None:
        return next((s for s in self.signatures if s.party_id == party_id), None)

    def __repr__(self) -> str:
        return f"<Report {self.kind} {self.period} v{self.version} {self.status}>"


class ReportSignature(IdMixin, Base):
    """One party's sign-off of a report: who signed for it, when, with what comment."""

    __tablename__ = "report_signatures"

    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    signed_at: Mapped[datetime] = mapped_column(default=clock.now)
    comment: Mapped[str] = mapped_column(Text, default="")
    # The signer's name as it was when they signed: the report's files (rendered after publication) show it.
    signer_name: Mapped[str | None] = mapped_column(String(200))
    # Their function as it was when they signed (empty when they had none): shown under their name.
    signer_function: Mapped[str | None] = mapped_column(String(200))

    report: Mapped[Report] = relationship(back_populates="signatures")
    party: Mapped[Party] = relationship()
    user: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("report_id", "party_id", name="uq_report_signatures_report_party"),)
