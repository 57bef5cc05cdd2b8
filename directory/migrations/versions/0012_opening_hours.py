"""Opening hours (OpenStreetMap's syntax) and access to each place: its acceslibre page and a note.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 05:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opening_hours', sa.String(length=255), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('accessibility_url', sa.String(length=500), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('accessibility_note', sa.String(length=300), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('partner', schema=None) as batch_op:
        for column in ('accessibility_note', 'accessibility_url', 'opening_hours'):
            batch_op.drop_column(column)
