"""Reminders before a showcase, attendance confirmed by the startup and recorded by staff, and
calendar attachments in the outbox.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 16:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminded_week_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reminded_day_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attendance', sa.String(length=10), nullable=False, server_default=''))
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar', sa.String(length=10000), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('calendar')
    with op.batch_alter_table('application', schema=None) as batch_op:
        for column in ('attendance', 'confirmed_at', 'reminded_day_at', 'reminded_week_at'):
            batch_op.drop_column(column)
