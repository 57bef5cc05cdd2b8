"""What every command of the `vitrine` command starts with."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from directory import db


def migrated_engine() -> Engine:
    """The database of DATABASE_URL (or the default SQLite file), its schema brought up to date."""
    engine = db.make_engine()
    db.migrate(engine)
    return engine
