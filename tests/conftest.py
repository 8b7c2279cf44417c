"""Shared fixtures: every database test runs on SQLite and on PostgreSQL (when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import contextvars
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession
from sqlalchemy import event

from config.settings import TestConfig
from tests import databases
from tests.smtp import mail_app, smtp_certificate, smtp_server  # noqa: F401  (fixtures shared by every package's tests)
from tracker import create_app
from tracker.core import clock
from tracker.core.db import db
from tracker.extensions import limiter
from workflows.cli import register_cli

BACKENDS = ["sqlite", "postgresql"]
ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Debian's Chromium through Playwright")
    if databases.STRICT and not databases.POSTGRES_URL:
        raise pytest.UsageError("TRACKER_STRICT_TESTS=1 needs TEST_DATABASE_URL: the PostgreSQL tests are mandatory")
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        # The pages are tested in French and Dutch: build the catalogs from the committed .po files.
        subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "compile"], check=True)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config) -> None:
    crawled = [
        (report.nodeid.split("[", 1)[-1].rstrip("]"), dict(report.user_properties)["forms_submitted"])
        for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", [])
        if report.when == "call" and "forms_submitted" in dict(report.user_properties)
    ]
    if crawled:  # tests/web/test_form_crawler.py: the lead reports these counts
        terminalreporter.write_line(
            "form crawler, forms submitted: " + ", ".join(f"{k} {n}" for k, n in sorted(crawled))
        )
    skipped = terminalreporter.stats.get("skipped", [])
    if databases.STRICT and skipped:
        terminalreporter.write_line(f"{len(skipped)} tests were skipped; under CI a skip is a failure.", red=True)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if databases.STRICT and reporter is not None and reporter.stats.get("skipped"):
        session.exitstatus = 1


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    The test body keeps its own app context (and session); without this, Flask would reuse it for the
    request, sharing `g` and the session between the test and the requests it makes.
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()  # the test then reads what the request committed
        return response


def make_test_app(database_url: str, instance_dir: Path, **overrides: object) -> Flask:
    instance_dir.mkdir(parents=True, exist_ok=True)
    settings = TestConfig(database_url, instance_dir)
    for key, value in overrides.items():
        setattr(settings, key, value)
    app = create_app(settings)
    app.test_client_class = IsolatedClient
    register_cli(app)
    return app


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not databases.POSTGRES_URL:
        pytest.skip(
            "PostgreSQL tests need TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1/tracker_test)"
        )
    return str(request.param)


@pytest.fixture(scope="session")
def worker_name(request: pytest.FixtureRequest) -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head (checkpointed, so that copies of the file are complete)."""
    instance = tmp_path_factory.mktemp("template-sqlite")
    path = instance / "template.db"
    app = make_test_app(databases.sqlite_url(path), instance)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture(scope="session")
def template_database(
    backend: str, worker_name: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[str]:
    """Return the URL of a database migrated to head, shared (read-only) by this worker's tests."""
    if backend == "sqlite":
        yield databases.sqlite_url(request.getfixturevalue("sqlite_template"))
        return
    name = databases.base_name(worker_name) + "_tpl"
    url = databases.postgres_create(name)
    app = make_test_app(url, tmp_path_factory.mktemp("template-postgresql"))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield url
    databases.postgres_drop(name)


@pytest.fixture(scope="session")
def shared_database(
    backend: str, template_database: str, worker_name: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated database in which each test runs inside a transaction that is rolled back."""
    if backend == "sqlite":
        yield databases.copy_sqlite(
            Path(template_database.removeprefix("sqlite:///")), tmp_path_factory.mktemp("shared") / "shared.db"
        )
    else:
        name = databases.base_name(worker_name) + "_shared"
        yield databases.postgres_create(name, template=make_name(template_database))
        databases.postgres_drop(name)


def make_name(url: str) -> str:
    from sqlalchemy.engine import make_url

    return str(make_url(url).database)


@pytest.fixture(scope="session")
def session_app(shared_database: str, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return make_test_app(shared_database, tmp_path_factory.mktemp("instance"))


class ConnectionBoundSession(FlaskSQLAlchemySession):
    """A session that always uses the test's connection (Flask-SQLAlchemy would pick the engine)."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return bind or self.bind or super().get_bind(mapper=mapper, clause=clause, **kwargs)


@pytest.fixture
def app(session_app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """The app, with every write of the test rolled back at its end (commits become savepoints)."""
    session_app.config.update(
        UPLOAD_DIR=tmp_path / "uploads", REPORT_DIR=tmp_path / "reports", ARCHIVE_DIR=tmp_path / "archives"
    )
    limiter.reset()  # each test starts with no login attempts counted
    with session_app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": ConnectionBoundSession}
        )
        try:
            yield session_app
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def fresh_database(backend: str, template_database: str, tmp_path: Path) -> Iterator[str]:
    """A database of its own for tests that need real commits (several connections, threads, processes)."""
    if backend == "sqlite":
        yield databases.copy_sqlite(Path(template_database.removeprefix("sqlite:///")), tmp_path / "fresh.db")
    else:
        name = databases.unique_name("tracker_fresh")
        yield databases.postgres_create(name, template=make_name(template_database))
        databases.postgres_drop(name)


@pytest.fixture
def committed_app(fresh_database: str, tmp_path: Path) -> Iterator[Flask]:
    """An app on a database of its own, where commits are real."""
    app = make_test_app(fresh_database, tmp_path / "instance")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def frozen_clock() -> Iterator[type[clock]]:
    """Freeze the clock at 2026-11-27 09:00 Paris (a Friday); tests move it with clock.freeze/advance."""
    clock.freeze(datetime(2026, 11, 27, 8, 0, tzinfo=UTC))
    yield clock  # type: ignore[misc]
    clock.unfreeze()


class QueryCounter:
    """Counts the SQL statements sent while it is active."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask) -> Iterator[QueryCounter]:
    counter = QueryCounter()
    engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine, "before_cursor_execute", counter)
