"""Automatic offers of freed places to the waiting list: the offers, and a switch per slot.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 16:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('showcaseslot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('auto_offers', sa.Boolean(), nullable=False, server_default=sa.true()))
    op.create_table('offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['showcaseslot.id']),
    sa.PrimaryKeyConstraint('id')
    )
    for column in ('application_id', 'slot_id', 'expires_at', 'outcome'):
        op.create_index(op.f(f'ix_offer_{column}'), 'offer', [column], unique=False)


def downgrade() -> None:
    for column in ('application_id', 'slot_id', 'expires_at', 'outcome'):
        op.drop_index(op.f(f'ix_offer_{column}'), table_name='offer')
    op.drop_table('offer')
    with op.batch_alter_table('showcaseslot', schema=None) as batch_op:
        batch_op.drop_column('auto_offers')
