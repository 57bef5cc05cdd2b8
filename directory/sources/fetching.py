"""Bringing a source's bytes in: its stored file, or its address fetched within bounds of size and
time. Whatever fails says why, in the staff's language, and nothing else happens.

The download goes through httpcore (the HTTP engine of httpx) with a network layer of our own:
the source's name is resolved once, every address judged, and the connection made to the judged
address (the Host header and the certificate's name stay the source's), on every redirect too;
so a name that answers a public address then 127.0.0.1 never reaches this machine. One deadline
covers connecting, the headers and the body: each network read may take only what is left of it."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

import httpcore2 as httpcore

from directory import settings
from directory.errors import Refusal
from directory.i18n import N_
from directory.models import Source

MAX_SOURCE_BYTES = 10 * 1024 * 1024  # as a CSV import: 20,000 rows fit in a few
MAX_REDIRECTS = 5
ACCEPTED = "text/csv, application/geo+json, application/json, */*"
USER_AGENT = "Vitrine (annuaire de l'ecosysteme numerique de Saint-Etienne)"  # HTTP headers are ASCII
_REDIRECTS = {301, 302, 303, 307, 308}


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
    """The body of `url`, refused past MAX_SOURCE_BYTES or `settings.fetch_seconds()` in all, when
    it is a web page, or when it (or a redirect) leads to this machine or its private network."""
    deadline = _Deadline(url, settings.fetch_seconds())
    network = _CheckedNetwork(url, deadline)
    try:
        with httpcore.ConnectionPool(ssl_context=ssl.create_default_context(), network_backend=network) as pool:
            for _ in range(MAX_REDIRECTS + 1):
                _refuse_unsupported(url)
                network.url = url
                with pool.stream("GET", url, headers={"User-Agent": USER_AGENT, "Accept": ACCEPTED}) as answer:
                    location = _header(answer, "location")
                    if answer.status in _REDIRECTS and location:
                        url = urljoin(url, location)
                        continue
                    return _body(answer)
            raise SourceFailed(N_("La source redirige plus de {count} fois : vérifiez son adresse."),
                               count=MAX_REDIRECTS)
    except httpcore.TimeoutException as error:
        raise deadline.passed() from error
    except (httpcore.NetworkError, httpcore.ProtocolError, OSError) as error:
        raise unreachable(network.url, _system_reason(error)) from error



def _body(answer: httpcore.Response) -> bytes:
    if answer.status >= 400:
        reason = answer.extensions.get("reason_phrase", b"").decode("latin-1") or _phrase(answer.status)
        raise SourceFailed(N_("La source répond « {status} {reason} » : vérifiez son adresse."),
                           status=answer.status, reason=reason)
    if _header(answer, "content-type").split(";")[0].strip().lower() in {"text/html", "application/xhtml+xml"}:
        raise web_page()
    if int(_header(answer, "content-length") or 0) > MAX_SOURCE_BYTES:
        raise _too_large()
    chunks, size = [], 0
    for chunk in answer.iter_stream():
        size += len(chunk)
        if size > MAX_SOURCE_BYTES:
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def _header(answer: httpcore.Response, name: str) -> str:
    wanted = name.encode()
    return next((value.decode("latin-1") for key, value in answer.headers if key.lower() == wanted), "")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _refuse_unsupported(url: str) -> None:
    if not url.startswith(("https://", "http://")):
        raise SourceFailed(N_("Adresse non prise en charge : elle doit commencer par https:// ou http://."))


class _Deadline:
    """The one deadline of a download: each connection, read and write gets what is left of it."""

    def __init__(self, url: str, seconds: float) -> None:
        self.url, self.seconds = url, seconds
        self.end = time.monotonic() + seconds

    def left(self, asked: float | None) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise self.passed()
        return left if asked is None else min(asked, left)

    def passed(self) -> SourceFailed:
        host = urlsplit(self.url).hostname or self.url
        return SourceFailed(N_("Source injoignable : {host} ne répond pas après {seconds} s ; réessayez plus tard."),
                            host=host, seconds=f"{self.seconds:g}")


class _CheckedNetwork(httpcore.NetworkBackend):
    """httpcore's own sockets, opened only to an address judged once (`checked_address`)."""

    def __init__(self, url: str, deadline: _Deadline) -> None:
        self.url, self.deadline = url, deadline
        self.system = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        address = checked_address(self.url, host, port)
        stream = self.system.connect_tcp(address, port, timeout=self.deadline.left(timeout),
                                         local_address=local_address, socket_options=socket_options)
        return _StreamWithDeadline(stream, self.deadline)

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise SourceFailed(N_("Adresse non prise en charge : elle doit commencer par https:// ou http://."))

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _StreamWithDeadline(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self.stream, self.deadline = stream, deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, timeout=self.deadline.left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, timeout=self.deadline.left(timeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        secured = self.stream.start_tls(ssl_context, server_hostname=server_hostname,
                                        timeout=self.deadline.left(timeout))
        return _StreamWithDeadline(secured, self.deadline)

    def get_extra_info(self, info: str):
        return self.stream.get_extra_info(info)


def checked_address(url: str, host: str, port: int) -> str:
    """The address to connect to for `host`, resolved once: refused when any of its addresses is
    this machine or its private network (unless sources may be internal)."""
    try:
        found = [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]
    except (socket.gaierror, UnicodeError) as error:
        raise unreachable(url, socket.gaierror()) from error
    if not settings.sources_may_be_internal():
        for address in found:
            if not ipaddress.ip_address(address.split("%")[0]).is_global:
                raise SourceFailed(N_("Cette adresse mène à une machine interne ({host}) : une source doit être "
                                      "publiée sur Internet."), host=urlsplit(url).hostname or host)
    return found[0]


def _system_reason(error: BaseException) -> BaseException:
    """The system's own error under httpcore's (a refused connection, a certificate…)."""
    while isinstance(error, httpcore.NetworkError | httpcore.ProtocolError) and (error.__cause__ or error.__context__):
        error = error.__cause__ or error.__context__
    return error


def unreachable(url: str, reason: object) -> SourceFailed:
    """What the system said of a failed connection, as a sentence that names the host, in the
    reader's language (the system's own words are English)."""
    host = urlsplit(url).hostname or url
    if isinstance(reason, socket.gaierror):
        return SourceFailed(N_("Source injoignable : le nom « {host} » est inconnu ; vérifiez son adresse."), host=host)
    if isinstance(reason, ConnectionRefusedError):
        return SourceFailed(N_("Source injoignable : {host} refuse la connexion ; réessayez plus tard."), host=host)
    if isinstance(reason, ssl.SSLError):
        return SourceFailed(N_("Source injoignable : la connexion sécurisée à {host} a échoué (certificat) ; "
                               "vérifiez son adresse."), host=host)
    return SourceFailed(N_("Source injoignable : la connexion à {host} a échoué ; réessayez plus tard."), host=host)


def web_page() -> SourceFailed:
    return SourceFailed(N_("La source renvoie une page web, pas des données : son adresse doit mener au fichier "
                           "lui-même (CSV ou GeoJSON)."))


def _too_large() -> SourceFailed:
    return SourceFailed(N_("Source trop volumineuse : {max} Mo au maximum."), max=MAX_SOURCE_BYTES // (1024 * 1024))
