"""A staff session's one-time code works only in the browser that signed in.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 07:25:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('staffsession', schema=None) as batch_op:
        batch_op.add_column(sa.Column('browser_key', sa.String(length=64), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('staffsession', schema=None) as batch_op:
        batch_op.drop_column('browser_key')
