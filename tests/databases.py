"""Test databases: a migrated SQLite file or PostgreSQL database per backend and worker, and fresh copies."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL") or None
# Under CI every backend and the browser are mandatory: a skip becomes a failure.
STRICT = os.environ.get("TRACKER_STRICT_TESTS") == "1"


def _admin_conninfo(url: str) -> str:
    parsed = make_url(url)
    return parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)


def _with_database(url: str, name: str) -> str:
    parsed = make_url(url).set(database=name)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def postgres_create(name: str, template: str | None = None) -> str:
    """(Re)create database `name` on the TEST_DATABASE_URL server and return its URL."""
    assert POSTGRES_URL
    with psycopg.connect(_admin_conninfo(POSTGRES_URL), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if template:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
            )
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return _with_database(POSTGRES_URL, name)


def postgres_drop(name: str) -> None:
    assert POSTGRES_URL
    with psycopg.connect(_admin_conninfo(POSTGRES_URL), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def base_name(worker: str) -> str:
    assert POSTGRES_URL
    return f"{make_url(POSTGRES_URL).database or 'tracker_test'}_{worker}"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def copy_sqlite(template: Path, target: Path) -> str:
    """Copy a migrated SQLite database (checkpointed, so the copy is complete) and return its URL."""
    shutil.copyfile(template, target)
    return sqlite_url(target)


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"
