"""Agreement, its parties' days off, Workstream and Commitment (Party, whom users belong to, is in accounts)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.accounts.models import Party
from tracker.core import clock
from tracker.core.db import Base, IdMixin, TimestampMixin, VersionedMixin, str_enum
from tracker.core.localized import Localized

if TYPE_CHECKING:
    from tracker.accounts.models import User


class AgreementStatus(enum.StrEnum):
    """Where an agreement stands: its lifecycle is in tracker/closeout/lifecycle.py."""

    IN_FORCE = "in_force"
    ENDED = "ended"
    CLOSED = "closed"
    ARCHIVED = "archived"


# A closed or archived agreement is read-only: nothing under it changes any more (tracker/closeout/readonly.py).
READ_ONLY_STATUSES = (AgreementStatus.CLOSED, AgreementStatus.ARCHIVED)


class PartyDayOff(Base):
    """A day the party's administration is off beyond its country's public holidays (no digest that day)."""

    __tablename__ = "party_days_off"

    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"), primary_key=True)
    off_on: Mapped[date] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(200), default="")


class Agreement(IdMixin, Localized, TimestampMixin, VersionedMixin, Base):
    """A cooperation agreement signed by two or more parties for a period."""

    __tablename__ = "agreements"

    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title_fr: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    title_nl: Mapped[str] = mapped_column(String(300))
    summary_fr: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    summary_nl: Mapped[str] = mapped_column(Text, default="")
    signed_on: Mapped[date]
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    source_url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[AgreementStatus] = mapped_column(
        str_enum(AgreementStatus, "agreement_status"), default=AgreementStatus.IN_FORCE, server_default="in_force"
    )
    # The ended agreement this one renews (tracker/closeout/renewal.py); an agreement has one successor at most.
    succeeds_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreements.id", ondelete="SET NULL"), index=True, unique=True, default=None
    )

    signatories: Mapped[list[AgreementParty]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="AgreementParty.position"
    )
    workstreams: Mapped[list[Workstream]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="Workstream.position"
    )
    succeeds: Mapped[Agreement | None] = relationship(
        remote_side="Agreement.id", foreign_keys=[succeeds_id], back_populates="succeeded_by"
    )
    succeeded_by: Mapped[Agreement | None] = relationship(back_populates="succeeds", uselist=False)

    # No check of the signature against the start: agreements are often signed with retroactive effect.
    __table_args__ = (CheckConstraint("ends_on > starts_on", name="ends_after_starts"),)

    @property
    def parties(self) -> list[Party]:
        return [s.party for s in self.signatories]

    def has_ended(self, today: date) -> bool:
        """True from the day after the end date on (whether or not the daily job has recorded it yet)."""
        return self.status != AgreementStatus.IN_FORCE or today > self.ends_on

    @property
    def years_from(self) -> date:
        """The first day of the first agreement year: the signature, or the start when the agreement was signed after
        it (with retroactive effect), so that the agreement years cover the whole term."""
        return min(self.signed_on, self.starts_on)

    @property
    def is_read_only(self) -> bool:
        """True once closed (or archived): everything stays readable and exportable, nothing changes."""
        return self.status in READ_ONLY_STATUSES

    def __repr__(self) -> str:
        return f"<Agreement {self.slug}>"


class AgreementStamp(Base):
    """How many times what the agreement's pages show has changed: the page cache keys them by it.

    Written only by database triggers (migration 0013_shape_agreement_stamps), on any insert, update or
    delete of a row under the agreement, whoever writes it (services, bulk loads, SQL by hand).
    """

    __tablename__ = "agreement_stamps"

    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True)
    changes: Mapped[int] = mapped_column(BigInteger, default=0)


class WorkstreamTally(Base):
    """How many actions (by status and health, with the sum of their percent), milestones of actions not cancelled
    (by status) and progress logs a workstream holds: the dashboard reads its figures here instead of counting rows.

    Written only by database triggers (migration 0027_workstream_tallies) in the same transaction as the
    rows they count, whoever writes them (services, bulk loads, SQL by hand).
    """

    __tablename__ = "workstream_tallies"

    workstream_id: Mapped[int] = mapped_column(ForeignKey("workstreams.id", ondelete="CASCADE"), primary_key=True)
    subject: Mapped[str] = mapped_column(String(16), primary_key=True)  # "action", "milestone" or "update"
    status: Mapped[str] = mapped_column(String(16), primary_key=True)  # "" for logs
    health: Mapped[str] = mapped_column(String(16), primary_key=True)  # "" for milestones and logs
    count: Mapped[int] = mapped_column(BigInteger)
    percent_sum: Mapped[int] = mapped_column(BigInteger)


class AgreementParty(Base):
    """A party's signature of an agreement, with the person who signed for it."""

    __tablename__ = "agreement_parties"

    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)
    signed_by: Mapped[str | None] = mapped_column(String(200))

    agreement: Mapped[Agreement] = relationship(back_populates="signatories")
    party: Mapped[Party] = relationship(lazy="joined")


class Workstream(IdMixin, Localized, TimestampMixin, VersionedMixin, Base):
    """A cooperation domain of an agreement, led by one co-lead per party."""

    __tablename__ = "workstreams"

    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(default=0)
    title_fr: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    title_nl: Mapped[str] = mapped_column(String(300))
    objective_fr: Mapped[str] = mapped_column(Text)
    objective_en: Mapped[str] = mapped_column(Text)
    objective_nl: Mapped[str] = mapped_column(Text)
    # Set when the workstream began after the agreement itself (e.g. the 2022 climate declaration).
    starts_on: Mapped[date | None]

    agreement: Mapped[Agreement] = relationship(back_populates="workstreams")
    commitments: Mapped[list[Commitment]] = relationship(
        back_populates="workstream", cascade="all, delete-orphan", order_by="Commitment.position"
    )
    leads: Mapped[list[WorkstreamLead]] = relationship(back_populates="workstream", cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("agreement_id", "code", name="uq_workstreams_agreement_code"),)

    def lead_for(self, party_id: int) -> User | None:
        return next((lead.user for lead in self.leads if lead.party_id == party_id), None)

    def __repr__(self) -> str:
        return f"<Workstream {self.code}>"


class WorkstreamLead(Base):
    """The co-lead of a workstream for one party (at most one per party)."""

    __tablename__ = "workstream_leads"

    workstream_id: Mapped[int] = mapped_column(ForeignKey("workstreams.id", ondelete="CASCADE"), primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    workstream: Mapped[Workstream] = relationship(back_populates="leads")
    user: Mapped[User] = relationship()


class Commitment(IdMixin, Localized, Base):
    """A line of the agreement text that a workstream must honour."""

    __tablename__ = "commitments"

    workstream_id: Mapped[int] = mapped_column(ForeignKey("workstreams.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(default=0)
    text_fr: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    text_nl: Mapped[str] = mapped_column(Text)

    workstream: Mapped[Workstream] = relationship(back_populates="commitments")

    __table_args__ = (UniqueConstraint("workstream_id", "code", name="uq_commitments_workstream_code"),)


class Amendment(IdMixin, Base):
    """An amendment (« avenant ») that moves the agreement's end date once every signatory party confirmed it.

    `previous_ends_on` is the end date it replaced; `in_effect_at` (UTC) is set when the last party confirmed.
    """

    __tablename__ = "amendments"

    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(100))
    signed_on: Mapped[date]
    previous_ends_on: Mapped[date]
    new_ends_on: Mapped[date]
    text: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=clock.now)
    in_effect_at: Mapped[datetime | None]

    agreement: Mapped[Agreement] = relationship()
    recorded_by: Mapped[User | None] = relationship()
    confirmations: Mapped[list[AmendmentConfirmation]] = relationship(
        back_populates="amendment", cascade="all, delete-orphan", order_by="AmendmentConfirmation.confirmed_at"
    )

    __table_args__ = (
        UniqueConstraint("agreement_id", "reference", name="uq_amendments_agreement_reference"),
        CheckConstraint("new_ends_on > previous_ends_on", name="moves_the_end_later"),
    )

    def confirmed_by_party(self, party_id: int) -> bool:
        return any(c.party_id == party_id for c in self.confirmations)


class AmendmentConfirmation(Base):
    """One party's confirmation of an amendment, by one of its admins (none when loaded from a data file)."""

    __tablename__ = "amendment_confirmations"

    amendment_id: Mapped[int] = mapped_column(ForeignKey("amendments.id", ondelete="CASCADE"), primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime] = mapped_column(default=clock.now)

    amendment: Mapped[Amendment] = relationship(back_populates="confirmations")
    party: Mapped[Party] = relationship(lazy="joined")
    user: Mapped[User | None] = relationship()
