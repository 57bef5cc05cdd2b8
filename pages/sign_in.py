"""Staff sign-in: password, or the organisation's identity provider when one is configured. Also
drawn at every staff address for a visitor not signed in, who comes back there once signed in."""

import streamlit as st

from directory.accounts import PASSWORD_MAX
from directory.models import EMAIL_MAX
from directory.ui import _, apply_change, show_notice
from directory.ui.auth import (
    asked_for_sign_in,
    identity_provider_configured,
    requested_path,
    sign_in,
    signed_in_staff,
)

st.title(_("Espace équipe"))
show_notice("sign_in_notice")
if signed_in_staff() is not None:
    st.success(_("Vous êtes connecté·e."))
    st.stop()
if not asked_for_sign_in():
    st.info(_("Cette page est réservée à l'équipe de l'atelier : connectez-vous pour l'ouvrir."),
            icon=":material/lock:")

with st.form("sign_in_form"):
    st.text_input(_("E-mail"), key="sign_in_email", max_chars=EMAIL_MAX, autocomplete="username")
    st.text_input(_("Mot de passe"), key="sign_in_password", type="password", max_chars=PASSWORD_MAX,
                  autocomplete="current-password")
    submitted = st.form_submit_button(_("Se connecter"), type="primary")
if submitted:
    # Signed in, the browser leaves at once for the page asked for: nothing to say here.
    apply_change("sign_in", lambda: sign_in(st.session_state.sign_in_email, st.session_state.sign_in_password,
                                            then=requested_path()), done=None)

if identity_provider_configured():
    st.divider()
    st.button(_("Se connecter avec le compte de l'organisation"), on_click=st.login,
              icon=":material/badge:")
