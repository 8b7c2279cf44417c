"""parties have a short name in each language, shown where room is short (« Île-de-France », « Brussel-Hoofdstad »)

Revision ID: 0027_h11b_party_short_names
Revises: 0026_h14b_signed_after_start
Create Date: 2026-11-30 03:00:00

The columns are added in place (no table copy on SQLite), so the change-counter triggers of `parties`
(0013_shape_agreement_stamps) stay; the downgrade copies the table and puts them back. `agreements load` fills them
from the agreement file's `short_name:`; until then a party goes by its name.
"""
import importlib.util
from pathlib import Path

from alembic import op
import sqlalchemy as sa


revision = '0027_h11b_party_short_names'
down_revision = '0026_h14b_signed_after_start'
branch_labels = None
depends_on = None

COLUMNS = ('short_name_fr', 'short_name_en', 'short_name_nl')


def _stamps():
    """The trigger helpers of 0013 (the agreement's change counter)."""
    spec = importlib.util.spec_from_file_location("stamps_0013", Path(__file__).with_name("0013_shape_agreement_stamps.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade():
    with op.batch_alter_table('parties', schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=100), nullable=True))


def downgrade():
    stamps = _stamps()
    stamps.drop_triggers('parties')
    with op.batch_alter_table('parties', schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.drop_column(name)
    stamps.create_triggers('parties')
