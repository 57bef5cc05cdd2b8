"""Open-data exports of the directory: CSV safe to open in a spreadsheet, GeoJSON, and JSON."""

from __future__ import annotations

import json

import pandas as pd

from directory import addresses
from directory.i18n import translate
from directory.models import KIND_LABELS

EXPORT_COLUMNS = [
    "id", "name", "kind", "short_description", "description", "short_description_en",
    "description_en", "sectors", "networks", "other_names", "address", "city", "latitude", "longitude",
    "precision", "website", "contact_email", "contact_phone", "siret", "opening_hours", "accessibility_url",
    "accessibility_note", "is_demo", "last_verified",
]
# What staff export besides: enough to import the file back without losing anything.
STAFF_COLUMNS = ["postal_code", "mediation_services", "source", "notes", "state"]
# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Columns whose values were checked on the way in (numbers, dates, vocabularies, URLs, E.164 phone
# numbers, OSM opening hours) are written as they are: a guard would break them ("+33…"). Text people
# type freely is guarded, e-mail addresses too (a valid one may start with "=").
FREE_TEXT_COLUMNS = frozenset({
    "name", "short_description", "description", "short_description_en", "description_en", "sectors", "networks",
    "other_names", "address", "city", "contact_email", "accessibility_note", "source", "notes"})


def neutralise_formula(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def partners_csv(partners: pd.DataFrame, *, for_staff: bool = False) -> bytes:
    """UTF-8 with a BOM, so spreadsheets guess the encoding; text cells neutralised. Staff get
    their own columns too (`for_staff`)."""
    frame = partners[EXPORT_COLUMNS + (STAFF_COLUMNS if for_staff else [])].copy()
    return guarded(frame, FREE_TEXT_COLUMNS).to_csv(index=False).encode("utf-8-sig")


def guarded(frame: pd.DataFrame, free_text: frozenset[str]) -> pd.DataFrame:
    """The frame with its free-text columns neutralised for spreadsheets, the others untouched."""
    for column in free_text & set(frame.columns):
        frame[column] = frame[column].map(neutralise_formula)
    return frame


def _public_records(partners: pd.DataFrame, *, base_url: str, language: str) -> list[dict]:
    """The export columns of each partner as JSON values, with its kind in the reader's language,
    the address of its public page and its relations to other listings. Built column by column:
    pandas' own row records cost several times more."""
    columns = {column: partners[column].tolist() for column in EXPORT_COLUMNS + ["slug"]}
    for column in ("latitude", "longitude"):
        columns[column] = [None if pd.isna(value) else value for value in columns[column]]
    columns["last_verified"] = [None if pd.isna(value) else str(value)[:10] for value in columns["last_verified"]]
    columns["is_demo"] = [bool(value) for value in columns["is_demo"]]
    kind_labels = {kind.value: translate(label, language) for kind, label in KIND_LABELS.items()}
    columns["kind_label"] = [kind_labels.get(kind, kind) for kind in columns["kind"]]
    columns["url"] = [addresses.partner_page(base_url, slug, language) if slug else None for slug in columns["slug"]]
    # "incubée par", "membre de"…: the published listings each one names, by number and name.
    related = partners["relations"] if "relations" in partners else [()] * len(partners)
    columns["relations"] = [[{"relation": kind, "id": other_id, "name": name} for kind, other_id, name in found]
                            for found in related]
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def _licence() -> dict:
    return {"licence": addresses.LICENCE_NAME, "licence_url": addresses.LICENCE_URL,
            "attribution": addresses.ATTRIBUTION}


def partners_geojson(partners: pd.DataFrame, *, base_url: str = "", language: str = "fr") -> bytes:
    """RFC 7946 GeoJSON; partners with no known position have a null geometry. The licence
    travels as foreign members of the collection."""
    features = []
    for record in _public_records(partners, base_url=base_url, language=language):
        latitude, longitude = record.pop("latitude"), record.pop("longitude")
        placed = latitude is not None and longitude is not None
        features.append({
            "type": "Feature", "id": record["id"],
            "geometry": {"type": "Point", "coordinates": [round(longitude, 6), round(latitude, 6)]}
            if placed else None,
            "properties": record,
        })
    return json.dumps({"type": "FeatureCollection", **_licence(), "features": features},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def partners_json(partners: pd.DataFrame, *, base_url: str, language: str = "fr") -> bytes:
    """The same rows as plain JSON records, for scripts and spreadsheets that read JSON."""
    records = _public_records(partners, base_url=base_url, language=language)
    return json.dumps({**_licence(), "count": len(records), "partners": records},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")
