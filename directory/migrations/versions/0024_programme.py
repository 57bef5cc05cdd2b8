"""The atelier's programme: rooms, the sessions partners propose, their ranked dates, registrations.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 05:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str, length: int) -> sa.Column:
    return sa.Column(name, sa.String(length=length), nullable=False)


def upgrade() -> None:
    op.create_table('room',
    sa.Column('id', sa.Integer(), nullable=False),
    _text('name', 160),
    sa.Column('capacity', sa.Integer(), nullable=False),
    _text('equipment', 300),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('programmesession',
    sa.Column('id', sa.Integer(), nullable=False),
    _text('slug', 80),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    _text('submission_key', 64),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    _text('state', 20),
    _text('kind', 20),
    _text('title', 160),
    _text('description', 5000),
    _text('title_en', 160),
    _text('description_en', 5000),
    _text('audiences', 500),
    _text('level', 20),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    _text('bring', 300),
    _text('accessibility', 300),
    sa.Column('places', sa.Integer(), nullable=False),
    _text('contact_name', 160),
    _text('contact_email', 254),
    _text('language', 5),
    _when('starts_at'),
    _when('ends_at'),
    sa.Column('room_id', sa.Integer(), nullable=True),
    _text('decision_reason', 5000),
    sa.Column('is_example', sa.Boolean(), nullable=False),
    _when('created_at', nullable=False),
    _when('updated_at', nullable=False),
    _when('decided_at'),
    _when('reminded_at'),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id']),
    sa.ForeignKeyConstraint(['room_id'], ['room.id']),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug'),
    sa.UniqueConstraint('submission_key'),
    sa.UniqueConstraint('token_hash')
    )
    for column in ('partner_id', 'room_id', 'starts_at', 'state'):
        op.create_index(op.f(f'ix_programmesession_{column}'), 'programmesession', [column], unique=False)
    op.create_table('registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    _text('submission_key', 64),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    _text('state', 20),
    _text('name', 160),
    _text('email', 254),
    _text('phone', 40),
    _text('needs', 300),
    _text('language', 5),
    _when('created_at', nullable=False),
    _when('updated_at', nullable=False),
    _when('offered_at'),
    _when('offer_expires_at'),
    _when('reminded_at'),
    _text('attendance', 10),
    sa.ForeignKeyConstraint(['session_id'], ['programmesession.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('submission_key'),
    sa.UniqueConstraint('token_hash')
    )
    for column in ('email', 'offer_expires_at', 'session_id', 'state'):
        op.create_index(op.f(f'ix_registration_{column}'), 'registration', [column], unique=False)
    op.create_table('sessionchoice',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    _when('starts_at', nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['room_id'], ['room.id']),
    sa.ForeignKeyConstraint(['session_id'], ['programmesession.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'rank')
    )


def downgrade() -> None:
    op.drop_table('sessionchoice')
    for column in ('email', 'offer_expires_at', 'session_id', 'state'):
        op.drop_index(op.f(f'ix_registration_{column}'), table_name='registration')
    op.drop_table('registration')
    for column in ('partner_id', 'room_id', 'starts_at', 'state'):
        op.drop_index(op.f(f'ix_programmesession_{column}'), table_name='programmesession')
    op.drop_table('programmesession')
    op.drop_table('room')
