"""Migrations build the schema from empty on both databases, and agree with the models."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from tracker.core.db import db, include_in_comparison

EXPECTED_TABLES = {
    "agreements",
    "parties",
    "agreement_parties",
    "workstreams",
    "workstream_leads",
    "commitments",
    "actions",
    "action_commitments",
    "action_approvals",
    "milestones",
    "progress_updates",
    "attachments",
    "indicators",
    "measurements",
    "users",
    "api_tokens",
    "audit_entries",
    "scheduler_heartbeats",
    "alembic_version",
}


def test_upgrade_from_empty_creates_every_table(committed_app: Flask) -> None:
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert set(inspect(db.engine).get_table_names()) >= EXPECTED_TABLES


def test_models_and_migrations_agree(committed_app: Flask) -> None:
    with db.engine.connect() as connection, warnings.catch_warnings():
        # Expression indexes (lower(email)) cannot be reflected for comparison; they are created by hand.
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        opts = {"compare_type": True, "include_object": include_in_comparison}
        context = MigrationContext.configure(connection, opts=opts)
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_each_migrations_message_is_one_line() -> None:
    """Alembic prints a migration's first docstring paragraph as it upgrades (« Running upgrade … , <message> »):
    a paragraph wrapped on two lines prints its continuation as a stray line of `scripts/run`."""
    from pathlib import Path

    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(Path(__file__).resolve().parents[2] / "migrations"))
    revisions = list(scripts.walk_revisions())
    assert len(revisions) >= 29
    wrapped = {r.revision: r.doc for r in revisions if not r.doc or "\n" in r.doc}
    assert wrapped == {}
