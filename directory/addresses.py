"""Vitrine's public web addresses, written in one place for the routes, the pages and the exports.

Every function takes the site's base URL (ending with "/", e.g. "https://vitrine.example/" or
"http://127.0.0.1:8501/vitrine/") and the reader's language, which travels as `?lang=en`.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import quote, urlencode

from directory.i18n import DEFAULT_LANGUAGE

OPEN_DATA_FORMATS = ("csv", "geojson", "json")
LICENCE_NAME = "Licence Ouverte / Open Licence 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
ATTRIBUTION = "Vitrine — Atelier Numérique de Saint-Étienne"


# Every address of the site, named once: the routes (Starlette's path syntax), the Streamlit
# pages (their url_path), and the links the app writes all read them here.
ROUTES = {
    "health": "/healthz", "robots": "/robots.txt", "sitemap": "/sitemap.xml", "calendar_feed": "/agenda.ics",
    "open_data": "/donnees/partenaires.{format:str}", "open_data_schema": "/donnees/schema.json",
    "mediation_places": "/donnees/lieux-mediation-numerique.csv",
    "catalogue": "/donnees/catalogue.jsonld", "map_rows": "/carte/partenaires.json",
    "partner_page": "/partenaires/{slug:str}", "partner_image": "/partenaires/{slug:str}/image.png",
    "partner_logo": "/partenaires/{slug:str}/logo",
    "session_page": "/ateliers/{slug:str}", "session_calendar": "/ateliers/{slug:str}.ics",
    "programme_feed": "/programme.ics", "programme_data": "/donnees/programme.{format:str}",
    "programme_schema": "/donnees/programme-schema.json",
    "showcase_page": "/vitrines/{slot_id:row_id}", "showcase_calendar": "/vitrines/{slot_id:row_id}.ics",
    "embed": "/embed", "staff_session": "/equipe/session", "sign_out": "/equipe/deconnexion",
}
PAGES = {
    "explore": "", "calendar": "agenda", "propose": "proposer", "apply": "candidater", "follow": "suivi",
    "lost_link": "lien-perdu", "update_listing": "mise-a-jour", "propose_session": "proposer-une-seance",
    "my_session": "ma-seance", "registration": "inscription",
    "sign_in": "connexion", "review": "candidatures", "assignment": "repartition",
    "staff_partners": "gestion-annuaire", "slots": "creneaux", "dashboard": "tableau-de-bord", "audit_log": "journal",
    "privacy": "donnees-personnelles", "accounts": "comptes",
}
STAFF_PAGES = ("sign_in", "review", "assignment", "staff_partners", "slots", "dashboard", "audit_log", "privacy",
               "accounts")
_PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")


def path(name: str, **params: object) -> str:
    """A route's path ("/vitrines/3"), its parameters filled in (and quoted)."""
    return _PARAMETER.sub(lambda found: quote(str(params[found.group(1)])), ROUTES[name])


def with_query(url: str, params: dict[str, str], language: str = DEFAULT_LANGUAGE) -> str:
    params = {**params, **({"lang": language} if language != DEFAULT_LANGUAGE else {})}
    return f"{url}?{urlencode(params)}" if params else url


def at(base: str, name: str, **params: object) -> str:
    """A route's absolute address on the site `base` (which ends with "/")."""
    return base + path(name, **params).lstrip("/")


def partner_page(base: str, slug: str, language: str = DEFAULT_LANGUAGE) -> str:
    return with_query(at(base, "partner_page", slug=slug), {}, language)


def update_listing(base: str, slug: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Where an organisation asks for its listing's update link, or claims it."""
    return with_query(base + PAGES["update_listing"], {"fiche": slug}, language)


def partner_logo(base: str, slug: str) -> str:
    return at(base, "partner_logo", slug=slug)


def partner_image(base: str, slug: str) -> str:
    return at(base, "partner_image", slug=slug)


def showcase_page(base: str, slot_id: int, language: str = DEFAULT_LANGUAGE) -> str:
    return with_query(at(base, "showcase_page", slot_id=int(slot_id)), {}, language)


def partner_on_map(base: str, partner_id: int, language: str = DEFAULT_LANGUAGE) -> str:
    return with_query(base, {"partner": str(int(partner_id))}, language)


def calendar_feed(base: str, language: str = DEFAULT_LANGUAGE) -> str:
    return with_query(at(base, "calendar_feed"), {}, language)


def webcal(url: str) -> str:
    """The same feed for calendar apps' "subscribe" (webcal:// is http(s):// they poll)."""
    return "webcal://" + url.split("://", 1)[1]


def open_data(base: str, data_format: str, params: dict[str, str], language: str = DEFAULT_LANGUAGE) -> str:
    return with_query(at(base, "open_data", format=data_format), params, language)


def embed(base: str, params: dict[str, str], language: str = DEFAULT_LANGUAGE) -> str:
    return with_query(at(base, "embed"), params, language)


def embed_snippet(url: str, title: str) -> str:
    """The HTML another site pastes to show the map."""
    return (f'<iframe src="{escape(url, quote=True)}" title="{escape(title, quote=True)}" width="100%" '
            'height="480" style="border:0" loading="lazy" allow="fullscreen"></iframe>')
