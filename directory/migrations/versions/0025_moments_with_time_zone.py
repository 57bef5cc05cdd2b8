"""Two moments added without a time zone (when a waitlisted startup was told no slot is left,
when a listing was confirmed with its link) become moments with one, like every other: on a
PostgreSQL server set to Paris time, a column without one shifted each moment by an hour or two.

The values already there were written through the server's own time zone; read back through the
same one, they keep their moment. SQLite keeps its text as it is.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 11:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

COLUMNS = (("application", "told_no_slot_at"), ("listinglink", "confirmed_at"))


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in COLUMNS:
        op.alter_column(table, column, type_=sa.DateTime(timezone=True), existing_type=sa.DateTime(),
                        existing_nullable=True)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in COLUMNS:
        op.alter_column(table, column, type_=sa.DateTime(), existing_type=sa.DateTime(timezone=True),
                        existing_nullable=True)
