"""Narrative (one text to write for a report period) and NarrativeVersion (each save, with its author and time)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core import clock
from tracker.core.db import Base, IdMixin, TimestampMixin

if TYPE_CHECKING:
    from tracker.accounts.models import User
    from tracker.agreements.models import Workstream

# The languages a narrative is written in: French and Dutch are both required for the report; English is optional.
REQUIRED_LANGUAGES = ("fr", "nl")
NARRATIVE_LANGUAGES = ("fr", "nl", "en")


class Narrative(IdMixin, TimestampMixin, Base):
    """The text of one subject (a workstream's assessment, or with no workstream the executive summary) for one
    report period of an agreement. Its texts are those of its latest version; `versions_count` is that version's
    number (0 before the first save), which an edit form sends back so that a concurrent save is not lost."""

    __tablename__ = "narratives"

    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    # The report period's key, as a report stores it: 2026-Q3, Y3, final, 2026-01-01..2026-03-31.
    period: Mapped[str] = mapped_column(String(32))
    workstream_id: Mapped[int | None] = mapped_column(ForeignKey("workstreams.id", ondelete="CASCADE"), index=True)
    versions_count: Mapped[int] = mapped_column(default=0)
    text_fr: Mapped[str] = mapped_column(Text, default="")
    text_nl: Mapped[str] = mapped_column(Text, default="")
    text_en: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Written by `demo load`, never by a person of either party.
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    workstream: Mapped[Workstream | None] = relationship()
    updated_by: Mapped[User | None] = relationship()
    versions: Mapped[list[NarrativeVersion]] = relationship(
        back_populates="narrative", cascade="all, delete-orphan", order_by="NarrativeVersion.number.desc()"
    )

    __table_args__ = (
        UniqueConstraint("agreement_id", "period", "workstream_id", name="uq_narratives_agreement_period_workstream"),
        # NULLs are distinct in a unique constraint: the summary (no workstream) gets its own partial index.
        Index(
            "uq_narratives_summary",
            "agreement_id",
            "period",
            unique=True,
            sqlite_where=workstream_id.is_(None),
            postgresql_where=workstream_id.is_(None),
        ),
    )

    def texts(self) -> dict[str, str]:
        """Return {language: text} of the current version ("" where none is written)."""
        return {lang: getattr(self, f"text_{lang}") or "" for lang in NARRATIVE_LANGUAGES}

    def missing(self) -> list[str]:
        """Return the required languages (fr, nl) that have no text yet."""
        return [lang for lang in REQUIRED_LANGUAGES if not (getattr(self, f"text_{lang}") or "").strip()]


class NarrativeVersion(IdMixin, Base):
    """One save of a narrative: its three texts as saved, by whom (their name then) and when."""

    __tablename__ = "narrative_versions"

    narrative_id: Mapped[int] = mapped_column(ForeignKey("narratives.id", ondelete="CASCADE"))
    number: Mapped[int]
    text_fr: Mapped[str] = mapped_column(Text, default="")
    text_nl: Mapped[str] = mapped_column(Text, default="")
    text_en: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    author_name: Mapped[str] = mapped_column(String(200), default="")
    saved_at: Mapped[datetime] = mapped_column(default=clock.now)

    narrative: Mapped[Narrative] = relationship(back_populates="versions")

    __table_args__ = (UniqueConstraint("narrative_id", "number", name="uq_narrative_versions_narrative_number"),)

    def texts(self) -> dict[str, str]:
        """Return {language: text} of this version."""
        return {lang: getattr(self, f"text_{lang}") or "" for lang in NARRATIVE_LANGUAGES}
