"""An organisation keeps its listing true: asks for its private update link, or claims the listing,
then, through the link, reads it and confirms it with a button, or sends changes for the team to review."""

import streamlit as st

from directory import listings
from directory.clock import to_paris
from directory.i18n import format_date
from directory.listings import (
    claim_listing,
    confirm_listing,
    listing_for_link,
    logo_data_url,
    request_update_link,
    submit_change,
)
from directory.models import EMAIL_MAX, LONG_TEXT_MAX, NAME_MAX, ListingLinkPurpose
from directory.ui import (
    _,
    apply_change,
    client_address,
    current_language,
    engine,
    errors_summary,
    field_error,
    language_params,
    page_file,
    read_or_explain,
    show_notice,
)
from directory.ui.cards import partner_card_html
from directory.ui.forms import text_field
from directory.ui.partner_form import fill_partner_form, partner_fields, read_partner_form
from directory.validation import quoted

language = current_language()
token = st.query_params.get("token")
st.title(_("Mettre à jour une fiche"))


def back_to_map() -> None:
    st.page_link(page_file("explore"), label=_("Retour à la carte"), icon=":material/map:",
                 query_params=language_params())


if token:
    linked = read_or_explain(lambda: listing_for_link(engine(), token), icon=":material/link_off:")
    if linked is None:
        back_to_map()
        st.stop()
    partner = linked.partner
    if linked.purpose == ListingLinkPurpose.CONFIRM:
        # Opening the link confirms nothing (mail scanners open links): only the button does, once.
        st.markdown(_("La fiche de votre organisation, telle qu'elle est publiée aujourd'hui :"))
        st.html(partner_card_html(partner.model_dump(), language, logo=logo_data_url(partner.logo,
                                                                                     partner.logo_type)))
        show_notice("update_confirm_notice")
        if linked.may_confirm:
            if st.button(_("Oui, toujours exacte"), type="primary", icon=":material/verified:", key="update_confirm"):
                apply_change("update_confirm", lambda: confirm_listing(engine(), token), done=None)
        else:
            st.success(_("Merci ! Vous avez confirmé cette fiche exacte le {day} : vous n'avez rien d'autre à faire.",
                         day=format_date(to_paris(linked.confirmed_at).date(), language, style="long")),
                       icon=":material/verified:")
        st.subheader(_("Quelque chose a changé ? Mettez la fiche à jour"))
    else:
        st.subheader(partner.name)
    st.page_link(page_file("propose_session"), label=_("Proposer un atelier, une conférence ou une permanence à "
                                                       "l'Atelier Numérique"), icon=":material/co_present:",
                 query_params={"token": token, **language_params()})
    if st.session_state.get("update_sent") == token:
        st.success(_("Merci ! Vos modifications sont transmises à l'équipe de l'atelier, qui les relit avant de "
                     "les publier. Vous recevrez sa réponse par e-mail."), icon=":material/check_circle:")
        back_to_map()
        st.stop()
    st.markdown(_("Corrigez ce qui a changé, puis envoyez : l'équipe de l'atelier relit chaque modification avant "
                  "de la publier. Ce lien vaut jusqu'au {day}.",
                  day=format_date(to_paris(linked.expires_at).date(), language, style="long")))
    if st.session_state.get("update_loaded") != (token, partner.version):
        fill_partner_form("update", partner)
        st.session_state.update_loaded = (token, partner.version)
        st.session_state.update_errors = {}
    errors = st.session_state.get("update_errors", {})
    errors_summary(errors)
    partner_fields("update", errors, english=True)
    field_error(errors, "form")
    if st.button(_("Envoyer mes modifications"), type="primary", key="update_submit"):
        def send() -> None:
            submit_change(engine(), token, read_partner_form("update"), base_version=partner.version,
                          language=language)
            st.session_state.update_sent = token
        apply_change("update", send, done=None, refusal_field="form")
    st.stop()

slug = st.query_params.get("fiche", "")
partner_id = listings.published_slugs(engine(), listings.data_version(engine())).get(slug)
if partner_id is None:
    if slug:
        st.warning(_("Aucune fiche publiée ne porte l'adresse « {slug} ».", slug=quoted(slug)), icon=":material/help:")
    st.markdown(_("Ouvrez la fiche de votre organisation sur la carte, puis choisissez « Mettre à jour cette "
                  "fiche »."))
    back_to_map()
    st.stop()

partner = listings.get_partner(engine(), partner_id)
st.subheader(partner.name)
st.markdown(_("Vous faites partie de cette organisation ? Recevez par e-mail un lien privé pour mettre sa fiche à "
              "jour. L'équipe de l'atelier relit chaque modification avant de la publier."))

if st.session_state.get("update_link_sent") == partner_id:
    st.success(_("C'est noté. Si cette adresse est celle de la fiche, un lien valable 7 jours vient d'y être "
                 "envoyé ; pensez à regarder dans les indésirables."), icon=":material/mark_email_read:")
else:
    errors = st.session_state.get("update_link_errors", {})
    with st.form("update_link_form", border=False):
        text_field(_("L'e-mail de contact de la fiche"), key="update_link_email", max_length=EMAIL_MAX,
                   autocomplete="email")
        field_error(errors, "email")
        asked = st.form_submit_button(_("Recevoir le lien"), type="primary")
    if asked:
        def send_link() -> None:
            request_update_link(engine(), partner_id, st.session_state.update_link_email, client=client_address(),
                                language=language)
            st.session_state.update_link_sent = partner_id
        apply_change("update_link", send_link, done=None, refusal_field="email")

st.subheader(_("Personne ne lit plus cette adresse ?"))
if st.session_state.get("claim_sent") == partner_id:
    st.success(_("Merci ! L'équipe de l'atelier vérifie votre demande et vous répond par e-mail."),
               icon=":material/check_circle:")
    st.stop()
st.markdown(_("La fiche n'a pas d'adresse de contact, ou elle n'est plus lue : demandez à devenir son contact. "
              "L'équipe vérifie qui vous êtes avant d'accepter."))
errors = st.session_state.get("claim_errors", {})
with st.form("claim_form", border=False):
    text_field(_("Votre nom *"), key="claim_name", max_length=NAME_MAX, autocomplete="name")
    field_error(errors, "claim_name")
    text_field(_("Votre fonction dans l'organisation *"), key="claim_role", max_length=NAME_MAX)
    field_error(errors, "claim_role")
    text_field(_("Votre e-mail professionnel *"), key="claim_email", max_length=EMAIL_MAX, autocomplete="email")
    field_error(errors, "claim_email")
    text_field(_("Un mot pour l'équipe (facultatif)"), key="claim_message", max_length=LONG_TEXT_MAX, area=True)
    field_error(errors, "claim_message")
    field_error(errors, "form")
    claimed = st.form_submit_button(_("Demander à devenir le contact"))
if claimed:
    def send_claim() -> None:
        state = st.session_state
        claim_listing(engine(), partner_id, name=state.claim_name, role=state.claim_role, email=state.claim_email,
                      message=state.claim_message, language=language, client=client_address())
        st.session_state.claim_sent = partner_id
    apply_change("claim", send_claim, done=None, refusal_field="form")
