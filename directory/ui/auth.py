"""Who is signed in: the staff session kept in the browser session, checked on every run."""

from __future__ import annotations

import streamlit as st

from directory import accounts
from directory.accounts import StaffSession
from directory.clock import utcnow
from directory.models import StaffRole, StaffUser
from directory.ui import _, engine

SESSION_KEY = "vitrine_staff_session"


def signed_in_staff() -> StaffUser | None:
    """The signed-in, active staff member, read from the database on every run (never cached).

    Ends the session after 30 minutes idle or 8 hours in all.
    """
    now = utcnow()
    session: StaffSession | None = st.session_state.get(SESSION_KEY)
    if session is None:
        session = _identity_provider_session(now)
    if session is None:
        return None
    if session.expired(now):
        sign_out(expired=True)
        return None
    staff = accounts.get_staff(engine(), session.staff_id)
    if staff is None or not staff.is_active:
        sign_out()
        return None
    st.session_state[SESSION_KEY] = session.seen(now)
    return staff


def _identity_provider_session(now) -> StaffSession | None:
    """A sign-in through st.login counts only for an active staff account with that email."""
    if not st.user.get("is_logged_in"):
        return None
    staff = accounts.staff_for_identity(engine(), st.user.get("email"))
    if staff is None:
        return None
    session = StaffSession(staff.id, now, now)
    st.session_state[SESSION_KEY] = session
    return session


def sign_in(email: str, password: str) -> None:
    """Raises SignInRefused."""
    staff = accounts.authenticate(engine(), email, password)
    now = utcnow()
    st.session_state[SESSION_KEY] = StaffSession(staff.id, now, now)


def sign_out(*, expired: bool = False) -> None:
    st.session_state.pop(SESSION_KEY, None)
    if expired:
        st.session_state.vitrine_session_expired = True


def identity_provider_configured() -> bool:
    """Single sign-on is offered when .streamlit/secrets.toml has an [auth] section."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def actor(staff: StaffUser) -> str:
    """How the audit log names a staff member."""
    return f"staff:{staff.id} {staff.email}"


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
