"""the workstream page's list of actions by due date is read from an index, not sorted

Revision ID: 0024_perf_indexes
Revises: 0023_polish_narrative_demo
Create Date: 2026-11-30 00:10:00

The workstream page lists 25 actions of one workstream ordered as `due_on IS NULL, due_on, id` (undated last):
with this index the first page is the index's first entries, whatever the workstream holds (0.1 ms instead of
18.7 ms on PostgreSQL with 3,334 actions in the workstream, bench/explain.py on an agreement of 30,000 actions).
The index is on an expression, so it is created here by hand, as uq_users_email_lower is (0001_initial).
"""
from alembic import op
import sqlalchemy as sa


revision = '0024_perf_indexes'
down_revision = '0023_polish_narrative_demo'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_actions_workstream_due_on', 'actions',
        ['workstream_id', sa.text('(due_on IS NULL)'), 'due_on', 'id'],
    )


def downgrade():
    op.drop_index('ix_actions_workstream_due_on', table_name='actions')
