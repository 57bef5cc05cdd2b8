import threading

import pytest
from sqlalchemy import func, select

from directory import backup, db, listings
from directory.models import Partner
from tests.conftest import partner_row


def count(engine) -> int:
    with db.read_session(engine) as session:
        return session.execute(select(func.count(Partner.id))).scalar_one()


def test_a_backup_taken_while_the_app_writes_is_consistent_and_restores(sqlite_url, tmp_path):
    engine = db.make_engine(sqlite_url)
    db.migrate(engine)
    stop = threading.Event()

    def keep_writing():
        while not stop.is_set():
            listings.insert_partners(engine, [partner_row(name="Pendant")] * 20)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        copies = [backup.backup(engine, tmp_path / f"copy-{i}.db") for i in range(5)]
    finally:
        stop.set()
        writer.join()
    for copy in copies:
        restored = db.make_engine(f"sqlite:///{copy}")
        with restored.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert count(restored) % 20 == 0  # whole transactions only
        restored.dispose()

    written = count(engine)
    backup.restore(engine, copies[-1])
    assert count(engine) <= written
    assert count(engine) == count(db.make_engine(f"sqlite:///{copies[-1]}"))


def test_restore_refuses_a_file_that_is_not_a_database(sqlite_url, tmp_path):
    engine = db.make_engine(sqlite_url)
    db.migrate(engine)
    listings.insert_partners(engine, [partner_row()])
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(backup.BackupRefused):
        backup.restore(engine, junk)
    assert count(engine) == 1


def test_postgres_backups_are_left_to_pg_dump(postgres_url):
    with pytest.raises(backup.BackupRefused):
        backup.backup(db.make_engine(postgres_url))
