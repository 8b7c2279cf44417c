"""report signatures keep the signer's name as it was when they signed

Revision ID: 0008_reports_signer_name
Revises: 0007_search_trigram_indexes
Create Date: 2026-11-28 13:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008_reports_signer_name'
down_revision = '0007_search_trigram_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report_signatures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signer_name', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('report_signatures', schema=None) as batch_op:
        batch_op.drop_column('signer_name')
