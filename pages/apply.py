"""Startups apply for a showcase slot, without an account."""

import uuid

import streamlit as st

from directory import addresses
from directory.showcase import application_number, open_slots, submit_application
from directory.ui import (
    _,
    apply_change,
    current_language,
    engine,
    errors_summary,
    language_params,
    page_file,
    site_url,
    text_to_copy,
)
from directory.ui.application_form import (
    application_fields,
    read_application_form,
    slot_options,
)

st.title(_("Présenter votre innovation à l'atelier"))
st.markdown(_("L'Atelier Numérique de Saint-Étienne, place Jean-Moulin, accueille chaque semaine des "
              "startups locales qui présentent leurs innovations au public. Candidatez pour un "
              "créneau : pas de compte à créer, un lien privé vous permet ensuite de suivre, "
              "modifier ou retirer votre candidature."))

done = st.session_state.get("apply_done")
if done:
    number, link = done
    st.success(_("Candidature n°{number} enregistrée. Un accusé de réception part vers votre e-mail.",
                 number=number), icon=":material/check_circle:")
    if link:
        st.markdown(_("Votre lien privé de suivi (gardez-le, ne le partagez pas) :"))
        text_to_copy(site_url() + link)
        open_label = _("Ouvrir le suivi de ma candidature")
        st.markdown(f"[{open_label}]({link})")
    else:
        st.info(_("Cette candidature était déjà enregistrée : son lien de suivi est dans l'accusé de réception."))
    if st.button(_("Déposer une autre candidature")):
        del st.session_state["apply_done"]
        st.rerun()
    st.stop()

st.page_link(page_file("lost_link"), label=_("Déjà candidat ? Retrouvez votre lien de suivi"), icon=":material/mail:",
             query_params=language_params())

slots = open_slots(engine())
if slots.empty:
    st.info(_("Aucun créneau n'est ouvert aux candidatures pour le moment. Revenez bientôt !"))
    st.stop()

# One key per filled-in form: sending it twice finds the application it already created.
st.session_state.setdefault("apply_submission_key", uuid.uuid4().hex)
errors = st.session_state.get("apply_errors", {})
errors_summary(errors)
application_fields("apply", slot_options(slots, current_language()), errors)

if st.button(_("Envoyer ma candidature"), type="primary", key="apply_submit"):
    def send() -> None:
        submitted = submit_application(engine(), read_application_form("apply"),
                                       submission_key=st.session_state.apply_submission_key)
        link = addresses.with_query(addresses.PAGES["follow"], {"token": submitted.token},
                                    current_language()) if submitted.token else None
        st.session_state.apply_done = (application_number(submitted.application_id), link)
        del st.session_state["apply_submission_key"]
    apply_change("apply", send, done=None)
