"""index of actions by workstream and owner: the workstream page's list of owners read owner by owner

Revision ID: 0030_owner_index
Revises: 0029_party_short_names
Create Date: 2026-11-30 03:15:00

The workstream page's filter by owner lists the people owning its actions: a DISTINCT over every action of the
workstream (3,334 rows at 30,000 actions). With this index the list is read as a skip scan (a recursive query
that jumps from one owner to the next), whose cost follows the number of owners. Creating an index does not
rebuild the table on SQLite: the triggers of 0013 and 0027 stay.
"""

from alembic import op

revision = "0030_owner_index"
down_revision = "0029_party_short_names"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_actions_workstream_owner_id", "actions", ["workstream_id", "owner_id"])


def downgrade():
    op.drop_index("ix_actions_workstream_owner_id", table_name="actions")
