"""Day arithmetic in SQL, the same on PostgreSQL and SQLite: day numbers of dates and of local dates of instants."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

EPOCH = date(2000, 1, 3)  # a Monday: day numbers modulo 7 give the weekday
_EPOCH_JULIAN = 2451546.5  # julianday('2000-01-03')


def day_number(day: date) -> int:
    """Return the number of days from the epoch to `day` (what the SQL expressions below compute)."""
    return (day - EPOCH).days


class DayNumber(FunctionElement[int]):
    """Days from the epoch to a DATE column."""

    type = Integer()
    inherit_cache = True


class LocalDayNumber(FunctionElement[int]):
    """Days from the epoch to the local date (in a time zone) of a UTC instant column."""

    type = Integer()
    inherit_cache = True


def day_of(column: ColumnElement[Any]) -> DayNumber:
    return DayNumber(column)


def local_day_of(column: ColumnElement[Any], timezone: str) -> LocalDayNumber:
    from sqlalchemy import literal

    return LocalDayNumber(column, literal(timezone))


@compiles(DayNumber, "postgresql")
def _day_pg(element: DayNumber, compiler: Any, **kw: Any) -> str:
    (column,) = list(element.clauses)
    return f"({compiler.process(column, **kw)} - DATE '{EPOCH.isoformat()}')"


@compiles(DayNumber, "sqlite")
def _day_sqlite(element: DayNumber, compiler: Any, **kw: Any) -> str:
    (column,) = list(element.clauses)
    return f"CAST(julianday({compiler.process(column, **kw)}) - {_EPOCH_JULIAN} AS INTEGER)"


@compiles(LocalDayNumber, "postgresql")
def _local_day_pg(element: LocalDayNumber, compiler: Any, **kw: Any) -> str:
    column, zone = (compiler.process(c, **kw) for c in element.clauses)
    # Instants are stored as UTC without a zone: read them as UTC, then take the date in the local zone.
    return f"(CAST(timezone({zone}, timezone('UTC', {column})) AS DATE) - DATE '{EPOCH.isoformat()}')"


@compiles(LocalDayNumber, "sqlite")
def _local_day_sqlite(element: LocalDayNumber, compiler: Any, **kw: Any) -> str:
    column, zone = (compiler.process(c, **kw) for c in element.clauses)
    return f"tracker_local_day({column}, {zone})"


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _sqlite_local_day(value: str | None, zone: str) -> int | None:
    if value is None:
        return None
    instant = datetime.fromisoformat(value).replace(tzinfo=UTC)
    return day_number(instant.astimezone(_zone(zone)).date())


def install_sqlite_functions(engine: Engine) -> None:
    """Give every SQLite connection the local-date function (PostgreSQL has time zones built in)."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _register(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.create_function("tracker_local_day", 2, _sqlite_local_day, deterministic=True)

    engine.dispose()  # connections opened before this point would lack the function
