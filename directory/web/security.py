"""Headers every answer of the app carries, Streamlit's own pages included."""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from directory import settings

# Cross-origin requests (partner websites, map tiles) learn the origin only, never a path or a
# query such as the private token of /suivi?token=…
REFERRER_POLICY = "strict-origin-when-cross-origin"


class SecurityHeaders:
    """nosniff and the referrer policy on every answer; framing by this origin only, unless the
    answer states its own Content-Security-Policy (the pages made to be embedded do)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", REFERRER_POLICY)
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = "frame-ancestors 'self'"
                    headers["X-Frame-Options"] = "SAMEORIGIN"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class KnownHosts:
    """A request naming a Host this site does not answer to (`settings.allowed_hosts`: the
    configured names, else this machine's own) gets 400: absolute links, the sitemap and the
    cached answers never take another site's name from a request. "*.localhost" is this machine
    too. The health checks (the app's and Streamlit's) are answered whatever Host a load balancer gives."""

    def __init__(self, app: ASGIApp, *, health_paths: set[str]) -> None:
        self.app = app
        self.health_paths = health_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and scope.get("path") not in self.health_paths:
            host = _host_name(Headers(scope=scope).get("host", ""))
            if host not in settings.allowed_hosts() and not host.endswith(".localhost"):
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                await PlainTextResponse(UNKNOWN_HOST, status_code=400)(scope, receive, send)
                return
        await self.app(scope, receive, send)


# Said to whoever typed a wrong address, and to the operator setting the site up: in both languages,
# since no page language applies yet.
UNKNOWN_HOST = ("Adresse inconnue : ce site ne répond pas à ce nom d'hôte. Son exploitant peut l'ajouter à "
                "VITRINE_ALLOWED_HOSTS ou régler VITRINE_PUBLIC_URL.\n"
                "Unknown address: this site does not answer to this host name. Its operator may add it to "
                "VITRINE_ALLOWED_HOSTS or set VITRINE_PUBLIC_URL.\n")


def _host_name(header: str) -> str:
    """The name in a Host header, without its port ("[::1]:8501" is "::1")."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].partition("]")[0]
    return header.rpartition(":")[0] if header.count(":") == 1 else header
