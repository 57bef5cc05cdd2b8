"""What a person types to describe an organisation, and how it is checked: every field cleaned
at once (the errors named per field), and one live listing per company number."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from directory.i18n import N_
from directory.images import clean_logo
from directory.listings.hours import clean_opening_hours
from directory.listings.mediation import clean_postal_code, clean_services
from directory.models import (
    ADDRESS_MAX,
    CITY_MAX,
    LIVE_STATES,
    LONG_TEXT_MAX,
    NAME_MAX,
    SHORT_TEXT_MAX,
    TAGS_MAX,
    URL_MAX,
    Partner,
    PartnerKind,
    Precision,
)
from directory.validation import (
    FormCheck,
    FormErrors,
    Message,
    clean_choice,
    clean_company_number,
    clean_coordinates,
    clean_email,
    clean_phone,
    clean_tags,
    clean_text,
    clean_url,
)


@dataclass
class PartnerForm:
    """What a person types to describe an organisation, before cleaning."""

    name: str = ""
    kind: str = ""
    short_description: str = ""
    description: str = ""
    sectors: str | list[str] = ""
    networks: str | list[str] = ""
    address: str = ""
    city: str = ""
    latitude: Any = None
    longitude: Any = None
    precision: str = Precision.EXACT
    website: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    siret: str = ""
    opening_hours: str = ""
    accessibility_url: str = ""
    accessibility_note: str = ""
    logo: bytes | None = None  # a new logo uploaded; None keeps the current one
    # Written by staff only.
    mediation_services: str | list[str] = ""
    postal_code: str = ""
    short_description_en: str = ""
    description_en: str = ""
    other_names: str = ""
    notes: str = ""


def clean_partner_form(form: PartnerForm, check: FormCheck, *,
                       short_description_required: bool = True) -> dict[str, Any]:
    """The column values of a partner, or errors recorded in `check` for each faulty field."""
    values = {
        "name": check("name", clean_text, form.name, max_length=NAME_MAX, required=True),
        "kind": check("kind", clean_choice, form.kind, PartnerKind),
        "short_description": check("short_description", clean_text, form.short_description,
                                   max_length=SHORT_TEXT_MAX, required=short_description_required),
        "description": check("description", clean_text, form.description,
                             max_length=LONG_TEXT_MAX, multiline=True),
        "sectors": check("sectors", clean_tags, form.sectors, max_length=TAGS_MAX),
        "networks": check("networks", clean_tags, form.networks, max_length=TAGS_MAX),
        "address": check("address", clean_text, form.address, max_length=ADDRESS_MAX),
        "city": check("city", clean_text, form.city, max_length=CITY_MAX),
        "website": check("website", clean_url, form.website, max_length=URL_MAX),
        "contact_email": check("contact_email", clean_email, form.contact_email),
        "contact_phone": check("contact_phone", clean_phone, form.contact_phone),
        "siret": check("siret", clean_company_number, form.siret),
        "opening_hours": check("opening_hours", clean_opening_hours, form.opening_hours),
        "accessibility_url": check("accessibility_url", clean_url, form.accessibility_url, max_length=URL_MAX),
        "accessibility_note": check("accessibility_note", clean_text, form.accessibility_note,
                                    max_length=SHORT_TEXT_MAX),
        "short_description_en": check("short_description_en", clean_text, form.short_description_en,
                                      max_length=SHORT_TEXT_MAX),
        "description_en": check("description_en", clean_text, form.description_en,
                                max_length=LONG_TEXT_MAX, multiline=True),
        "other_names": check("other_names", clean_tags, form.other_names, max_length=TAGS_MAX),
        "notes": check("notes", clean_text, form.notes, max_length=LONG_TEXT_MAX, multiline=True),
        "mediation_services": check("mediation_services", clean_services, form.mediation_services),
        "postal_code": check("postal_code", clean_postal_code, form.postal_code),
    }
    if values["mediation_services"]:  # the national standard requires where the place is
        for name in ("address", "postal_code", "city"):
            if not values[name] and name not in check.errors:
                check.errors[name] = Message(N_("Obligatoire pour un lieu de médiation numérique (standard "
                                                "national)."))
    if form.logo:
        logo, logo_type = check("logo", clean_logo, form.logo) or (None, "")
        if logo:
            values["logo"], values["logo_type"] = logo, logo_type
    position = check("position", clean_coordinates, form.latitude, form.longitude)
    latitude, longitude = position or (None, None)
    values["latitude"], values["longitude"] = latitude, longitude
    values["precision"] = (
        Precision.UNKNOWN if latitude is None
        else check("precision", clean_choice, form.precision or Precision.EXACT, Precision)
    )
    return values


def refuse_taken_number(session: Session, siret: str, partner_id: int | None = None) -> None:
    """A company number names one live listing: a second one is refused, naming the first."""
    if not siret:
        return
    taken = session.execute(select(Partner.id, Partner.name).where(
        Partner.siret == siret, Partner.state.in_(LIVE_STATES), Partner.id != (partner_id or 0))
        .order_by(Partner.id).limit(1)).first()
    if taken is not None:
        raise FormErrors({"siret": Message(N_("Ce numéro est déjà celui de la fiche « {name} » (n°{number}) : "
                                              "proposez plutôt une mise à jour de cette fiche."),
                                           {"name": taken.name, "number": taken.id})})


def cleaned_partner_form(form: PartnerForm) -> dict[str, Any]:
    """The column values of a partner, or FormErrors naming every faulty field."""
    check = FormCheck()
    values = clean_partner_form(form, check)
    check.raise_if_invalid()
    return values
