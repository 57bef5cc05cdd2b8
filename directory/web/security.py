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
    """With allowed hosts configured (`settings.allowed_hosts`), a request naming another Host gets
    400: absolute links, the sitemap and the cached answers never take a host from a request.
    The health checks (the app's and Streamlit's) are answered whatever Host a load balancer gives."""

    def __init__(self, app: ASGIApp, *, health_paths: set[str]) -> None:
        self.app = app
        self.health_paths = health_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        allowed = settings.allowed_hosts()
        if scope["type"] in ("http", "websocket") and allowed and scope.get("path") not in self.health_paths:
            host = Headers(scope=scope).get("host", "").rsplit(":", 1)[0].strip("[]").lower()
            if host not in allowed:
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                await PlainTextResponse("Unknown host.\n", status_code=400)(scope, receive, send)
                return
        await self.app(scope, receive, send)
