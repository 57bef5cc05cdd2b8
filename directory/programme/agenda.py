"""What the public sees of the programme: the sessions on it, with their places left, filtered by
kind and audience; one session's page facts (and its schema.org Event); a partner's coming
sessions; the iCalendar feeds (all, per kind, per audience) and the single event the emails carry."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import pandas as pd
from icalendar import Event
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from directory import addresses
from directory.clock import aware, utcnow
from directory.db import read_session
from directory.i18n import N_, localized, translate, written_in
from directory.models import (
    AUDIENCE_LABELS,
    SEAT_HOLDING,
    SESSION_KIND_LABELS,
    Attendance,
    Audience,
    Partner,
    ProgrammeSession,
    Registration,
    RegistrationState,
    Room,
    SessionKind,
    SessionState,
)
from directory.programme.rules import takes_registrations
from directory.settings import ATELIER_ADDRESS, ATELIER_POSITION
from directory.showcase import published_calendar, showcases, slot_label
from directory.validation import split_tags

# What subscribed calendars keep seeing: the last 90 days, and what is to come.
CALENDAR_PAST = timedelta(days=90)
PUBLIC_STATES = (SessionState.APPROVED, SessionState.CANCELLED)


def programme(engine: Engine, *, kinds: Iterable[str] = (), audiences: Iterable[str] = (),
              include_cancelled: bool = False, ending_after: datetime | None = None,
              partner_id: int | None = None, slug: str | None = None) -> list[dict]:
    """The sessions on the programme, in time order, each with its places left and waiting list.
    `audiences` keeps a session for any of them ("tout public" sessions are for everyone)."""
    query = select(ProgrammeSession).where(ProgrammeSession.state.in_(
        PUBLIC_STATES if include_cancelled else (SessionState.APPROVED,))).order_by(
        ProgrammeSession.starts_at, ProgrammeSession.id)
    kinds, audiences = list(kinds), list(audiences)
    if kinds:
        query = query.where(ProgrammeSession.kind.in_(kinds))
    if ending_after is not None:
        query = query.where(ProgrammeSession.ends_at > ending_after)
    if partner_id is not None:
        query = query.where(ProgrammeSession.partner_id == partner_id)
    if slug is not None:
        query = query.where(ProgrammeSession.slug == slug)
    with read_session(engine) as session:
        entries = session_entries(session, session.execute(query).scalars().all())
    if audiences:
        wanted = {*audiences, Audience.EVERYONE}
        entries = [entry for entry in entries if wanted & set(entry["audiences"])]
    return entries


def session_entries(session: Session, sessions: list[ProgrammeSession]) -> list[dict]:
    """Sessions as the public reads them (inside the caller's transaction)."""
    ids = [programme_session.id for programme_session in sessions]
    counts: dict[tuple[int, str], int] = {
        (row[0], row[1]): row[2] for row in session.execute(
            select(Registration.session_id, Registration.state, func.count())
            .where(Registration.session_id.in_(ids)).group_by(Registration.session_id, Registration.state))}
    partners = {row.id: row for row in session.execute(select(Partner.id, Partner.name, Partner.slug).where(
        Partner.id.in_({programme_session.partner_id for programme_session in sessions})))}
    rooms = dict(session.execute(select(Room.id, Room.name)).all())
    entries = []
    for programme_session in sessions:
        held = sum(counts.get((programme_session.id, state), 0) for state in SEAT_HOLDING)
        partner = partners[programme_session.partner_id]
        entries.append({
            **programme_session.model_dump(exclude={"token_hash", "submission_key", "contact_email",
                                                    "contact_name"}),
            "starts_at": aware(programme_session.starts_at), "ends_at": aware(programme_session.ends_at),
            "updated_at": aware(programme_session.updated_at),
            "audiences": split_tags(programme_session.audiences), "room": rooms.get(programme_session.room_id, ""),
            "partner_name": partner.name, "partner_slug": partner.slug,
            "places_left": max(0, programme_session.places - held),
            "waiting": counts.get((programme_session.id, RegistrationState.WAITING), 0),
            "registered": counts.get((programme_session.id, RegistrationState.REGISTERED), 0),
            "cancelled": programme_session.state == SessionState.CANCELLED,
            "takes_registrations": takes_registrations(programme_session),
        })
    return entries


SHOWCASE = "showcase"  # the agenda's own kind for the startups' showcases
AGENDA_KIND_LABELS: dict[str, str] = {SHOWCASE: N_("Vitrine des startups"),
                                      **{kind.value: label for kind, label in SESSION_KIND_LABELS.items()}}


def atelier_agenda(engine: Engine, *, kinds: Iterable[str] = (), audiences: Iterable[str] = (),
                   now: datetime | None = None) -> tuple[list[tuple[str, dict]], list[tuple[str, dict]]]:
    """The showcases and the programme's sessions in one time order, each as (its kind, its
    entry), split into what is to come (under way included) and what is past. Showcases are for
    everyone: an audience filter keeps them; a kind filter keeps them only when it names them."""
    kinds = list(kinds)
    now = now or utcnow()
    entries = [(entry["kind"], entry) for entry in programme(
        engine, kinds=[kind for kind in kinds if kind != SHOWCASE] if kinds else (), audiences=audiences)
        if not kinds or entry["kind"] in kinds]
    if not kinds or SHOWCASE in kinds:
        entries += [(SHOWCASE, show) for show in showcases(engine)]
    entries.sort(key=lambda item: (item[1]["starts_at"], item[0]))
    return ([item for item in entries if item[1]["ends_at"] > now],
            [item for item in entries if item[1]["ends_at"] <= now])


def coming_programme(engine: Engine, **filters) -> list[dict]:
    """`programme` from now on (a session under way is still to come)."""
    return programme(engine, ending_after=utcnow(), **filters)


def coming_sessions_of(engine: Engine, partner_id: int, *, base: str, language: str) -> list[dict]:
    """A partner's coming sessions as its card lists them: title (in the reader's language if
    given), when, and its page."""
    return [{"title": localized(entry, "title", language), "lang": written_in(entry, "title", language),
             "when": slot_label(entry["starts_at"], entry["ends_at"], language),
             "url": session_page(base, entry["slug"], language), "is_example": entry["is_example"]}
            for entry in coming_programme(engine, partner_id=partner_id)]


def session_page_entry(engine: Engine, slug: str) -> dict | None:
    """A session's public page: on the programme, or cancelled (so that a shared link says so)."""
    found = programme(engine, slug=slug, include_cancelled=True)
    return found[0] if found else None


def programme_version(engine: Engine) -> str:
    """Changes whenever the programme or a registration changes (and every day, as sessions pass)."""
    with read_session(engine) as session:
        sessions_changed, registrations_changed = session.execute(select(
            select(func.max(ProgrammeSession.updated_at)).scalar_subquery(),
            select(func.max(Registration.updated_at)).scalar_subquery())).one()
    return f"{sessions_changed}:{registrations_changed}:{utcnow():%Y%m%d}"


def session_kind_label(entry: dict, language: str, *, marking_examples: bool = False) -> str:
    """"Atelier pratique"; "Atelier pratique — exemple" for a demo session where a page has no
    other place to say so."""
    label = translate(SESSION_KIND_LABELS[SessionKind(entry["kind"])], language)
    return f"{label} — {translate(N_('exemple'), language)}" if marking_examples and entry["is_example"] else label


def audience_labels(entry: dict, language: str) -> list[str]:
    return [translate(AUDIENCE_LABELS[Audience(audience)], language) for audience in entry["audiences"]]


# --- Calendars -----------------------------------------------------------------------------------

def programme_ics(entries: list[dict], language: str, *, base_url: str, name: str) -> bytes:
    """A feed calendar apps subscribe to (UTC times; each session keeps its UID; a cancelled one
    stays, with STATUS:CANCELLED). The same bytes for the same data."""
    calendar = published_calendar(name)
    for entry in entries:
        calendar.add_component(_event(entry, language, base_url=base_url))
    return calendar.to_ical()


def session_ics(entry: dict, language: str, *, base_url: str) -> bytes:
    """One session as a single event to add to a calendar (the file the confirmation attaches)."""
    calendar = published_calendar()
    calendar.add_component(_event(entry, language, base_url=base_url))
    return calendar.to_ical()


def feed_name(language: str, *, kind: str = "", audience: str = "") -> str:
    name = translate(N_("Programme de l'Atelier Numérique"), language)
    if kind:
        name += f" — {translate(SESSION_KIND_LABELS[SessionKind(kind)], language)}"
    if audience:
        name += f" — {translate(AUDIENCE_LABELS[Audience(audience)], language)}"
    return name


def _event(entry: dict, language: str, *, base_url: str) -> Event:
    event = Event()
    event.add("uid", f"session-{entry['id']}@vitrine.saint-etienne")
    event.add("dtstamp", entry["updated_at"])
    event.add("last-modified", entry["updated_at"])
    event.add("sequence", entry["sequence"])
    event.add("dtstart", entry["starts_at"])
    event.add("dtend", entry["ends_at"])
    event.add("status", "CANCELLED" if entry["cancelled"] else "CONFIRMED")
    event.add("summary", f"{localized(entry, 'title', language)} — {session_kind_label(entry, language)}")
    event.add("location", f"{ATELIER_ADDRESS} — {entry['room']}" if entry["room"] else ATELIER_ADDRESS)
    event.add("geo", ATELIER_POSITION)
    event.add("url", session_page(base_url, entry["slug"], language))
    event.add("categories", audience_labels(entry, language))
    event.add("description", "\n\n".join(part for part in (
        localized(entry, "description", language),
        translate(N_("Animé par {partner}. Gratuit, sur inscription."), language, partner=entry["partner_name"]),
    ) if part))
    return event


def programme_feed(base: str, language: str, *, kind: str = "", audience: str = "") -> str:
    """The programme's calendar feed, all of it or for one kind or one audience."""
    params = {name: value for name, value in (("type", kind), ("public", audience)) if value}
    return addresses.with_query(addresses.at(base, "programme_feed"), params, language)


def session_page(base: str, slug: str, language: str) -> str:
    return addresses.with_query(addresses.at(base, "session_page", slug=slug), {}, language)


# --- schema.org ----------------------------------------------------------------------------------

def event_json_ld(entry: dict, language: str, *, base_url: str) -> dict:
    """The session as a schema.org Event, free and in person at the atelier."""
    url = session_page(base_url, entry["slug"], language)
    return {
        "@context": "https://schema.org", "@type": "Event", "@id": url, "url": url,
        "name": localized(entry, "title", language), "description": localized(entry, "description", language),
        "startDate": entry["starts_at"].isoformat(), "endDate": entry["ends_at"].isoformat(),
        "eventStatus": "https://schema.org/" + ("EventCancelled" if entry["cancelled"] else "EventScheduled"),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "inLanguage": "fr", "isAccessibleForFree": True,
        "maximumAttendeeCapacity": entry["places"], "remainingAttendeeCapacity": entry["places_left"],
        "audience": [{"@type": "Audience", "audienceType": label} for label in audience_labels(entry, language)],
        "location": {"@type": "Place", "name": "Atelier Numérique de Saint-Étienne", "address": ATELIER_ADDRESS,
                     "geo": {"@type": "GeoCoordinates", "latitude": ATELIER_POSITION[0],
                             "longitude": ATELIER_POSITION[1]}},
        "organizer": {"@type": "Organization", "name": entry["partner_name"],
                      "url": addresses.partner_page(base_url, entry["partner_slug"], language)},
        "offers": {"@type": "Offer", "price": 0, "priceCurrency": "EUR", "url": url,
                   "availability": "https://schema.org/" + ("InStock" if entry["places_left"] else "SoldOut")},
    }


# --- For staff -----------------------------------------------------------------------------------

def registration_counts(engine: Engine) -> pd.DataFrame:
    """Per session on the programme (past and to come): places, registered, waiting, who came
    and who did not; what the dashboard shows, per session and per partner."""
    with read_session(engine) as session:
        rows = session.execute(select(
            ProgrammeSession.id, ProgrammeSession.title, ProgrammeSession.starts_at, ProgrammeSession.places,
            Partner.name.label("partner"),
            func.count(Registration.id).filter(Registration.state == RegistrationState.REGISTERED).label("registered"),
            func.count(Registration.id).filter(Registration.state == RegistrationState.WAITING).label("waiting"),
            func.count(Registration.id).filter(Registration.attendance == Attendance.ATTENDED).label("attended"),
            func.count(Registration.id).filter(Registration.attendance == Attendance.NO_SHOW).label("no_show"))
            .join(Partner, Partner.id == ProgrammeSession.partner_id)
            .outerjoin(Registration, Registration.session_id == ProgrammeSession.id)
            .where(ProgrammeSession.state == SessionState.APPROVED)
            .group_by(ProgrammeSession.id, Partner.name).order_by(ProgrammeSession.starts_at)).mappings().all()
    return pd.DataFrame(rows, columns=["id", "title", "starts_at", "places", "partner", "registered", "waiting",
                                       "attended", "no_show"])
