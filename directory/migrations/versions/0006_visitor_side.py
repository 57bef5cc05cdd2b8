"""What a visitor and an applicant meet: staff-only notes and other names on partners, error
reports on partner cards, application deadlines on slots, and rate limits.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 11:00:00
"""
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# The research notes that earlier seeds put into the public description move to the staff notes.
RESEARCH_NOTE_PREFIXES = ("Faits vérifiés : ", "Startup fictive : ")


def upgrade() -> None:
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notes', sa.String(length=5000), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('other_names', sa.String(length=500), nullable=False, server_default=''))
    with op.batch_alter_table('showcaseslot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('applications_close_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('correction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.String(length=5000), nullable=False),
    sa.Column('reporter_email', sa.String(length=254), nullable=False),
    sa.Column('reporter_language', sa.String(length=5), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_correction_partner_id'), 'correction', ['partner_id'], unique=False)
    op.create_index(op.f('ix_correction_state'), 'correction', ['state'], unique=False)
    op.create_table('ratelimit',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )

    connection = op.get_bind()
    # Slots already there close to applications a week before they begin, the new default.
    slot = sa.table('showcaseslot', sa.column('id', sa.Integer()),
                    sa.column('starts_at', sa.DateTime(timezone=True)),
                    sa.column('applications_close_at', sa.DateTime(timezone=True)))
    for slot_id, starts_at in connection.execute(sa.select(slot.c.id, slot.c.starts_at)).all():
        connection.execute(slot.update().where(slot.c.id == slot_id)
                           .values(applications_close_at=starts_at - timedelta(days=7)))
    for prefix in RESEARCH_NOTE_PREFIXES:
        connection.execute(sa.text(
            "UPDATE partner SET notes = description, description = '' WHERE description LIKE :prefix"),
            {"prefix": prefix + "%"})
    with op.batch_alter_table('showcaseslot', schema=None) as batch_op:
        batch_op.alter_column('applications_close_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    op.drop_table('ratelimit')
    op.drop_index(op.f('ix_correction_state'), table_name='correction')
    op.drop_index(op.f('ix_correction_partner_id'), table_name='correction')
    op.drop_table('correction')
    with op.batch_alter_table('showcaseslot', schema=None) as batch_op:
        batch_op.drop_column('applications_close_at')
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.drop_column('other_names')
        batch_op.drop_column('notes')
