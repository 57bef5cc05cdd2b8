"""Pages for the open web: one per published partner and per showcase, rendered on the server so
that they work without JavaScript and preview well when shared; the sitemap, robots.txt, the
embeddable map and the health check."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.responses import (
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)

from directory import addresses, listings, programme, showcase
from directory.clock import to_paris, utcnow
from directory.db import read_session
from directory.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    N_,
    foreign_language,
    localized,
    translate,
    written_in,
)
from directory.listings import hours, mapping, relation_lines, relations_of, schema_org_relations
from directory.models import (
    KIND_LABELS,
    ListingState,
    PartnerKind,
)
from directory.showcase import presented_on
from directory.web import share_image
from directory.web.http import (
    Endpoints,
    conditional,
    html_page,
    language,
    query_lists,
    render,
    stylesheet,
    translator,
)

SITE_NAME = N_("Vitrine — Écosystème numérique de Saint-Étienne")
# Pages staff use, pages opened by private links and Streamlit's internals: nothing for a search engine.
ROBOTS_DISALLOWED = (*(f"/{addresses.PAGES[name]}" for name in (*addresses.STAFF_PAGES, "follow", "my_session",
                                                                "propose_session", "registration")),
                     "/_stcore/", "/component/", "/media/", "/carte/")


def page_context(base: str, asked: str, *, canonical_of: Callable[[str], str]) -> dict[str, Any]:
    """What every server-rendered page shows around its content, in the reader's language."""
    other = "en" if asked == "fr" else "fr"
    return {
        "canonical": canonical_of(asked),
        "alternates": [("fr", canonical_of("fr")), ("en", canonical_of("en")), ("x-default", canonical_of("fr"))],
        "other_language": other, "other_language_name": LANGUAGE_NAMES[other],
        "other_language_url": canonical_of(other),
        "map_url": addresses.with_query(base, {}, asked),
        "agenda_url": addresses.with_query(f"{base}agenda", {}, asked),
        "open_data_url": addresses.open_data(base, "geojson", {}, asked),
        "licence": addresses.LICENCE_NAME,
    }


def missing_page(request: Request, base: str, asked: str, *, status_code: int, title: str,
                 explanation: str) -> Response:
    _ = translator(asked)
    context = page_context(base, asked, canonical_of=lambda lang: addresses.with_query(
        str(request.url.replace(query="")), {}, lang))
    return html_page("missing.html", language_asked=asked, status_code=status_code, title=_(title),
                     description=_(explanation), explanation=_(explanation), noindex=True, **context)


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value != ""


class PublicPages(Endpoints):
    # --- A partner -------------------------------------------------------------------------------

    def partner(self, request: Request) -> Response:
        """GET /partenaires/<slug>: published → the page; a former slug → 301 to the current one;
        archived → 410; proposed, rejected or unknown → 404."""
        asked = language(request)
        slug = request.path_params["slug"]
        engine = self.engine()
        base = self.base_url(request)
        version = listings.data_version(engine)
        partner_id = listings.published_slugs(engine, version).get(slug)
        if partner_id is not None:
            # Revalidated at each visit (a 304 costs little): an organisation sees its accepted change at once.
            # "Open now" changes with the clock: a page with opening hours is a new answer each minute.
            row = listings.find_partner(listings.published_partners(engine, version), partner_id)
            minute = f":{utcnow():%Y%m%d%H%M}" if row["opening_hours"] else ""
            return conditional(request, f"partner:{partner_id}:{version}:{asked}:{base}{minute}",
                               lambda: self._partner_page(request, engine, version, partner_id, asked), max_age=0)
        found = listings.partner_by_slug(engine, slug)
        if found is not None and found.state == ListingState.PUBLISHED:
            return RedirectResponse(addresses.partner_page(base, found.slug, asked), status_code=301)
        if found is not None and found.state == ListingState.ARCHIVED:
            return missing_page(request, base, asked, status_code=410, title=N_("Fiche retirée"),
                            explanation=N_("Cette organisation ne figure plus dans l'annuaire."))
        return missing_page(request, base, asked, status_code=404, title=N_("Fiche introuvable"),
                        explanation=N_("Aucune organisation publiée ne porte cette adresse."))

    def _partner_page(self, request: Request, engine: Engine, version: str, partner_id: int, asked: str) -> Response:
        _ = translator(asked)
        base = self.base_url(request)
        partner = listings.find_partner(listings.published_partners(engine, version), partner_id)
        texts = {column: localized(partner, column, asked) for column in ("short_description", "description")}
        now = utcnow()
        shows = [{"url": addresses.showcase_page(base, show["id"], asked),
                  "label": showcase.slot_label(show["starts_at"], show["ends_at"], asked, show["theme"]),
                  "past": to_paris(show["ends_at"]) <= now}
                 for show in showcase.showcases(engine, partner_id=partner_id)]
        page_url = lambda lang: addresses.partner_page(base, partner["slug"], lang)  # noqa: E731
        structured: dict[str, Any] = {
            "@context": "https://schema.org", "@type": "Organization", "name": partner["name"],
            "description": texts["short_description"] or texts["description"][:300],
            "url": partner["website"] or page_url(asked), "mainEntityOfPage": page_url(asked),
            "image": addresses.partner_image(base, partner["slug"]),
            "address": {"@type": "PostalAddress", "addressCountry": "FR",
                        **({"streetAddress": partner["address"]} if partner["address"] else {}),
                        **({"addressLocality": partner["city"]} if partner["city"] else {})},
        }
        if _present(partner["latitude"]) and _present(partner["longitude"]):
            structured["geo"] = {"@type": "GeoCoordinates", "latitude": round(partner["latitude"], 5),
                                 "longitude": round(partner["longitude"], 5)}
        outgoing, incoming = relations_of(engine, partner_id)
        other_page = lambda related: addresses.partner_page(base, related.slug, asked)  # noqa: E731
        structured.update(schema_org_relations(outgoing, other_page))
        if partner["contact_email"]:
            structured["email"] = partner["contact_email"]
        if partner["contact_phone"]:
            structured["telephone"] = partner["contact_phone"]
        changed = listings.last_changed(engine, partner_id)
        return html_page(
            "partner.html", language_asked=asked,
            title=partner["name"], og_type="profile",
            description=texts["short_description"]
            or _("Une organisation de l'écosystème numérique de Saint-Étienne."),
            image=addresses.partner_image(base, partner["slug"]) + ("?lang=en" if asked == "en" else ""),
            structured_data=structured, showcases=shows,
            sessions=programme.coming_sessions_of(engine, partner_id, base=base, language=asked),
            card=listings.partner_card(
                partner, asked, now=now, updated=changed, presented_on=presented_on(engine, partner_id),
                logo=addresses.partner_logo(base, partner["slug"]) if partner["logo_type"] else "",
                relations=relation_lines(
                    partner_id, outgoing, incoming, _, listing_at=other_page,
                    filtered_map=lambda key: addresses.with_query(base, {"relation": key}, asked))),
            on_map_url=addresses.partner_on_map(base, partner_id, asked),
            update_url=addresses.update_listing(base, partner["slug"], asked),
            **page_context(base, asked, canonical_of=page_url))

    def partner_image(self, request: Request) -> Response:
        """GET /partenaires/<slug>/image.png — the picture a shared link previews with."""
        asked = language(request)
        engine = self.engine()
        found = listings.partner_by_slug(engine, request.path_params["slug"])
        if found is None or found.state != ListingState.PUBLISHED:
            return Response(status_code=404)
        kind = PartnerKind(found.kind)
        picture = share_image.partner_image(found.name, translate(KIND_LABELS[kind], asked),
                                            mapping.KIND_COLOURS[kind], translate(SITE_NAME, asked))
        return conditional(request, f"image:{found.id}:{found.updated_at}:{asked}",
                           lambda: Response(picture, media_type="image/png"), max_age=86400)

    def partner_logo(self, request: Request) -> Response:
        """GET /partenaires/<slug>/logo — the logo of a published listing (its current address only)."""
        engine = self.engine()
        partner_id = listings.published_slugs(engine, listings.data_version(engine)).get(request.path_params["slug"])
        found = listings.get_partner(engine, partner_id) if partner_id is not None else None
        if found is None or not found.logo:
            return Response(status_code=404)
        return conditional(request, f"logo:{found.id}:{found.updated_at}",
                           lambda: Response(found.logo, media_type=found.logo_type), max_age=86400)

    # --- A showcase ------------------------------------------------------------------------------

    def showcase(self, request: Request) -> Response:
        """GET /vitrines/<id> — when, where, who presents; a cancelled one says so."""
        asked = language(request)
        engine = self.engine()
        slot_id = request.path_params["slot_id"]
        base = self.base_url(request)
        found = showcase.showcases(engine, slot_id=slot_id, include_cancelled=True)
        if not found:
            return missing_page(request, base, asked, status_code=404, title=N_("Vitrine introuvable"),
                            explanation=N_("Aucune vitrine ne porte ce numéro."))
        # The atelier's hours and access come from its listing: a change there is a new page too.
        versions = f"{showcase.calendar_version(engine)}:{listings.data_version(engine)}"
        return conditional(request, f"showcase:{slot_id}:{versions}:{asked}:{base}",
                           lambda: self._showcase_page(request, found[0], asked))

    def _showcase_page(self, request: Request, show: dict, asked: str) -> Response:
        _ = translator(asked)
        with read_session(self.engine()) as session:
            practical = hours.atelier_practical(session, to_paris(show["starts_at"]).date(), asked)
        base = self.base_url(request)
        when = showcase.slot_label(show["starts_at"], show["ends_at"], asked)
        startups = [{**startup, "url": addresses.partner_page(base, startup["slug"], asked) if startup["slug"] else "",
                     **{column: localized(startup, column, asked) for column in ("pitch_title", "pitch_summary")},
                     **{f"{column}_lang": foreign_language(written_in(startup, column, asked), asked)
                        for column in ("pitch_title", "pitch_summary")}}
                    for startup in show["startups"]]
        page_url = lambda lang: addresses.showcase_page(base, show["id"], lang)  # noqa: E731
        title = _("Vitrine des startups") + (f" — {show['theme']}" if show["theme"] else "")
        place = {"@type": "Place", "name": "Atelier Numérique Google Saint-Étienne",
                 "address": {"@type": "PostalAddress", "streetAddress": "place Jean-Moulin",
                             "postalCode": "42000", "addressLocality": "Saint-Étienne", "addressCountry": "FR"},
                 "geo": {"@type": "GeoCoordinates", "latitude": showcase.ATELIER_POSITION[0],
                         "longitude": showcase.ATELIER_POSITION[1]}}
        description = (_("Des startups du territoire présentent leurs innovations au public, entrée libre.")
                       if startups or show["cancelled"] else _("Programme à venir."))
        structured = {
            "@context": "https://schema.org", "@type": "Event", "name": f"{title} — {when}",
            "description": description, "url": page_url(asked), "inLanguage": asked,
            "startDate": to_paris(show["starts_at"]).isoformat(), "endDate": to_paris(show["ends_at"]).isoformat(),
            "eventStatus": "https://schema.org/EventCancelled" if show["cancelled"]
            else "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "isAccessibleForFree": True, "location": place,
            "organizer": {"@type": "Organization", "name": "Atelier Numérique Google Saint-Étienne"},
            "performer": [{"@type": "Organization", "name": s["organisation"],
                           **({"url": s["url"]} if s["url"] else {})}
                          for s in startups],
        }
        return html_page(
            "showcase.html", language_asked=asked, title=f"{title} — {when}", description=description,
            image=None, structured_data=structured, when=when, theme=show["theme"], cancelled=show["cancelled"],
            place=showcase.ATELIER_ADDRESS, startups=startups, practical=practical,
            event_ics_url=addresses.with_query(addresses.at(base, "showcase_calendar", slot_id=show["id"]), {}, asked),
            **page_context(base, asked, canonical_of=page_url))

    # --- For search engines ------------------------------------------------------------------------

    def sitemap(self, request: Request) -> Response:
        """GET /sitemap.xml — every partner, showcase and session page, with its last change."""
        engine = self.engine()
        base = self.base_url(request)

        def build() -> Response:
            pages = [{"fr": addresses.partner_page(base, slug), "en": addresses.partner_page(base, slug, "en"),
                      "lastmod": _day(changed)} for slug, changed in listings.public_pages(engine)]
            pages += [{"fr": addresses.showcase_page(base, show["id"]),
                       "en": addresses.showcase_page(base, show["id"], "en"), "lastmod": _day(show["last_modified"])}
                      for show in showcase.showcases(engine, include_cancelled=True)]
            pages += [{"fr": programme.session_page(base, entry["slug"], "fr"),
                       "en": programme.session_page(base, entry["slug"], "en"), "lastmod": _day(entry["updated_at"])}
                      for entry in programme.programme(engine, include_cancelled=True)]
            body = render("sitemap.xml", DEFAULT_LANGUAGE, pages=pages)
            return Response(body, media_type="application/xml")

        version = (f"{listings.data_version(engine)}:{showcase.calendar_version(engine)}:"
                   f"{programme.programme_version(engine)}:{base}")
        return conditional(request, f"sitemap:{version}", build, max_age=3600)

    def robots(self, request: Request) -> Response:
        """GET /robots.txt"""
        lines = ["User-agent: *", *(f"Disallow: {self.prefix}{path}" for path in ROBOTS_DISALLOWED),
                 f"Sitemap: {self.base_url(request)}sitemap.xml"]
        return PlainTextResponse("\n".join(lines) + "\n")

    # --- For other sites and for the load balancer -----------------------------------------------

    def embed(self, request: Request) -> Response:
        """GET /embed — a light map for other sites' iframes: no Streamlit, the explore page's map
        script and rows with the same filters, popups linking to the partner pages."""
        asked = language(request)
        engine = self.engine()
        version = listings.data_version(engine)
        link = listings.read_shared_link(query_lists(request),
                                         networks=listings.published_tags(engine, version, "networks"),
                                         sectors=listings.published_tags(engine, version, "sectors"))
        _ = translator(asked)
        params = link.filters.to_query_params()
        base = self.base_url(request)
        settings = {
            "data": mapping.layer_data_url(version, link.filters, base=""), "points": mapping.point_texts(asked),
            # A slug is made of letters, digits and hyphens: it takes the placeholder's place as is.
            "partnerPage": addresses.partner_page(base, "SLUG", asked),
            "center": [link.map_view.latitude, link.map_view.longitude], "zoom": link.map_view.zoom,
            "maxZoom": mapping.MAX_ZOOM, "kinds": [kind.value for kind in mapping.KIND_ORDER],
            "styles": mapping.marker_styles({kind.value: translate(label, asked) for kind,
                                             label in KIND_LABELS.items()}),
            "open": _("Voir la fiche"), "newTab": _("(nouvel onglet)"), **mapping.map_texts(asked),
        }
        css, css_source = stylesheet("embed.css")
        body = render("embed.html", asked, css=css, settings=settings,
                      full_map_url=addresses.with_query(base, params, asked))
        return Response(body, media_type="text/html; charset=utf-8", headers={
            "Content-Security-Policy": (
                f"default-src 'none'; script-src 'self'; style-src 'self' {css_source}; "
                "img-src 'self' data: https://tile.openstreetmap.org; connect-src 'self'; "
                "base-uri 'none'; form-action 'none'; frame-ancestors *"),
            "Cache-Control": "public, max-age=300"})

    def health(self, request: Request) -> Response:
        """GET /healthz — 200 when the database answers, 503 otherwise (for load balancers)."""
        try:
            with self.engine().connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as error:  # any failure means: do not send visitors here
            return JSONResponse({"status": "unavailable", "error": type(error).__name__}, status_code=503,
                                headers={"Cache-Control": "no-store"})
        return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


def _day(moment: datetime) -> str:
    return moment.date().isoformat()
