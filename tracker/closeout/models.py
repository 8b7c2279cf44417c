"""A close-out decision: what becomes of an unfinished action once its agreement has ended."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.accounts.models import User
from tracker.actions.models import Action
from tracker.core import clock
from tracker.core.db import Base, str_enum
from tracker.core.localized import Localized


class Decision(enum.StrEnum):
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    CARRIED_OVER = "carried_over"


class CloseoutDecision(Base):
    """One per action: `note` is the outcome (completed), the reason (cancelled) or a word for the successor;
    `successor_action_id` is set once a successor agreement takes a carried-over action."""

    __tablename__ = "closeout_decisions"

    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    decision: Mapped[Decision] = mapped_column(str_enum(Decision, "closeout_decision"))
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(default=clock.now)
    successor_action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="SET NULL"))

    action: Mapped[Action] = relationship(foreign_keys=[action_id])
    decided_by: Mapped[User | None] = relationship()


class ClosureConfirmation(Base):
    """One party's confirmation, by one of its admins, that the ended agreement may close."""

    __tablename__ = "closure_confirmations"

    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime] = mapped_column(default=clock.now)

    user: Mapped[User | None] = relationship()


class RenewalProposal(Localized, Base):
    """The successor an admin of one signatory party proposes for an ended agreement (at most one at a time); it is
    started when an admin of every other signatory party has confirmed it, then the proposal is removed (the audit
    trail keeps it), as it is when withdrawn or declined."""

    __tablename__ = "renewal_proposals"

    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True)
    slug: Mapped[str] = mapped_column(String(64))
    title_fr: Mapped[str] = mapped_column(String(300))
    title_nl: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    signed_on: Mapped[date | None]  # the successor's signature, unknown until an admin records it
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    proposed_at: Mapped[datetime] = mapped_column(default=clock.now)

    proposed_by: Mapped[User | None] = relationship()
    confirmations: Mapped[list[RenewalConfirmation]] = relationship(
        cascade="all, delete-orphan", order_by="RenewalConfirmation.confirmed_at"
    )

    def confirmed_by_party(self, party_id: int | None) -> bool:
        return any(c.party_id == party_id for c in self.confirmations)


class RenewalConfirmation(Base):
    """One party's confirmation of a renewal proposal, by one of its admins (the proposer's party's comes first)."""

    __tablename__ = "renewal_confirmations"

    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("renewal_proposals.agreement_id", ondelete="CASCADE"), primary_key=True
    )
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime] = mapped_column(default=clock.now)

    user: Mapped[User | None] = relationship()


class AgreementArchive(Base):
    """The archive package of a closed agreement: a BagIt bag serialised as a zip under ARCHIVE_DIR.

    `filename` (relative to ARCHIVE_DIR), `size` (bytes of the zip), `sha256` (of the zip) and `payload_oxum`
    (the bag's "octets.files") are set once it is built; `failure` holds the last build's error until one
    succeeds (shown to admins; the scheduler tries again at its next run)."""

    __tablename__ = "agreement_archives"

    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True)
    filename: Mapped[str | None] = mapped_column(String(255))
    size: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))
    payload_oxum: Mapped[str | None] = mapped_column(String(64))
    built_at: Mapped[datetime | None]
    failure: Mapped[str | None] = mapped_column(Text)
    failed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)

    @property
    def built(self) -> bool:
        return self.built_at is not None and self.filename is not None
