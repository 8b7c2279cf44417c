"""a successor's date of signature is recorded by an admin, never guessed, and kept until the last confirmation

Revision ID: 0025_successor_signed_on
Revises: 0024_perf_indexes
Create Date: 2026-11-30 00:15:00

The column is added in place (no table copy on SQLite), so the change-counter triggers of 0022 stay; the downgrade
copies the table and puts them back.
"""
import importlib.util
from pathlib import Path

from alembic import op
import sqlalchemy as sa


revision = '0025_successor_signed_on'
down_revision = '0024_perf_indexes'
branch_labels = None
depends_on = None


def _stamps():
    """The trigger helpers of 0013 (the agreement's change counter), for renewal_proposals."""
    spec = importlib.util.spec_from_file_location("stamps_0013", Path(__file__).with_name("0013_shape_agreement_stamps.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.STAMPED['renewal_proposals'] = ("agreement_id", None)
    return module


def upgrade():
    with op.batch_alter_table('renewal_proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signed_on', sa.Date(), nullable=True))


def downgrade():
    stamps = _stamps()
    stamps.drop_triggers('renewal_proposals')
    with op.batch_alter_table('renewal_proposals', schema=None) as batch_op:
        batch_op.drop_column('signed_on')
    stamps.create_triggers('renewal_proposals')
