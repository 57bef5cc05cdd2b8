"""A partner proposes a workshop, a conference or drop-in hours at the atelier, through its listing's private link."""

import uuid

import streamlit as st

from directory import addresses
from directory.listings import listing_for_link
from directory.programme import propose_session
from directory.ui import (
    _,
    apply_change,
    current_language,
    engine,
    errors_summary,
    language_params,
    page_file,
    read_or_explain,
    site_url,
    text_to_copy,
)
from directory.ui.session_form import new_session_defaults, read_session_form, session_fields

token = st.query_params.get("token")
st.title(_("Proposer une séance à l'atelier"))
linked = read_or_explain(lambda: listing_for_link(engine(), token), icon=":material/link_off:")
if linked is None:
    st.markdown(_("Une séance se propose depuis le lien privé de la fiche de votre organisation : ouvrez sa fiche "
                  "sur la carte, puis « Mettre à jour cette fiche » pour le recevoir."))
    st.page_link(page_file("explore"), label=_("Retour à la carte"), icon=":material/map:",
                 query_params=language_params())
    st.stop()

st.markdown(_("**{organisation}** anime un atelier pratique, une conférence ou une permanence à l'Atelier "
              "Numérique, place Jean-Moulin : gratuit pour le public, sur inscription. L'équipe de l'atelier "
              "choisit la date et la salle parmi vos propositions, et vous répond par e-mail.",
              organisation=linked.partner.name))

done = st.session_state.get("session_proposed")
if done:
    st.success(_("Merci ! Votre proposition est transmise à l'équipe de l'atelier. Un e-mail de confirmation part "
                 "vers {email}.", email=linked.email), icon=":material/check_circle:")
    if done["link"]:
        st.markdown(_("Le lien privé de votre séance (gardez-le, ne le partagez pas) :"))
        text_to_copy(site_url() + done["link"])
        follow = _("Suivre ma proposition")
        st.markdown(f"[{follow}]({done['link']})")
    if st.button(_("Proposer une autre séance")):
        del st.session_state["session_proposed"]
        st.rerun()
    st.stop()

# One key per filled-in form: sending it twice finds the session it already created.
st.session_state.setdefault("session_submission_key", uuid.uuid4().hex)
new_session_defaults("session")
errors = st.session_state.get("session_errors", {})
errors_summary(errors)
session_fields("session", errors)

if st.button(_("Envoyer ma proposition"), type="primary", key="session_submit"):
    def send() -> None:
        proposed = propose_session(engine(), token, read_session_form("session"),
                                   submission_key=st.session_state.session_submission_key)
        link = addresses.with_query(addresses.PAGES["my_session"], {"token": proposed.token},
                                    current_language()) if proposed.token else None
        st.session_state.session_proposed = {"link": link}
        del st.session_state["session_submission_key"]
    apply_change("session", send, done=None)
