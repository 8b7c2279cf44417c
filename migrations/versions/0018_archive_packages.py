"""the archive package of a closed agreement (BagIt), its build or last failure

Revision ID: 0018_archive_packages
Revises: 0017_admin_days_off
Create Date: 2026-11-29 20:00:00

"""
import importlib.util
from pathlib import Path

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_archive_packages'
down_revision = '0017_admin_days_off'
branch_labels = None
depends_on = None


def _stamps():
    """The trigger helpers of 0013 (the agreement's change counter), for the new table shown on its pages."""
    spec = importlib.util.spec_from_file_location("stamps_0013", Path(__file__).with_name("0013_shape_agreement_stamps.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.STAMPED["agreement_archives"] = ("agreement_id", None)
    return module


def upgrade():
    op.create_table('agreement_archives',
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('payload_oxum', sa.String(length=64), nullable=True),
    sa.Column('built_at', sa.DateTime(), nullable=True),
    sa.Column('failure', sa.Text(), nullable=True),
    sa.Column('failed_at', sa.DateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_agreement_archives_agreement_id_agreements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('agreement_id', name=op.f('pk_agreement_archives'))
    )
    _stamps().create_triggers("agreement_archives")


def downgrade():
    _stamps().drop_triggers("agreement_archives")
    op.drop_table('agreement_archives')
