"""The database locked or unreachable: a plain message, the form kept, nothing half-written."""

import sqlite3

from sqlalchemy.engine import make_url

from tests.factories import make_slot
from tests.pages.helpers import applications, fill_apply, open_app, send


def test_a_locked_database_keeps_the_form_and_writes_nothing_then_recovers(app_database):
    slot = make_slot(app_database)
    app = fill_apply(open_app("pages/apply.py"), slot)
    # Another process holds the write lock for longer than the busy timeout.
    blocker = sqlite3.connect(make_url(str(app_database.url)).database, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        app = send(app)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert not app.exception
    assert app.error[-1].value.startswith("La base de données ne répond pas pour le moment : rien n'a été enregistré.")
    assert app.text_input(key="apply_organisation").value == "Forez Robotique"
    assert applications(app_database) == []
    app = send(app)  # the database is back
    assert "Candidature n°00001 enregistrée" in app.success[0].value
    assert len(applications(app_database)) == 1


def test_an_unreachable_database_says_so_plainly(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:9/none")
    monkeypatch.setenv("VITRINE_DEMO_DATA", "0")
    app = open_app()
    assert not app.exception
    # The map has nothing typed to keep: the message does not promise it.
    assert app.error[0].value == "La base de données ne répond pas pour le moment : réessayez dans un instant."
