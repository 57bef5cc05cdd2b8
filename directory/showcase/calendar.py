"""The public calendar: showcases with the startups that agreed to be shown, and the feed's version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from directory.clock import aware, utcnow
from directory.db import read_session
from directory.models import (
    Application,
    ApplicationState,
    Partner,
    ShowcaseSlot,
)
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
                   Application.pitch_summary, Application.partner_id, Partner.slug)
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
