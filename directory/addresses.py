"""Vitrine's public web addresses, written in one place for the routes, the pages and the exports.

Every function takes the site's base URL (ending with "/", e.g. "https://vitrine.example/" or
"http://127.0.0.1:8501/vitrine/") and the reader's language, which travels as `?lang=en`.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote, urlencode

from directory.i18n import DEFAULT_LANGUAGE

OPEN_DATA_FORMATS = ("csv", "geojson", "json")
LICENCE_NAME = "Licence Ouverte / Open Licence 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
ATTRIBUTION = "Vitrine — Atelier Numérique de Saint-Étienne"


def with_query(url: str, params: dict[str, str], language: str = DEFAULT_LANGUAGE) -> str:
    params = {**params, **({"lang": language} if language != DEFAULT_LANGUAGE else {})}
    return f"{url}?{urlencode(params)}" if params else url


def partner_page(base: str, slug: str, language: str = DEFAULT_LANGUAGE) -> str:
    return with_query(f"{base}partenaires/{quote(slug)}", {}, language)


def partner_image(base: str, slug: str) -> str:
    return f"{base}partenaires/{quote(slug)}/image.png"


def showcase_page(base: str, slot_id: int, language: str = DEFAULT_LANGUAGE) -> str:
    return with_query(f"{base}vitrines/{int(slot_id)}", {}, language)


def partner_on_map(base: str, partner_id: int, language: str = DEFAULT_LANGUAGE) -> str:
    return with_query(base, {"partner": str(int(partner_id))}, language)


def calendar_feed(base: str, language: str = DEFAULT_LANGUAGE) -> str:
    return with_query(f"{base}agenda.ics", {}, language)


def webcal(url: str) -> str:
    """The same feed for calendar apps' "subscribe" (webcal:// is http(s):// they poll)."""
    return "webcal://" + url.split("://", 1)[1]


def open_data(base: str, data_format: str, params: dict[str, str], language: str = DEFAULT_LANGUAGE) -> str:
    return with_query(f"{base}donnees/partenaires.{data_format}", params, language)


def embed(base: str, params: dict[str, str], language: str = DEFAULT_LANGUAGE) -> str:
    return with_query(f"{base}embed", params, language)


def embed_snippet(url: str, title: str) -> str:
    """The HTML another site pastes to show the map."""
    return (f'<iframe src="{escape(url, quote=True)}" title="{escape(title, quote=True)}" width="100%" '
            'height="480" style="border:0" loading="lazy" allow="fullscreen"></iframe>')
