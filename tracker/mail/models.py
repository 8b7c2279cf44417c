"""The outbox: one row per message to one person, written in the same transaction as what caused it."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.core import clock
from tracker.core.db import Base, IdMixin, str_enum


class MailState(enum.StrEnum):
    PENDING = "pending"  # waiting for its first attempt
    SENDING = "sending"  # claimed by a delivery run
    SENT = "sent"  # the server answered 250 to the message
    FAILED = "failed"  # a temporary failure; retried at next_attempt_at
    DEAD = "dead"  # refused for good, too many attempts, or outcome unknown: an admin decides
    CANCELLED = "cancelled"  # nothing left to say at send time (e.g. the reminded milestone is done)


DUE_STATES = (MailState.PENDING, MailState.FAILED)


class OutboxMessage(IdMixin, Base):
    """A message to one recipient. Digests are rendered when sent (`rendered_at` empty until then)."""

    __tablename__ = "outbox_messages"

    dedupe_key: Mapped[str] = mapped_column(String(255), unique=True)
    # Derived from the dedupe key, so that every attempt (and a resend) carries the same Message-ID.
    message_id: Mapped[str] = mapped_column(String(255))
    template: Mapped[str] = mapped_column(String(100))
    state: Mapped[MailState] = mapped_column(str_enum(MailState, "mail_state"), default=MailState.PENDING)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    recipient: Mapped[str] = mapped_column(String(254))
    # The agreement the message is about; none for messages about the person alone (digests, password
    # resets): those concern the recipient's party (see tracker.agreements.services.concerns_party).
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id", ondelete="SET NULL"), index=True)
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str | None] = mapped_column(String(500))
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # What a deferred message is rebuilt from at send time (e.g. the person and date of a digest).
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    # Set, and committed, just before the message body goes to the server: a row left "sending" with this
    # set may have been delivered, so it is never sent again automatically.
    handed_at: Mapped[datetime | None]
    rendered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    sent_at: Mapped[datetime | None]

    __table_args__ = (
        # Only the rows still to send are in this index: delivery finds them without reading the history.
        Index(
            "ix_outbox_messages_due",
            "next_attempt_at",
            postgresql_where=text("state IN ('pending', 'failed')"),
            sqlite_where=text("state IN ('pending', 'failed')"),
        ),
        Index("ix_outbox_messages_state_created_at", "state", "created_at"),
    )

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.template} {self.state}>"
