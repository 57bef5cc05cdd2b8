"""Relations between organisations: incubated by, hosted at, member of, founded by.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 06:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'partnerrelation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('partner_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('other_id', sa.Integer(), nullable=False),
        sa.Column('created_by', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['other_id'], ['partner.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('partner_id', 'kind', 'other_id'))
    op.create_index('ix_partnerrelation_partner_id', 'partnerrelation', ['partner_id'])
    op.create_index('ix_partnerrelation_other_id', 'partnerrelation', ['other_id'])


def downgrade() -> None:
    op.drop_table('partnerrelation')
