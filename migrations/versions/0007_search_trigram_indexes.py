"""trigram indexes for the search of actions by text (PostgreSQL)

Revision ID: 0007_search_trigram_indexes
Revises: 0006_reports_reports
Create Date: 2026-11-28 12:10:00

Searching actions by a word (the API's `q=`, the search page) matches anywhere in titles and descriptions:
without an index PostgreSQL reads every action. pg_trgm's GIN indexes serve ILIKE '%word%'. pg_trgm is a
trusted extension: a database owner may create it. Where it cannot be created, search still works, unindexed,
and the migration says so. SQLite has no such index.
"""
import logging

from alembic import op
import sqlalchemy as sa


revision = '0007_search_trigram_indexes'
down_revision = '0006_reports_reports'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
INDEXES = {"ix_actions_title_trgm": "title", "ix_actions_description_trgm": "description"}


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError as exc:
        log.warning("pg_trgm is not available (%s): text search of actions stays unindexed", exc.orig)
        return
    for name, column in INDEXES.items():
        bind.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON actions USING gin ({column} gin_trgm_ops)")


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for name in INDEXES:
        bind.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
