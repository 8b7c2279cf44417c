"""people have a function (job title), and a report signature keeps the signer's function as it was

Revision ID: 0020_layout_person_function
Revises: 0019_narrative_texts_outcomes
Create Date: 2026-11-29 20:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0020_layout_person_function'
down_revision = '0019_narrative_texts_outcomes'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (both databases support it): a batch copy of users on SQLite would lose the expression
    # index on lower(email).
    op.add_column('users', sa.Column('function', sa.String(length=200), nullable=False, server_default=''))
    with op.batch_alter_table('report_signatures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signer_function', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('report_signatures', schema=None) as batch_op:
        batch_op.drop_column('signer_function')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE users DROP COLUMN function')  # SQLite 3.35+, keeping the index on lower(email)
    else:
        op.drop_column('users', 'function')
