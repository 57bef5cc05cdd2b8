from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_app(page: str | None = None, **query) -> AppTest:
    """The whole app (navigation included), as a visitor arriving on `page` with this query string."""
    app = AppTest.from_file(APP, default_timeout=60)
    if page is None:
        app.query_params.update(query)
        app.run()
        return app
    # The entry page must run once to register the pages; the language is taken on arrival.
    app.query_params.update({k: v for k, v in query.items() if k == "lang"})
    app.run()
    app.switch_page(page)
    app.query_params.clear()
    app.query_params.update(query)
    app.run()
    return app


def html_of(app: AppTest) -> str:
    return "\n".join(element.proto.body for element in app.get("html"))
