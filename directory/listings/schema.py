"""The Table Schema (Frictionless, as schema.data.gouv.fr publishes them) of the directory's CSV
export, `/donnees/partenaires.csv`: one description per column of `exports.EXPORT_COLUMNS`, in
their order (a test keeps them in step)."""

from __future__ import annotations

from typing import Any

from directory import addresses
from directory.listings.hours import HOURS_MAX
from directory.models import (
    ADDRESS_MAX,
    CITY_MAX,
    LONG_TEXT_MAX,
    NAME_MAX,
    SHORT_TEXT_MAX,
    TAGS_MAX,
    PartnerKind,
    Precision,
)

SCHEMA_VERSION = "1.1.0"


def text_column(name: str, title: str, description: str, max_length: int, *, required: bool = False) -> dict[str, Any]:
    constraints: dict[str, Any] = {"maxLength": max_length}
    if required:
        constraints["required"] = True
    return {"name": name, "title": title, "description": description, "type": "string", "constraints": constraints}


FIELDS: list[dict[str, Any]] = [
    {"name": "id", "title": "Identifiant", "description": "Numéro de la fiche dans Vitrine, stable.",
     "type": "integer", "constraints": {"required": True, "unique": True, "minimum": 1}},
    text_column("name", "Nom", "Nom de l'organisation.", NAME_MAX, required=True),
    {"name": "kind", "title": "Type", "description": "Type d'organisation.", "type": "string",
     "constraints": {"required": True, "enum": [kind.value for kind in PartnerKind]}},
    text_column("short_description", "Description courte", "Ce que fait l'organisation, en une phrase.",
                SHORT_TEXT_MAX),
    text_column("description", "Description", "Description détaillée, en français.", LONG_TEXT_MAX),
    text_column("short_description_en", "Description courte (anglais)", "La description courte en anglais.",
          SHORT_TEXT_MAX),
    text_column("description_en", "Description (anglais)", "La description détaillée en anglais.", LONG_TEXT_MAX),
    text_column("sectors", "Secteurs", "Secteurs d'activité, séparés par « ; ».", TAGS_MAX),
    text_column("networks", "Réseaux", "Réseaux dont l'organisation est membre, séparés par « ; ».", TAGS_MAX),
    text_column("other_names", "Autres noms", "Autres noms sous lesquels elle est connue, séparés par « ; ».",
                TAGS_MAX),
    text_column("address", "Adresse", "Adresse postale (rue).", ADDRESS_MAX),
    text_column("city", "Commune", "Commune.", CITY_MAX),
    {"name": "latitude", "title": "Latitude", "description": "Latitude WGS 84 (degrés décimaux).",
     "type": "number", "constraints": {"minimum": -90, "maximum": 90}},
    {"name": "longitude", "title": "Longitude", "description": "Longitude WGS 84 (degrés décimaux).",
     "type": "number", "constraints": {"minimum": -180, "maximum": 180}},
    {"name": "precision", "title": "Précision de la position",
     "description": "exact : à l'adresse ; approximate : estimée (quartier, commune) ; unknown : pas de position.",
     "type": "string", "constraints": {"enum": [precision.value for precision in Precision]}},
    {"name": "website", "title": "Site web", "description": "Adresse du site, en http ou https.",
     "type": "string", "format": "uri"},
    {"name": "contact_email", "title": "E-mail de contact", "description": "Adresse publique de contact.",
     "type": "string", "format": "email"},
    {"name": "contact_phone", "title": "Téléphone",
     "description": "Téléphone public, au format international E.164 (exemple : +33477430977).", "type": "string",
     "constraints": {"pattern": r"^\+[1-9]\d{5,14}$"}},
    {"name": "siret", "title": "SIRET, SIREN ou RNA",
     "description": "Numéro SIRET (14 chiffres) ou SIREN (9) de l'organisation, ou RNA d'une association (W et "
                    "9 chiffres), s'il est connu.", "type": "string",
     "constraints": {"pattern": r"^(\d{9}|\d{14}|W\d{9})$"}},
    text_column("opening_hours", "Horaires d'ouverture",
          "Dans la syntaxe opening_hours d'OpenStreetMap (heure de Paris, jours fériés français).", HOURS_MAX),
    {"name": "accessibility_url", "title": "Page acceslibre",
     "description": "La page du lieu sur acceslibre.beta.gouv.fr.", "type": "string", "format": "uri"},
    text_column("accessibility_note", "Accessibilité", "L'accès au lieu, en une phrase.", SHORT_TEXT_MAX),
    {"name": "is_demo", "title": "Donnée de démonstration",
     "description": "True pour une organisation fictive des données de démonstration.", "type": "boolean",
     "constraints": {"required": True}},
    {"name": "last_verified", "title": "Vérifiée le",
     "description": "Date à laquelle l'équipe ou l'organisation a vérifié la fiche.", "type": "date"},
]


def table_schema(base_url: str) -> dict[str, Any]:
    """The schema, with where it lives and what it describes on the site `base_url`."""
    return {
        "$schema": "https://frictionlessdata.io/schemas/table-schema.json",
        "name": "vitrine-partenaires",
        "title": "Annuaire de l'écosystème numérique de Saint-Étienne",
        "description": "Les organisations de l'écosystème numérique stéphanois (atelier numérique, pépinières, "
                       "écoles, startups, réseaux…) publiées par Vitrine, une ligne par organisation.",
        "countryCode": "FR",
        "homepage": base_url,
        "path": addresses.at(base_url, "open_data_schema"),
        "example": addresses.at(base_url, "open_data", format="csv"),
        "version": SCHEMA_VERSION,
        "contributors": [{"title": addresses.ATTRIBUTION, "role": "author"}],
        "licenses": [{"name": "etalab-2.0", "title": addresses.LICENCE_NAME, "path": addresses.LICENCE_URL}],
        "missingValues": [""],
        "fields": FIELDS,
        "primaryKey": "id",
    }
