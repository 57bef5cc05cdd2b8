"""The staff session's cookie: set when the browser trades a sign-in's one-time code, dropped at
sign-out. Only a full page load can set an HttpOnly cookie, so both are addresses of their own."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from directory import accounts, settings, tokens
from directory.accounts import ABSOLUTE_TIMEOUT, SESSION_COOKIE
from directory.i18n import DEFAULT_LANGUAGE, N_, translate
from directory.web.http import Endpoints, language


class StaffSessions(Endpoints):
    async def session(self, request: Request) -> RedirectResponse:
        """`?code=…&next=/candidatures`: the cookie for a code just issued, then the page asked for.
        A used or stale code sets nothing; the page then asks to sign in again."""
        secret = accounts.redeem_handoff(self.engine(), request.query_params.get("code", ""),
                                         browser=tokens.browser_key(request.cookies.get(tokens.BROWSER_COOKIE)))
        answer = RedirectResponse(self._within_site(request.query_params.get("next", "")), status_code=303)
        if secret is not None:
            answer.set_cookie(SESSION_COOKIE, secret, max_age=int(ABSOLUTE_TIMEOUT.total_seconds()),
                              path=f"{self.prefix}/", httponly=True, samesite="strict", secure=_https(request))
        answer.headers["Cache-Control"] = "no-store"
        return answer

    async def sign_out(self, request: Request) -> Response:
        """The session ends in the database (the page has ended it already; a second end does
        nothing) and the browser forgets its cookie. Another site cannot sign anyone out."""
        if _cross_site(request):
            return PlainTextResponse(translate(N_("Déconnexion refusée : elle ne peut venir que de ce site."),
                                               language(request)), status_code=403)
        secret = request.cookies.get(SESSION_COOKIE)
        if secret:
            accounts.end_session(self.engine(), secret)
        asked = language(request)
        home = f"{self.prefix}/" if asked == DEFAULT_LANGUAGE else f"{self.prefix}/?lang={asked}"
        answer = RedirectResponse(home, status_code=303)
        answer.delete_cookie(SESSION_COOKIE, path=f"{self.prefix}/", httponly=True, samesite="strict",
                             secure=_https(request))
        return answer

    def _within_site(self, path: str) -> str:
        """Only a path of this site: never another host (`//evil.example`, `https:`, a backslash, a tab)."""
        if (not path.startswith(f"{self.prefix}/") or path.startswith("//") or "\\" in path
                or any(character < " " for character in path)):
            return f"{self.prefix}/"
        return path


def _cross_site(request: Request) -> bool:
    """A request another site caused: said by the browser (Sec-Fetch-Site), or by its Origin."""
    fetched_from = request.headers.get("sec-fetch-site", "")
    if fetched_from:
        return fetched_from not in ("same-origin", "none")
    origin = request.headers.get("origin", "")
    return bool(origin) and origin != f"{request.url.scheme}://{request.url.netloc}"


def _https(request: Request) -> bool:
    """Whether the cookie is `Secure`: as the configured public address says; else only when the
    connection itself is HTTPS (never a header any client may send)."""
    public = settings.public_url()
    return public.startswith("https://") if public else request.url.scheme == "https"
