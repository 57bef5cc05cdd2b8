"""Helpers to open staff pages as a signed-in member."""

from streamlit.testing.v1 import AppTest

from directory import accounts
from directory.accounts import StaffSession
from directory.clock import utcnow
from tests.pages.helpers import APP

PASSWORD = "un mot de passe solide"


def make_staff(engine, *, email="camille@atelier.example.org", admin=False) -> int:
    return accounts.create_staff(engine, email=email, name="Camille", password=PASSWORD,
                                 role="admin" if admin else "staff")


def open_as_staff(staff_id: int, page: str | None = None, **query) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    now = utcnow()
    app.session_state["vitrine_staff_session"] = StaffSession(staff_id, now, now)
    app.run()
    if page:
        app.switch_page(page)
        app.query_params.update(query)
        app.run()
    return app
