"""parties have a short name in each language, shown where room is short (« Île-de-France », « Brussel-Hoofdstad »)

Revision ID: 0029_party_short_names
Revises: 0028_progress_form_token
Create Date: 2026-11-30 03:00:00

The columns are added and dropped in place (no table copy on SQLite), so the change-counter triggers of `parties`
(0013_shape_agreement_stamps) stay. `agreements load` fills them
from the agreement file's `short_name:`; until then a party goes by its name.
"""
from alembic import op
import sqlalchemy as sa


revision = '0029_party_short_names'
down_revision = '0028_progress_form_token'
branch_labels = None
depends_on = None

COLUMNS = ('short_name_fr', 'short_name_en', 'short_name_nl')


def upgrade():
    for name in COLUMNS:
        op.add_column('parties', sa.Column(name, sa.String(length=100), nullable=True))


def downgrade():
    for name in COLUMNS:
        op.drop_column('parties', name)
