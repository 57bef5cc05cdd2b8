"""Streamlit glue shared by the pages: language, engine, cached public data, form messages.

This is the only Streamlit code in `directory/`.
"""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import streamlit as st
from sqlalchemy.engine import Engine

from directory import clients, settings, startup
from directory.errors import Refusal
from directory.i18n import (
    format_number,
    language_or_default,
    translate,
    translate_plural,
)
from directory.validation import FormErrors, Invalid, Message
from directory.worker import Worker

LANGUAGE_KEY = "vitrine_language"
PAGES_DIR = settings.APP_FILES / "pages"
NAVIGATION_SCRIPT = Path(__file__).with_name("navigation.py")


def page_file(name: str) -> str:
    """A page's file as st.Page, st.page_link and st.switch_page take it: absolute, because
    Streamlit resolves relative ones from the navigation script, which lives in this package."""
    return str(PAGES_DIR / f"{name}.py")


# --- Language ----------------------------------------------------------------------------------

def current_language() -> str:
    """Taken from the URL (?lang=en) on arrival; then the session's choice, which the URL mirrors."""
    if LANGUAGE_KEY not in st.session_state:
        st.session_state[LANGUAGE_KEY] = language_or_default(st.query_params.get("lang"))
    return language_or_default(st.session_state[LANGUAGE_KEY])


def keep_language_in_url() -> None:
    """Page switches drop the query string; put the language back so links stay shareable."""
    language = current_language()
    if language != "fr" and st.query_params.get("lang") != language:
        st.query_params["lang"] = language
    elif language == "fr" and "lang" in st.query_params:
        del st.query_params["lang"]


def language_params() -> dict[str, str]:
    """The query string that keeps the language on a link the app writes."""
    language = current_language()
    return {} if language == "fr" else {"lang": language}


def choose_language() -> None:
    """Callback of the language picker (key `language_choice`)."""
    st.session_state[LANGUAGE_KEY] = language_or_default(st.session_state.get("language_choice"))
    keep_language_in_url()


def _(text: str, **params: Any) -> str:
    return translate(text, current_language(), **params)


def n_(singular: str, plural: str, count: int, **params: Any) -> str:
    """The singular or plural text for `count`, in the visitor's language."""
    return translate_plural(singular, plural, count, current_language(), **params)


def say(message: Message) -> str:
    """A message in the visitor's language, its numbers written the local way ("5 000"), and the
    messages it names said too."""
    language = current_language()
    return _(message.text, **{name: format_number(value, language) if isinstance(value, int)
                              else say(value) if isinstance(value, Message) else value
                              for name, value in message.params.items()})


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def as_markdown_text(text: str) -> str:
    """User text made inert inside Streamlit markdown (no links, images, emphasis or LaTeX), and
    isolated (Unicode's first-strong isolate) so that it cannot reorder the sentence around it."""
    return "\u2068" + _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", "  \n") + "\u2069"


def client_address() -> str:
    """The visitor's address as `clients.client_address` tells it ("" when unknown)."""
    return clients.client_address(st.context.ip_address, st.context.headers.get("x-forwarded-for"))


def site_url() -> str:
    """The site's address ending with "/": the configured public one, else the one this visitor
    reached the page through (with the server's path prefix)."""
    configured = settings.public_url()
    if configured:
        return configured
    here = urlsplit(st.context.url or "http://localhost:8501/")
    return f"{here.scheme}://{here.netloc}{base_path()}/"


def base_path() -> str:
    """The server's path prefix (`server.baseUrlPath`): "" or "/prefix"."""
    prefix = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{prefix}" if prefix else ""


# --- Engine and public data ----------------------------------------------------------------------

def engine() -> Engine:
    """The process's engine (migrated, with demo data on a fresh default database)."""
    return startup.app_engine()


@st.cache_resource(show_spinner=False)
def _in_app_worker() -> Worker | None:
    """The process's background work (`directory.worker`), unless a `vitrine worker` does it."""
    return Worker(engine()).start() if settings.worker_in_app() else None


def send_notifications_soon() -> None:
    if (worker := _in_app_worker()) is not None:
        worker.send_soon()


def keep_background_work_running() -> None:
    """The worker runs from the first visit on."""
    _in_app_worker()


def text_to_copy(text: str) -> None:
    """An address or a snippet shown as code to select and copy, wrapped on narrow screens.
    (st.code would load a 515 kB syntax highlighter for it.)"""
    st.html(f'<pre class="vitrine-copy"><code>{html.escape(text)}</code></pre>')


T = TypeVar("T")


@dataclass(frozen=True)
class Notice:
    """What the previous run's action left to say: done, or refused (and why)."""

    text: str
    refused: bool = False


def apply_change(prefix: str, change: Callable[[], Any], *, done: str | Callable[[Any], str] | None,
                 refusal_field: str | None = None) -> None:
    """Runs one change a person asked for and shows the page afresh: every form and button that
    changes data goes through here.

    `done` is what to tell them (shown by `show_notice(f"{prefix}_notice")`), or makes it from what
    `change` returned (a count, say); None when the page shows a receipt instead. Faulty input
    (FormErrors, Invalid) goes to `<prefix>_errors` for the form to show beside what was typed; a
    Refusal (the slot is full, the listing changed meanwhile…) becomes the notice, as a warning, or
    the error of `refusal_field` in a form that shows its own. Emails the change queued are sent soon."""
    # A new mark per refused attempt: the page script moves the focus to the errors' summary once.
    st.session_state.form_attempt = uuid.uuid4().hex[:8]
    try:
        result = change()
    except FormErrors as invalid:
        st.session_state[f"{prefix}_errors"] = invalid.errors
    except Invalid as invalid:
        st.session_state[f"{prefix}_errors"] = {"form": invalid.message}
    except Refusal as refused:
        if refusal_field is None:
            st.session_state[f"{prefix}_notice"] = Notice(say(refused.message), refused=True)
        else:
            st.session_state[f"{prefix}_errors"] = {refusal_field: refused.message}
    else:
        st.session_state[f"{prefix}_errors"] = {}
        if done is not None:
            st.session_state[f"{prefix}_notice"] = Notice(done(result) if callable(done) else done)
        send_notifications_soon()
    st.rerun()


def read_or_explain(read: Callable[[], T], *, icon: str = ":material/error:") -> T | None:
    """What `read` returns, or None once its Refusal (an unknown or expired link, a file that cannot
    be read) is shown, in the person's language: the page then says what they can do next."""
    try:
        return read()
    except Refusal as refused:
        st.error(say(refused.message), icon=icon)
        return None


def show_notice(key: str) -> None:
    """What the previous run's action left to say (an action that ended with st.rerun)."""
    notice = st.session_state.pop(key, None)
    if notice is None:
        return
    if notice.refused:
        st.warning(notice.text, icon=":material/sync_problem:")
    else:
        st.success(notice.text, icon=":material/check_circle:")


# --- Forms ----------------------------------------------------------------------------------------

def field_error(errors: dict[str, Message], name: str) -> None:
    """The message of a faulty field, right under it (the page script marks the field invalid
    and points it at this message)."""
    if name in errors:
        st.html(f'<p class="vitrine-field-error" id="error-{name}">'
                f'<span aria-hidden="true">⚠ </span>{html.escape(say(errors[name]))}</p>')


def errors_summary(errors: dict[str, Message]) -> None:
    """At the top of a faulty form: how many errors, each a link to its field. Announced as an alert."""
    if not errors:
        return
    heading = n_("Le formulaire contient {count} erreur : corrigez le champ signalé ci-dessous.",
                 "Le formulaire contient {count} erreurs : corrigez les champs signalés ci-dessous.", len(errors))
    items = "".join(f'<li><a href="#error-{name}">{html.escape(say(message))}</a></li>'
                    for name, message in errors.items())
    attempt = html.escape(st.session_state.get("form_attempt", ""))
    st.html(f'<div class="vitrine-error-summary" role="alert" tabindex="-1" data-attempt="{attempt}">'
            f'<p><strong>{html.escape(heading)}</strong></p><ul>{items}</ul></div>')
