"""Who is signed in: a session kept in the database, which the browser names by an HttpOnly
cookie (set by the app's /equipe/session address), checked on every run."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import streamlit as st

from directory import accounts, addresses, tokens
from directory.accounts import SESSION_COOKIE, SessionExpired
from directory.listings import json_for_script
from directory.models import StaffRole, StaffUser
from directory.ui import _, base_path, client_address, engine, language_params

# The secret of a session opened in this browser tab, until the page reloads with its cookie.
SECRET_KEY = "vitrine_staff_secret"
LEAVING_KEY = "vitrine_leaving"


def signed_in_staff() -> StaffUser | None:
    """The signed-in, active staff member, read from the database on every run (never cached).

    Ends the session after 30 minutes idle or 8 hours in all.
    """
    for secret in _secrets():
        try:
            staff = accounts.session_staff(engine(), secret)
        except SessionExpired:
            st.session_state.pop(SECRET_KEY, None)
            st.session_state.vitrine_session_expired = True
            return None
        if staff is not None:
            return staff
    return _identity_provider_session()


def _secrets() -> list[str]:
    """This tab's session, then the browser's (a test harness may hand anything for a cookie)."""
    found = [st.session_state.get(SECRET_KEY), st.context.cookies.get(SESSION_COOKIE)]
    return [secret for secret in found if isinstance(secret, str) and secret]


def _identity_provider_session() -> StaffUser | None:
    """A sign-in through st.login counts only for an active staff account with that email."""
    if not st.user.get("is_logged_in"):
        return None
    staff = accounts.staff_for_identity(engine(), st.user.get("email"))
    if staff is not None:
        # Streamlit's own cookie keeps the identity across reloads; this tab keeps the session.
        st.session_state[SECRET_KEY] = accounts.open_session(engine(), staff, client_address=client_address(),
                                                             handoff=False)
    return staff


def sign_in(email: str, password: str, *, then: str) -> None:
    """Raises SignInRefused or SignInBusy. After this run, the browser trades the session's
    one-time code for its cookie and comes back to `then` (a path of this site)."""
    staff = accounts.authenticate(engine(), email, password, client_address=client_address())
    code = accounts.open_session(engine(), staff, client_address=client_address(),
                                 browser=tokens.browser_key(st.context.cookies.get(tokens.BROWSER_COOKIE)))
    st.session_state[SECRET_KEY] = code
    leave_for(f"{base_path()}{addresses.path('staff_session')}?{urlencode({'code': code, 'next': then})}")


def requested_path() -> str:
    """The staff page asked for, with its query, to come back to after signing in: the review
    queue when the sign-in page itself was asked for."""
    path = urlsplit(st.context.url or "").path
    if not path or path.endswith(f"/{addresses.PAGES['sign_in']}"):
        path = f"{base_path()}/{addresses.PAGES['review']}"
    query = urlencode(st.query_params.to_dict())
    return f"{path}?{query}" if query else path


def asked_for_sign_in() -> bool:
    """Whether the visitor opened the sign-in page itself, not a staff page that needs it."""
    sign_in = f"/{addresses.PAGES['sign_in']}"
    return urlsplit(st.context.url or sign_in).path.endswith(sign_in)


def sign_out() -> None:
    """Ends the session for every tab and replica; the browser then drops its cookie."""
    for secret in _secrets():
        accounts.end_session(engine(), secret, client_address=client_address())
    st.session_state.pop(SECRET_KEY, None)
    leave_for(f"{base_path()}{addresses.path('sign_out')}?{urlencode(language_params())}")
    if st.user.get("is_logged_in"):
        st.logout()


def leave_for(url: str) -> None:
    """The navigation loads `url` at its next run (after the rerun that shows what was done)."""
    st.session_state[LEAVING_KEY] = url


def go_to(url: str) -> None:
    """A full page load of `url` (a path of this site): cookies can only be set by such a load."""
    # A sandboxed frame may not navigate the page itself; a link of the page may.
    st.iframe("<script>var link = window.parent.document.createElement('a');"
              f"link.href = {json_for_script(url)}; window.parent.document.body.appendChild(link); link.click();"
              "</script>", height=1)


def identity_provider_configured() -> bool:
    """Single sign-on is offered when .streamlit/secrets.toml has an [auth] section."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def require_staff(*, admin: bool = False) -> StaffUser:
    """First line of every staff page: draws nothing else for anyone who is not signed in."""
    staff = signed_in_staff()
    if staff is None:
        st.error(_("Cette page est réservée à l'équipe de l'atelier. Connectez-vous d'abord."),
                 icon=":material/lock:")
        st.stop()
    if admin and staff.role != StaffRole.ADMIN:
        st.error(_("Cette page est réservée aux administrateurs."), icon=":material/lock:")
        st.stop()
    return staff
