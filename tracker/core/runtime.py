"""What the scheduler process reports about itself, read by /healthz."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
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
