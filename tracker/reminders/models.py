"""The reminder cadence chosen by each party's admins (the defaults of config/reminders.py until saved)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from tracker.core import clock
from tracker.core.db import Base, VersionedMixin


class ReminderSettings(VersionedMixin, Base):
    """The cadence numbers of the reminder rules for the people of one party (at most one row per party)."""

    __tablename__ = "party_reminder_settings"

    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"), primary_key=True)
    due_soon_days: Mapped[list[int]] = mapped_column(JSON)
    overdue_first_day: Mapped[int]
    overdue_repeat_days: Mapped[int]
    overdue_escalation_day: Mapped[int]
    stale_after_days: Mapped[int]
    quarter_call_days: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (CheckConstraint("overdue_repeat_days >= 1", name="repeat_positive"),)
