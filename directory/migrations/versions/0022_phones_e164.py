"""Phone numbers are stored in E.164 ("+33477430977"), as `clean_phone` now writes them; a stored
value phonenumbers cannot read as a valid number is left as it was.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 20:45:00
"""
import sqlalchemy as sa
from alembic import op

from directory.validation import Invalid, clean_phone

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    for table in ("partner", "application"):
        rows = connection.execute(sa.text(f"SELECT id, contact_phone FROM {table} WHERE contact_phone <> ''")).all()
        for row_id, phone in rows:
            try:
                number = clean_phone(phone)
            except Invalid:
                continue
            if number != phone:
                connection.execute(sa.text(f"UPDATE {table} SET contact_phone = :number WHERE id = :id"),
                                   {"number": number, "id": row_id})


def downgrade() -> None:
    pass  # E.164 is a valid way to write a number in every earlier version
