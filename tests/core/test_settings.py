"""Settings from the environment: the generated secret key, SQLite pragmas, production cookies."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from config.settings import Config, ProductionConfig, config_from_environment, instance_secret_key
from tracker.core.db import db


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = Config(tmp_path).SECRET_KEY
    assert len(first) >= 40
    assert (tmp_path / "secret_key").read_text() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # readable by its owner only
    assert Config(tmp_path).SECRET_KEY == first == instance_secret_key(tmp_path)


def test_secret_key_from_the_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert Config(tmp_path).SECRET_KEY == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_contract_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "DATABASE_URL",
        "BASE_URL",
        "SMTP_HOST",
        "SMTP_SECURITY",
        "MAIL_FROM",
        "TRACKER_TIMEZONE",
        "RATELIMIT_STORAGE_URI",
    ):
        monkeypatch.delenv(name, raising=False)
    settings = Config(tmp_path)
    assert f"sqlite:///{tmp_path / 'tracker.db'}" == settings.SQLALCHEMY_DATABASE_URI
    assert settings.BASE_URL == "http://127.0.0.1:5000"
    assert settings.SMTP_HOST is None and settings.SMTP_SECURITY == "none"
    assert settings.MAIL_FROM == "noreply@localhost"
    assert settings.TRACKER_TIMEZONE == "Europe/Paris"
    assert settings.RATELIMIT_STORAGE_URI == "memory://"
    monkeypatch.setenv("SMTP_HOST", "smtp.example.org")
    assert Config(tmp_path).SMTP_SECURITY == "starttls"


def test_bad_settings_are_refused_with_the_variable_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTP_SECURITY", "tls-please")
    with pytest.raises(RuntimeError, match="SMTP_SECURITY"):
        Config(tmp_path)
    monkeypatch.delenv("SMTP_SECURITY")
    monkeypatch.setenv("SMTP_PORT", "twenty-five")
    with pytest.raises(RuntimeError, match="SMTP_PORT"):
        Config(tmp_path)
    monkeypatch.delenv("SMTP_PORT")
    monkeypatch.setenv("MAIL_FROM", "Suivi de coopération")
    with pytest.raises(RuntimeError, match="MAIL_FROM"):
        Config(tmp_path)
    monkeypatch.setenv("MAIL_FROM", "Suivi de coopération <noreply@example.org>")
    assert Config(tmp_path).MAIL_FROM == "Suivi de coopération <noreply@example.org>"
    monkeypatch.delenv("MAIL_FROM")
    monkeypatch.setenv("TRACKER_ENV", "staging")
    with pytest.raises(RuntimeError, match="TRACKER_ENV"):
        config_from_environment()


def test_production_cookies_are_secure_httponly_and_lax(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    settings = ProductionConfig(tmp_path)
    assert settings.SESSION_COOKIE_SECURE and settings.REMEMBER_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY and settings.REMEMBER_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_sqlite_connections_have_wal_busy_timeout_and_foreign_keys(committed_app: Flask, backend: str) -> None:
    if backend != "sqlite":
        assert db.engine.dialect.name == "postgresql"
        return
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert (
            connection.execute(text("PRAGMA busy_timeout")).scalar() == committed_app.config["SQLITE_BUSY_TIMEOUT_MS"]
        )
