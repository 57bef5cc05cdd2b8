"""Staff decide on the sessions partners propose (in the review screen, above the showcases'
applications) and keep the atelier's rooms (in the slots screen)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import streamlit as st

from directory.clock import PARIS, to_paris
from directory.models import LONG_TEXT_MAX, NAME_MAX, SHORT_TEXT_MAX
from directory.programme import (
    MAX_PLACES,
    ProposedSession,
    approve_session,
    cancel_session,
    coming_programme,
    refuse_session,
    request_changes,
    rooms,
    save_room,
    sessions_to_review,
)
from directory.showcase import slot_label
from directory.ui import _, apply_change, as_markdown_text, current_language, engine, field_error, show_notice
from directory.ui.cards import session_proposal_html
from directory.ui.forms import text_field


def session_proposals(who: str) -> None:
    """Each proposal waiting for a decision: what staff need to decide, then a date, a time and a
    room (the partner's first choice to start with) to approve, or a message to ask for changes
    or to refuse."""
    show_notice("programme_notice")
    proposals = sessions_to_review(engine())
    if not proposals:
        sessions_to_come(who)
        return
    st.header(_("Séances proposées par les partenaires ({count})", count=len(proposals)))
    atelier_rooms = rooms(engine())
    room_labels = {room.id: _("{name} ({capacity} places)", name=room.name, capacity=room.capacity)
                   for room in atelier_rooms}
    for proposal in proposals:
        with st.container(border=True):
            # The partner's room if it named one, else the smallest that holds the session.
            fitting = [room.id for room in sorted(atelier_rooms, key=lambda room: room.capacity)
                       if room.capacity >= proposal.session.places]
            _proposal(proposal, room_labels, who, suggested_room=fitting[0] if fitting else None)
    sessions_to_come(who)


def sessions_to_come(who: str) -> None:
    """The sessions on the programme still to come, each with its registrations, and a way to
    cancel one (everyone registered is told)."""
    language = current_language()
    coming = coming_programme(engine())
    if not coming:
        return
    with st.expander(_("Séances au programme à venir ({count})", count=len(coming)), icon=":material/event:"):
        for entry in coming:
            key = f"programme_cancel_{entry['id']}"
            st.markdown(_("**{title}** — {when}, {room} — {partner} — inscrits : {registered} sur {places}, en "
                          "attente : {waiting}", title=as_markdown_text(entry["title"]), room=entry["room"],
                          when=slot_label(entry["starts_at"], entry["ends_at"], language, day_style="EEE d MMM y"),
                          partner=as_markdown_text(entry["partner_name"]), registered=entry["registered"],
                          places=entry["places"], waiting=entry["waiting"]))
            reason, confirm, cancel = st.columns([3, 1, 1], vertical_alignment="bottom")
            with reason:
                text_field(_("Motif de l'annulation"), key=f"{key}_reason", max_length=SHORT_TEXT_MAX)
            confirmed = confirm.checkbox(_("Confirmer"), key=f"{key}_confirm")
            if cancel.button(_("Annuler la séance"), key=key, disabled=not confirmed):
                apply_change("programme", lambda entry=entry, key=key: cancel_session(
                    engine(), entry["id"], actor=who, reason=st.session_state[f"{key}_reason"]),
                    done=_("Séance annulée ; le partenaire et les personnes inscrites sont prévenus."))


def _proposal(proposal: ProposedSession, room_labels: dict[int, str], who: str, *,
              suggested_room: int | None) -> None:
    language = current_language()
    session = proposal.session
    choices = [slot_label(start, start + timedelta(minutes=session.duration_minutes), language)
               + (f" — {room_labels.get(room, '')}" if room else "") for start, room in proposal.choices]
    st.html(session_proposal_html(session.model_dump(), proposal.partner_name, choices, language, _))
    key = f"programme_{session.id}"
    first_start, first_room = proposal.choices[0] if proposal.choices else (None, None)
    first_room = first_room or suggested_room
    day, start, room = st.columns([2, 1, 2])
    day.date_input(_("Date"), key=f"{key}_day", format="DD/MM/YYYY",
                   value=to_paris(first_start).date() if first_start else None)
    start.time_input(_("Heure de début"), key=f"{key}_time", step=timedelta(minutes=15),
                     value=to_paris(first_start).time() if first_start else time(14))
    room.selectbox(_("Salle"), list(room_labels), key=f"{key}_room", format_func=room_labels.get,
                   index=list(room_labels).index(first_room) if first_room in room_labels else None,
                   placeholder=_("Choisissez une salle"))
    text_field(_("Message au partenaire (pour demander des changements ou refuser)"), key=f"{key}_message",
               max_length=LONG_TEXT_MAX, area=True)
    state = st.session_state
    with st.container(horizontal=True):
        if st.button(_("Mettre au programme"), type="primary", key=f"{key}_approve",
                     disabled=state.get(f"{key}_day") is None or state.get(f"{key}_room") is None):
            starts_at = datetime.combine(state[f"{key}_day"], state[f"{key}_time"], PARIS)
            apply_change("programme", lambda: approve_session(engine(), session.id, starts_at=starts_at,
                                                              room_id=state[f"{key}_room"], staff=who),
                         done=_("« {title} » est au programme ; le partenaire est prévenu.", title=session.title))
        if st.button(_("Demander des changements"), key=f"{key}_changes"):
            apply_change("programme", lambda: request_changes(engine(), session.id, message=state[f"{key}_message"],
                                                              staff=who),
                         done=_("Demande envoyée au partenaire."))
        if st.button(_("Refuser"), key=f"{key}_refuse"):
            apply_change("programme", lambda: refuse_session(engine(), session.id, reason=state[f"{key}_message"],
                                                             staff=who),
                         done=_("Proposition refusée ; le partenaire est prévenu."))


def rooms_editor(who: str) -> None:
    """The atelier's rooms: a table, then a form to add one or change one."""
    st.header(_("Salles de l'atelier"))
    st.caption(_("Les séances des partenaires s'y tiennent, pendant les heures d'ouverture de la fiche de "
                 "l'atelier ; une salle n'accueille qu'une séance à la fois."))
    show_notice("rooms_notice")
    every_room = rooms(engine(), active_only=False)
    if every_room:
        st.dataframe([{_("Salle"): room.name, _("Places"): room.capacity, _("Équipement"): room.equipment,
                       _("Ouverte aux séances"): room.is_active} for room in every_room], hide_index=True)
    labels = {0: _("Nouvelle salle")} | {room.id: room.name for room in every_room}
    chosen = st.selectbox(_("Ajouter ou modifier"), list(labels), key="rooms_pick", format_func=labels.get)
    current = next((room for room in every_room if room.id == chosen), None)
    errors = st.session_state.get("rooms_errors", {})
    with st.form(f"rooms_form_{chosen}", border=False):
        text_field(_("Nom *"), key=f"rooms_name_{chosen}", max_length=NAME_MAX, value=current.name if current else "")
        field_error(errors, "name")
        st.number_input(_("Places *"), key=f"rooms_capacity_{chosen}", min_value=1, max_value=MAX_PLACES, step=1,
                        value=current.capacity if current else 12)
        field_error(errors, "capacity")
        text_field(_("Équipement (écran, ordinateurs…)"), key=f"rooms_equipment_{chosen}", max_length=SHORT_TEXT_MAX,
                   value=current.equipment if current else "")
        st.checkbox(_("Ouverte aux séances"), key=f"rooms_active_{chosen}",
                    value=current.is_active if current else True)
        saved = st.form_submit_button(_("Enregistrer la salle"))
    if saved:
        state = st.session_state
        apply_change("rooms", lambda: save_room(engine(), room_id=chosen or None, name=state[f"rooms_name_{chosen}"],
                                                capacity=state[f"rooms_capacity_{chosen}"],
                                                equipment=state[f"rooms_equipment_{chosen}"],
                                                is_active=state[f"rooms_active_{chosen}"], staff=who),
                     done=_("Salle enregistrée."))
