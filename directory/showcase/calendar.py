"""The public calendar: showcases with the startups that agreed to be shown, the feed's version,
and the iCalendar files (the subscribed feed, and one startup's own event)."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from directory import addresses
from directory.clock import aware, utcnow
from directory.db import read_session
from directory.i18n import N_, localized, translate
from directory.models import (
    Application,
    ApplicationState,
    Partner,
    ShowcaseSlot,
)
from directory.settings import ATELIER_ADDRESS, ATELIER_POSITION
from directory.showcase.rules import CALENDAR_PAST, accepts_applications


def showcases(engine: Engine, *, slot_id: int | None = None, partner_id: int | None = None,
              include_cancelled: bool = False, ending_after: datetime | None = None) -> list[dict]:
    """Slots (one, those a partner presents in, or all), each with the startups approved for it
    that agreed to be published, in time order.

    `last_modified` is the latest change to the slot or to an application for it; `sequence`
    grows when its time moves or it is cancelled (what calendar subscribers compare).
    """
    query = select(ShowcaseSlot).order_by(ShowcaseSlot.starts_at, ShowcaseSlot.id)
    if not include_cancelled:
        query = query.where(ShowcaseSlot.cancelled_at.is_(None))
    if slot_id is not None:
        query = query.where(ShowcaseSlot.id == slot_id)
    if ending_after is not None:
        query = query.where(ShowcaseSlot.ends_at > ending_after)
    if partner_id is not None:
        query = query.where(ShowcaseSlot.id.in_(select(Application.slot_id).where(
            Application.partner_id == partner_id, Application.state == ApplicationState.APPROVED,
            Application.consent_publication.is_(True))))
    with read_session(engine) as session:
        slots = session.execute(query).scalars().all()
        ids = [slot.id for slot in slots]
        approved = session.execute(
            select(Application.slot_id, Application.organisation, Application.pitch_title,
                   Application.pitch_summary, Application.pitch_title_en, Application.pitch_summary_en,
                   Application.partner_id, Partner.slug)
            .outerjoin(Partner, Partner.id == Application.partner_id)
            .where(Application.slot_id.in_(ids), Application.state == ApplicationState.APPROVED,
                   Application.consent_publication.is_(True))
            .order_by(Application.organisation)).mappings().all()
        changed = dict(session.execute(
            select(Application.slot_id, func.max(Application.updated_at))
            .where(Application.slot_id.in_(ids)).group_by(Application.slot_id)).all())
    startups: dict[int, list[dict]] = {}
    for row in approved:
        startups.setdefault(row["slot_id"], []).append(dict(row))
    return [{"id": slot.id, "starts_at": slot.starts_at, "ends_at": slot.ends_at, "theme": slot.theme,
             "capacity": slot.capacity, "is_open": slot.is_open, "cancelled": slot.cancelled_at is not None,
             "applications_close_at": aware(slot.applications_close_at),
             "accepts_applications": accepts_applications(slot, utcnow()), "sequence": slot.sequence,
             "last_modified": max(aware(slot.updated_at), aware(changed.get(slot.id) or slot.updated_at)),
             "startups": startups.get(slot.id, [])}
            for slot in slots]


def calendar_showcases(engine: Engine, *, slot_id: int | None = None) -> list[dict]:
    """What a subscribed calendar lists: the showcases of the last 90 days and those to come,
    cancelled ones included (with their status), so that subscribers see every change."""
    return showcases(engine, slot_id=slot_id, include_cancelled=True, ending_after=utcnow() - CALENDAR_PAST)


def calendar_version(engine: Engine) -> str:
    """Changes whenever anything the calendar shows may have changed (and every day, as showcases
    pass): cheap enough to answer a calendar app's revalidation."""
    with read_session(engine) as session:
        count, slots_changed, applications_changed = session.execute(select(
            select(func.count(ShowcaseSlot.id)).scalar_subquery(),
            select(func.max(ShowcaseSlot.updated_at)).scalar_subquery(),
            select(func.max(Application.updated_at)).scalar_subquery(),
        )).one()
    return f"{count}:{slots_changed}:{applications_changed}:{utcnow():%Y%m%d}"


def published_calendar(name: str = "") -> Calendar:
    """A calendar with Vitrine's product id, published (not an invitation); with a `name`, a feed
    to subscribe to (its name, the atelier's time zone, refreshed every 6 hours)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Vitrine//Atelier Numérique Saint-Étienne//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Europe/Paris")
        calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT6H")
    return calendar


def upcoming_and_past(shows: list[dict], now: datetime | None = None) -> tuple[list[dict], list[dict]]:
    """`showcases` split at this moment: a showcase under way is still to come."""
    now = now or utcnow()
    return [show for show in shows if show["ends_at"] > now], [show for show in shows if show["ends_at"] <= now]


def showcases_ics(showcases: list[dict], language: str, *, base_url: str) -> bytes:
    """An iCalendar feed of showcases that calendar apps can subscribe to.

    Times are UTC, so every calendar agrees. Each showcase keeps its UID; SEQUENCE and
    LAST-MODIFIED change with it, and a cancelled one stays with STATUS:CANCELLED so that
    subscribers see it go. The feed is the same bytes for the same data (its ETag).
    """
    calendar = published_calendar(translate(N_("Vitrines des startups — Atelier Numérique"), language))
    for show in showcases:
        calendar.add_component(_showcase_event(show, language, base_url=base_url))
    return calendar.to_ical()


def showcase_ics(show: dict, language: str, *, base_url: str) -> bytes:
    """One showcase as a single event to add to a calendar: no calendar name nor refresh interval,
    like the file the emails attach."""
    calendar = published_calendar()
    calendar.add_component(_showcase_event(show, language, base_url=base_url))
    return calendar.to_ical()


def _showcase_event(show: dict, language: str, *, base_url: str) -> Event:
    """A showcase as an event: its UID for life, who presents, and whether it is cancelled."""
    title = translate(N_("Vitrine des startups"), language)
    event = Event()
    event.add("uid", f"showcase-{show['id']}@vitrine.saint-etienne")
    event.add("dtstamp", show["last_modified"])
    event.add("last-modified", show["last_modified"])
    event.add("sequence", show["sequence"])
    event.add("dtstart", show["starts_at"])
    event.add("dtend", show["ends_at"])
    event.add("status", "CANCELLED" if show["cancelled"] else "CONFIRMED")
    event.add("summary", f"{title} — {show['theme']}" if show["theme"] else title)
    event.add("location", ATELIER_ADDRESS)
    event.add("geo", ATELIER_POSITION)
    event.add("url", addresses.showcase_page(base_url, show["id"], language))
    presenting = "\n".join(f"• {s['organisation']} : {localized(s, 'pitch_summary', language)}"
                           for s in show["startups"])
    event.add("description", presenting or translate(N_("Programme à venir."), language))
    return event


def presentation_ics(*, uid: str, sequence: int, arrival: datetime, ends_at: datetime, summary: str,
                     description: str, url: str) -> bytes:
    """One startup's presentation as a single event to add to a calendar (not a feed to subscribe
    to: no calendar name or refresh interval), from its arrival time."""
    calendar = published_calendar()
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", utcnow())
    event.add("sequence", sequence)
    event.add("dtstart", arrival)
    event.add("dtend", ends_at)
    event.add("status", "CONFIRMED")
    event.add("summary", summary)
    event.add("location", ATELIER_ADDRESS)
    event.add("geo", ATELIER_POSITION)
    event.add("url", url)
    event.add("description", description)
    calendar.add_component(event)
    return calendar.to_ical()
