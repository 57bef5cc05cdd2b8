"""Staff accounts; partner rejection and merging; slot cancellation.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 19:30:42.432460
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staffuser',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email')
    )
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rejection_reason', sa.String(length=5000), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_partner_merged_into_id_partner', 'partner', ['merged_into_id'], ['id'])

    with op.batch_alter_table('showcaseslot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('showcaseslot', schema=None) as batch_op:
        batch_op.drop_column('cancelled_at')

    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.drop_constraint('fk_partner_merged_into_id_partner', type_='foreignkey')
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('rejection_reason')

    op.drop_table('staffuser')
