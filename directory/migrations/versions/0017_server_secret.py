"""A secret every replica shares, for keys that must not reveal what they count (rate limits):
made here, at random, once per database. Counts kept under the former unsalted keys are no longer
read; `vitrine purge-expired` prunes them a day later.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 07:35:00
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        'serversecret',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('value', sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint('name'))
    op.bulk_insert(table, [{"name": "rate-limits", "value": secrets.token_hex(32)}])


def downgrade() -> None:
    op.drop_table('serversecret')
