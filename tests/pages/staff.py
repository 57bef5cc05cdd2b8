"""Helpers to open staff pages as a signed-in member."""

from streamlit.testing.v1 import AppTest

from directory import accounts, startup
from directory.ui.auth import SECRET_KEY
from tests.pages.helpers import APP, page_path

PASSWORD = "un mot de passe solide"


def make_staff(engine, *, email="camille@atelier.example.org", admin=False) -> int:
    return accounts.create_staff(engine, email=email, name="Camille", password=PASSWORD,
                                 role="admin" if admin else "staff")


def open_as_staff(staff_id: int, page: str | None = None, **query) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    sign_in_as(app, staff_id)
    app.query_params.update({k: v for k, v in query.items() if k == "lang"})  # taken on arrival
    app.run()
    if page:
        app.switch_page(page_path(page))
        app.query_params.update(query)
        app.run()
    return app


def sign_in_as(app: AppTest, staff_id: int, *, now=None) -> None:
    """A session opened in the database for this app's tab, as a sign-in leaves it."""
    engine = startup.app_engine()
    app.session_state[SECRET_KEY] = accounts.open_session(engine, accounts.get_staff(engine, staff_id),
                                                          client_address="test", handoff=False, now=now)
