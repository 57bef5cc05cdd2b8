"""A public form to propose a missing organisation; staff publish it later."""

import streamlit as st

from directory.listings import propose_partner
from directory.models import EMAIL_MAX, NAME_MAX
from directory.ui import _, apply_change, current_language, engine, errors_summary, field_error
from directory.ui.forms import text_field
from directory.ui.partner_form import partner_fields, read_partner_form

st.title(_("Proposer un partenaire"))
st.markdown(_("Une organisation de l'écosystème manque sur la carte ? Décrivez-la : l'équipe de "
              "l'atelier vérifie chaque proposition avant de la publier."))

proposal = st.session_state.get("propose_done")
if proposal:
    if proposal.sent_before:
        st.info(_("Vous nous aviez déjà envoyé cette organisation il y a moins d'une heure : nous gardons votre "
                  "proposition n°{number}, une seule fois. Elle sera visible sur la carte dès que l'équipe l'aura "
                  "vérifiée.", number=proposal.number), icon=":material/content_copy:")
    else:
        st.success(_("Merci ! Votre proposition n°{number} a bien été enregistrée. Elle sera visible "
                     "sur la carte dès que l'équipe l'aura vérifiée.", number=proposal.number),
                   icon=":material/check_circle:")
    if st.button(_("Proposer une autre organisation")):
        st.session_state.propose_done = None
        st.rerun()
    st.stop()

errors = st.session_state.get("propose_errors", {})
errors_summary(errors)
partner_fields("propose", errors)

st.subheader(_("Vous"))
text_field(_("Votre nom"), key="propose_proposer_name", max_length=NAME_MAX)
field_error(errors, "proposer_name")
text_field(_("Votre e-mail *"), key="propose_proposer_email", max_length=EMAIL_MAX,
           help=_("Pour vous prévenir de la suite donnée ; il n'est jamais publié."))
field_error(errors, "proposer_email")
st.caption(_("Les champs marqués * sont obligatoires. Vos coordonnées personnelles servent "
             "uniquement au suivi de la proposition et sont effacées après 12 mois."))

if st.button(_("Envoyer la proposition"), type="primary", key="propose_submit"):
    apply_change("propose", lambda: st.session_state.update(propose_done=propose_partner(
        engine(), read_partner_form("propose"), proposer_name=st.session_state.propose_proposer_name,
        proposer_email=st.session_state.propose_proposer_email, language=current_language())), done=None)
