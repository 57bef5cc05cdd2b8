"""A listing's "still right?" link confirms once: it remembers when its button was pressed.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 21:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('listinglink', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('listinglink', schema=None) as batch_op:
        batch_op.drop_column('confirmed_at')
