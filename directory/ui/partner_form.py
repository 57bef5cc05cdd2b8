"""The partner form, shared by the public proposal page and the staff directory screens."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from directory import settings
from directory.errors import Refusal
from directory.i18n import format_date
from directory.listings import HOURS_MAX, Establishment, PartnerForm, mediation, register
from directory.models import (
    ADDRESS_MAX,
    CITY_MAX,
    EMAIL_MAX,
    LONG_TEXT_MAX,
    NAME_MAX,
    PHONE_MAX,
    PRECISION_LABELS,
    SHORT_TEXT_MAX,
    TAGS_MAX,
    URL_MAX,
    Partner,
    PartnerKind,
    Precision,
)
from directory.ui import _, current_language, field_error, say
from directory.ui.cards import kind_label
from directory.ui.forms import logo_uploader, position_picker, text_fields
from directory.validation import Invalid, Message, clean_company_number

TEXT_FIELDS = ("name", "short_description", "description", "short_description_en", "description_en", "sectors",
               "networks", "website", "contact_email", "contact_phone", "siret", "address", "city", "opening_hours",
               "accessibility_url", "accessibility_note")
STAFF_TEXT_FIELDS = ("other_names", "notes", "postal_code")


def partner_fields(prefix: str, errors: dict[str, Message], *, for_staff: bool = False, english: bool = False) -> None:
    """Every widget of the form, each followed by its error if it has one. Staff also write other
    names, the precision and their private notes (`for_staff`); staff and organisations updating
    their listing write the English descriptions (`english`)."""
    text = text_fields(prefix, errors)

    st.subheader(_("L'organisation"))
    text("name", _("Nom *"), NAME_MAX)
    kind_labels = {kind.value: kind_label(kind.value, _) for kind in PartnerKind}
    st.selectbox(_("Type *"), list(kind_labels), key=f"{prefix}_kind", index=None,
                 format_func=kind_labels.get, placeholder=_("Choisissez un type"))
    field_error(errors, "kind")
    text("short_description", _("Description courte *"), SHORT_TEXT_MAX,
         help=_("Une phrase qui dit ce que fait l'organisation."))
    text("description", _("Description détaillée"), LONG_TEXT_MAX, area=True)
    if for_staff or english:
        text("short_description_en", _("Description courte en anglais"), SHORT_TEXT_MAX)
        text("description_en", _("Description détaillée en anglais"), LONG_TEXT_MAX, area=True)
    if for_staff:
        text("other_names", _("Autres noms (séparés par des points-virgules)"), TAGS_MAX,
             help=_("Les noms sous lesquels le public la connaît aussi : la recherche les trouve."))
    text("sectors", _("Secteurs (séparés par des points-virgules)"), TAGS_MAX, placeholder=_("design; formation"))
    text("networks", _("Réseaux (Digital League, French Tech…)"), TAGS_MAX)
    text("website", _("Site web"), URL_MAX, placeholder="https://")
    text("contact_email", _("E-mail de contact public"), EMAIL_MAX)
    text("contact_phone", _("Téléphone public"), PHONE_MAX)
    current = st.session_state.get(f"{prefix}_current_logo")
    if current:
        st.image(current, caption=_("Logo actuel : envoyez-en un autre pour le remplacer."), width=96)
    logo_uploader(f"{prefix}_logo")
    field_error(errors, "logo")
    text("siret", _("SIRET, SIREN ou numéro RNA (facultatif)"), 40,
         help=_("Le numéro de l'établissement au répertoire Sirene, ou celui d'une association (W…)."))
    if settings.sirene_url():
        register_prefill(prefix)
    place_fields(prefix, errors, text, for_staff=for_staff)


def register_prefill(prefix: str) -> None:
    """The button that fills the name and address from the company register, and what it found."""
    st.button(_("Compléter depuis le répertoire des entreprises"), key=f"{prefix}_register",
              on_click=_fill_from_register, args=(prefix,), icon=":material/domain:")
    found = st.session_state.get(f"{prefix}_register_found")
    if isinstance(found, Establishment):
        created = format_date(found.created, current_language(), style="long") if found.created else "—"
        st.info(_("Trouvé au répertoire : {name}, activité {activity}, créé le {created}{closed}. Nom et adresse "
                  "sont repris ci-dessus : vérifiez-les.", name=found.name, activity=found.activity or "—",
                  created=created, closed="" if found.open else _(" — établissement fermé")),
                icon=":material/domain:")
    elif found is not None:
        st.warning(say(found), icon=":material/cloud_off:")


def place_fields(prefix: str, errors: dict[str, Message], text: Callable[..., None], *, for_staff: bool) -> None:
    """Where to find the organisation; staff also say its mediation services, precision and notes."""
    st.subheader(_("Où la trouver"))
    text("address", _("Adresse"), ADDRESS_MAX)
    text("city", _("Ville"), CITY_MAX)
    text("opening_hours", _("Horaires d'ouverture (facultatif)"), HOURS_MAX, placeholder="Mo-Fr 09:00-18:00; PH off",
         help=_("Dans la syntaxe d'OpenStreetMap : Mo, Tu, We, Th, Fr, Sa, Su pour les jours, PH pour les jours "
                "fériés ; par exemple « Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00; PH off »."))
    text("accessibility_url", _("Page acceslibre du lieu (facultatif)"), URL_MAX,
         placeholder="https://acceslibre.beta.gouv.fr/…")
    text("accessibility_note", _("Accessibilité, en une phrase (facultatif)"), SHORT_TEXT_MAX,
         placeholder=_("Par exemple : entrée de plain-pied, ascenseur, boucle magnétique."))
    position_picker(prefix, _("Cliquez sur la carte pour placer l'organisation, ou saisissez ses coordonnées."))
    field_error(errors, "position")
    if for_staff:
        text("postal_code", _("Code postal"), 5, help=_("Requis pour un lieu de médiation numérique."))
        st.multiselect(_("Services de médiation numérique (standard national)"), list(mediation.SERVICES),
                       key=f"{prefix}_mediation_services", format_func=_, select_all=False,
                       placeholder=_("Aucun : ce n'est pas un lieu de médiation"),
                       help=_("Les lieux qui en offrent sont publiés aussi au standard national « Lieux de "
                              "médiation numérique », pour la cartographie nationale."))
        field_error(errors, "mediation_services")
        precision_labels = {p.value: _(PRECISION_LABELS[p]) for p in (Precision.EXACT, Precision.APPROXIMATE)}
        st.radio(_("Précision de la position"), list(precision_labels), key=f"{prefix}_precision",
                 format_func=precision_labels.get, horizontal=True)
        text("notes", _("Notes de l'équipe (jamais publiées)"), LONG_TEXT_MAX, area=True,
             help=_("Ce qui a été vérifié, où et quand."))


def _fill_from_register(prefix: str) -> None:
    """What the register says of the number typed, put into the form for the person to check."""
    state = st.session_state
    try:
        number = clean_company_number(state.get(f"{prefix}_siret"))
        found = register.look_up(number)
    except Invalid as invalid:
        state[f"{prefix}_register_found"] = invalid.message
        return
    except Refusal as refused:
        state[f"{prefix}_register_found"] = refused.message
        return
    state[f"{prefix}_register_found"] = found
    state[f"{prefix}_siret"] = found.siret
    state[f"{prefix}_name"] = found.name
    state[f"{prefix}_address"] = found.address
    state[f"{prefix}_city"] = found.city
    if found.latitude is not None and found.longitude is not None:
        state[f"{prefix}_latitude"], state[f"{prefix}_longitude"] = str(found.latitude), str(found.longitude)


def read_partner_form(prefix: str) -> PartnerForm:
    state = st.session_state
    return PartnerForm(**{name: state.get(f"{prefix}_{name}") or "" for name in TEXT_FIELDS + STAFF_TEXT_FIELDS},
                       kind=state.get(f"{prefix}_kind") or "", latitude=state.get(f"{prefix}_latitude"),
                       longitude=state.get(f"{prefix}_longitude"),
                       precision=state.get(f"{prefix}_precision") or Precision.EXACT,
                       mediation_services=state.get(f"{prefix}_mediation_services") or [],
                       logo=upload.getvalue() if (upload := state.get(f"{prefix}_logo")) is not None else None)


def fill_partner_form(prefix: str, partner: Partner) -> None:
    """Put a stored listing into the widgets, before they are drawn."""
    for name in TEXT_FIELDS + STAFF_TEXT_FIELDS:
        st.session_state[f"{prefix}_{name}"] = getattr(partner, name) or ""
    st.session_state[f"{prefix}_kind"] = partner.kind
    st.session_state[f"{prefix}_mediation_services"] = [
        service for service in mediation.SERVICES if service in (partner.mediation_services or "").split("; ")]
    st.session_state[f"{prefix}_current_logo"] = partner.logo
    st.session_state[f"{prefix}_latitude"] = "" if partner.latitude is None else str(partner.latitude)
    st.session_state[f"{prefix}_longitude"] = "" if partner.longitude is None else str(partner.longitude)
    # Plain strings, as the radio's options are (Streamlit refuses an enum member there).
    st.session_state[f"{prefix}_precision"] = (Precision.APPROXIMATE.value if partner.precision == Precision.APPROXIMATE
                                               else Precision.EXACT.value)
