"""Private links derived when an email is sent: the outbox keeps what a link is made from, never
the link; an application's emails carry one link version until a new one is asked for.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 09:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link_version', sa.Integer(), nullable=False, server_default='1'))
    with op.batch_alter_table('privatelink', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=5), nullable=False, server_default='fr'))
        batch_op.add_column(sa.Column('link_kind', sa.String(length=12), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('link_seed', sa.String(length=64), nullable=False, server_default=''))
    # Messages still waiting: an applicant's gets the application's current link when sent (the
    # link it held stays valid); a listing's link, random before this version, cannot be derived
    # again and goes into its body, once.
    op.execute("UPDATE notification SET link_kind = 'application', language = (SELECT language FROM application "
               "WHERE application.id = notification.application_id) "
               "WHERE private_link <> '' AND application_id IS NOT NULL")
    op.execute("UPDATE notification SET body = REPLACE(body, '{private_link}', private_link) "
               "WHERE private_link <> '' AND application_id IS NULL")
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('private_link')


def downgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('private_link', sa.String(length=500), nullable=False, server_default=''))
        batch_op.drop_column('link_seed')
        batch_op.drop_column('link_kind')
        batch_op.drop_column('language')
    with op.batch_alter_table('privatelink', schema=None) as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('link_version')
