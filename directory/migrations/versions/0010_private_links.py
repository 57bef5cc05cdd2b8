"""Private links kept beside each other: every email that carries a link adds one, and the earlier
ones keep working until the applicant asks for a new link.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 01:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('privatelink',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash')
    )
    with op.batch_alter_table('privatelink', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_privatelink_application_id'), ['application_id'], unique=False)
    # The link each application has today keeps working.
    op.execute("INSERT INTO privatelink (token_hash, application_id, created_at) "
               "SELECT token_hash, id, updated_at FROM application")
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('token_hash')


def downgrade() -> None:
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_hash', sa.String(length=64), nullable=True))
    # One link per application survives a downgrade: the newest.
    op.execute("UPDATE application SET token_hash = (SELECT token_hash FROM privatelink "
               "WHERE privatelink.application_id = application.id ORDER BY created_at DESC LIMIT 1)")
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_application_token_hash', ['token_hash'])
    with op.batch_alter_table('privatelink', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_privatelink_application_id'))
    op.drop_table('privatelink')
