"""The engine: SQLite by default (WAL, foreign keys, busy timeout), PostgreSQL through DATABASE_URL.

Reads run in ordinary transactions; writes go through `write_session`, which on SQLite starts
with BEGIN IMMEDIATE so that two writers queue instead of deadlocking halfway through.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TypeVar

from sqlalchemy import event, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, SQLModel, create_engine

from directory import settings

BUSY_TIMEOUT_SECONDS = 5

_immediate: ContextVar[bool] = ContextVar("vitrine_immediate", default=False)
T = TypeVar("T")


class DatabaseUnavailable(Exception):
    """The database could not be reached or stayed locked past the timeout."""


def database_url() -> str:
    return settings.database_url()


def normalized_url(url: str) -> str:
    """Let users write postgres:// or postgresql:// and still get the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def described(url: str) -> str:
    """A database as a message names it, without its password: the server and base, or the file."""
    address = make_url(normalized_url(url))
    if address.get_backend_name() == "sqlite":
        return address.database or ":memory:"
    return f"{address.host or 'localhost'}:{address.port or 5432}/{address.database or ''}"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str | None = None) -> Engine:
    url = normalized_url(url or database_url())
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": BUSY_TIMEOUT_SECONDS})


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False}
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record):
        # The driver's own transaction handling would defer BEGIN; we emit it ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _immediate.get() else "BEGIN")

    return engine


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    try:
        with Session(engine, expire_on_commit=False) as session:
            yield session
    except OperationalError as error:
        raise DatabaseUnavailable(str(error.orig)) from error


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One transaction that commits on success and leaves nothing behind on error."""
    token = _immediate.set(True)
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session
    except OperationalError as error:
        if _is_retryable(error):
            raise
        raise DatabaseUnavailable(str(error.orig)) from error
    finally:
        _immediate.reset(token)


def _is_retryable(error: DBAPIError) -> bool:
    """Serialization failures and deadlocks on PostgreSQL: the same work can simply run again."""
    code = getattr(error.orig, "sqlstate", None)
    return code in {"40001", "40P01"}


def retry_on_conflict(work: Callable[[], T], *, attempts: int = 5) -> T:
    """Run `work` (which opens its own write_session) again when the database says to retry."""
    for attempt in range(attempts):
        try:
            return work()
        except OperationalError as error:
            if not _is_retryable(error) or attempt == attempts - 1:
                raise DatabaseUnavailable(str(error.orig)) from error
            time.sleep(0.01 * 2**attempt)
    raise AssertionError("unreachable")


def alembic_config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`.

    On SQLite, foreign keys are off during the migration: a batch rebuild of a parent table would
    otherwise cascade-delete its children. They are checked once it is done.
    """
    from alembic import command

    with engine.connect() as connection:
        sqlite = is_sqlite(engine)
        # PRAGMA foreign_keys is ignored inside a transaction: set it on the driver connection.
        driver = connection.connection.driver_connection
        if sqlite:
            driver.execute("PRAGMA foreign_keys=OFF")
        try:
            command.upgrade(alembic_config(connection), revision)
            connection.commit()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left {len(broken)} rows with a broken foreign key")
            connection.commit()
        finally:
            if sqlite:
                driver.execute("PRAGMA foreign_keys=ON")


def update_if_unchanged(session: Session, model: type[SQLModel], *, where: dict[str, object],
                        values: dict[str, object]) -> bool:
    """Writes `values` only if the row still holds what was read (`where`, the id included): of two
    people acting at once, one wins and the other is told. True when this call wrote it."""
    condition = [getattr(model, name) == value if value is not None else getattr(model, name).is_(None)
                 for name, value in where.items()]
    return session.execute(update(model).where(*condition).values(**values)).rowcount == 1


def insert_unless_present(session: Session, model: type[SQLModel], **values: object) -> None:
    """Adds a row unless one with the same key exists (written by another process meanwhile, too)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(model).values(**values).on_conflict_do_nothing())
