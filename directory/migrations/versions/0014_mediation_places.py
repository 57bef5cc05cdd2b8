"""Places of digital mediation: the national standard's services a listing offers, and its postal code.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 07:55:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mediation_services', sa.String(length=500), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('postal_code', sa.String(length=5), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.drop_column('postal_code')
        batch_op.drop_column('mediation_services')
