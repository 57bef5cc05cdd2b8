"""Fixtures shared by every layer of tests.

Database tests run on SQLite and, when VITRINE_TEST_POSTGRES_URL is set (`.ci/run` sets it),
on PostgreSQL too, each test in a database migrated once per run and emptied for the test.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
import streamlit as st
from argon2 import PasswordHasher, profiles
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel
from streamlit.components.v2 import manifest_scanner

from directory import accounts, db, notify, startup
from directory.web.http import answers

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL_VARIABLE = "VITRINE_TEST_POSTGRES_URL"
# Standards as their publishers publish them, kept unchanged beside the checkout (CI lays shared/ there).
REFERENCE = ROOT.parent / "shared" / "reference"


def reference_file(name: str) -> Path:
    """A published artefact from ../shared/reference/, never a copy in the project."""
    path = REFERENCE / name
    if not path.exists():
        reason = f"{path} is missing: the published files live in ../shared/reference/ beside the checkout"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def pytest_collection_modifyitems(items):
    """The browser modules first, in pytest-randomly's order: xdist hands the modules out in the
    order they are collected, and a browser module (a server, Chromium, 20–60 s) handed out last
    kept one worker busy while the other had nothing left (xdist's own order, most tests first,
    put them last)."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)


@pytest.fixture(autouse=True)
def _no_state_outlives_a_test():
    # st.cache_*, the process's engine, the built web answers and which waiting emails were logged
    # (by database URL, which the run's PostgreSQL database keeps) outlive a test in one process.
    st.cache_data.clear()
    st.cache_resource.clear()
    startup.engine_for.cache_clear()
    answers.clear()
    notify._said_kept.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
    startup.engine_for.cache_clear()
    answers.clear()


@pytest.fixture(autouse=True, scope="session")
def _components_scanned_once():
    """Each new AppTest has Streamlit scan every installed distribution for components (0.4 s, a
    third of a page test's time); what is installed does not change during a run."""
    scanned = manifest_scanner.scan_component_manifests()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests", lambda max_workers=None: scanned)
        yield


@pytest.fixture(autouse=True)
def _cheap_password_hashes(request, monkeypatch):
    """argon2id with the profile argon2-cffi keeps for tests (8 KiB, one pass) for the accounts made
    and checked in the test process: the app's (64 MiB, 0.13 s a check) cost the suite minutes of
    CPU. Servers the tests start keep the app's. A test marked `real_password_hashes` keeps it too."""
    if not request.node.get_closest_marker("real_password_hashes"):
        monkeypatch.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
    accounts._dummy_hash.cache_clear()
    yield
    accounts._dummy_hash.cache_clear()


def postgres_url_or_skip() -> str:
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if url:
        return url
    reason = f"PostgreSQL tests skipped: {POSTGRES_URL_VARIABLE} is not set (.ci/run sets it)"
    if os.environ.get("CI"):
        pytest.fail(reason + " — on CI they must run")
    pytest.skip(reason)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """An empty SQLite database, for tests that migrate or start the app themselves."""
    return f"sqlite:///{tmp_path / 'vitrine.db'}"


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory) -> Path:
    """A SQLite database at the schema's head, migrated once per run: migrating costs ~0.3 s a
    test, copying the result a few milliseconds."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    the_engine = db.make_engine(f"sqlite:///{path}")
    db.migrate(the_engine)
    the_engine.dispose()
    return path


@pytest.fixture
def migrated_sqlite_url(migrated_sqlite_file, tmp_path) -> str:
    copy = tmp_path / "migrated.db"
    with closing(sqlite3.connect(migrated_sqlite_file)) as template, closing(sqlite3.connect(copy)) as database:
        template.backup(database)
    return f"sqlite:///{copy}"


@contextmanager
def _postgres_database() -> Iterator[str]:
    """An empty database of its own on the test server, dropped after."""
    server = make_url(db.normalized_url(postgres_url_or_skip()))
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:  # FORCE: servers a test started may still be connected
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def migrated_postgres_database() -> Iterator[Engine]:
    """A database at the schema's head, migrated once per run (per xdist worker), that each test
    finds emptied: emptying takes ~20 ms, where copying a template database took 0.3 s (its
    system catalogues are 7 MB) and migrating 0.4 s."""
    with _postgres_database() as url:
        the_engine = db.make_engine(url)
        db.migrate(the_engine)
        yield the_engine
        the_engine.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """An empty database on the test server, dropped afterwards."""
    with _postgres_database() as url:
        yield url


@pytest.fixture
def migrated_postgres_url(migrated_postgres_database) -> str:
    """The run's migrated database, as a fresh install has it: no rows (a server secret is made
    again when needed), numbering from 1, nobody else connected (a server or pool a previous test
    left behind)."""
    the_engine = migrated_postgres_database
    with the_engine.begin() as connection:
        connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        sequences = connection.execute(text("SELECT sequencename FROM pg_sequences")).scalars().all()
        connection.execute(text("SET LOCAL synchronous_commit = off"))  # a test's rows need no fsync
        connection.execute(text("; ".join([f'DELETE FROM "{table.name}"'
                                           for table in reversed(SQLModel.metadata.sorted_tables)]
                                          + [f'ALTER SEQUENCE "{name}" RESTART' for name in sequences])))
    return the_engine.url.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request) -> str:
    """An empty database on each engine."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request):
    """A database at the schema's head on each engine, its own for the test."""
    the_engine = db.make_engine(request.getfixturevalue(f"migrated_{request.param}_url"))
    yield the_engine
    the_engine.dispose()


@pytest.fixture
def app_database(migrated_sqlite_url, monkeypatch):
    """The database the app under AppTest uses: a fresh SQLite file, no demo data."""
    monkeypatch.setenv("DATABASE_URL", migrated_sqlite_url)
    monkeypatch.setenv("VITRINE_DEMO_DATA", "0")
    the_engine = db.make_engine(migrated_sqlite_url)
    yield the_engine
    the_engine.dispose()


def partner_row(**values) -> dict:
    """A clean, published partner row for bulk inserts in tests."""
    row = {
        "name": "Partenaire", "kind": "startup", "short_description": "Une startup.",
        "description": "", "sectors": "numérique", "networks": "", "other_names": "", "address": "",
        "city": "Saint-Étienne",
        "latitude": 45.4347, "longitude": 4.3903, "precision": "exact", "website": "",
        "contact_email": "", "contact_phone": "", "siret": "", "opening_hours": "", "accessibility_url": "",
        "accessibility_note": "", "state": "published", "is_demo": False,
    }
    row.update(values)
    return row


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 that keeps what it receives."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message as MessageHandler

    class Inbox(MessageHandler):
        def __init__(self):
            super().__init__()
            self.messages = []

        def handle_message(self, message):
            self.messages.append(message)

    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        inbox.port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()
