"""The startup application form, shared by the apply page and the follow page's edit mode."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from directory import showcase
from directory.clock import to_paris
from directory.i18n import format_date, format_datetime, format_time
from directory.models import (
    ADDRESS_MAX,
    CITY_MAX,
    EMAIL_MAX,
    LONG_TEXT_MAX,
    NAME_MAX,
    PHONE_MAX,
    SHORT_TEXT_MAX,
    STAGE_LABELS,
    TAGS_MAX,
    URL_MAX,
    Application,
    StartupStage,
)
from directory.showcase import MAX_CHOICES, ApplicationForm, choice_field
from directory.ui import _, current_language, field_error, n_
from directory.ui.forms import logo_uploader, position_picker, text_fields
from directory.validation import Message
from directory.web import render

TEXT_FIELDS = ("organisation", "website", "short_description", "sectors", "address", "city", "pitch_title",
               "pitch_summary", "pitch_title_en", "pitch_summary_en", "demo_description", "equipment",
               "contact_name", "contact_email", "contact_phone")


@dataclass(frozen=True)
class SlotOption:
    short: str  # in the picker
    full: str  # in the list above it: every fact, wrapped on a phone


def slot_options(slots: pd.DataFrame, language: str) -> dict[int, SlotOption]:
    """Open slots as the applicant reads them: a short name that fits a phone's picker, and the
    places left and the deadline (to the hour) beside it."""
    return {
        int(slot.id): SlotOption(
            short=n_("{day}, {start} · {count} place libre", "{day}, {start} · {count} places libres",
                     int(slot.places_left), day=format_date(to_paris(slot.starts_at).date(), language,
                                                            style="EEE d MMM"),
                     start=format_time(to_paris(slot.starts_at), language)),
            full=n_("{slot} — {count} place libre sur {capacity}, candidatures jusqu'au {deadline}",
                    "{slot} — {count} places libres sur {capacity}, candidatures jusqu'au {deadline}",
                    int(slot.places_left), capacity=slot.capacity,
                    slot=showcase.slot_label(slot.starts_at, slot.ends_at, language, slot.theme),
                    deadline=format_datetime(to_paris(slot.applications_close_at), language,
                                             style="EEEE d MMMM, HH:mm")))
        for slot in slots.itertuples()
    }


def application_fields(prefix: str, slots: dict[int, SlotOption], errors: dict[str, Message], *,
                       current_logo: bool = False) -> None:
    """Every widget of the form, each followed by its error if it has one."""
    text = text_fields(prefix, errors)

    st.subheader(_("La startup"))
    text("organisation", _("Nom de la startup *"), NAME_MAX)
    text("short_description", _("Description courte *"), SHORT_TEXT_MAX,
         help=_("Une phrase qui dit ce que fait la startup."))
    text("website", _("Site web"), URL_MAX, placeholder="https://")
    text("sectors", _("Secteurs (séparés par des points-virgules)"), TAGS_MAX)
    stage_labels = {stage.value: _(STAGE_LABELS[stage]) for stage in StartupStage}
    st.selectbox(_("Stade *"), list(stage_labels), key=f"{prefix}_stage", index=None,
                 format_func=stage_labels.get, placeholder=_("Choisissez un stade"))
    field_error(errors, "stage")
    st.number_input(_("Taille de l'équipe *"), key=f"{prefix}_team_size", min_value=1,
                    max_value=showcase.MAX_TEAM, step=1, value=None, placeholder="3")
    field_error(errors, "team_size")
    text("address", _("Adresse"), ADDRESS_MAX)
    text("city", _("Ville"), CITY_MAX)
    position_picker(prefix, _("Cliquez sur la carte pour placer la startup, ou saisissez ses coordonnées."))
    field_error(errors, "position")
    logo_uploader(f"{prefix}_logo", help=_("Laissez vide pour garder le logo actuel.") if current_logo else None)
    field_error(errors, "logo")

    st.subheader(_("Votre présentation"))
    text("pitch_title", _("Titre de l'innovation présentée *"), NAME_MAX)
    text("pitch_summary", _("Résumé pour le public *"), SHORT_TEXT_MAX,
         help=_("Publié dans l'agenda si la candidature est acceptée et si vous l'autorisez."))
    with st.expander(_("En anglais, pour les visiteurs anglophones (facultatif)"), icon=":material/translate:",
                     expanded=bool(errors.keys() & {"pitch_title_en", "pitch_summary_en"})):
        text("pitch_title_en", _("Titre de l'innovation, en anglais"), NAME_MAX)
        text("pitch_summary_en", _("Résumé pour le public, en anglais"), SHORT_TEXT_MAX,
             help=_("Montré à la place du résumé en français dans l'agenda en anglais et son calendrier."))
    text("demo_description", _("Ce que vous montrerez *"), LONG_TEXT_MAX, area=True)
    text("equipment", _("Matériel nécessaire (prises, écran, table…)"), LONG_TEXT_MAX, area=True)

    st.subheader(_("Contact"))
    text("contact_name", _("Nom et prénom *"), NAME_MAX)
    text("contact_email", _("E-mail *"), EMAIL_MAX, help=_("Le lien de suivi et les décisions y seront envoyés."))
    text("contact_phone", _("Téléphone"), PHONE_MAX)

    st.subheader(_("Créneaux souhaités"))
    slot_choice_fields(prefix, slots, errors)

    st.subheader(_("Vos données"))
    st.checkbox(_("J'accepte que l'atelier utilise ces informations pour traiter ma candidature. *"),
                key=f"{prefix}_consent_data", value=False)
    field_error(errors, "consent_data")
    st.caption(_("Responsable : l'Atelier Numérique de Saint-Étienne. Vos coordonnées servent "
                 "uniquement à examiner la candidature et à vous informer ; elles sont conservées un "
                 "an après la vitrine, puis effacées. Vous pouvez demander à les consulter ou à les "
                 "effacer à tout moment en écrivant à l'atelier."))
    st.checkbox(_("J'accepte que le nom de la startup et le résumé soient publiés si la candidature "
                  "est acceptée."), key=f"{prefix}_consent_publication", value=False)


def slot_choice_fields(prefix: str, slots: dict[int, SlotOption], errors: dict[str, Message]) -> None:
    """The open slots, each with its places left and deadline, then a picker per rank, with its error."""
    st.caption(_("Classez jusqu'à {max} créneaux par ordre de préférence.", max=MAX_CHOICES))
    st.html(render("open_slots.html", current_language(), slots=[option.full for option in slots.values()]))
    ranks = [_("1er choix *"), _("2e choix"), _("3e choix")]
    for rank, label in enumerate(ranks[:MAX_CHOICES], start=1):
        st.selectbox(label, list(slots), key=f"{prefix}_slot_{rank}", index=None,
                     format_func=lambda slot_id: slots[slot_id].short, placeholder=_("Aucun"))
        field_error(errors, choice_field(rank))


def read_application_form(prefix: str) -> ApplicationForm:
    state = st.session_state
    upload = state.get(f"{prefix}_logo")
    values = {name: state.get(f"{prefix}_{name}") or "" for name in TEXT_FIELDS}
    return ApplicationForm(
        **values, stage=state.get(f"{prefix}_stage") or "", team_size=state.get(f"{prefix}_team_size"),
        latitude=state.get(f"{prefix}_latitude"), longitude=state.get(f"{prefix}_longitude"),
        logo=upload.getvalue() if upload is not None else None,
        slot_ids=[state.get(f"{prefix}_slot_{rank}") for rank in range(1, MAX_CHOICES + 1)],
        consent_data=bool(state.get(f"{prefix}_consent_data")),
        consent_publication=bool(state.get(f"{prefix}_consent_publication")),
        language=current_language(),
    )


def fill_application_form(prefix: str, application: Application, choices: list[int], *,
                          with_consents: bool = True) -> None:
    """Put a stored application into the widgets, before they are drawn; a new application
    (`with_consents=False`) asks for the consents again."""
    for name in TEXT_FIELDS:
        st.session_state[f"{prefix}_{name}"] = getattr(application, name) or ""
    st.session_state[f"{prefix}_stage"] = application.stage
    st.session_state[f"{prefix}_team_size"] = application.team_size
    st.session_state[f"{prefix}_latitude"] = "" if application.latitude is None else str(application.latitude)
    st.session_state[f"{prefix}_longitude"] = "" if application.longitude is None else str(application.longitude)
    for rank in range(1, MAX_CHOICES + 1):
        st.session_state[f"{prefix}_slot_{rank}"] = choices[rank - 1] if rank <= len(choices) else None
    st.session_state[f"{prefix}_consent_data"] = with_consents and application.consent_data
    st.session_state[f"{prefix}_consent_publication"] = with_consents and application.consent_publication

