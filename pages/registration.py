"""The public registers for a session at the atelier, without an account; then, through the
private link of the confirmation, takes a place offered from the waiting list or cancels."""

import uuid

import streamlit as st

from directory import addresses
from directory.clock import to_paris
from directory.i18n import format_datetime, localized
from directory.models import (
    EMAIL_MAX,
    NAME_MAX,
    PHONE_MAX,
    REGISTRATION_STATE_LABELS,
    SHORT_TEXT_MAX,
    RegistrationState,
)
from directory.programme import (
    RegistrationForm,
    accept_place,
    cancel_registration,
    decline_place,
    register,
    registration_view,
    session_kind_label,
    session_page,
    session_page_entry,
)
from directory.showcase import slot_label
from directory.ui import (
    _,
    apply_change,
    current_language,
    engine,
    errors_summary,
    field_error,
    language_params,
    n_,
    page_file,
    read_or_explain,
    show_notice,
    site_url,
    text_to_copy,
)
from directory.ui.forms import text_fields

language = current_language()
page_label = _("Page de la séance")
st.title(_("Inscription à une séance"))


def back_to_agenda() -> None:
    st.page_link(page_file("calendar"), label=_("Voir tout l'agenda de l'atelier"), icon=":material/event:",
                 query_params=language_params())


token = st.query_params.get("token")
if token:
    view = read_or_explain(lambda: registration_view(engine(), token), icon=":material/link_off:")
    if view is None:
        back_to_agenda()
        st.stop()
    show_notice("registration_notice")
    booked, registration = view.session, view.registration
    st.subheader(localized(booked.model_dump(), "title", language))
    st.markdown(slot_label(booked.starts_at, booked.ends_at, language))
    st.markdown(_("Votre inscription, au nom de {name} : **{state}**", name=registration.name,
                  state=_(REGISTRATION_STATE_LABELS[RegistrationState(registration.state)])))
    if view.waiting_rank:
        st.info(_("Vous êtes n°{rank} sur la liste d'attente : si une place se libère, nous vous l'écrirons.",
                  rank=view.waiting_rank), icon=":material/hourglass_top:")
    if view.answering:
        expires = format_datetime(to_paris(registration.offer_expires_at), language, style="EEEE d MMMM, HH:mm")
        st.warning(_("Une place vous est gardée jusqu'au {expires}.", expires=expires), icon=":material/event_seat:")
        take, leave = st.columns(2)
        if take.button(_("Je prends la place"), type="primary", key="registration_accept"):
            apply_change("registration", lambda: accept_place(engine(), token),
                         done=_("C'est fait : votre place est réservée. La confirmation part par e-mail."))
        if leave.button(_("Je laisse la place"), key="registration_decline"):
            apply_change("registration", lambda: decline_place(engine(), token),
                         done=_("C'est noté : la place passe à la personne suivante."))
    elif view.cancellable and st.button(_("Annuler mon inscription"), key="registration_cancel"):
        apply_change("registration", lambda: cancel_registration(engine(), token),
                     done=_("Votre inscription est annulée : merci d'avoir libéré la place."))
    st.markdown(f"[{page_label}]({session_page(site_url(), booked.slug, language)})")
    st.stop()

entry = session_page_entry(engine(), st.query_params.get("seance", ""))
if entry is None:
    st.info(_("Choisissez une séance dans l'agenda de l'atelier, puis « S'inscrire »."), icon=":material/event:")
    back_to_agenda()
    st.stop()

st.subheader(localized(entry, "title", language))
kind = session_kind_label(entry, language, marking_examples=True)
st.markdown(f"{kind} · {slot_label(entry['starts_at'], entry['ends_at'], language)} · "
            + _("animé par {partner}", partner=entry["partner_name"]))
st.markdown(f"[{page_label}]({session_page(site_url(), entry['slug'], language)})")

done = st.session_state.get("registration_done")
if done and done["slug"] == entry["slug"]:
    if done["state"] == RegistrationState.REGISTERED:
        st.success(_("Vous êtes inscrit·e ! La confirmation, avec l'événement pour votre agenda, part par e-mail."),
                   icon=":material/check_circle:")
    else:
        st.info(_("La séance est complète : vous êtes sur la liste d'attente. Si une place se libère, nous vous "
                  "l'écrirons."), icon=":material/hourglass_top:")
    if done["link"]:
        st.markdown(_("Votre lien privé, pour annuler si besoin (il est aussi dans l'e-mail) :"))
        text_to_copy(site_url() + done["link"])
    back_to_agenda()
    st.stop()

if not entry["takes_registrations"]:
    st.info(_("Les inscriptions à cette séance sont closes : elle a commencé, est passée ou a été annulée."),
            icon=":material/event_busy:")
    back_to_agenda()
    st.stop()
if entry["places_left"]:
    st.markdown(n_("Gratuit, sur inscription : {count} place libre.", "Gratuit, sur inscription : {count} places "
                   "libres.", entry["places_left"]))
else:
    st.markdown(_("La séance est complète : inscrivez-vous sur la liste d'attente ; si une place se libère, elle "
                  "vous est proposée par e-mail."))

# One key per filled-in form: sending it twice finds the registration it already created.
st.session_state.setdefault("registration_submission_key", uuid.uuid4().hex)
errors = st.session_state.get("registration_errors", {})
errors_summary(errors)
field = text_fields("registration", errors)
field("name", _("Nom et prénom *"), NAME_MAX, autocomplete="name")
field("email", _("E-mail *"), EMAIL_MAX, autocomplete="email",
      help=_("La confirmation et votre lien y seront envoyés."))
field("phone", _("Téléphone (facultatif)"), PHONE_MAX, autocomplete="tel")
field("needs", _("Un besoin à nous signaler ? (accessibilité, langue…)"), SHORT_TEXT_MAX)
st.checkbox(_("J'accepte que l'atelier utilise ces informations pour gérer mon inscription. *"),
            key="registration_consent", value=False)
field_error(errors, "consent")
st.caption(_("Responsable : l'Atelier Numérique de Saint-Étienne. Vos coordonnées servent uniquement à cette "
             "inscription ; l'intervenant ne voit que votre prénom. Elles sont effacées 12 mois après la séance."))
field_error(errors, "form")
label = _("M'inscrire") if entry["places_left"] else _("M'inscrire sur la liste d'attente")
if st.button(label, type="primary", key="registration_submit"):
    def send() -> None:
        state = st.session_state
        registered = register(engine(), entry["id"], RegistrationForm(
            name=state.registration_name, email=state.registration_email, phone=state.registration_phone,
            needs=state.registration_needs, consent=state.registration_consent, language=language),
            submission_key=state.registration_submission_key)
        link = addresses.with_query(addresses.PAGES["registration"], {"token": registered.token},
                                    language) if registered.token else None
        state.registration_done = {"slug": entry["slug"], "state": registered.state, "link": link}
        del state["registration_submission_key"]
    apply_change("registration", send, done=None, refusal_field="form")
