"""The national standard of places of digital mediation ("Lieux de médiation numérique", LaMednum):
the listings staff marked as such (the atelier first) published in its columns, so that the
national map (cartographie nationale des lieux d'inclusion numérique) and data.inclusion can
gather them. The standard's Table Schema ships in `standards/` exactly as LaMednum publishes it
(v1.0.2, unchanged: a test compares it with the published file), and the export is validated against it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from directory import addresses
from directory.i18n import N_
from directory.listings.exports import guarded
from directory.validation import Invalid

SCHEMA_FILE = Path(__file__).with_name("standards") / "lieux-mediation-numerique-schema-v1.0.2.json"
# The standard's vocabulary of services, in its words (the values published; staff read them translated).
SERVICES = (N_("Aide aux démarches administratives"), N_("Maîtrise des outils numériques du quotidien"),
            N_("Insertion professionnelle via le numérique"), N_("Utilisation sécurisée du numérique"),
            N_("Parentalité et éducation avec le numérique"), N_("Loisirs et créations numériques"),
            N_("Compréhension du monde numérique"), N_("Accès internet et matériel informatique"),
            N_("Acquisition de matériel informatique à prix solidaire"))
# The standard requires a pivot (a SIRET, or an RNA number) and gives no value for a place that has
# neither; the national map's own data writes fourteen zeros for it, and so does Vitrine (README).
NO_PIVOT = "00000000000000"
# Several values in one cell are separated by "|" (the standard's rule).
SEPARATOR = "|"
# Text people type freely, neutralised for spreadsheets; every other column is constrained by the standard.
FREE_TEXT = frozenset({"nom", "commune", "adresse", "courriels", "presentation_resume", "presentation_detail",
                       "source", "structure_parente"})
# The standard's international prefixes (`telephone`'s pattern): France and its overseas territories.
_STANDARD_PHONE = re.compile(r"^\+(33|590|594|262|596|269|687|689|508|681)\d{6,9}$")
SUMMARY_MAX = 280
_POSTAL_CODE = re.compile(r"^\d{5}$")


@cache
def standard_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


# The standard's exact version, as its publisher names it (the schema's own `uri`): what the export conforms to.
STANDARD_URI = standard_schema()["uri"]


def columns() -> list[str]:
    return [field["name"] for field in standard_schema()["fields"]]


def clean_services(value: str | list[str] | None) -> str:
    chosen = value if isinstance(value, list) else [item.strip() for item in (value or "").split(";")]
    unknown = [item for item in chosen if item and item not in SERVICES]
    if unknown:
        raise Invalid(N_("Service inconnu du standard national : {service}."), service=unknown[0])
    return "; ".join(item for item in SERVICES if item in chosen)


def clean_postal_code(value: str | None) -> str:
    text = (value or "").strip().replace(" ", "")
    if text and not _POSTAL_CODE.match(text):
        raise Invalid(N_("Code postal invalide : cinq chiffres (exemple : 42000)."))
    return text


def standard_phone(phone: str) -> str:
    """The stored E.164 number, if the standard takes it (France and its overseas territories)."""
    return phone if _STANDARD_PHONE.match(phone or "") else ""


def summary(text: str) -> str:
    """The short description within the standard's 280 characters, cut at a word."""
    if len(text) <= SUMMARY_MAX:
        return text
    return text[:SUMMARY_MAX - 1].rsplit(" ", 1)[0] + "…"


def mediation_places_csv(partners: pd.DataFrame, parents: Mapping[int, str]) -> bytes:
    """The published listings that offer mediation services, in the standard's columns and order.
    (`partners`: the published directory with every column; `parents`: `relations.parent_names`.)"""
    places = partners[partners["mediation_services"].fillna("") != ""]
    rows = []
    for place in places.to_dict("records"):
        changed = place.get("last_verified") or place.get("updated_at")
        rows.append({
            "id": f"vitrine-{place['slug'] or place['id']}", "pivot": place["siret"] or NO_PIVOT, "nom": place["name"],
            "commune": place["city"], "code_postal": place["postal_code"], "adresse": place["address"],
            "latitude": None if pd.isna(place["latitude"]) else round(place["latitude"], 6),
            "longitude": None if pd.isna(place["longitude"]) else round(place["longitude"], 6),
            "telephone": standard_phone(place["contact_phone"]), "courriels": place["contact_email"],
            "site_web": place["website"], "horaires": place["opening_hours"],
            "presentation_resume": summary(place["short_description"]), "presentation_detail": place["description"],
            "source": addresses.ATTRIBUTION, "itinerance": "Fixe", "structure_parente": parents.get(place["id"], ""),
            "date_maj": str(changed)[:10] if changed is not None and not pd.isna(changed) else "",
            "services": SEPARATOR.join(item.strip() for item in place["mediation_services"].split(";")),
            "fiche_acces_libre": place["accessibility_url"],
        })
    return guarded(pd.DataFrame(rows, columns=columns()), FREE_TEXT).to_csv(index=False).encode("utf-8")
