"""The language a proposer wrote in, to answer them in it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 20:03:38.143795
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposer_language', sa.String(length=5), nullable=False, server_default='fr'))



def downgrade() -> None:
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.drop_column('proposer_language')

