"""the dashboard's late and overdue counts read from indexes alone (action ids in their entries)

Revision ID: 0031_covering_indexes
Revises: 0030_owner_index
Create Date: 2026-11-30 06:00:00

The dashboard counts, up to 1,000 (100 per workstream), the late actions, the overdue milestones and those due
in the next 30 days. Their rows were found in the indexes of actions by workstream and status and of milestones
by status and date, then each read again in the table for the one column the index lacked (the action's id, the
milestone's action): with it in the entries, a count reads index pages only. Each index is replaced by one with
the same columns and that one last, so every query the old one served is served the same way. Plain index
operations, no batch: on SQLite a table rebuild would drop the triggers of 0013 and 0027.

The commitments no action serves were looked for in the primary key of action_commitments (action, commitment):
for a commitment without actions, a scan of every pair. The index by commitment now holds the action too.
"""

from alembic import op

revision = "0031_covering_indexes"
down_revision = "0030_owner_index"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_actions_workstream_status_due_on", table_name="actions")
    op.create_index(
        "ix_actions_workstream_status_due_on",
        "actions",
        ["workstream_id", "status", "due_on", "continues_action_id", "id"],
    )
    op.drop_index("ix_milestones_status_due_on", table_name="milestones")
    op.create_index("ix_milestones_status_due_on", "milestones", ["status", "due_on", "action_id"])
    op.drop_index("ix_action_commitments_commitment_id", table_name="action_commitments")
    op.create_index("ix_action_commitments_commitment_id", "action_commitments", ["commitment_id", "action_id"])


def downgrade():
    op.drop_index("ix_action_commitments_commitment_id", table_name="action_commitments")
    op.create_index("ix_action_commitments_commitment_id", "action_commitments", ["commitment_id"])
    op.drop_index("ix_milestones_status_due_on", table_name="milestones")
    op.create_index("ix_milestones_status_due_on", "milestones", ["status", "due_on"])
    op.drop_index("ix_actions_workstream_status_due_on", table_name="actions")
    op.create_index(
        "ix_actions_workstream_status_due_on", "actions", ["workstream_id", "status", "due_on", "continues_action_id"]
    )
