import html
import re
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


def form_errors(app: AppTest) -> list[str]:
    """What a faulty form says: the summary's heading, then each field's message, in page order."""
    found = []
    for body in (element.proto.body for element in app.get("html")):
        if "vitrine-error-summary" in body:
            found += re.findall(r"<strong>(.*?)</strong>", body)[:1]
        found += re.findall(r'class="vitrine-field-error"[^>]*><span aria-hidden="true">⚠ </span>(.*?)</p>', body)
    return [html.unescape(text) for text in found]


def texts_to_copy(app: AppTest) -> list[str]:
    """The addresses and snippets a page offers to copy, as the visitor reads them."""
    return [html.unescape(text) for element in app.get("html")
            for text in re.findall(r'<pre class="vitrine-copy"><code>(.*?)</code></pre>', element.proto.body, re.S)]
