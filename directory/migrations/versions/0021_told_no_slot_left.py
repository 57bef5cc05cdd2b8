"""A waitlisted application remembers when it was told that none of its slots is still possible,
so that it is told once, and again only after choosing others.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 20:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('told_no_slot_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('told_no_slot_at')
