"""The catalogue of what Vitrine publishes, in DCAT-AP (JSON-LD), for data.gouv.fr and any DCAT
harvester: each dataset with its titles and descriptions in French and English, licence,
publisher, contact point, last change and distributions with their media types.

Every node a property points to carries the class DCAT-AP 2.1.1 expects of it (`dct:LicenseDocument`,
`dct:MediaType`…): harvesters do not infer them, and the SEMIC range shapes check them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from directory import addresses, settings
from directory.clock import aware
from directory.db import read_session
from directory.listings import mediation
from directory.models import ListingState, Partner, ProgrammeSession, ShowcaseSlot

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
EU_FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
LANGUAGES = [{"@id": "http://publications.europa.eu/resource/authority/language/FRA", "@type": "dct:LinguisticSystem"},
             {"@id": "http://publications.europa.eu/resource/authority/language/ENG", "@type": "dct:LinguisticSystem"}]
LICENCE = {"@id": addresses.LICENCE_URL, "@type": "dct:LicenseDocument"}
PUBLISHER = "Atelier Numérique Google Saint-Étienne"


def _both(french: str, english: str) -> list[dict[str, str]]:
    return [{"@value": french, "@language": "fr"}, {"@value": english, "@language": "en"}]


def _standard(uri: str) -> dict[str, str]:
    return {"@id": uri, "@type": "dct:Standard"}


def _page(url: str) -> dict[str, str]:
    return {"@id": url, "@type": "foaf:Document"}


def _moment(value: datetime | None) -> dict[str, str] | None:
    return {"@value": aware(value).isoformat(timespec="seconds"), "@type": "xsd:dateTime"} if value else None


def _distribution(url: str, media_type: str, file_type: str, title: tuple[str, str], *,
                  conforms_to: str = "") -> dict[str, Any]:
    distribution = {
        "@id": url, "@type": "dcat:Distribution", "dct:title": _both(*title),
        "dcat:accessURL": {"@id": url}, "dcat:downloadURL": {"@id": url},
        "dcat:mediaType": {"@id": MEDIA_TYPES + media_type, "@type": "dct:MediaType"},
        "dct:format": {"@id": EU_FILE_TYPES + file_type, "@type": "dct:MediaTypeOrExtent"},
        "dct:license": LICENCE,
    }
    if conforms_to:
        distribution["dct:conformsTo"] = _standard(conforms_to)
    return distribution


def last_changes(engine: Engine) -> tuple[datetime | None, datetime | None, datetime | None]:
    """When the published directory, the showcases and the programme last changed."""
    with read_session(engine) as session:
        return tuple(session.execute(select(
            select(func.max(Partner.updated_at)).where(Partner.state == ListingState.PUBLISHED).scalar_subquery(),
            select(func.max(ShowcaseSlot.updated_at)).scalar_subquery(),
            select(func.max(ProgrammeSession.updated_at)).scalar_subquery())).one())


def catalogue(base: str, *, directory_changed: datetime | None, agenda_changed: datetime | None,
              programme_changed: datetime | None = None) -> dict[str, Any]:
    """The DCAT-AP catalogue of the site `base` (ending with "/")."""
    publisher = {"@id": base + "#publisher", "@type": ["foaf:Organization", "foaf:Agent"], "foaf:name": PUBLISHER,
                 "foaf:homepage": _page(base)}
    contact: dict[str, Any] = {"@type": ["vcard:Organization", "vcard:Kind"], "vcard:fn": PUBLISHER}
    if settings.contact_email():
        contact["vcard:hasEmail"] = {"@id": "mailto:" + settings.contact_email()}
    else:
        contact["vcard:hasURL"] = {"@id": base}
    common = {"dct:publisher": publisher, "dcat:contactPoint": contact, "dct:license": LICENCE,
              "dct:language": LANGUAGES, "dcat:landingPage": _page(base),
              "dct:spatial": {"@type": "dct:Location", "dct:title": _both("Saint-Étienne (Loire)",
                                                                          "Saint-Étienne (Loire, France)")}}
    schema = addresses.at(base, "open_data_schema")
    directory = {
        "@id": base + "#annuaire", "@type": "dcat:Dataset", "dct:identifier": "vitrine-partenaires",
        "dct:title": _both("Annuaire de l'écosystème numérique de Saint-Étienne",
                           "Directory of the digital ecosystem of Saint-Étienne"),
        "dct:description": _both(
            "Les organisations de l'écosystème numérique stéphanois publiées par Vitrine : atelier numérique, "
            "pépinières, écoles, startups, réseaux, avec leur position, leurs secteurs et leurs contacts publics.",
            "The organisations of Saint-Étienne's digital ecosystem published by Vitrine: the digital atelier, "
            "incubators, schools, startups and networks, with their position, sectors and public contacts."),
        "dcat:keyword": _both("numérique", "digital") + _both("startups", "startups") + _both("annuaire", "directory"),
        "dct:conformsTo": _standard(schema),
        "dcat:distribution": [
            _distribution(addresses.at(base, "open_data", format="csv"), "text/csv", "CSV",
                          ("L'annuaire en CSV", "The directory as CSV"), conforms_to=schema),
            _distribution(addresses.at(base, "open_data", format="geojson"), "application/geo+json", "GEOJSON",
                          ("L'annuaire en GeoJSON", "The directory as GeoJSON")),
            _distribution(addresses.at(base, "open_data", format="json"), "application/json", "JSON",
                          ("L'annuaire en JSON", "The directory as JSON")),
        ],
        **common,
    }
    agenda = {
        "@id": base + "#agenda", "@type": "dcat:Dataset", "dct:identifier": "vitrine-agenda",
        "dct:title": _both("Agenda des vitrines de l'Atelier Numérique de Saint-Étienne",
                           "Showcases at the Atelier Numérique of Saint-Étienne"),
        "dct:description": _both(
            "Les vitrines où des startups locales présentent leurs innovations au public de l'atelier, "
            "des 90 derniers jours et à venir, annulées comprises.",
            "The showcases where local startups present their innovations to the atelier's public, from the "
            "last 90 days and to come, cancelled ones included."),
        "dcat:keyword": _both("agenda", "calendar") + _both("startups", "startups"),
        "dcat:distribution": [_distribution(addresses.at(base, "calendar_feed"), "text/calendar", "ICS",
                                            ("L'agenda en iCalendar", "The calendar as iCalendar"))],
        **common,
    }
    places = {
        "@id": base + "#lieux-mediation-numerique", "@type": "dcat:Dataset",
        "dct:identifier": "vitrine-lieux-mediation-numerique",
        "dct:title": _both("Lieux de médiation numérique de l'écosystème stéphanois",
                           "Places of digital mediation in Saint-Étienne's ecosystem"),
        "dct:description": _both(
            "Les lieux de l'annuaire qui accompagnent le public au numérique (l'Atelier Numérique d'abord), au "
            "standard national « Lieux de médiation numérique », pour la cartographie nationale.",
            "The directory's places that help the public with digital tools (the Atelier Numérique first), in "
            "the national 'Lieux de médiation numérique' standard, for the national map."),
        "dcat:keyword": _both("médiation numérique", "digital mediation") + _both("inclusion numérique",
                                                                                  "digital inclusion"),
        "dct:conformsTo": _standard(mediation.STANDARD_URI),
        "dcat:distribution": [_distribution(addresses.at(base, "mediation_places"), "text/csv", "CSV",
                                            ("Les lieux en CSV (standard national)",
                                             "The places as CSV (national standard)"),
                                            conforms_to=mediation.STANDARD_URI)],
        **common,
    }
    programme_schema = addresses.at(base, "programme_schema")
    programme = {
        "@id": base + "#programme", "@type": "dcat:Dataset", "dct:identifier": "vitrine-programme",
        "dct:title": _both("Programme de l'Atelier Numérique de Saint-Étienne",
                           "Programme of the Atelier Numérique of Saint-Étienne"),
        "dct:description": _both(
            "Les ateliers pratiques, conférences et permanences que les partenaires de l'atelier animent, gratuits et "
            "ouverts à tous les publics, avec leurs places libres, des 90 derniers jours et à venir, annulés compris.",
            "The hands-on workshops, talks and drop-in hours the atelier's partners run, free and open to every "
            "audience, with their places left, from the last 90 days and to come, cancelled ones included."),
        "dcat:keyword": _both("agenda", "calendar") + _both("formation", "training") + _both("ateliers", "workshops"),
        "dct:conformsTo": _standard(programme_schema),
        "dcat:distribution": [
            _distribution(addresses.at(base, "programme_data", format="csv"), "text/csv", "CSV",
                          ("Le programme en CSV", "The programme as CSV"), conforms_to=programme_schema),
            _distribution(addresses.at(base, "programme_data", format="json"), "application/json", "JSON",
                          ("Le programme en JSON", "The programme as JSON")),
            _distribution(addresses.at(base, "programme_feed"), "text/calendar", "ICS",
                          ("Le programme en iCalendar", "The programme as iCalendar")),
        ],
        **common,
    }
    for dataset, changed in ((directory, directory_changed), (agenda, agenda_changed), (places, directory_changed),
                             (programme, programme_changed)):
        if changed is not None:  # the dataset and each of its files changed then
            for described in (dataset, *dataset["dcat:distribution"]):
                described["dct:modified"] = _moment(changed)
    modified = max((moment for moment in (directory_changed, agenda_changed, programme_changed) if moment),
                   default=None, key=aware)
    return {
        "@context": CONTEXT,
        "@id": addresses.at(base, "catalogue"), "@type": "dcat:Catalog",
        "dct:title": _both("Données ouvertes de Vitrine", "Vitrine's open data"),
        "dct:description": _both(
            "Ce que Vitrine publie : l'annuaire de l'écosystème numérique stéphanois, l'agenda des vitrines, le "
            "programme de l'atelier et les lieux de médiation numérique au standard national.",
            "What Vitrine publishes: the directory of Saint-Étienne's digital ecosystem, the showcases' calendar, "
            "the atelier's programme and the places of digital mediation in the national standard."),
        "dct:publisher": publisher, "dct:license": LICENCE, "dct:language": LANGUAGES,
        "foaf:homepage": _page(base),
        **({"dct:modified": _moment(modified)} if modified else {}),
        "dcat:dataset": [directory, agenda, places, programme],
    }
