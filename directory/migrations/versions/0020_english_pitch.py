"""An application's pitch may be given in English too (title and summary), for English readers.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pitch_title_en', sa.String(length=160), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('pitch_summary_en', sa.String(length=300), nullable=False,
                                      server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('pitch_summary_en')
        batch_op.drop_column('pitch_title_en')
