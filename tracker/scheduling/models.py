"""The scheduler processes' tables: heartbeats (read by /healthz), the leader lease and the run ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.core.db import Base


class SchedulerHeartbeat(Base):
    """The last sign of life of a scheduler process (one row per process name)."""

    __tablename__ = "scheduler_heartbeats"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int]
    started_at: Mapped[datetime]
    beat_at: Mapped[datetime]
    is_leader: Mapped[bool] = mapped_column(default=False)


class SchedulerLease(Base):
    """Leadership among scheduler processes: the holder runs the jobs until `expires_at` (renewed by beats)."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    acquired_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class SchedulerRun(Base):
    """The run ledger: one row per job and slot (its scheduled time), so that each slot runs once."""

    __tablename__ = "scheduler_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    slot: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))  # running, done, failed
    holder: Mapped[str] = mapped_column(String(100))
    attempts: Mapped[int] = mapped_column(default=1)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("job", "slot", name="uq_scheduler_runs_job_slot"),
        CheckConstraint("status IN ('running', 'done', 'failed')", name="status_known"),
    )
