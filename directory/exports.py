"""Open-data exports: CSV safe to open in a spreadsheet, GeoJSON, and iCalendar."""

from __future__ import annotations

import json

import pandas as pd
from icalendar import Calendar, Event

from directory.clock import utcnow
from directory.i18n import N_, translate
from directory.showcase import ATELIER_ADDRESS

EXPORT_COLUMNS = [
    "id", "name", "kind", "short_description", "description", "short_description_en",
    "description_en", "sectors", "networks", "address", "city", "latitude", "longitude",
    "precision", "website", "contact_email", "contact_phone", "is_demo", "last_verified",
]
# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def partners_csv(partners: pd.DataFrame, *, with_state: bool = False) -> bytes:
    """UTF-8 with a BOM, so spreadsheets guess the encoding; text cells neutralised."""
    frame = partners[EXPORT_COLUMNS + (["state"] if with_state else [])].copy()
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(neutralise_formula)
    return frame.to_csv(index=False).encode("utf-8-sig")


def partners_geojson(partners: pd.DataFrame) -> bytes:
    """RFC 7946 GeoJSON; partners with no known position have a null geometry."""
    features = []
    for row in partners[EXPORT_COLUMNS].itertuples(index=False):
        record = row._asdict()
        latitude, longitude = record.pop("latitude"), record.pop("longitude")
        placed = pd.notna(latitude) and pd.notna(longitude)
        if record["last_verified"] is not None and pd.notna(record["last_verified"]):
            record["last_verified"] = str(record["last_verified"])
        else:
            record["last_verified"] = None
        record["is_demo"] = bool(record["is_demo"])
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(longitude, 6), round(latitude, 6)]}
            if placed else None,
            "properties": record,
        })
    return json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False).encode("utf-8")


def showcases_ics(showcases: list[dict], language: str) -> bytes:
    """An iCalendar feed of showcases (one VEVENT each), in UTC so every calendar agrees."""
    calendar = Calendar()
    calendar.add("prodid", "-//Vitrine//Atelier Numérique Saint-Étienne//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", translate(N_("Vitrines des startups — Atelier Numérique"), language))
    stamp = utcnow()
    for show in showcases:
        event = Event()
        event.add("uid", f"showcase-{show['id']}@vitrine.saint-etienne")
        event.add("dtstamp", stamp)
        event.add("dtstart", show["starts_at"])
        event.add("dtend", show["ends_at"])
        title = translate(N_("Vitrine des startups"), language)
        event.add("summary", f"{title} — {show['theme']}" if show["theme"] else title)
        event.add("location", ATELIER_ADDRESS)
        presenting = "\n".join(f"• {s['organisation']} : {s['pitch_summary']}" for s in show["startups"])
        event.add("description", presenting or translate(N_("Programme à venir."), language))
        calendar.add_component(event)
    return calendar.to_ical()
