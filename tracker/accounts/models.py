"""Party (the government users belong to), User, ApiToken and LoginFailure."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from config.reminders import DEFAULT_DIGEST_HOUR
from tracker.core import clock
from tracker.core.db import Base, IdMixin, TimestampMixin, VersionedMixin, str_enum
from tracker.core.localized import Localized


class Role(enum.StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    REVIEWER = "reviewer"


class Language(enum.StrEnum):
    FR = "fr"
    EN = "en"
    NL = "nl"


class DigestFrequency(enum.StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    NONE = "none"


class TokenScope(enum.StrEnum):
    READ = "read"
    WRITE = "write"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class Party(IdMixin, Localized, Base):
    """A signatory government (a region); users belong to one."""

    __tablename__ = "parties"

    code: Mapped[str] = mapped_column(String(16), unique=True)
    name_fr: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    name_nl: Mapped[str] = mapped_column(String(200))
    # The name people know it by where room is short (tables): « Île-de-France », « Bruxelles-Capitale »,
    # « Brussel-Hoofdstad »; none, and its name is used.
    short_name_fr: Mapped[str | None] = mapped_column(String(100))
    short_name_en: Mapped[str | None] = mapped_column(String(100))
    short_name_nl: Mapped[str | None] = mapped_column(String(100))
    # ISO country and subdivision used to find the public holidays of the party's staff.
    country: Mapped[str] = mapped_column(String(2))
    subdivision: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")

    __table_args__ = (CheckConstraint("code = upper(code)", name="code_upper"),)

    def text(self, field: str, language: str) -> str:
        """Return a text in `language` (`Localized`); a party without a short name goes by its name."""
        found = super().text(field, language)
        if field == "short_name" and not found:
            return super().text("name", language)
        return found


class User(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A person of one party with one role."""

    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    # Their function or job title (e.g. "Director of European affairs"): shown beside their signature of a report.
    function: Mapped[str] = mapped_column(String(200), default="", server_default="")
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, "user_role"))
    language: Mapped[Language] = mapped_column(str_enum(Language, "user_language"), default=Language.FR)
    digest: Mapped[DigestFrequency] = mapped_column(
        str_enum(DigestFrequency, "digest_frequency"), default=DigestFrequency.DAILY
    )
    digest_hour: Mapped[int] = mapped_column(default=DEFAULT_DIGEST_HOUR)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Flask-Login stores this instead of the id: rotating it ends every session of the user.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    feed_token: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: secrets.token_urlsafe(24))
    last_login_at: Mapped[datetime | None]
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    party: Mapped[Party] = relationship(lazy="joined")

    __table_args__ = (
        Index("uq_users_email_lower", func.lower(email), unique=True),
        CheckConstraint("digest_hour BETWEEN 0 AND 23", name="digest_hour_range"),
        CheckConstraint("length(email) > 2", name="email_not_empty"),
    )

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class ApiToken(IdMixin, Base):
    """A personal API token; only its SHA-256 is kept."""

    __tablename__ = "api_tokens"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters, shown in lists so that people can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    scope: Mapped[TokenScope] = mapped_column(str_enum(TokenScope, "token_scope"), default=TokenScope.READ)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def is_usable(self, at: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > at) and self.user.active


class LoginFailure(IdMixin, Base):
    """One failed login attempt, under one key (an address's or an account's digest)."""

    __tablename__ = "login_failures"

    key: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"), Index("ix_login_failures_at", "at"))
