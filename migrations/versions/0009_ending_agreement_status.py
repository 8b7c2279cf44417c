"""agreements have a lifecycle status: in force, ended, closed, archived

Revision ID: 0009_ending_agreement_status
Revises: 0008_reports_signer_name
Create Date: 2026-11-29 17:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_ending_agreement_status'
down_revision = '0008_reports_signer_name'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'status',
            sa.Enum('in_force', 'ended', 'closed', 'archived', name='agreement_status', native_enum=False,
                    create_constraint=True),
            server_default='in_force',
            nullable=False,
        ))


def downgrade():
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_constraint('agreement_status', type_='check')
        batch_op.drop_column('status')
