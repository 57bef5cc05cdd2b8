"""A public form to propose a missing organisation; staff publish it later."""

import streamlit as st

from directory.models import (
    ADDRESS_MAX, EMAIL_MAX, LONG_TEXT_MAX, NAME_MAX, PHONE_MAX, SHORT_TEXT_MAX, TAGS_MAX, URL_MAX,
    PartnerKind,
)
from directory.partners import PartnerForm, propose_partner
from directory.ui import _, engine, errors_summary, field_error
from directory.ui.cards import kind_label
from directory.ui.forms import position_picker
from directory.validation import FormErrors

st.title(_("Proposer un partenaire"))
st.markdown(_("Une organisation de l'écosystème manque sur la carte ? Décrivez-la : l'équipe de "
              "l'atelier vérifie chaque proposition avant de la publier."))

if st.session_state.get("propose_done"):
    st.success(_("Merci ! Votre proposition n°{number} a bien été enregistrée. Elle sera visible "
                 "sur la carte dès que l'équipe l'aura vérifiée.", number=st.session_state.propose_done),
               icon=":material/check_circle:")
    if st.button(_("Proposer une autre organisation")):
        st.session_state.propose_done = None
        st.rerun()
    st.stop()

errors = st.session_state.get("propose_errors", {})
errors_summary(errors)

st.subheader(_("L'organisation"))
st.text_input(_("Nom *"), key="propose_name", max_chars=NAME_MAX)
field_error(errors, "name")
kind_labels = {kind.value: kind_label(kind.value, _) for kind in PartnerKind}
st.selectbox(_("Type *"), list(kind_labels), key="propose_kind", index=None,
             format_func=kind_labels.get, placeholder=_("Choisissez un type"))
field_error(errors, "kind")
st.text_input(_("Description courte *"), key="propose_short_description", max_chars=SHORT_TEXT_MAX,
              help=_("Une phrase qui dit ce que fait l'organisation."))
field_error(errors, "short_description")
st.text_area(_("Description détaillée"), key="propose_description", max_chars=LONG_TEXT_MAX)
field_error(errors, "description")
st.text_input(_("Secteurs (séparés par des points-virgules)"), key="propose_sectors", max_chars=TAGS_MAX,
              placeholder=_("design; formation"))
field_error(errors, "sectors")
st.text_input(_("Réseaux (Digital League, French Tech…)"), key="propose_networks", max_chars=TAGS_MAX)
field_error(errors, "networks")
st.text_input(_("Site web"), key="propose_website", max_chars=URL_MAX, placeholder="https://")
field_error(errors, "website")
st.text_input(_("E-mail de contact public"), key="propose_contact_email", max_chars=EMAIL_MAX)
field_error(errors, "contact_email")
st.text_input(_("Téléphone public"), key="propose_contact_phone", max_chars=PHONE_MAX)
field_error(errors, "contact_phone")

st.subheader(_("Où la trouver"))
st.text_input(_("Adresse"), key="propose_address", max_chars=ADDRESS_MAX)
field_error(errors, "address")
st.text_input(_("Ville"), key="propose_city", max_chars=100)
field_error(errors, "city")
position_picker("propose", _("Cliquez sur la carte pour placer l'organisation, ou saisissez ses coordonnées."))
field_error(errors, "position")

st.subheader(_("Vous"))
st.text_input(_("Votre nom"), key="propose_proposer_name", max_chars=NAME_MAX)
field_error(errors, "proposer_name")
st.text_input(_("Votre e-mail *"), key="propose_proposer_email", max_chars=EMAIL_MAX,
              help=_("Pour vous prévenir de la suite donnée ; il n'est jamais publié."))
field_error(errors, "proposer_email")
st.caption(_("Les champs marqués * sont obligatoires. Vos coordonnées personnelles servent "
             "uniquement au suivi de la proposition et sont effacées après 12 mois."))


def submit() -> int:
    state = st.session_state
    return propose_partner(
        engine(),
        PartnerForm(name=state.propose_name, kind=state.propose_kind or "",
                    short_description=state.propose_short_description,
                    description=state.propose_description, sectors=state.propose_sectors,
                    networks=state.propose_networks, address=state.propose_address,
                    city=state.propose_city, latitude=state.propose_latitude,
                    longitude=state.propose_longitude, website=state.propose_website,
                    contact_email=state.propose_contact_email, contact_phone=state.propose_contact_phone),
        proposer_name=state.propose_proposer_name, proposer_email=state.propose_proposer_email,
    )


if st.button(_("Envoyer la proposition"), type="primary", key="propose_submit"):
    try:
        st.session_state.propose_done = submit()
        st.session_state.propose_errors = {}
    except FormErrors as invalid:
        st.session_state.propose_errors = invalid.errors
    st.rerun()
