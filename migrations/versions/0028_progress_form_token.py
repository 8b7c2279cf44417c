"""a progress log keeps the one-time token of the form that saved it (unique): the form sent again saves nothing

Revision ID: 0028_progress_form_token
Revises: 0027_workstream_tallies
Create Date: 2026-11-30 02:30:00

The column is added and dropped in place and the unique index created on its own (no table copy on SQLite), so
the triggers of 0013 (change counter) and 0027 (workstream tallies) stay.
"""

import sqlalchemy as sa
from alembic import op

revision = "0028_progress_form_token"
down_revision = "0027_workstream_tallies"
branch_labels = None
depends_on = None


def upgrade():
    # In place on both databases (SQLite's ADD COLUMN): a table copy would drop the triggers of 0013 and 0027.
    op.add_column("progress_updates", sa.Column("form_token", sa.String(length=64), nullable=True))
    op.create_index("uq_progress_updates_form_token", "progress_updates", ["form_token"], unique=True)


def downgrade():
    op.drop_index("uq_progress_updates_form_token", table_name="progress_updates")
    # In place too (SQLite 3.35+ drops an unindexed column), keeping the triggers.
    op.drop_column("progress_updates", "form_token")
