"""Fixtures shared by every layer of tests.

Database tests run on SQLite and, when VITRINE_TEST_POSTGRES_URL is set (`.ci/run` sets it),
on PostgreSQL too, each test in a schema of its own.
"""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import create_engine, text

from directory import db, startup
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


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    # st.cache_*, the process's engine and the built web answers outlive a test in one pytest process.
    st.cache_data.clear()
    st.cache_resource.clear()
    startup.engine_for.cache_clear()
    answers.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
    startup.engine_for.cache_clear()
    answers.clear()


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
    return f"sqlite:///{tmp_path / 'vitrine.db'}"


@pytest.fixture
def postgres_url():
    """A fresh schema on the test server, dropped afterwards."""
    server_url = db.normalized_url(postgres_url_or_skip())
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in server_url else "?"
    yield f"{server_url}{separator}options=-csearch_path%3D{schema}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def engine(database_url):
    the_engine = db.make_engine(database_url)
    db.migrate(the_engine)
    yield the_engine
    the_engine.dispose()


@pytest.fixture
def app_database(sqlite_url, monkeypatch):
    """The database the app under AppTest uses: a fresh SQLite file, no demo data."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("VITRINE_DEMO_DATA", "0")
    the_engine = db.make_engine(sqlite_url)
    db.migrate(the_engine)
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
