"""The declarative base, column types and engine settings shared by every model."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from flask import has_request_context, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, Enum, Integer, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, registry
from sqlalchemy.types import TypeDecorator

from tracker.core import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Indexes made by hand in migrations, which the models do not declare: PostgreSQL trigram indexes for text search
# (0007). Autogenerate and the models-against-migrations test leave them alone.
HAND_MADE_INDEXES = frozenset({"ix_actions_title_trgm", "ix_actions_description_trgm"})


def include_in_comparison(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic's include_object: skip the hand-made indexes."""
    return not (type_ == "index" and name in HAND_MADE_INDEXES)


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored as naive UTC and always returned timezone-aware (same on SQLite and PostgreSQL)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are refused; use tracker.core.clock.now()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


db = SQLAlchemy(model_class=Base)


def str_enum(enum_cls: type[enum.StrEnum], name: str) -> Enum:
    """Return a portable string column type for a StrEnum, held by a CHECK constraint on both databases."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )


class IdMixin:
    id: Mapped[int] = mapped_column(Integer, primary_key=True)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)


class VersionedMixin:
    """Optimistic locking: every UPDATE checks and bumps `version`; a stale write raises StaleDataError."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}  # type: ignore[attr-defined]


def pick_language(values: dict[str, str | None], language: str) -> str:
    """Return the text in `language`, falling back to French, then to any non-empty text."""
    for lang in (language, "fr", "en", "nl"):
        text = values.get(lang)
        if text:
            return text
    return ""


def configure_engine_events(engine: Engine, busy_timeout_ms: int, immediate_outside_requests: bool = True) -> None:
    """Give every SQLite connection WAL, a busy timeout, foreign keys and real transactions."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, emit BEGIN so that SAVEPOINTs and transactional DDL work.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Requests that may write (and commands and jobs, unless configured otherwise) take the write lock
        # up front: a deferred transaction that upgrades to a writer after another commit fails at once
        # with SQLITE_BUSY instead of waiting. Code that knows better says so with reading() / writing().
        mode = _transaction_mode.get()
        if mode is not None:
            reading = mode == "read"
        elif has_request_context():
            reading = request.method in READ_METHODS
        else:
            reading = not immediate_outside_requests
        conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


# SQLite's "busy" and "locked" primary result codes (extended codes keep them in their low byte); PostgreSQL's
# lock_not_available (a lock_timeout ran out) and deadlock_detected.
_SQLITE_BUSY_CODES = frozenset({5, 6})
_POSTGRES_BUSY_STATES = frozenset({"55P03", "40P01"})


def is_busy(exc: BaseException) -> bool:
    """Return whether `exc` says the database was busy (another writer held it past the wait), not broken.

    True for an OperationalError from SQLite's busy timeout (« database is locked ») or from PostgreSQL's
    lock timeout or deadlock detection: the same work may succeed a moment later. False for anything else.
    """
    if not isinstance(exc, OperationalError):
        return False
    original = exc.orig
    code = getattr(original, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in _SQLITE_BUSY_CODES
    return getattr(original, "sqlstate", None) in _POSTGRES_BUSY_STATES


# The HTTP methods that only read: their requests begin as readers and commit nothing (tracker/web/transactions.py),
# and a read-only API token may use them (tracker/api/auth.py).
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# How the next transaction begins on SQLite, when a block says so (None: by the request's method).
_transaction_mode: ContextVar[Literal["read", "write"] | None] = ContextVar("transaction_mode", default=None)


def _end_clean_transaction() -> None:
    """End the session's transaction, which must hold no pending change (RuntimeError otherwise)."""
    session = db.session
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("the session holds changes: commit or roll them back first")
    session.rollback()


@contextmanager
def reading() -> Iterator[None]:
    """Run the block in a transaction of its own begun as a reader, ended (rolled back) after it.

    For slow work that only reads (rendering a file, parsing an upload): on SQLite it holds no write lock, so
    writers are not kept waiting. The session's transaction must hold no pending change (RuntimeError).
    Objects loaded before are expired and reload on use.
    """
    _end_clean_transaction()
    token = _transaction_mode.set("read")
    try:
        yield
    finally:
        db.session.rollback()
        _transaction_mode.reset(token)


@contextmanager
def writing() -> Iterator[None]:
    """Run the block in a short transaction of its own begun as a writer (BEGIN IMMEDIATE on SQLite).

    Committed at the end of the block, rolled back if it raises. Used where a read (a GET request) needs one
    small write: a writer transaction waits for the lock (busy timeout) where a reader's upgrade fails at once.
    The session's transaction must hold no pending change (RuntimeError).
    """
    _end_clean_transaction()
    token = _transaction_mode.set("write")
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        _transaction_mode.reset(token)


@dataclass
class _Unit:
    """The state of one unit of work: whether its changes were discarded (then it commits nothing)."""

    discarded: bool = False


_current_unit: ContextVar[_Unit | None] = ContextVar("current_unit", default=None)


@contextmanager
def unit_of_work(*, commit: bool = True) -> Iterator[None]:
    """Run the block as one unit of work: committed once at its end, rolled back if it raises anything.

    Every request (see `tracker.web.transactions`), command and scheduled job runs in one; services only
    flush. A block that called `discard()` ends with a rollback instead of a commit. With `commit` False (a
    read request) the block's end leaves the transaction open and uncommitted: the request's teardown ends
    it, after a streamed answer is sent; only `writing()` blocks write. A failing commit (database busy, a
    constraint) rolls back and raises like the block would, so a job run again later starts clean. Units do
    not nest: services never open one, their caller (the request, the command, the job) does.
    """
    unit = _Unit()
    token = _current_unit.set(unit)
    try:
        yield
        if unit.discarded:
            db.session.rollback()
        elif commit:
            db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        _current_unit.reset(token)


def discard() -> None:
    """Undo every change of the current unit of work and keep it from committing anything later.

    For a refusal shown to the user (a form back with its errors, a flashed message, a dry run): the page is
    rendered from the stored state, and nothing of the attempt is written. Objects loaded before are expired
    and reload on use. Outside a unit of work it only rolls the session back.
    """
    db.session.rollback()
    unit = _current_unit.get()
    if unit is not None:
        unit.discarded = True


def refresh() -> None:
    """Send the unit's pending changes to the database and expire every loaded object, without committing.

    For an answer that shows what was just written (an API body, its ETag): it reads the stored state, as
    after a commit, with counters and defaults the database set; the unit still commits (or not) at its end.
    """
    db.session.flush()
    db.session.expire_all()


__all__ = [
    "READ_METHODS",
    "Base",
    "IdMixin",
    "TimestampMixin",
    "UTCDateTime",
    "VersionedMixin",
    "configure_engine_events",
    "db",
    "discard",
    "is_busy",
    "pick_language",
    "reading",
    "refresh",
    "str_enum",
    "unit_of_work",
    "writing",
]
