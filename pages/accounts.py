"""Admins manage staff accounts: create, deactivate, reset a password."""

import pandas as pd
import streamlit as st

from directory import accounts
from directory.models import StaffRole
from directory.ui import _, engine, errors_summary, field_error, say, show_notice
from directory.ui.auth import actor, require_staff
from directory.validation import FormErrors

admin = require_staff(admin=True)
who = actor(admin)
st.title(_("Comptes de l'équipe"))
show_notice("accounts_notice")

team = accounts.list_staff(engine())
st.dataframe(pd.DataFrame([{
    _("Nom"): member.name, _("E-mail"): member.email, _("Rôle"): member.role,
    _("Actif"): member.is_active, _("Connexion par mot de passe"): bool(member.password_hash),
} for member in team]), hide_index=True, width="stretch")

errors = st.session_state.get("accounts_errors", {})
create_tab, manage_tab = st.tabs([_("Nouveau compte"), _("Gérer un compte")])
with create_tab:
    errors_summary(errors)
    st.text_input(_("Nom"), key="accounts_name", max_chars=160)
    field_error(errors, "name")
    st.text_input(_("E-mail"), key="accounts_email", max_chars=254)
    field_error(errors, "email")
    role_labels = {StaffRole.STAFF: _("Équipe"), StaffRole.ADMIN: _("Administrateur")}
    st.radio(_("Rôle"), list(role_labels), key="accounts_role", format_func=role_labels.get, horizontal=True)
    st.text_input(_("Mot de passe (laisser vide pour la connexion par l'organisation seulement)"),
                  key="accounts_password", type="password", max_chars=1024)
    field_error(errors, "password")
    if st.button(_("Créer le compte"), type="primary", key="accounts_create"):
        try:
            accounts.create_staff(engine(), email=st.session_state.accounts_email,
                                  name=st.session_state.accounts_name, role=st.session_state.accounts_role,
                                  password=st.session_state.accounts_password or None, actor=who)
        except FormErrors as invalid:
            st.session_state.accounts_errors = invalid.errors
        else:
            st.session_state.accounts_errors = {}
            st.session_state.accounts_notice = _("Compte créé.")
        st.rerun()

with manage_tab:
    others = {member.id: f"{member.name} <{member.email}>" for member in team if member.id != admin.id}
    if not others:
        st.info(_("Aucun autre compte."))
    else:
        chosen = st.selectbox(_("Compte"), list(others), format_func=others.get, key="accounts_member")
        member = next(m for m in team if m.id == chosen)
        toggle = _("Désactiver") if member.is_active else _("Réactiver")
        if st.button(toggle, key="accounts_toggle"):
            accounts.set_active(engine(), chosen, not member.is_active, actor=who)
            st.session_state.accounts_notice = _("Compte mis à jour.")
            st.rerun()
        new_password = st.text_input(_("Nouveau mot de passe"), key="accounts_new_password", type="password",
                                     max_chars=1024)
        if st.button(_("Changer le mot de passe"), key="accounts_reset", disabled=not new_password):
            try:
                accounts.reset_password(engine(), chosen, new_password, actor=who)
            except FormErrors as invalid:
                st.error(say(next(iter(invalid.errors.values()))))
            else:
                st.session_state.accounts_notice = _("Mot de passe changé.")
                st.rerun()
