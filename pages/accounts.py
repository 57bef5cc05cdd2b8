"""Admins manage staff accounts: create, deactivate, reset a password."""

import pandas as pd
import streamlit as st

from directory import accounts
from directory.accounts import PASSWORD_MAX, actor_of
from directory.i18n import N_
from directory.models import EMAIL_MAX, NAME_MAX, ROLE_LABELS, StaffRole
from directory.ui import _, apply_change, engine, errors_summary, field_error, say, show_notice
from directory.ui.auth import identity_provider_configured, require_staff
from directory.ui.forms import text_field
from directory.validation import FormErrors, Message

admin = require_staff(admin=True)
who = actor_of(admin)
st.title(_("Comptes de l'équipe"))
show_notice("accounts_notice")

team = accounts.list_staff(engine())
st.dataframe(pd.DataFrame([{
    _("Nom"): member.name, _("E-mail"): member.email, _("Rôle"): _(ROLE_LABELS[StaffRole(member.role)]),
    _("Actif"): member.is_active, _("Connexion par mot de passe"): bool(member.password_hash),
} for member in team]), hide_index=True, width="stretch")

errors = st.session_state.get("accounts_errors", {})
if st.session_state.pop("accounts_created", False):
    # A new, empty form for the next account (widgets take new values only before they are drawn).
    for key in ("accounts_name", "accounts_email", "accounts_password", "accounts_password_again"):
        st.session_state[key] = ""
    st.session_state.accounts_sso_only = False
create_tab, manage_tab = st.tabs([_("Nouveau compte"), _("Gérer un compte")])
with create_tab:
    errors_summary(errors)
    # One form, sent whole: a field typed last is never left out of the submission.
    with st.form("accounts_new", border=False):
        text_field(_("Nom"), key="accounts_name", max_length=NAME_MAX)
        field_error(errors, "name")
        text_field(_("E-mail"), key="accounts_email", max_length=EMAIL_MAX)
        field_error(errors, "email")
        st.radio(_("Rôle"), list(ROLE_LABELS), key="accounts_role", format_func=lambda role: _(ROLE_LABELS[role]),
                 horizontal=True)
        st.text_input(_("Mot de passe"), key="accounts_password", type="password", max_chars=PASSWORD_MAX,
                      help=_("{min} caractères au moins.", min=accounts.MIN_PASSWORD_LENGTH))
        field_error(errors, "password")
        st.text_input(_("Mot de passe, une seconde fois"), key="accounts_password_again", type="password",
                      max_chars=PASSWORD_MAX)
        field_error(errors, "password_again")
        if identity_provider_configured():
            st.checkbox(_("Connexion par le compte de l'organisation seulement (sans mot de passe)"),
                        key="accounts_sso_only")
        created = st.form_submit_button(_("Créer le compte"), type="primary")
    if created:
        state = st.session_state
        sso_only = bool(state.get("accounts_sso_only")) and identity_provider_configured()

        def create() -> None:
            if not sso_only and state.accounts_password != state.accounts_password_again:
                raise FormErrors({"password_again": Message(N_("Les deux mots de passe diffèrent."))})
            accounts.create_staff(engine(), email=state.accounts_email, name=state.accounts_name,
                                  role=state.accounts_role, password=None if sso_only else state.accounts_password,
                                  actor=who)
            state.accounts_created = True
        apply_change("accounts", create, done=_("Compte créé."))

with manage_tab:
    others = {member.id: f"{member.name} <{member.email}>" for member in team if member.id != admin.id}
    if not others:
        st.info(_("Aucun autre compte."))
    else:
        chosen = st.selectbox(_("Compte"), list(others), format_func=others.get, key="accounts_member")
        member = next(m for m in team if m.id == chosen)
        toggle = _("Désactiver") if member.is_active else _("Réactiver")
        if st.button(toggle, key="accounts_toggle"):
            apply_change("accounts", lambda: accounts.set_active(engine(), chosen, not member.is_active, actor=who),
                         done=_("Compte mis à jour."))
        new_password = st.text_input(_("Nouveau mot de passe"), key="accounts_new_password", type="password",
                                     max_chars=PASSWORD_MAX)
        if st.button(_("Changer le mot de passe"), key="accounts_reset", disabled=not new_password):
            apply_change("accounts_reset", lambda: accounts.reset_password(engine(), chosen, new_password, actor=who),
                         done=_("Mot de passe changé."))
        for message in st.session_state.pop("accounts_reset_errors", {}).values():
            st.error(say(message))
        show_notice("accounts_reset_notice")
