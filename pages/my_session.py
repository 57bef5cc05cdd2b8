"""A partner follows the session it proposed through its private link: changes it until staff
decide, cancels it, sees who registered (first names), writes to them, and notes who came."""

import streamlit as st

from directory.clock import to_paris
from directory.i18n import format_datetime
from directory.models import ATTENDANCE_LABELS, LONG_TEXT_MAX, SESSION_STATE_LABELS, Attendance, SessionState
from directory.programme import (
    cancel_own_session,
    edit_session,
    record_attendance,
    session_page,
    session_view,
    write_to_registrants,
)
from directory.showcase import slot_label
from directory.ui import (
    _,
    apply_change,
    current_language,
    engine,
    errors_summary,
    field_error,
    n_,
    read_or_explain,
    show_notice,
    site_url,
)
from directory.ui.forms import text_field
from directory.ui.session_form import fill_session_form, read_session_form, session_fields

language = current_language()
token = st.query_params.get("token")
st.title(_("Ma séance à l'atelier"))
view = read_or_explain(lambda: session_view(engine(), token), icon=":material/link_off:")
if view is None:
    st.stop()
proposal = view.session
show_notice("my_session_notice")
errors = st.session_state.get("my_session_errors", {})

st.subheader(proposal.title)
st.markdown(_("Proposée par **{partner}** — état : **{state}**", partner=view.partner_name,
              state=_(SESSION_STATE_LABELS[SessionState(proposal.state)])))
if proposal.state == SessionState.APPROVED:
    st.success(_("Au programme le {when}, salle « {room} ».", when=slot_label(proposal.starts_at, proposal.ends_at,
                                                                          language), room=view.room_name),
               icon=":material/event_available:")
    public_page = _("Page publique de la séance (à partager)")
    st.markdown(f"[{public_page}]({session_page(site_url(), proposal.slug, language)})")
elif proposal.state in (SessionState.CHANGES_REQUESTED, SessionState.REFUSED, SessionState.CANCELLED) \
        and proposal.decision_reason:
    st.info(_("Message de l'équipe : {message}", message=proposal.decision_reason), icon=":material/chat:")

if proposal.state == SessionState.APPROVED:
    registered = view.counts.get("registered", 0)
    st.subheader(_("Inscriptions"))
    st.markdown(n_("{count} personne inscrite", "{count} personnes inscrites", registered) + " · " +
                n_("{count} place libre", "{count} places libres", max(0, proposal.places - registered)) + " · " +
                n_("{count} en liste d'attente", "{count} en liste d'attente", view.counts.get("waiting", 0)))
    if view.attendees:
        st.caption(_("Prénoms des personnes inscrites : {names}", names=", ".join(
            name for _id, name, _came in view.attendees)))
    if view.attendance_open and view.attendees:
        came_labels = {True: _(ATTENDANCE_LABELS[Attendance.ATTENDED]), False: _(ATTENDANCE_LABELS[Attendance.NO_SHOW])}
        with st.form("attendance_form", border=False):
            st.markdown(_("Qui est venu ?"))
            for registration_id, name, came in view.attendees:
                st.radio(name, list(came_labels), key=f"came_{registration_id}", format_func=came_labels.get,
                         horizontal=True, index=None if not came else int(came != Attendance.ATTENDED))
            noted = st.form_submit_button(_("Enregistrer les présences"))
        if noted:
            apply_change("my_session", lambda: record_attendance(engine(), token, {
                registration_id: st.session_state[f"came_{registration_id}"]
                for registration_id, _name, _came in view.attendees
                if st.session_state.get(f"came_{registration_id}") is not None}),
                done=lambda count: n_("{count} présence notée.", "{count} présences notées.", count))
    elif registered:
        with st.form("registrants_form", border=False):
            text_field(_("Écrire aux personnes inscrites (Vitrine transmet ; vous ne voyez pas leurs adresses)"),
                       key="registrants_message", max_length=LONG_TEXT_MAX, area=True)
            field_error(errors, "form")
            sent = st.form_submit_button(_("Envoyer le message"))
        if sent:
            apply_change("my_session", lambda: write_to_registrants(engine(), token,
                                                                     st.session_state.registrants_message),
                         done=lambda count: n_("Message envoyé à {count} personne.",
                                               "Message envoyé à {count} personnes.", count),
                         refusal_field="form")

if view.editable:
    st.subheader(_("Modifier ma proposition"))
    if st.session_state.get("my_session_loaded") != (token, proposal.updated_at):
        fill_session_form("my_session", proposal, view.choices)
        st.session_state.my_session_loaded = (token, proposal.updated_at)
    errors_summary(errors)
    session_fields("my_session", errors)
    if st.button(_("Enregistrer les modifications"), type="primary", key="my_session_save"):
        apply_change("my_session", lambda: edit_session(engine(), token, read_session_form("my_session")),
                     done=_("Modifications enregistrées : l'équipe de l'atelier les verra."))

if view.cancellable:
    with st.expander(_("Annuler la séance"), icon=":material/event_busy:"):
        st.markdown(_("Les personnes inscrites sont prévenues par e-mail. L'annulation est définitive."))
        text_field(_("Motif (facultatif, transmis à l'équipe)"), key="my_session_cancel_reason", max_length=300)
        if st.button(_("Annuler définitivement la séance"), key="my_session_cancel"):
            apply_change("my_session", lambda: cancel_own_session(engine(), token,
                                                                  reason=st.session_state.my_session_cancel_reason),
                         done=_("La séance est annulée."))

st.caption(_("Proposée le {day}.", day=format_datetime(to_paris(proposal.created_at), language, style="d MMMM y")))
