from sqlalchemy import inspect

from directory import db


def test_migrations_build_the_schema_and_can_run_twice(database_url):
    engine = db.make_engine(database_url)
    db.migrate(engine)
    db.migrate(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"partner", "showcaseslot", "application", "slotchoice", "auditevent", "notification",
            "alembic_version"} <= tables
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_url):
    engine = db.make_engine(sqlite_url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    engine.dispose()


def test_postgres_urls_get_the_psycopg_driver():
    assert db.normalized_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.normalized_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.normalized_url("sqlite:///x.db") == "sqlite:///x.db"
