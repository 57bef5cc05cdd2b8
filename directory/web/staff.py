"""The staff session's cookie: set when the browser trades a sign-in's one-time code, dropped at
sign-out. Only a full page load can set an HttpOnly cookie, so both are addresses of their own."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse

from directory import accounts
from directory.accounts import ABSOLUTE_TIMEOUT, SESSION_COOKIE
from directory.i18n import DEFAULT_LANGUAGE
from directory.web.http import Endpoints, language


class StaffSessions(Endpoints):
    async def session(self, request: Request) -> RedirectResponse:
        """`?code=…&next=/candidatures`: the cookie for a code just issued, then the page asked for.
        A used or stale code sets nothing; the page then asks to sign in again."""
        secret = accounts.redeem_handoff(self.engine(), request.query_params.get("code", ""))
        answer = RedirectResponse(self._within_site(request.query_params.get("next", "")), status_code=303)
        if secret is not None:
            answer.set_cookie(SESSION_COOKIE, secret, max_age=int(ABSOLUTE_TIMEOUT.total_seconds()),
                              path=f"{self.prefix}/", httponly=True, samesite="strict", secure=_https(request))
        answer.headers["Cache-Control"] = "no-store"
        return answer

    async def sign_out(self, request: Request) -> RedirectResponse:
        """The session has already ended in the database; the browser forgets its cookie too."""
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


def _https(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"
