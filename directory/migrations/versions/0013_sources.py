"""External sources kept in step: the sources staff register, the listing each of their rows
became, the report of every run; an organisation's change may come from a source.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 06:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'source',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=160), nullable=False),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('file', sa.LargeBinary(), nullable=True),
        sa.Column('format', sa.String(length=20), nullable=False),
        sa.Column('id_column', sa.String(length=160), nullable=False),
        sa.Column('mapping', sa.String(length=4000), nullable=False),
        sa.Column('default_kind', sa.String(length=20), nullable=False),
        sa.Column('interval_hours', sa.Integer(), nullable=False),
        sa.Column('trusted', sa.Boolean(), nullable=False),
        sa.Column('created_by', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('next_run_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('running_since', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'))
    op.create_index('ix_source_next_run_at', 'source', ['next_run_at'])
    op.create_table(
        'sourcerecord',
        sa.Column('source_id', sa.Integer(), nullable=False),
        sa.Column('external_id', sa.String(length=200), nullable=False),
        sa.Column('partner_id', sa.Integer(), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('gone_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['source_id'], ['source.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('source_id', 'external_id'))
    op.create_index('ix_sourcerecord_partner_id', 'sourcerecord', ['partner_id'])
    op.create_table(
        'sourcerun',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('actor', sa.String(length=120), nullable=False),
        sa.Column('ok', sa.Boolean(), nullable=False),
        sa.Column('error', sa.String(length=2000), nullable=False),
        *(sa.Column(count, sa.Integer(), nullable=False)
          for count in ('added', 'changed', 'gone', 'refused', 'unchanged')),
        sa.Column('report', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['source_id'], ['source.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_sourcerun_source_id', 'sourcerun', ['source_id'])
    with op.batch_alter_table('listingchange', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_listingchange_source_id', ['source_id'])
        batch_op.create_foreign_key('fk_listingchange_source_id', 'source', ['source_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('listingchange', schema=None) as batch_op:
        batch_op.drop_constraint('fk_listingchange_source_id', type_='foreignkey')
        batch_op.drop_index('ix_listingchange_source_id')
        batch_op.drop_column('source_id')
    for table in ('sourcerun', 'sourcerecord', 'source'):
        op.drop_table(table)
