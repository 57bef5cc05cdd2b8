"""An applicant follows, edits or withdraws an application through its private link."""

import streamlit as st

from directory.clock import aware, to_paris, utcnow
from directory.i18n import format_datetime
from directory.models import APPLICATION_STATE_LABELS, ApplicationState
from directory.showcase import (
    ShowcaseError,
    UnknownToken,
    application_by_token,
    application_number,
    edit_application,
    open_slots,
    slot_label,
    withdraw_application,
)
from directory.showcase.attendance import confirm_attendance
from directory.showcase.offers import accept_offer, decline_offer, pending_offer
from directory.ui import (
    _,
    apply_change,
    as_markdown_text,
    current_language,
    engine,
    errors_summary,
    language_params,
    say,
    show_notice,
)
from directory.ui.application_form import (
    application_fields,
    fill_application_form,
    read_application_form,
    slot_options,
)

HISTORY_LABELS = {
    "submitted": _("Candidature envoyée"), "edited": _("Candidature modifiée"),
    "approved": _("Candidature acceptée"), "waitlisted": _("Mise en liste d'attente"),
    "rejected": _("Candidature refusée"), "withdrawn": _("Candidature retirée"),
    "moved": _("Présentation déplacée vers un autre créneau"), "offered": _("Une place libérée vous est proposée"),
    "offer_declined": _("Place proposée laissée à la suivante"),
    "offer_expired": _("Place proposée passée à la suivante, faute de réponse"),
}

language = current_language()
token = st.query_params.get("token")
st.title(_("Suivi de ma candidature"))
try:
    view = application_by_token(engine(), token)
except UnknownToken as unknown:
    st.error(say(unknown.message), icon=":material/link_off:")
    st.page_link("pages/lost_link.py", label=_("Recevoir un nouveau lien par e-mail"), icon=":material/mail:",
                 query_params=language_params())
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
                      "{expires} ; sans réponse, elle sera proposée à la startup suivante.", slot=slot,
                      expires=format_datetime(to_paris(offer.expires_at), language, style="EEEE d MMMM, HH:mm")))
        accept_column, decline_column = st.columns(2)
        answer = None
        if accept_column.button(_("J'accepte cette place"), type="primary", key="follow_accept_offer",
                                icon=":material/event_available:"):
            answer, done = accept_offer, _("C'est confirmé : vous présentez à l'atelier le {slot}.", slot=slot)
        if decline_column.button(_("Je laisse la place"), key="follow_decline_offer"):
            answer, done = decline_offer, _("C'est noté : la place est proposée à la startup suivante.")
        if answer is not None:
            apply_change("follow", lambda: answer(engine(), token), done=done)
elif view.slot is not None and state == ApplicationState.APPROVED:
    slot = as_markdown_text(slot_label(view.slot.starts_at, view.slot.ends_at, language, view.slot.theme))
    st.success(_("Vous présentez à l'atelier le {slot}.", slot=slot),
               icon=":material/event_available:")
    if application.confirmed_at is not None:
        st.caption(_("Venue confirmée le {day}. Merci !",
                     day=format_datetime(to_paris(application.confirmed_at), language, style="d MMMM, HH:mm")))
    elif aware(view.slot.starts_at) > utcnow():
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

st.subheader(_("Historique"))
for event in view.history:
    st.text(f"{format_datetime(to_paris(event.at), language, style='short')} — "
            f"{HISTORY_LABELS.get(event.action, event.action)}")

if view.editable:
    if not st.session_state.get("follow_editing"):
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
                try:
                    edit_application(engine(), token, read_application_form("follow"))
                except ShowcaseError:
                    st.session_state.follow_editing = False  # nothing left to edit: the notice says why
                    raise
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
        st.switch_page("pages/apply.py", query_params=language_params())

if view.withdrawable and not st.session_state.get("follow_editing"):
    st.subheader(_("Retirer ma candidature"))
    confirmed = st.checkbox(_("Je confirme vouloir retirer cette candidature (sa place sera libérée)."),
                            key="follow_confirm_withdraw")
    if st.button(_("Retirer ma candidature"), disabled=not confirmed, key="follow_withdraw",
                 icon=":material/cancel:"):
        apply_change("follow", lambda: withdraw_application(engine(), token),
                     done=_("Votre candidature a été retirée."))
