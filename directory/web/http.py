"""What every Vitrine address shares: the reader's language, the site's base URL, conditional
answers (ETag / 304), HTML from Jinja2 templates with autoescaping, and clear refusals."""

from __future__ import annotations

import gzip
import hashlib
import logging
import threading
from base64 import b64encode
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from directory import settings
from directory.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    N_,
    language_or_default,
    translate,
)
from directory.listings import KIND_COLOURS
from directory.validation import Invalid, phone_for_display

log = logging.getLogger(__name__)

templates = Environment(loader=PackageLoader("directory.web"), autoescape=select_autoescape(["html", "xml"]),
                        trim_blocks=True, lstrip_blocks=True)
templates.filters["phone"] = phone_for_display


def language(request: Request) -> str:
    """`?lang=en` for English; French otherwise. Any other value is refused (400)."""
    asked = request.query_params.get("lang", DEFAULT_LANGUAGE)
    if asked not in LANGUAGES:
        raise Invalid(N_("Valeur inconnue pour « {name} » : « {value} »."), name="lang", value=asked)
    return asked


class Endpoints:
    """What the endpoint classes share: the engine, and the server's path prefix."""

    def __init__(self, engine: Callable[[], Engine], *, prefix: str = "") -> None:
        self.engine = engine
        self.prefix = prefix

    def base_url(self, request: Request) -> str:
        """The site's address, ending with "/": the configured public one, else the one the
        request came through (with the server's path prefix)."""
        return settings.public_url() or f"{request.url.scheme}://{request.url.netloc}{self.prefix}/"


def query_lists(request: Request, *, ignore: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Every query parameter with all its values, as the strict readers of the package expect."""
    lists: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        if name not in ignore:
            lists.setdefault(name, []).append(value)
    return lists


def refuse(request: Request, error: Invalid) -> Response:
    """The answer to a query an address cannot take (an unknown parameter or value): 400 and
    why, in the reader's language when it could be read."""
    asked = language_or_default(request.query_params.get("lang"))
    return PlainTextResponse(translate(error.message.text, asked, **error.message.params) + "\n", status_code=400)


# How long a client waits before asking again while the database is unreachable.
RETRY_AFTER_SECONDS = 30


def unavailable(request: Request, error: Exception) -> Response:
    """The answer of any address while the database cannot be reached: 503, when to retry, and a
    short text in the reader's language (the security headers are added as to any answer)."""
    log.warning("Database unavailable for %s: %s", request.url.path, error)
    asked = language_or_default(request.query_params.get("lang"))
    text = translate(N_("Vitrine est momentanément indisponible : réessayez dans une minute."), asked)
    return PlainTextResponse(text + "\n", status_code=503,
                             headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"})


@dataclass(frozen=True)
class Built:
    """An answer built once for a version of the data, kept with its gzip form."""

    status_code: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    gzipped: bytes | None


class BuiltAnswers:
    """The answers built for the latest versions of the data, least recently used dropped first:
    every reader of a version after the first gets it without a query or a render."""

    def __init__(self, *, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.entries: OrderedDict[str, Built] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str, build: Callable[[], Response]) -> Built:
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        response = build()
        body = bytes(response.body)
        # Compressed here once, not by the server on every answer (level 6, as nginx does).
        gzipped = gzip.compress(body, compresslevel=6, mtime=0) if len(body) > 1024 else None
        built = Built(response.status_code, tuple((k, v) for k, v in response.headers.items()
                                                  if k != "content-length"), body, gzipped)
        with self.lock:
            if key not in self.entries:
                self.entries[key] = built
                self.size += len(body) + len(gzipped or b"")
            while self.size > self.max_bytes and len(self.entries) > 1:
                _, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped.body) + len(dropped.gzipped or b"")
        return built

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


answers = BuiltAnswers(max_bytes=96 * 1024 * 1024)


def conditional(request: Request, key: str, build: Callable[[], Response], *, max_age: int = 300) -> Response:
    """The answer for the version of the data `key` names: 304 when the client has it already,
    else built once per version and kept (see BuiltAnswers), gzipped when the client accepts it.

    The ETag is weak because the same answer travels gzipped or not.
    """
    etag = f'W/"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'
    # Without a configured public address, links in the answer name the Host it was asked through.
    vary = "Accept-Encoding" if settings.public_url() else "Accept-Encoding, Host"
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={max_age}", "Vary": vary}
    if etag in {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}:
        return Response(status_code=304, headers=headers)
    built = answers.get(key, build)
    response = Response(status_code=built.status_code)
    response.raw_headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in built.headers]
    if built.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
        response.body = built.gzipped
        response.headers["Content-Encoding"] = "gzip"
    else:
        response.body = built.body
    response.headers["Content-Length"] = str(len(response.body))
    response.headers.update(headers)
    return response


def translator(language_asked: str) -> Callable[..., str]:
    def _(text: str, **params: Any) -> str:
        return translate(text, language_asked, **params)
    return _


def render(template: str, language_asked: str, **context: Any) -> str:
    return templates.get_template(template).render(_=translator(language_asked), lang=language_asked, **context)


@cache
def stylesheet(name: str) -> tuple[str, str]:
    """A template's CSS and the CSP source that allows exactly it."""
    css = templates.get_template(name).render(
        kind_colours=[(kind.value, colour) for kind, colour in KIND_COLOURS.items()])
    digest = b64encode(hashlib.sha256(css.encode()).digest()).decode()
    return css, f"'sha256-{digest}'"


def html_page(template: str, *, language_asked: str, status_code: int = 200, **context: Any) -> Response:
    """A server-rendered page: no script runs in it, only its own stylesheet applies, and any site
    may frame it (partner and showcase pages are made to be shared and embedded)."""
    css, css_source = stylesheet("site.css")
    body = render(template, language_asked, css=css, **context)
    return Response(body, status_code=status_code, media_type="text/html; charset=utf-8", headers={
        "Content-Security-Policy": f"default-src 'none'; style-src {css_source}; img-src 'self'; "
                                   "base-uri 'none'; form-action 'none'; frame-ancestors *"})
