"""Settings read from the environment; one class per way of running the tracker."""

from __future__ import annotations

import os
import secrets
from email.utils import parseaddr
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("TRACKER_INSTANCE_DIR", ROOT / "instance"))


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_int(name: str, default: int) -> int:
    raw = _env(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise RuntimeError(f"{name} must be an integer, got {raw!r}") from exc


def _env_bool(name: str, default: bool) -> bool:
    raw = _env(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def instance_secret_key(instance_dir: Path = INSTANCE_DIR) -> str:
    """Return the key kept in instance/secret_key, generating it on first use (never committed)."""
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # O_EXCL: two processes starting together keep the same key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


class Config:
    """Settings shared by every environment, read when the class is instantiated."""

    TESTING = False
    PRODUCTION = False

    def __init__(self, instance_dir: Path | None = None) -> None:
        instance_dir = instance_dir or INSTANCE_DIR
        self.INSTANCE_DIR = instance_dir
        self.SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL") or f"sqlite:///{instance_dir / 'tracker.db'}"
        self.SECRET_KEY = _env("SECRET_KEY") or instance_secret_key(instance_dir)
        self.BASE_URL = (_env("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
        self.SMTP_HOST = _env("SMTP_HOST")
        self.SMTP_PORT = _env_int("SMTP_PORT", 0) or None
        self.SMTP_USERNAME = _env("SMTP_USERNAME")
        self.SMTP_PASSWORD = _env("SMTP_PASSWORD")
        self.SMTP_SECURITY = (_env("SMTP_SECURITY") or ("starttls" if self.SMTP_HOST else "none")).lower()
        if self.SMTP_SECURITY not in {"none", "starttls", "ssl"}:
            raise RuntimeError(f"SMTP_SECURITY must be none, starttls or ssl, got {self.SMTP_SECURITY!r}")
        self.SMTP_TIMEOUT = _env_int("SMTP_TIMEOUT", 30)
        # CA certificates to trust for the relay's TLS certificate (a private relay); default: the system's.
        self.SMTP_CA_FILE = _env("SMTP_CA_FILE")
        # An address, or a display name and an address: `Suivi de coopération <noreply@example.org>`.
        self.MAIL_FROM = _env("MAIL_FROM") or "noreply@localhost"
        if "@" not in parseaddr(self.MAIL_FROM)[1]:
            raise RuntimeError(
                f"MAIL_FROM must hold an address, e.g. Name <noreply@example.org>, got {self.MAIL_FROM!r}"
            )
        # The outbox: how many messages a delivery run claims at once, how often and how late it retries,
        # and after how long a claim left by a stopped process is taken back.
        self.OUTBOX_BATCH_SIZE = _env_int("OUTBOX_BATCH_SIZE", 50)
        # Connections that send a batch at once (each message is still recorded on its own).
        self.OUTBOX_WORKERS = _env_int("OUTBOX_WORKERS", 4)
        self.OUTBOX_MAX_ATTEMPTS = _env_int("OUTBOX_MAX_ATTEMPTS", 12)
        self.OUTBOX_RETRY_BASE_SECONDS = _env_int("OUTBOX_RETRY_BASE_SECONDS", 60)
        self.OUTBOX_RETRY_MAX_SECONDS = _env_int("OUTBOX_RETRY_MAX_SECONDS", 6 * 3600)
        # How many digests the reminder sweep queues per commit.
        self.REMINDER_SWEEP_CHUNK = _env_int("REMINDER_SWEEP_CHUNK", 500)
        self.OUTBOX_CLAIM_LEASE_SECONDS = _env_int("OUTBOX_CLAIM_LEASE_SECONDS", max(600, 4 * self.SMTP_TIMEOUT))
        self.TRACKER_TIMEZONE = _env("TRACKER_TIMEZONE") or "Europe/Paris"
        self.RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI") or "memory://"
        self.RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
        self.RATELIMIT_HEADERS_ENABLED = True
        self.LOGIN_RATE_LIMIT_PER_ADDRESS = _env("LOGIN_RATE_LIMIT_PER_ADDRESS") or "20 per minute"
        self.LOGIN_RATE_LIMIT_PER_ACCOUNT = _env("LOGIN_RATE_LIMIT_PER_ACCOUNT") or "5 per minute; 30 per hour"
        # Requests per token (or address, without one) on the JSON API.
        self.API_RATE_LIMIT = _env("API_RATE_LIMIT") or "600 per minute"
        # Checking every answer against the OpenAPI document costs time on long pages: on in tests only.
        self.API_VALIDATE_RESPONSES = _env_bool("API_VALIDATE_RESPONSES", self.TESTING)
        self.PROXY_FIX_X_FOR = _env_int("PROXY_FIX_X_FOR", 0)
        self.UPLOAD_DIR = Path(_env("UPLOAD_DIR") or instance_dir / "uploads")
        self.REPORT_DIR = Path(_env("REPORT_DIR") or instance_dir / "reports")
        # Archive packages (BagIt bags, zipped) of closed agreements.
        self.ARCHIVE_DIR = Path(_env("ARCHIVE_DIR") or instance_dir / "archives")
        self.MAX_UPLOAD_BYTES = _env_int("MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
        # Requests carry at most one evidence file and a form around it.
        self.MAX_CONTENT_LENGTH = self.MAX_UPLOAD_BYTES + 1024 * 1024
        self.SQLITE_BUSY_TIMEOUT_MS = _env_int("SQLITE_BUSY_TIMEOUT_MS", 15000)
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.SQLALCHEMY_TRACK_MODIFICATIONS = False
        self.BABEL_DEFAULT_LOCALE = "fr"
        self.BABEL_DEFAULT_TIMEZONE = self.TRACKER_TIMEZONE
        self.LANGUAGES = ("fr", "en", "nl")
        self.WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = self.PRODUCTION or _env_bool("SESSION_COOKIE_SECURE", False)
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.PAGE_SIZE = 25
        # Rendered dashboards and workstream pages kept per web process, keyed by what they show (0: no cache).
        self.PAGE_CACHE_SIZE = _env_int("PAGE_CACHE_SIZE", 256)
        self.LOG_LEVEL = (_env("LOG_LEVEL") or "WARNING").upper()


class DevelopmentConfig(Config):
    """The embedded default: one machine, SQLite in instance/, mail kept in the outbox."""


class ProductionConfig(Config):
    """Behind HTTPS: cookies are Secure."""

    PRODUCTION = True


class TestConfig(Config):
    """Settings for the test suite; the database URL is given by the fixtures."""

    TESTING = True

    def __init__(self, database_url: str, instance_dir: Path) -> None:
        super().__init__(instance_dir)
        self.SQLALCHEMY_DATABASE_URI = database_url
        self.SECRET_KEY = "test-secret-key"  # noqa: S105 - tests only
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.SMTP_HOST = None
        # The rolled-back test transaction lives on one connection, which threads must not share.
        self.OUTBOX_WORKERS = 1
        self.UPLOAD_DIR = instance_dir / "uploads"
        self.REPORT_DIR = instance_dir / "reports"
        self.ARCHIVE_DIR = instance_dir / "archives"
        self.SERVER_NAME = None
        # Rolled-back tests reuse ids on SQLite: the tests of the cache turn it on themselves.
        self.PAGE_CACHE_SIZE = 0


def config_from_environment() -> Config:
    """Return the settings object chosen by TRACKER_ENV (development by default)."""
    name = (_env("TRACKER_ENV") or "development").lower()
    classes = {"development": DevelopmentConfig, "production": ProductionConfig}
    if name not in classes:
        raise RuntimeError(f"TRACKER_ENV must be one of {', '.join(classes)}, got {name!r}")
    return classes[name]()
