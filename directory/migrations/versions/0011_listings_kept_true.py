"""Listings that their organisations keep true: logos, versions, changes sent by organisations, claims,
private update and confirmation links, company numbers (and what the company register says),
"not a duplicate" decisions, and the questions that keep each listing checked.

Every existing listing gets its first version (what it holds today), so its history starts now.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 03:30:00
"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# The versioned fields as they were at this revision (a later model may have more).
VERSIONED = ("name", "kind", "short_description", "description", "short_description_en", "description_en",
             "sectors", "networks", "other_names", "address", "city", "latitude", "longitude", "precision",
             "website", "contact_email", "contact_phone", "siret", "notes")


def _decision_columns() -> list[sa.Column]:
    return [sa.Column('state', sa.String(length=10), nullable=False),
            sa.Column('reason', sa.String(length=5000), nullable=False),
            sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
            sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
            sa.Column('decided_by', sa.String(length=120), nullable=False)]


def _partner_key() -> list:
    return [sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('partner_id', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id')]


def upgrade() -> None:
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('logo', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('logo_type', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('siret', sa.String(length=14), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('contact_invalid', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('confirmation_asked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('confirmation_reminded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('register_closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_partner_siret'), ['siret'], unique=False)
    versions = op.create_table(
        'listingversion', *_partner_key(),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('author', sa.String(length=120), nullable=False),
        sa.Column('origin', sa.String(length=40), nullable=False),
        sa.Column('fields', sa.String(length=1000), nullable=False),
        sa.Column('snapshot', sa.String(length=20000), nullable=False))
    op.create_index('ix_listingversion_partner_id', 'listingversion', ['partner_id'])
    op.create_table(
        'listingchange', *_partner_key(),
        sa.Column('base_version', sa.Integer(), nullable=False),
        sa.Column('proposed', sa.String(length=20000), nullable=False),
        sa.Column('author_email', sa.String(length=254), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('accepted_fields', sa.String(length=1000), nullable=False),
        *_decision_columns())
    op.create_index('ix_listingchange_partner_id', 'listingchange', ['partner_id'])
    op.create_index('ix_listingchange_state', 'listingchange', ['state'])
    op.create_table(
        'listingclaim', *_partner_key(),
        sa.Column('name', sa.String(length=160), nullable=False),
        sa.Column('role', sa.String(length=160), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('message', sa.String(length=5000), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        *_decision_columns())
    op.create_index('ix_listingclaim_partner_id', 'listingclaim', ['partner_id'])
    op.create_index('ix_listingclaim_state', 'listingclaim', ['state'])
    op.create_table(
        'listinglink',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('partner_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=10), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token_hash'))
    op.create_index('ix_listinglink_partner_id', 'listinglink', ['partner_id'])
    op.create_table(
        'notduplicate',
        sa.Column('partner_id', sa.Integer(), nullable=False),
        sa.Column('other_id', sa.Integer(), nullable=False),
        sa.Column('decided_by', sa.String(length=120), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['other_id'], ['partner.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('partner_id', 'other_id'))

    connection = op.get_bind()
    partner = sa.Table('partner', sa.MetaData(), autoload_with=connection)  # typed: dates come back as dates
    partners = connection.execute(sa.select(partner.c.id, partner.c.updated_at,
                                            *(partner.c[name] for name in VERSIONED))).mappings().all()
    if partners:
        op.bulk_insert(versions, [
            {"partner_id": row["id"], "number": 1, "at": row["updated_at"], "author": "vitrine", "origin": "history-start",
             "fields": "[]", "snapshot": json.dumps({name: row[name] for name in VERSIONED}, ensure_ascii=False)}
            for row in partners])
        connection.execute(sa.text("UPDATE partner SET version = 1"))


def downgrade() -> None:
    for table in ('notduplicate', 'listinglink', 'listingclaim', 'listingchange', 'listingversion'):
        op.drop_table(table)
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_siret'))
        for column in ('register_closed_at', 'confirmation_reminded_at', 'confirmation_asked_at', 'contact_invalid', 'version', 'siret',
                       'logo_type', 'logo'):
            batch_op.drop_column(column)
