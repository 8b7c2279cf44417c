"""narratives written by `demo load` are marked as demo data, like the rest of the demo

Revision ID: 0023_polish_narrative_demo
Revises: 0022_confirm_renewal_proposals
Create Date: 2026-11-29 21:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0023_polish_narrative_demo'
down_revision = '0022_confirm_renewal_proposals'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('narratives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_demo', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('narratives', schema=None) as batch_op:
        batch_op.drop_column('is_demo')
