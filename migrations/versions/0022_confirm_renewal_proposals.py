"""a renewal is proposed by an admin of one party and confirmed by an admin of each other party

Revision ID: 0022_confirm_renewal_proposals
Revises: 0021_renew_successor
Create Date: 2026-11-29 21:30:00

Both tables are shown on the agreement's pages (the proposal waiting for confirmation): their rows bump the
agreement's change counter, with the triggers of 0013.
"""
import importlib.util
from pathlib import Path

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_confirm_renewal_proposals'
down_revision = '0021_renew_successor'
branch_labels = None
depends_on = None

TABLES = ('renewal_proposals', 'renewal_confirmations')


def _stamps():
    """The trigger helpers of 0013 (the agreement's change counter), for the new tables shown on its pages."""
    spec = importlib.util.spec_from_file_location("stamps_0013", Path(__file__).with_name("0013_shape_agreement_stamps.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for table in TABLES:
        module.STAMPED[table] = ("agreement_id", None)
    return module


def upgrade():
    op.create_table('renewal_proposals',
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('title_fr', sa.String(length=300), nullable=False),
    sa.Column('title_nl', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_renewal_proposals_agreement_id_agreements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_renewal_proposals_proposed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('agreement_id', name=op.f('pk_renewal_proposals'))
    )
    op.create_table('renewal_confirmations',
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['renewal_proposals.agreement_id'], name=op.f('fk_renewal_confirmations_agreement_id_renewal_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['party_id'], ['parties.id'], name=op.f('fk_renewal_confirmations_party_id_parties'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_renewal_confirmations_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('agreement_id', 'party_id', name=op.f('pk_renewal_confirmations'))
    )
    stamps = _stamps()
    for table in TABLES:
        stamps.create_triggers(table)


def downgrade():
    stamps = _stamps()
    for table in reversed(TABLES):
        stamps.drop_triggers(table)
        op.drop_table(table)
