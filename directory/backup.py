"""Backups of the SQLite database with SQLite's own backup API (consistent while the app writes;
a plain file copy of a live WAL database loses rows). PostgreSQL is backed up with pg_dump."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine, make_url

from directory import settings
from directory.db import is_sqlite
from directory.errors import Refusal
from directory.i18n import N_
from directory.validation import quoted


class BackupRefused(Refusal):
    text = N_("Cette sauvegarde n'est pas possible.")


def sqlite_path(engine: Engine) -> Path:
    if not is_sqlite(engine):
        raise BackupRefused(N_("vitrine backup sauvegarde une base SQLite ; pour PostgreSQL, utilisez pg_dump "
                               "(voir le README)."))
    return Path(make_url(str(engine.url)).database)


def backup(engine: Engine, target: Path | None = None) -> Path:
    """Copy the live database page by page into `target` (default: data/backups/<time>.db)."""
    source_path = sqlite_path(engine)
    if target is None:
        backups = settings.data_dir() / "backups"
        backups.mkdir(parents=True, exist_ok=True)
        target = backups / f"vitrine-{datetime.now():%Y%m%d-%H%M%S-%f}.db"
    source = sqlite3.connect(source_path, timeout=30)
    destination = sqlite3.connect(target)
    try:
        with destination:
            source.backup(destination, pages=1024)
    finally:
        destination.close()
        source.close()
    return target


def restore(engine: Engine, backup_file: Path) -> None:
    """Replace the database's content with a backup's, through the same API (the app should be
    stopped meanwhile). Refuses a file that is not a sound SQLite database."""
    target_path = sqlite_path(engine)
    if not backup_file.is_file():
        raise FileNotFoundError(backup_file)
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupRefused(N_("« {path} » est endommagé : rien n'a été restauré."), path=quoted(str(backup_file)))
    except sqlite3.DatabaseError as error:
        source.close()
        raise BackupRefused(N_("« {path} » n'est pas une base SQLite : rien n'a été restauré."),
                            path=quoted(str(backup_file))) from error
    engine.dispose()
    destination = sqlite3.connect(target_path, timeout=30)
    try:
        with destination:
            source.backup(destination)
    finally:
        destination.close()
        source.close()
