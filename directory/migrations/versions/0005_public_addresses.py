"""Public addresses: partner slugs (with every former slug kept), calendar revision of slots.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 07:30:00
"""
import sqlalchemy as sa
from alembic import op

from directory.listings.slugs import unique_slugs

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('partnerslug',
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('slug')
    )
    op.create_index(op.f('ix_partnerslug_partner_id'), 'partnerslug', ['partner_id'], unique=False)
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('slug', sa.String(length=80), nullable=True))
        batch_op.create_unique_constraint('uq_partner_slug', ['slug'])
    with op.batch_alter_table('showcaseslot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))

    connection = op.get_bind()
    connection.execute(sa.text("UPDATE showcaseslot SET updated_at = created_at"))
    partners = connection.execute(sa.text("SELECT id, name FROM partner ORDER BY id")).all()
    slugs = unique_slugs([name for _, name in partners], taken=set())
    for (partner_id, _), slug in zip(partners, slugs, strict=True):
        connection.execute(sa.text("UPDATE partner SET slug = :slug WHERE id = :id"), {"slug": slug, "id": partner_id})
        connection.execute(sa.text("INSERT INTO partnerslug (slug, partner_id) VALUES (:slug, :id)"),
                           {"slug": slug, "id": partner_id})
    with op.batch_alter_table('showcaseslot', schema=None) as batch_op:
        batch_op.alter_column('updated_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('showcaseslot', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
        batch_op.drop_column('sequence')
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.drop_constraint('uq_partner_slug', type_='unique')
        batch_op.drop_column('slug')
    op.drop_index(op.f('ix_partnerslug_partner_id'), table_name='partnerslug')
    op.drop_table('partnerslug')
