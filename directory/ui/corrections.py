"""The "report an error" form under a partner's card."""

from __future__ import annotations

import streamlit as st

from directory.listings import REPORT_MAX, report_error
from directory.models import EMAIL_MAX
from directory.ui import (
    _,
    apply_change,
    client_address,
    current_language,
    engine,
    field_error,
)
from directory.ui.forms import text_field


def report_error_form(partner: dict) -> None:
    prefix = f"report_{partner['id']}"
    if st.session_state.get(f"{prefix}_sent"):
        st.success(_("Merci ! Votre signalement est transmis à l'équipe de l'atelier."), icon=":material/check_circle:")
        return
    errors = st.session_state.get(f"{prefix}_errors", {})
    with (st.expander(_("Signaler une erreur sur cette fiche"), icon=":material/flag:", expanded=bool(errors)),
          st.form(f"{prefix}_form", border=False)):
        text_field(_("Qu'est-ce qui est faux ou manque ?"), key=f"{prefix}_message", max_length=REPORT_MAX,
                   area=True, placeholder=_("Par exemple : l'adresse a changé, voici la nouvelle."))
        field_error(errors, "message")
        text_field(_("Votre e-mail (facultatif, pour un accusé de réception)"), key=f"{prefix}_email",
                   max_length=EMAIL_MAX)
        field_error(errors, "email")
        field_error(errors, "form")
        sent = st.form_submit_button(_("Envoyer le signalement"))
    if sent:
        def send() -> None:
            report_error(engine(), int(partner["id"]), message=st.session_state[f"{prefix}_message"],
                         email=st.session_state[f"{prefix}_email"], language=current_language(),
                         client=client_address())
            st.session_state[f"{prefix}_sent"] = True
        # Too many reports, or the card changed meanwhile: said in the form.
        apply_change(prefix, send, done=None, refusal_field="form")
