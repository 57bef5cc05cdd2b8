"""The programme on the open web: a page per session (schema.org Event, Open Graph), its event to
add to a calendar, the feeds (all, per kind, per audience) and the open data with its schema."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from directory import addresses, programme
from directory.clock import utcnow
from directory.i18n import N_, foreign_language, localized, written_in
from directory.models import Audience, SessionKind
from directory.programme import opendata
from directory.programme.agenda import CALENDAR_PAST
from directory.settings import ATELIER_ADDRESS
from directory.showcase import slot_label
from directory.validation import Invalid
from directory.web.http import Endpoints, conditional, html_page, language, translator
from directory.web.opendata import CALENDAR_TYPE, OPEN_HEADERS
from directory.web.public import missing_page, page_context

DATA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


class ProgrammePages(Endpoints):
    def session(self, request: Request) -> Response:
        """GET /ateliers/<slug> — what, when, where, for whom, places left; a cancelled one says so."""
        asked, base = language(request), self.base_url(request)
        engine = self.engine()
        entry = programme.session_page_entry(engine, request.path_params["slug"])
        if entry is None:
            return missing_page(request, base, asked, status_code=404, title=N_("Séance introuvable"),
                                explanation=N_("Aucune séance du programme ne porte cette adresse."))
        return conditional(request, f"session:{entry['id']}:{programme.programme_version(engine)}:{asked}:{base}",
                           lambda: self._session_page(entry, asked, base))

    def _session_page(self, entry: dict, asked: str, base: str) -> Response:
        _ = translator(asked)
        page_url = lambda lang: programme.session_page(base, entry["slug"], lang)  # noqa: E731
        title = localized(entry, "title", asked)
        when = slot_label(entry["starts_at"], entry["ends_at"], asked)
        description = localized(entry, "description", asked)
        return html_page(
            "session.html", language_asked=asked, title=f"{title} — {when}", description=description[:300],
            og_type="event", structured_data=programme.event_json_ld(entry, asked, base_url=base), entry=entry,
            session_title=title, when=when, kind=programme.session_kind_label(entry, asked, marking_examples=True),
            audiences=", ".join(programme.audience_labels(entry, asked)), place=ATELIER_ADDRESS,
            session_description=description,
            title_lang=foreign_language(written_in(entry, "title", asked), asked),
            description_lang=foreign_language(written_in(entry, "description", asked), asked),
            register_url=addresses.with_query(base + addresses.PAGES["registration"], {"seance": entry["slug"]}, asked),
            partner_url=addresses.partner_page(base, entry["partner_slug"], asked),
            event_ics_url=addresses.with_query(addresses.at(base, "session_calendar", slug=entry["slug"]), {}, asked),
            **page_context(base, asked, canonical_of=page_url))

    def session_calendar(self, request: Request) -> Response:
        """GET /ateliers/<slug>.ics — one session, for "add to my calendar"."""
        asked, base, engine = language(request), self.base_url(request), self.engine()
        entry = programme.session_page_entry(engine, request.path_params["slug"])
        if entry is None:
            return Response(status_code=404)
        response = conditional(request, f"session-ics:{entry['id']}:{programme.programme_version(engine)}:{asked}:"
                                        f"{base}", lambda: Response(
            programme.session_ics(entry, asked, base_url=base), media_type=CALENDAR_TYPE,
            headers={"Content-Disposition": f'inline; filename="seance-{entry["id"]}.ics"'}), max_age=900)
        response.headers.update(OPEN_HEADERS)
        return response

    def feed(self, request: Request) -> Response:
        """GET /programme.ics[?type=<kind>][&public=<audience>] — the sessions of the last 90 days
        and to come, cancelled ones kept, for calendar apps to subscribe to."""
        asked, base, engine = language(request), self.base_url(request), self.engine()
        kind, audience = _choice(request, "type", SessionKind), _choice(request, "public", Audience)

        def build() -> Response:
            entries = programme.programme(engine, kinds=[kind] if kind else (),
                                          audiences=[audience] if audience else (), include_cancelled=True,
                                          ending_after=utcnow() - CALENDAR_PAST)
            name = programme.feed_name(asked, kind=kind, audience=audience)
            return Response(programme.programme_ics(entries, asked, base_url=base, name=name), media_type=CALENDAR_TYPE,
                            headers={"Content-Disposition": 'inline; filename="programme-atelier.ics"'})
        response = conditional(request, f"programme-ics:{kind}:{audience}:{programme.programme_version(engine)}:"
                                        f"{asked}:{base}", build, max_age=900)
        response.headers.update(OPEN_HEADERS)
        return response

    def data(self, request: Request) -> Response:
        """GET /donnees/programme.csv|json — the programme as open data (no personal data)."""
        data_format = request.path_params["format"]
        if data_format not in DATA_TYPES:
            return Response(status_code=404)
        base, engine = self.base_url(request), self.engine()

        def build() -> Response:
            rows = opendata.programme_rows(programme.programme(
                engine, include_cancelled=True, ending_after=utcnow() - CALENDAR_PAST), base_url=base)
            body = (opendata.programme_csv(rows) if data_format == "csv"
                    else opendata.programme_json(rows, base_url=base))
            return Response(body, media_type=DATA_TYPES[data_format],
                            headers={"Content-Disposition": f'inline; filename="programme-atelier.{data_format}"'})
        response = conditional(request, f"programme-data:{data_format}:{programme.programme_version(engine)}:{base}",
                               build)
        response.headers.update(OPEN_HEADERS)
        return response

    def schema(self, request: Request) -> Response:
        """GET /donnees/programme-schema.json — the Table Schema of /donnees/programme.csv."""
        base = self.base_url(request)
        response = conditional(request, f"programme-schema:{opendata.SCHEMA_VERSION}:{base}", lambda: Response(
            json.dumps(opendata.programme_table_schema(base), ensure_ascii=False, indent=2),
            media_type="application/json"), max_age=86400)
        response.headers.update(OPEN_HEADERS)
        return response


def _choice(request: Request, name: str, choices: type) -> str:
    value = request.query_params.get(name, "")
    if value and value not in {choice.value for choice in choices}:
        raise Invalid(N_("Valeur inconnue pour « {name} » : « {value} »."), name=name, value=value[:40])
    return value
