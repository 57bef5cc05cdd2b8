import html
import re
from pathlib import Path

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from directory.models import Application

ROOT = Path(__file__).resolve().parents[2]
# The navigation script app.py's st.App runs: AppTest starts there, as a visitor's session does.
APP = str(ROOT / "directory" / "ui" / "navigation.py")


def page_path(page: str) -> str:
    """A page file ("pages/apply.py") as switch_page takes it from the navigation script."""
    return str(ROOT / page)


def open_app(page: str | None = None, /, **query) -> AppTest:
    """The whole app (navigation included), as a visitor arriving on `page` with this query string."""
    app = AppTest.from_file(APP, default_timeout=60)
    if page is None:
        app.query_params.update(query)
        app.run()
        return app
    # The entry page must run once to register the pages; the language is taken on arrival.
    app.query_params.update({k: v for k, v in query.items() if k == "lang"})
    app.run()
    app.switch_page(page_path(page))
    app.query_params.clear()
    app.query_params.update(query)
    app.run()
    return app


def open_tab(app: AppTest, key: str, label: str) -> AppTest:
    """The tab labelled `label` opened, as a click on it does (a page whose tabs are kept under `key`
    draws only the open one; AppTest cannot click a tab)."""
    app.session_state[key] = [tab.label for tab in app.tabs].index(label)
    return app.run()


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


def fill_apply(app, slot_id, **overrides):
    """The apply form filled with valid values (and these instead), one slot chosen."""
    values = dict(organisation="Forez Robotique", short_description="Des cobots.", pitch_title="Le cobot",
                  pitch_summary="Un bras robotisé.", demo_description="Une soudure en direct.",
                  contact_name="Camille", contact_email="camille@forez.example.org")
    values.update(overrides)
    for name, value in values.items():
        (app.text_area if name in ("demo_description",
                                   "equipment") else app.text_input)(key=f"apply_{name}").set_value(value)
    app.selectbox(key="apply_stage").set_value("prototype")
    app.number_input(key="apply_team_size").set_value(4)
    app.selectbox(key="apply_slot_1").set_value(slot_id)
    app.checkbox(key="apply_consent_data").check()
    return app


def send(app):
    app.button(key="apply_submit").click().run()
    return app


def applications(engine) -> list[Application]:
    with Session(engine) as session:
        return list(session.exec(select(Application)))
