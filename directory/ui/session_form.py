"""The form a partner fills to propose a session, or to change it until staff decide."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import streamlit as st

from directory.clock import PARIS, to_paris, utcnow
from directory.models import (
    AUDIENCE_LABELS,
    LEVEL_LABELS,
    LONG_TEXT_MAX,
    NAME_MAX,
    SESSION_KIND_LABELS,
    SHORT_TEXT_MAX,
    Audience,
    Level,
    ProgrammeSession,
    SessionKind,
)
from directory.programme import MAX_CHOICES, MAX_DURATION, MAX_PLACES, MIN_DURATION, SessionForm, choice_field, rooms
from directory.ui import _, current_language, engine, field_error
from directory.ui.forms import text_fields
from directory.validation import Message, split_tags

TEXT_FIELDS = ("title", "description", "title_en", "description_en", "bring", "accessibility", "contact_name")
ANY_ROOM = 0


def session_fields(prefix: str, errors: dict[str, Message]) -> None:
    """Every widget of the form, each followed by its error if it has one."""
    text = text_fields(prefix, errors)
    kind_labels = {kind.value: _(SESSION_KIND_LABELS[kind]) for kind in SessionKind}
    st.radio(_("Type de séance *"), list(kind_labels), key=f"{prefix}_kind", format_func=kind_labels.get,
             horizontal=True, index=None)
    field_error(errors, "kind")
    text("title", _("Titre *"), NAME_MAX)
    text("description", _("Description pour le public *"), LONG_TEXT_MAX, area=True,
         help=_("Ce que les participants apprendront ou feront, en quelques phrases."))
    with st.expander(_("En anglais, pour les visiteurs anglophones (facultatif)"), icon=":material/translate:",
                     expanded=bool(errors.keys() & {"title_en", "description_en"})):
        text("title_en", _("Titre, en anglais"), NAME_MAX)
        text("description_en", _("Description, en anglais"), LONG_TEXT_MAX, area=True)
    audience_labels = {audience.value: _(AUDIENCE_LABELS[audience]) for audience in Audience}
    st.pills(_("Pour qui ? *"), list(audience_labels), key=f"{prefix}_audiences", format_func=audience_labels.get,
             selection_mode="multi")
    field_error(errors, "audiences")
    level_labels = {level.value: _(LEVEL_LABELS[level]) for level in Level}
    st.selectbox(_("Niveau"), list(level_labels), key=f"{prefix}_level", format_func=level_labels.get)
    duration, places = st.columns(2)
    duration.number_input(_("Durée (minutes) *"), key=f"{prefix}_duration_minutes", min_value=MIN_DURATION,
                          max_value=MAX_DURATION, step=15)
    with duration:
        field_error(errors, "duration_minutes")
    places.number_input(_("Nombre de places *"), key=f"{prefix}_places", min_value=1, max_value=MAX_PLACES, step=1)
    with places:
        field_error(errors, "places")
    text("bring", _("À apporter (ordinateur, téléphone…)"), SHORT_TEXT_MAX)
    text("accessibility", _("Accessibilité (handicap, langue, rythme…)"), SHORT_TEXT_MAX)
    text("contact_name", _("Qui anime ? (nom et prénom) *"), NAME_MAX)
    date_choice_fields(prefix, errors)


def date_choice_fields(prefix: str, errors: dict[str, Message]) -> None:
    """Up to MAX_CHOICES dates, each with its start time and, if the partner has one in mind, a room."""
    st.subheader(_("Vos dates possibles"))
    st.caption(_("Proposez jusqu'à {max} dates, par ordre de préférence, au moins 7 jours à l'avance et pendant "
                 "les heures d'ouverture de l'atelier. L'équipe choisit la date et la salle.", max=MAX_CHOICES))
    room_labels = {ANY_ROOM: _("Peu importe")} | {room.id: _("{name} ({capacity} places)", name=room.name,
                                                             capacity=room.capacity) for room in rooms(engine())}
    earliest = to_paris(utcnow() + timedelta(days=7)).date()
    for rank in range(1, MAX_CHOICES + 1):
        day, start, room = st.columns([2, 1, 2])
        day.date_input(_("Date n°{rank}", rank=rank) + (" *" if rank == 1 else ""), key=f"{prefix}_day_{rank}",
                       value=None, min_value=earliest, format="DD/MM/YYYY")
        start.time_input(_("Heure de début"), key=f"{prefix}_time_{rank}", value=time(14), step=timedelta(minutes=15))
        room.selectbox(_("Salle souhaitée"), list(room_labels), key=f"{prefix}_room_{rank}",
                       format_func=room_labels.get)
        field_error(errors, choice_field(rank))


def read_session_form(prefix: str) -> SessionForm:
    state = st.session_state
    choices = []
    for rank in range(1, MAX_CHOICES + 1):
        day = state.get(f"{prefix}_day_{rank}")
        start = datetime.combine(day, state.get(f"{prefix}_time_{rank}") or time(14), PARIS) if day else None
        choices.append((start, state.get(f"{prefix}_room_{rank}") or None))
    return SessionForm(
        **{name: state.get(f"{prefix}_{name}") or "" for name in TEXT_FIELDS},
        kind=state.get(f"{prefix}_kind") or "", audiences=list(state.get(f"{prefix}_audiences") or []),
        level=state.get(f"{prefix}_level") or Level.BEGINNER,
        duration_minutes=state.get(f"{prefix}_duration_minutes"), places=state.get(f"{prefix}_places"),
        choices=choices, language=current_language())


def fill_session_form(prefix: str, session: ProgrammeSession, choices: list[tuple[datetime, int | None]]) -> None:
    """Put a stored session into the widgets, before they are drawn."""
    for name in TEXT_FIELDS:
        st.session_state[f"{prefix}_{name}"] = getattr(session, name) or ""
    st.session_state[f"{prefix}_kind"] = session.kind
    st.session_state[f"{prefix}_audiences"] = split_tags(session.audiences)
    st.session_state[f"{prefix}_level"] = session.level
    st.session_state[f"{prefix}_duration_minutes"] = session.duration_minutes
    st.session_state[f"{prefix}_places"] = session.places
    for rank in range(1, MAX_CHOICES + 1):
        start, room = choices[rank - 1] if rank <= len(choices) else (None, None)
        st.session_state[f"{prefix}_day_{rank}"] = to_paris(start).date() if start else None
        st.session_state[f"{prefix}_time_{rank}"] = to_paris(start).time() if start else time(14)
        st.session_state[f"{prefix}_room_{rank}"] = room or ANY_ROOM


def new_session_defaults(prefix: str) -> None:
    """A new form's starting values (set once, so that what the partner types stays)."""
    st.session_state.setdefault(f"{prefix}_duration_minutes", 90)
    st.session_state.setdefault(f"{prefix}_places", 12)
