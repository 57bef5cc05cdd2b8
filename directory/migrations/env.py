"""Alembic environment: runs on the connection `directory.db.migrate` hands over."""

from alembic import context
from sqlmodel import SQLModel

import directory.models  # noqa: F401 — registers the tables on the metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    # SQLite cannot ALTER most things: Alembic rebuilds the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
