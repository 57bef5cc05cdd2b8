"""A private link sent on a lost-link request ends the earlier links when first opened, not when sent.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 07:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('privatelink', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replaces_earlier', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('privatelink', schema=None) as batch_op:
        batch_op.drop_column('replaces_earlier')
