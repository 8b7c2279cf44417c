"""Action, Milestone, ProgressUpdate, Attachment, Indicator and Measurement."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ColumnElement,
    Float,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core import clock
from tracker.core.db import Base, IdMixin, TimestampMixin, VersionedMixin, str_enum
from tracker.core.localized import Localized

if TYPE_CHECKING:
    from tracker.accounts.models import User
    from tracker.agreements.models import Agreement, Commitment, Workstream
from tracker.accounts.models import Party


class ActionStatus(enum.StrEnum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


# Statuses of an action still open (not completed nor cancelled): the only ones in which it can be late, is counted
# as open on the pages, and needs a close-out decision when its agreement ends.
OPEN_STATUSES = (ActionStatus.DRAFT, ActionStatus.PROPOSED, ActionStatus.ACTIVE, ActionStatus.ON_HOLD)
CLOSED_STATUSES = (ActionStatus.COMPLETED, ActionStatus.CANCELLED)
# Every status but cancelled, listed: a condition an index on the status can serve (unlike `!= cancelled`).
NOT_CANCELLED = tuple(s for s in ActionStatus if s != ActionStatus.CANCELLED)


class Health(enum.StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


class MilestoneStatus(enum.StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class Direction(enum.StrEnum):
    """Which way an indicator should move to count as progress."""

    INCREASE = "increase"
    DECREASE = "decrease"
    MAINTAIN = "maintain"


action_commitments = Table(
    "action_commitments",
    Base.metadata,
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Column("commitment_id", ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True),
    # A commitment's actions in id order, from the index alone (the dashboard's commitments no action serves: one
    # with none is an empty range, where the primary key made it a scan of every pair).
    Index("ix_action_commitments_commitment_id", "commitment_id", "action_id"),
)


class Action(IdMixin, TimestampMixin, VersionedMixin, Base):
    """Something a workstream does, owned by one person and led by one party."""

    __tablename__ = "actions"

    workstream_id: Mapped[int] = mapped_column(ForeignKey("workstreams.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    lead_party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[ActionStatus] = mapped_column(str_enum(ActionStatus, "action_status"), default=ActionStatus.DRAFT)
    health: Mapped[Health] = mapped_column(str_enum(Health, "health"), default=Health.ON_TRACK)
    percent: Mapped[int] = mapped_column(default=0)
    start_on: Mapped[date | None]
    due_on: Mapped[date | None]
    last_progress_at: Mapped[datetime | None]
    # What the action achieved (or why not), recorded on completion or at the agreement's close-out; the reports
    # list it beside the action.
    outcome: Mapped[str] = mapped_column(Text, default="", server_default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # The action of an ended agreement that this one carries on in its successor (tracker/closeout/renewal.py).
    continues_action_id: Mapped[int | None] = mapped_column(
        ForeignKey("actions.id", ondelete="SET NULL"), index=True, unique=True, default=None
    )

    workstream: Mapped[Workstream] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    lead_party: Mapped[Party] = relationship()
    commitments: Mapped[list[Commitment]] = relationship(secondary=action_commitments, order_by="Commitment.position")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="(Milestone.due_on, Milestone.id)"
    )
    approvals: Mapped[list[ActionApproval]] = relationship(back_populates="action", cascade="all, delete-orphan")
    continues: Mapped[Action | None] = relationship(
        remote_side="Action.id", foreign_keys=[continues_action_id], back_populates="continued_by"
    )
    continued_by: Mapped[Action | None] = relationship(back_populates="continues", uselist=False)

    __table_args__ = (
        CheckConstraint("due_on IS NULL OR start_on IS NULL OR due_on >= start_on", name="due_after_start"),
        CheckConstraint("percent BETWEEN 0 AND 100", name="percent_range"),
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        # The lists by status, and the dashboard's late actions and overdue milestones: the range of open actions due
        # before a date, and the ids of a workstream's actions by status, read from the index alone (the other
        # figures are kept in workstream_tallies; `id` last since 0031).
        Index("ix_actions_workstream_status_due_on", "workstream_id", "status", "due_on", "continues_action_id", "id"),
        # The workstream page's default order (undated last, then by due date): its first page is read from the
        # index, not sorted (created by hand in 0024_perf_indexes: an expression index).
        Index("ix_actions_workstream_due_on", "workstream_id", text("(due_on IS NULL)"), "due_on", "id"),
        # The owners of a workstream's actions, one after the other (its page's filter by owner).
        Index("ix_actions_workstream_owner_id", "workstream_id", "owner_id"),
    )

    @hybrid_method
    def is_late(self, today: date) -> bool:
        """Return whether the action is past its due date and still open (not completed, not cancelled).

        Late is derived, never stored; `Action.is_late(today)` is the same rule as an SQL condition."""
        return self.due_on is not None and self.due_on < today and self.status in OPEN_STATUSES

    @is_late.expression
    def is_late(cls, today: date) -> ColumnElement[bool]:
        return and_(cls.due_on.is_not(None), cls.due_on < today, cls.status.in_(OPEN_STATUSES))

    def __repr__(self) -> str:
        return f"<Action {self.id} {self.status}>"


class ActionApproval(Base):
    """A co-lead's approval of a proposed action for their party (one per party)."""

    __tablename__ = "action_approvals"

    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    approved_at: Mapped[datetime] = mapped_column(default=clock.now)

    action: Mapped[Action] = relationship(back_populates="approvals")
    user: Mapped[User] = relationship()
    party: Mapped[Party] = relationship()


class Milestone(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A dated step of an action. Overdue is derived (planned and due before today), never stored."""

    __tablename__ = "milestones"

    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date]
    status: Mapped[MilestoneStatus] = mapped_column(
        str_enum(MilestoneStatus, "milestone_status"), default=MilestoneStatus.PLANNED
    )
    completed_on: Mapped[date | None]
    evidence_url: Mapped[str | None] = mapped_column(String(500))
    # How many times the due date moved (shown on pages and exports; the feed's SEQUENCE follows `version`).
    reschedule_count: Mapped[int] = mapped_column(default=0)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    action: Mapped[Action] = relationship(back_populates="milestones")

    __table_args__ = (
        CheckConstraint(
            "(status = 'done' AND completed_on IS NOT NULL) OR (status <> 'done' AND completed_on IS NULL)",
            name="completed_on_iff_done",
        ),
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        # The planned milestones by date with their action (the dashboard's lists and counts): read from the index
        # alone (`action_id` last since 0031).
        Index("ix_milestones_status_due_on", "status", "due_on", "action_id"),
        # Covers the per-workstream milestone counts (done, total, overdue): no table read.
        Index("ix_milestones_action_status_due_on", "action_id", "status", "due_on"),
    )

    @hybrid_method
    def is_overdue(self, today: date) -> bool:
        """Whether the milestone is overdue on `today`: still planned and due before it (also an SQL condition on
        `Milestone`: the one source of « overdue milestone » for pages, filters and reminders)."""
        return self.status == MilestoneStatus.PLANNED and self.due_on < today

    @is_overdue.expression
    def is_overdue(cls, today: date) -> ColumnElement[bool]:
        return and_(cls.status == MilestoneStatus.PLANNED, cls.due_on < today)


class ProgressUpdate(IdMixin, Base):
    """A dated entry of an action's progress log; it sets the action's percent and health."""

    __tablename__ = "progress_updates"

    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text)
    percent: Mapped[int]
    health: Mapped[Health] = mapped_column(str_enum(Health, "health"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # The one-time token of the form that saved it: the same form sent again (Back, a double click) saves nothing.
    form_token: Mapped[str | None] = mapped_column(String(64))

    action: Mapped[Action] = relationship()
    author: Mapped[User | None] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(back_populates="progress_update", order_by="Attachment.id")

    __table_args__ = (
        CheckConstraint("percent BETWEEN 0 AND 100", name="percent_range"),
        Index("uq_progress_updates_form_token", "form_token", unique=True),
        Index("ix_progress_updates_action_created_at", "action_id", "created_at"),
        # The latest updates of an agreement, newest first: read backwards, stopping at the first ten.
        Index("ix_progress_updates_created_at_id", "created_at", "id"),
    )


class Attachment(IdMixin, Base):
    """An evidence file, stored outside static/ under its content hash."""

    __tablename__ = "attachments"

    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    progress_update_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_updates.id", ondelete="SET NULL"), index=True
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    progress_update: Mapped[ProgressUpdate | None] = relationship(back_populates="attachments")

    __table_args__ = (CheckConstraint("size >= 0", name="size_positive"),)


class Indicator(IdMixin, Localized, TimestampMixin, VersionedMixin, Base):
    """A measured figure of an agreement or one of its workstreams, with a baseline and a target."""

    __tablename__ = "indicators"

    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    workstream_id: Mapped[int | None] = mapped_column(ForeignKey("workstreams.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(default=0)
    name_fr: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    name_nl: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(32))
    direction: Mapped[Direction] = mapped_column(str_enum(Direction, "indicator_direction"))
    baseline_value: Mapped[float] = mapped_column(Float)
    baseline_on: Mapped[date]
    target_value: Mapped[float | None] = mapped_column(Float)
    target_on: Mapped[date | None]
    source: Mapped[str] = mapped_column(String(300), default="")

    agreement: Mapped[Agreement] = relationship()
    workstream: Mapped[Workstream | None] = relationship()
    measurements: Mapped[list[Measurement]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", order_by="Measurement.measured_on"
    )

    __table_args__ = (
        UniqueConstraint("agreement_id", "code", name="uq_indicators_agreement_code"),
        CheckConstraint("target_on IS NULL OR target_on >= baseline_on", name="target_after_baseline"),
    )


class Measurement(IdMixin, Base):
    """A dated value of an indicator."""

    __tablename__ = "measurements"

    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    measured_on: Mapped[date]
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    indicator: Mapped[Indicator] = relationship(back_populates="measurements")
    recorded_by: Mapped[User | None] = relationship()

    __table_args__ = (Index("ix_measurements_indicator_measured_on", "indicator_id", "measured_on"),)
