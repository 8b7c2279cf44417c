"""indexes of the dashboard: latest updates, per-workstream figures

Revision ID: 0014_shape_dashboard_indexes
Revises: 0013_shape_agreement_stamps
Create Date: 2026-11-29 16:57:09.042453

The latest updates are read backwards on (created_at, id), stopping after ten; the per-workstream figures of
actions and milestones are read from covering indexes (index-only scans). Each new index starts with the
columns of the one it replaces. Plain index operations, no batch: on SQLite a table rebuild would drop the
change-counter triggers of 0013.
"""
from alembic import op


revision = '0014_shape_dashboard_indexes'
down_revision = '0013_shape_agreement_stamps'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_actions_workstream_figures', 'actions', ['workstream_id', 'status', 'health', 'percent'])
    op.drop_index('ix_actions_workstream_status', table_name='actions')
    op.create_index('ix_milestones_action_status_due_on', 'milestones', ['action_id', 'status', 'due_on'])
    op.drop_index('ix_milestones_action_id', table_name='milestones')
    op.create_index('ix_progress_updates_created_at_id', 'progress_updates', ['created_at', 'id'])


def downgrade():
    op.drop_index('ix_progress_updates_created_at_id', table_name='progress_updates')
    op.create_index('ix_milestones_action_id', 'milestones', ['action_id'])
    op.drop_index('ix_milestones_action_status_due_on', table_name='milestones')
    op.create_index('ix_actions_workstream_status', 'actions', ['workstream_id', 'status'])
    op.drop_index('ix_actions_workstream_figures', table_name='actions')
