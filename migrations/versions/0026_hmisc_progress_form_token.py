"""a progress log keeps the one-time token of the form that saved it (unique): the form sent again saves nothing

Revision ID: 0026_hmisc_progress_form_token
Revises: 0025_successor_signed_on
Create Date: 2026-11-30 02:30:00

The column is added in place and the unique index created on its own (no table copy on SQLite), so the
change-counter triggers of 0013 stay; the downgrade copies the table and puts them back.
"""
import importlib.util
from pathlib import Path

from alembic import op
import sqlalchemy as sa


revision = '0026_hmisc_progress_form_token'
down_revision = '0025_successor_signed_on'
branch_labels = None
depends_on = None


def _stamps():
    """The trigger helpers of 0013 (the agreement's change counter)."""
    spec = importlib.util.spec_from_file_location("stamps_0013", Path(__file__).with_name("0013_shape_agreement_stamps.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade():
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('form_token', sa.String(length=64), nullable=True))
    op.create_index('uq_progress_updates_form_token', 'progress_updates', ['form_token'], unique=True)


def downgrade():
    op.drop_index('uq_progress_updates_form_token', table_name='progress_updates')
    stamps = _stamps()
    stamps.drop_triggers('progress_updates')
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.drop_column('form_token')
    stamps.create_triggers('progress_updates')
