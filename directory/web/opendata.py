"""Open data and feeds: the directory as CSV, GeoJSON and JSON for the filters of a shareable map
link, the map's own compact rows, and the subscribable calendar of showcases."""

from __future__ import annotations

import json

from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.responses import Response

from directory import addresses, catalogue, listings, showcase
from directory.clock import utcnow
from directory.listings import SharedLink, exports, mapping, mediation, relations, schema
from directory.models import ListingState
from directory.showcase import calendar
from directory.web.http import Endpoints, conditional, language, query_lists

OPEN_DATA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "json": "application/json",
}
CALENDAR_TYPE = "text/calendar; charset=utf-8"
# Anyone may fetch open data from a script or another site.
OPEN_HEADERS = {"Access-Control-Allow-Origin": "*",
                "Link": f'<{addresses.LICENCE_URL}>; rel="license"'}


def _clock(link: SharedLink) -> str:
    """A part of the cache key that moves each minute when the answer depends on the clock ("open now")."""
    return f":{utcnow():%Y%m%d%H%M}" if link.filters.open_now else ""


class OpenData(Endpoints):
    def _link(self, request: Request, *, ignore: tuple[str, ...] = ()) -> tuple[Engine, str, SharedLink]:
        """The engine, the data version and the request's shareable-link parameters, read
        strictly (Invalid: a 400) — all a revalidation needs before answering 304."""
        engine = self.engine()
        version = listings.data_version(engine)
        link = listings.read_shared_link(
            query_lists(request, ignore=ignore),
            networks=listings.published_tags(engine, version, "networks"),
            sectors=listings.published_tags(engine, version, "sectors"))
        return engine, version, link

    @staticmethod
    def _shown(engine: Engine, version: str, link: SharedLink):
        """The rows the map and the list show for the link, in the list's order."""
        shown = listings.filtered_partners(engine, version, link.filters)
        return listings.sort_partners(shown, link.sort, descending=link.descending)

    def partners(self, request: Request) -> Response:
        """GET /donnees/partenaires.{csv,geojson,json}"""
        data_format = request.path_params["format"]
        if data_format not in OPEN_DATA_TYPES:
            return Response(status_code=404)
        asked = language(request)
        engine, version, link = self._link(request)
        base = self.base_url(request)

        def build() -> Response:
            shown = self._shown(engine, version, link)
            if data_format == "csv":
                body = exports.partners_csv(shown)
            elif data_format == "geojson":
                body = exports.partners_geojson(shown, base_url=base, language=asked)
            else:
                body = exports.partners_json(shown, base_url=base, language=asked)
            return Response(body, media_type=OPEN_DATA_TYPES[data_format], headers={
                "Content-Disposition": f'inline; filename="vitrine-partenaires.{data_format}"'})

        response = conditional(request, f"{data_format}:{version}:{request.url.query}:{base}{_clock(link)}", build)
        response.headers.update(OPEN_HEADERS)
        return response

    def mediation_places(self, request: Request) -> Response:
        """GET /donnees/lieux-mediation-numerique.csv — the national standard of places of digital mediation."""
        engine, base = self.engine(), self.base_url(request)
        version = listings.data_version(engine)

        def build() -> Response:
            body = mediation.mediation_places_csv(listings.staff_partners(engine, states=(ListingState.PUBLISHED,)),
                                                  relations.parent_names(engine))
            return Response(body, media_type="text/csv; charset=utf-8", headers={
                "Content-Disposition": 'inline; filename="lieux-mediation-numerique.csv"'})

        response = conditional(request, f"mediation:{version}:{base}", build)
        response.headers.update(OPEN_HEADERS)
        return response

    def schema(self, request: Request) -> Response:
        """GET /donnees/schema.json — the Table Schema of /donnees/partenaires.csv."""
        base = self.base_url(request)
        response = conditional(request, f"schema:{schema.SCHEMA_VERSION}:{base}", lambda: Response(
            json.dumps(schema.table_schema(base), ensure_ascii=False, indent=2), media_type="application/json"),
            max_age=86400)
        response.headers.update(OPEN_HEADERS)
        return response

    def catalogue(self, request: Request) -> Response:
        """GET /donnees/catalogue.jsonld — the DCAT-AP catalogue of every dataset published here."""
        engine, base = self.engine(), self.base_url(request)
        directory_changed, agenda_changed, programme_changed = catalogue.last_changes(engine)

        def build() -> Response:
            body = catalogue.catalogue(base, directory_changed=directory_changed, agenda_changed=agenda_changed,
                                       programme_changed=programme_changed)
            return Response(json.dumps(body, ensure_ascii=False, indent=2), media_type="application/ld+json")

        response = conditional(request, f"catalogue:{directory_changed}:{agenda_changed}:{programme_changed}:{base}",
                               build)
        response.headers.update(OPEN_HEADERS)
        return response

    def map_rows(self, request: Request) -> Response:
        """GET /carte/partenaires.json — [lat, lon, name, style] rows for the explore page's map.
        Its `v` parameter only names the data version, so that a browser may keep each answer."""
        engine, version, link = self._link(request, ignore=("v",))
        return conditional(request, f"map:{version}:{request.url.query}{_clock(link)}",
                           lambda: Response(mapping.layer_json(self._shown(engine, version, link)),
                                            media_type="application/json"),
                           max_age=3600)

    def calendar(self, request: Request) -> Response:
        """GET /agenda.ics — every showcase of the last 90 days and to come, cancelled ones kept."""
        return self._calendar(request, language(request), slot_id=None)

    def showcase_calendar(self, request: Request) -> Response:
        """GET /vitrines/<id>.ics — one showcase, for "add to my calendar"."""
        return self._calendar(request, language(request), slot_id=request.path_params["slot_id"])

    def _calendar(self, request: Request, asked: str, *, slot_id: int | None) -> Response:
        engine = self.engine()
        base = self.base_url(request)
        name = "vitrines-atelier.ics" if slot_id is None else f"vitrine-{slot_id}.ics"

        def build() -> Response:
            shows = showcase.calendar_showcases(engine, slot_id=slot_id)
            body = (calendar.showcases_ics(shows, asked, base_url=base) if slot_id is None
                    else calendar.showcase_ics(shows[0], asked, base_url=base))
            return Response(body, media_type=CALENDAR_TYPE,
                            headers={"Content-Disposition": f'inline; filename="{name}"'})

        if slot_id is not None and not showcase.calendar_showcases(engine, slot_id=slot_id):
            return Response(status_code=404)
        response = conditional(request, f"ics:{slot_id}:{showcase.calendar_version(engine)}:{asked}:{base}",
                               build, max_age=900)
        response.headers.update(OPEN_HEADERS)
        return response
