"""The process's engine, shared by the pages and the web routes: the schema brought up to date,
and the demo data loaded into a fresh default database."""

from __future__ import annotations

import logging
import threading
from functools import cache

from sqlalchemy.engine import Engine

from directory import db, listings, seed

log = logging.getLogger("vitrine")


# A first start may be asked for by several threads at once (a page and a route): Alembic's context
# is one per process, and a fresh database must be seeded once, so they take turns; a thread that
# waited finds the schema current and the demo loaded.
_first_start = threading.Lock()


@cache
def engine_for(url: str) -> Engine:
    with _first_start:
        engine = db.make_engine(url)
        db.migrate(engine)
        if seed.wants_demo_data() and listings.count_partners(engine) == 0:
            seed.seed_demo(engine)
            log.info("Fresh database: demo data loaded")
        return engine


def app_engine() -> Engine:
    """One engine per process and database URL (DATABASE_URL, or the default SQLite file)."""
    return engine_for(db.database_url())
