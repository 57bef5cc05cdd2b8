"""Bringing a source's bytes in: its stored file, or its address fetched within bounds of size and
time. Whatever fails says why, in the staff's language, and nothing else happens."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
import urllib.error
import urllib.request
from email.message import Message as MailHeaders
from urllib.parse import urlsplit

from directory import settings
from directory.errors import Refusal
from directory.i18n import N_
from directory.models import Source

MAX_SOURCE_BYTES = 10 * 1024 * 1024  # as a CSV import: 20,000 rows fit in a few
FETCH_SECONDS = 30  # the whole download, not each network read
USER_AGENT = "Vitrine (annuaire de l'écosystème numérique de Saint-Étienne)"


class SourceFailed(Refusal):
    """The source could not be read or understood: nothing was changed."""


def source_bytes(source: Source) -> bytes:
    """The source's data. Raises SourceFailed."""
    if source.file is not None:
        if len(source.file) > MAX_SOURCE_BYTES:
            raise _too_large()
        return source.file
    return fetch(source.url)


def fetch(url: str) -> bytes:
    """The body of `url`, refused past MAX_SOURCE_BYTES or FETCH_SECONDS, when it is a web page, or
    when it (or a redirect) leads to this machine or its private network."""
    if not url.startswith(("https://", "http://")):
        raise SourceFailed(N_("Adresse non prise en charge : elle doit commencer par https:// ou http://."))
    refuse_internal(url)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                                   "Accept": "text/csv, application/geo+json, application/json, */*"})
    deadline = time.monotonic() + FETCH_SECONDS
    try:
        with urllib.request.build_opener(_CheckedRedirects).open(request, timeout=min(10, FETCH_SECONDS)) as answer:
            _refuse_web_page(answer.headers)
            if int(answer.headers.get("Content-Length") or 0) > MAX_SOURCE_BYTES:
                raise _too_large()
            chunks, size = [], 0
            while chunk := answer.read1(64 * 1024):  # what has arrived: the deadline is checked often
                size += len(chunk)
                if size > MAX_SOURCE_BYTES:
                    raise _too_large()
                if time.monotonic() > deadline:
                    raise SourceFailed(N_("La source met plus de {seconds} s à répondre : réessayez plus tard."),
                                       seconds=FETCH_SECONDS)
                chunks.append(chunk)
    except urllib.error.HTTPError as error:
        raise SourceFailed(N_("La source répond « {status} {reason} » : vérifiez son adresse."),
                           status=error.code, reason=error.reason) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise unreachable(url, getattr(error, "reason", error)) from error
    return b"".join(chunks)


def unreachable(url: str, reason: object) -> SourceFailed:
    """What the system said of a failed connection, as a sentence that names the host, in the
    reader's language (the system's own words are English)."""
    host = urlsplit(url).hostname or url
    if isinstance(reason, socket.gaierror):
        return SourceFailed(N_("Source injoignable : le nom « {host} » est inconnu ; vérifiez son adresse."), host=host)
    if isinstance(reason, ConnectionRefusedError):
        return SourceFailed(N_("Source injoignable : {host} refuse la connexion ; réessayez plus tard."), host=host)
    if isinstance(reason, TimeoutError | socket.timeout):
        return SourceFailed(N_("Source injoignable : {host} ne répond pas ; réessayez plus tard."), host=host)
    if isinstance(reason, ssl.SSLError):
        return SourceFailed(N_("Source injoignable : la connexion sécurisée à {host} a échoué (certificat) ; "
                               "vérifiez son adresse."), host=host)
    return SourceFailed(N_("Source injoignable : la connexion à {host} a échoué ; réessayez plus tard."), host=host)


def refuse_internal(url: str) -> None:
    """A source is on the Internet: not this machine, not its private network (unless allowed)."""
    if settings.sources_may_be_internal():
        return
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError) as error:
        raise unreachable(url, socket.gaierror()) from error
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            raise SourceFailed(N_("Cette adresse mène à une machine interne ({host}) : une source doit être "
                                  "publiée sur Internet."), host=host)


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is followed only to where a source may be."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        refuse_internal(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _refuse_web_page(headers: MailHeaders) -> None:
    if (headers.get_content_type() or "").lower() in {"text/html", "application/xhtml+xml"}:
        raise web_page()


def web_page() -> SourceFailed:
    return SourceFailed(N_("La source renvoie une page web, pas des données : son adresse doit mener au fichier "
                           "lui-même (CSV ou GeoJSON)."))


def _too_large() -> SourceFailed:
    return SourceFailed(N_("Source trop volumineuse : {max} Mo au maximum."), max=MAX_SOURCE_BYTES // (1024 * 1024))
