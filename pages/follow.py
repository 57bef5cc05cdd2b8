"""An applicant follows, edits or withdraws an application through its private link."""

import streamlit as st

from directory import settings
from directory.clock import to_paris
from directory.i18n import format_datetime
from directory.models import APPLICATION_STATE_LABELS, ApplicationState
from directory.showcase import (
    ATELIER_ADDRESS,
    MAX_CHOICES,
    accept_offer,
    application_by_token,
    application_number,
    arrival_time,
    change_waiting_slots,
    confirm_attendance,
    decline_offer,
    edit_application,
    history_line,
    open_slots,
    pending_offer,
    possible_slots_of,
    presentation_event,
    slot_label,
    withdraw_application,
)
from directory.ui import (
    _,
    apply_change,
    as_markdown_text,
    current_language,
    engine,
    errors_summary,
    language_params,
    page_file,
    read_or_explain,
    show_notice,
)
from directory.ui.application_form import (
    application_fields,
    fill_application_form,
    read_application_form,
    slot_choice_fields,
    slot_options,
)

language = current_language()
token = st.query_params.get("token")
st.title(_("Suivi de ma candidature"))
view = read_or_explain(lambda: application_by_token(engine(), token), icon=":material/link_off:")
if view is None:
    st.markdown(_("Si vous avez demandé un nouveau lien, ouvrez celui du **dernier e-mail** reçu de Vitrine : "
                  "il remplace les précédents. Sinon, recevez un nouveau lien pour chacune de vos candidatures "
                  "en cours :"))
    st.page_link(page_file("lost_link"), label=_("Recevoir un nouveau lien par e-mail"), icon=":material/mail:",
                 query_params=language_params())
    contact = settings.contact_email()
    st.caption(_("Une question ? Écrivez à l'équipe de l'atelier : {contact}.", contact=as_markdown_text(contact))
               if contact else _("Une question ? L'équipe vous répond à l'atelier : {address}.",
                                 address=as_markdown_text(ATELIER_ADDRESS)))
    st.stop()

application = view.application
show_notice("follow_notice")
st.markdown(_("**Candidature n°{number}** — {organisation} : « {pitch} »",
              number=application_number(application.id), organisation=as_markdown_text(application.organisation),
              pitch=as_markdown_text(application.pitch_title)))
state = ApplicationState(application.state)
st.metric(_("État"), _(APPLICATION_STATE_LABELS[state]))
offer = pending_offer(engine(), application.id) if state == ApplicationState.OFFERED else None


if offer is not None and view.slot is not None:
    slot = as_markdown_text(slot_label(view.slot.starts_at, view.slot.ends_at, language, view.slot.theme))
    with st.container(border=True):
        st.subheader(_("Une place s'est libérée pour vous"))
        st.markdown(_("La vitrine du {slot} a une place pour votre startup. Nous vous la gardons jusqu'au "
                      "{expires} ; sans réponse, elle n'est plus réservée pour vous.", slot=slot,
                      expires=format_datetime(to_paris(offer.expires_at), language, style="EEEE d MMMM, HH:mm")))
        if st.button(_("J'accepte cette place"), type="primary", key="follow_accept_offer",
                     icon=":material/event_available:"):
            apply_change("follow", lambda: accept_offer(engine(), token),
                         done=_("C'est confirmé : la place est à vous. Un e-mail vous en donne le détail."))
        with st.expander(_("Renoncer à cette place")):
            st.markdown(_("Elle sera proposée à la startup suivante ; vous ne pourrez plus la reprendre."))
            sure = st.checkbox(_("Je confirme renoncer à la place du {slot}.", slot=slot),
                               key="follow_confirm_decline")
            if st.button(_("Renoncer à la place"), disabled=not sure, key="follow_decline_offer"):
                apply_change("follow", lambda: decline_offer(engine(), token),
                             done=_("C'est noté : vous avez renoncé à cette place."))
elif view.slot is not None and state == ApplicationState.APPROVED:
    slot = as_markdown_text(slot_label(view.slot.starts_at, view.slot.ends_at, language, view.slot.theme))
    with st.container(border=True):
        if view.presented:
            st.subheader(_("Votre présentation a eu lieu"))
            st.markdown(_("Vous avez présenté à l'atelier le {slot}. Merci d'être venus !", slot=slot))
        else:
            st.subheader(_("Votre présentation"))
            st.markdown(_("Le {slot}, à l'Atelier Numérique.", slot=slot))
            st.markdown(_("**Adresse :** {address}  \n**Arrivée et installation :** à partir de {arrival}, "
                          "30 minutes avant l'ouverture au public ; l'équipe vous accueille et vous montre "
                          "votre table.", address=as_markdown_text(ATELIER_ADDRESS),
                          arrival=format_datetime(to_paris(arrival_time(view.slot)), language, style="HH:mm")))
            # No rerun on the click: the rerun could drop the built file's answer (a Streamlit race).
            st.download_button(_("Ajouter à mon agenda (.ics)"), lambda: presentation_event(engine(), application.id),
                               file_name="vitrine-atelier-numerique.ics", mime="text/calendar",
                               icon=":material/calendar_add_on:", key="follow_calendar", on_click="ignore")
            if application.confirmed_at is not None:
                st.caption(_("Venue confirmée le {day}. Merci !", day=format_datetime(
                    to_paris(application.confirmed_at), language, style="d MMMM, HH:mm")))
            elif view.awaits_confirmation:
                st.markdown(_("Merci de confirmer votre venue : l'équipe prépare votre table."))
                if st.button(_("Je confirme ma venue"), type="primary", key="follow_confirm_attendance",
                             icon=":material/how_to_reg:"):
                    apply_change("follow", lambda: confirm_attendance(engine(), token),
                                 done=_("Venue confirmée : à bientôt à l'atelier !"))
if application.decision_reason:
    st.info(_("Motif : {reason}", reason=as_markdown_text(application.decision_reason)))
if application.staff_message:
    st.info(_("Message de l'équipe : {message}", message=as_markdown_text(application.staff_message)))

st.subheader(_("Créneaux demandés"))
for rank, slot in enumerate(view.choices, start=1):
    st.text(f"{rank}. {slot_label(slot.starts_at, slot.ends_at, language, slot.theme)}")

if view.waiting:
    still_possible = possible_slots_of(engine(), application.id)
    if not still_possible:
        st.warning(_("Aucun des créneaux demandés n'est encore possible : choisissez-en d'autres, sans quoi "
                     "l'équipe clôturera votre candidature."), icon=":material/event_busy:")
    if not st.session_state.get("follow_choosing"):
        if st.button(_("Choisir d'autres créneaux"), icon=":material/edit_calendar:", key="follow_choose_slots"):
            for rank in range(1, MAX_CHOICES + 1):
                st.session_state[f"follow_slot_{rank}"] = (still_possible[rank - 1].id
                                                           if rank <= len(still_possible) else None)
            st.session_state.follow_choosing = True
            st.session_state.follow_errors = {}
            st.rerun()
    else:
        errors = st.session_state.get("follow_errors", {})
        slot_choice_fields("follow", slot_options(open_slots(engine()), language), errors)
        save_column, cancel_column = st.columns(2)
        if save_column.button(_("Enregistrer mes créneaux"), type="primary", key="follow_save_slots"):
            def save_slots() -> None:
                change_waiting_slots(engine(), token, [st.session_state.get(f"follow_slot_{rank}")
                                                       for rank in range(1, MAX_CHOICES + 1)])
                st.session_state.follow_choosing = False
            apply_change("follow", save_slots, done=_("Créneaux enregistrés : vous attendez une place dans "
                                                      "ceux-ci."))
        if cancel_column.button(_("Annuler"), key="follow_cancel_slots"):
            st.session_state.follow_choosing = False
            st.rerun()

st.subheader(_("Historique"))
for event in view.history:
    st.text(f"{format_datetime(to_paris(event.at), language, style='short')} — {history_line(event, language)}")

# A decision taken meanwhile ends the editing: the form is then no longer drawn.
editing = view.editable and st.session_state.get("follow_editing", False)
if view.editable:
    if not editing:
        if st.button(_("Modifier ma candidature"), icon=":material/edit:"):
            fill_application_form("follow", application, [slot.id for slot in view.choices])
            st.session_state.follow_editing = True
            st.session_state.follow_errors = {}
            st.rerun()
    else:
        errors = st.session_state.get("follow_errors", {})
        errors_summary(errors)
        options = slot_options(open_slots(engine(), keeping=[slot.id for slot in view.choices]), language)
        application_fields("follow", options, errors, current_logo=application.logo is not None)
        save_column, cancel_column = st.columns(2)
        if save_column.button(_("Enregistrer les modifications"), type="primary", key="follow_save"):
            def save() -> None:
                edit_application(engine(), token, read_application_form("follow"))
                st.session_state.follow_editing = False
            apply_change("follow", save, done=_("Modifications enregistrées."))
        if cancel_column.button(_("Annuler"), key="follow_cancel"):
            st.session_state.follow_editing = False
            st.rerun()

if state in (ApplicationState.WITHDRAWN, ApplicationState.REJECTED):
    st.subheader(_("Candidater à nouveau"))
    st.markdown(_("Le formulaire reprend cette candidature : choisissez vos créneaux, mettez à jour ce qui a "
                  "changé (le logo est à joindre de nouveau), puis envoyez-la."))
    if st.button(_("Candidater à nouveau"), type="primary", key="follow_apply_again", icon=":material/replay:"):
        for key in ("apply_done", "apply_submission_key", "apply_errors"):
            st.session_state.pop(key, None)
        fill_application_form("apply", application, [], with_consents=False)
        st.switch_page(page_file("apply"), query_params=language_params())

if view.withdrawable and not editing:
    st.subheader(_("Retirer ma candidature"))
    confirmed = st.checkbox(_("Je confirme vouloir retirer cette candidature (sa place sera libérée).")
                            if view.holds_place else _("Je confirme vouloir retirer cette candidature."),
                            key="follow_confirm_withdraw")
    if st.button(_("Retirer ma candidature"), disabled=not confirmed, key="follow_withdraw",
                 icon=":material/cancel:"):
        apply_change("follow", lambda: withdraw_application(engine(), token),
                     done=_("Votre candidature a été retirée."))
