"""The programme as open data: one row per session (to come and of the last 90 days, cancelled
ones kept), as CSV and JSON, described by a published Table Schema. No personal data: counts only."""

from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd

from directory import addresses
from directory.listings.exports import neutralise_formula
from directory.listings.schema import text_column
from directory.models import LONG_TEXT_MAX, NAME_MAX, SHORT_TEXT_MAX, Audience, Level, SessionKind
from directory.programme.agenda import session_page

SCHEMA_VERSION = "1.0.0"
STATUSES = ("scheduled", "cancelled")


FIELDS: list[dict[str, Any]] = [
    {"name": "id", "title": "Identifiant", "description": "Numéro de la séance dans Vitrine, stable.",
     "type": "integer", "constraints": {"required": True, "unique": True, "minimum": 1}},
    {"name": "url", "title": "Page", "description": "La page publique de la séance.", "type": "string",
     "format": "uri", "constraints": {"required": True}},
    {"name": "kind", "title": "Type", "description": "workshop : atelier pratique ; conference : conférence ; "
                                                     "drop_in : permanence.",
     "type": "string", "constraints": {"required": True, "enum": [kind.value for kind in SessionKind]}},
    text_column("title", "Titre", "Titre de la séance, en français.", NAME_MAX, required=True),
    text_column("title_en", "Titre (anglais)", "Le titre en anglais, s'il est donné.", NAME_MAX),
    text_column("description", "Description", "Ce que les participants apprendront ou feront.", LONG_TEXT_MAX),
    {"name": "audiences", "title": "Publics",
     "description": "Publics visés, séparés par « | » : " + ", ".join(audience.value for audience in Audience) + ".",
     "type": "string", "constraints": {"required": True,
                                       "pattern": "^(" + "|".join(a.value for a in Audience) + r")(\|("
                                                  + "|".join(a.value for a in Audience) + "))*$"}},
    {"name": "level", "title": "Niveau", "description": "beginner, intermediate ou advanced.", "type": "string",
     "constraints": {"enum": [level.value for level in Level]}},
    {"name": "start", "title": "Début", "description": "Date et heure de début (ISO 8601, avec le décalage).",
     "type": "datetime", "format": "any", "constraints": {"required": True}},
    {"name": "end", "title": "Fin", "description": "Date et heure de fin (ISO 8601, avec le décalage).",
     "type": "datetime", "format": "any", "constraints": {"required": True}},
    text_column("room", "Salle", "Salle de l'atelier.", NAME_MAX),
    text_column("organiser", "Animé par", "L'organisation partenaire qui anime la séance.", NAME_MAX, required=True),
    {"name": "organiser_url", "title": "Page de l'organisation", "description": "Sa fiche dans l'annuaire.",
     "type": "string", "format": "uri"},
    {"name": "places", "title": "Places", "description": "Nombre de places.", "type": "integer",
     "constraints": {"required": True, "minimum": 1}},
    {"name": "places_left", "title": "Places libres", "description": "Places encore libres à l'export.",
     "type": "integer", "constraints": {"required": True, "minimum": 0}},
    text_column("bring", "À apporter", "Ce que les participants apportent.", SHORT_TEXT_MAX),
    text_column("accessibility", "Accessibilité", "Ce que la séance prévoit pour l'accessibilité.", SHORT_TEXT_MAX),
    {"name": "status", "title": "Statut", "description": "scheduled : au programme ; cancelled : annulée.",
     "type": "string", "constraints": {"required": True, "enum": list(STATUSES)}},
    {"name": "is_example", "title": "Exemple", "description": "True pour une séance des données de démonstration.",
     "type": "boolean", "constraints": {"required": True}},
]
COLUMNS = [field["name"] for field in FIELDS]
FREE_TEXT = ("title", "title_en", "description", "room", "organiser", "bring", "accessibility")


def programme_rows(entries: list[dict], *, base_url: str) -> list[dict[str, Any]]:
    return [{
        "id": entry["id"], "url": session_page(base_url, entry["slug"], "fr"), "kind": entry["kind"],
        "title": entry["title"], "title_en": entry["title_en"], "description": entry["description"],
        "audiences": "|".join(entry["audiences"]), "level": entry["level"],
        "start": entry["starts_at"].isoformat(), "end": entry["ends_at"].isoformat(), "room": entry["room"],
        "organiser": entry["partner_name"],
        "organiser_url": addresses.partner_page(base_url, entry["partner_slug"]) if entry["partner_slug"] else "",
        "places": entry["places"], "places_left": entry["places_left"], "bring": entry["bring"],
        "accessibility": entry["accessibility"], "status": "cancelled" if entry["cancelled"] else "scheduled",
        "is_example": entry["is_example"],
    } for entry in entries]


def programme_csv(rows: list[dict[str, Any]]) -> bytes:
    """UTF-8 CSV (with a byte order mark for spreadsheets); free text guarded against formulas."""
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in FREE_TEXT:
        frame[column] = frame[column].map(neutralise_formula)
    output = io.StringIO()
    frame.to_csv(output, index=False)
    return ("\ufeff" + output.getvalue()).encode()


def programme_json(rows: list[dict[str, Any]], *, base_url: str) -> bytes:
    return json.dumps({"licence": addresses.LICENCE_NAME, "licence_url": addresses.LICENCE_URL,
                       "schema": addresses.at(base_url, "programme_schema"), "sessions": rows},
                      ensure_ascii=False, indent=1).encode()


def programme_table_schema(base_url: str) -> dict[str, Any]:
    return {
        "$schema": "https://frictionlessdata.io/schemas/table-schema.json",
        "name": "vitrine-programme",
        "title": "Programme de l'Atelier Numérique de Saint-Étienne",
        "description": "Les ateliers pratiques, conférences et permanences que les partenaires de l'atelier animent, "
                       "gratuits et ouverts au public, une ligne par séance.",
        "countryCode": "FR", "homepage": base_url,
        "path": addresses.at(base_url, "programme_schema"),
        "example": addresses.at(base_url, "programme_data", format="csv"),
        "version": SCHEMA_VERSION,
        "contributors": [{"title": addresses.ATTRIBUTION, "role": "author"}],
        "licenses": [{"name": "etalab-2.0", "title": addresses.LICENCE_NAME, "path": addresses.LICENCE_URL}],
        "missingValues": [""],
        "fields": FIELDS,
        "primaryKey": "id",
    }
