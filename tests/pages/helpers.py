from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_app(page: str | None = None, **query) -> AppTest:
    """The whole app (navigation included), optionally switched to a page, run once."""
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params.update(query)
    app.run()
    if page:
        app.switch_page(page)
        app.run()
    return app


def html_of(app: AppTest) -> str:
    return "\n".join(element.proto.body for element in app.get("html"))
