"""Staff open showcase slots (one or a series), change, close or cancel them; slot lists with places taken."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import func, insert, select, tuple_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from directory import audit
from directory.audit import AuditAction
from directory.clock import aware, from_paris, to_paris, utcnow
from directory.db import read_session, write_session
from directory.i18n import N_
from directory.models import (
    HOLDING_STATES,
    LONG_TEXT_MAX,
    NAME_MAX,
    Application,
    ApplicationState,
    Offer,
    OfferOutcome,
    ShowcaseSlot,
)
from directory.showcase.errors import ShowcaseError
from directory.showcase.offers import end_offer
from directory.showcase.review import candidates_per_slot
from directory.showcase.rules import (
    DEFAULT_DEADLINE_DAYS,
    MAX_CAPACITY,
    MAX_DEADLINE_DAYS,
    MAX_SERIES,
    lock_slot,
    place_freed,
    places_held,
    slot_label,
    tell,
)
from directory.validation import (
    FormCheck,
    FormErrors,
    Invalid,
    Message,
    clean_text,
)


@dataclass(frozen=True)
class SlotTimes:
    """A slot's wall-clock window at the atelier (Europe/Paris)."""

    day: date
    start: time
    end: time
    # Applications close at the slot's start time, this many days before.
    deadline_days: int = DEFAULT_DEADLINE_DAYS


def _slot_values(check: FormCheck, times: SlotTimes, capacity: int, theme: str) -> dict:
    if times.end <= times.start:
        check.fail("end", N_("L'heure de fin doit suivre l'heure de début."))
    if not 1 <= capacity <= MAX_CAPACITY:
        check.fail("capacity", N_("La capacité va de 1 à {max} startups."), max=MAX_CAPACITY)
    if not 0 <= times.deadline_days <= MAX_DEADLINE_DAYS:
        check.fail("deadline_days", N_("Le délai va de 0 à {max} jours."), max=MAX_DEADLINE_DAYS)
    starts_at = from_paris(datetime.combine(times.day, times.start))
    if starts_at <= utcnow():
        check.fail("day", N_("Ce créneau serait déjà passé."))
    return {"starts_at": starts_at, "ends_at": from_paris(datetime.combine(times.day, times.end)),
            "applications_close_at": starts_at - timedelta(days=times.deadline_days),
            "capacity": capacity, "theme": check("theme", clean_text, theme, max_length=NAME_MAX)}


def _refuse_closed_on_creation(check: FormCheck, rows: list[dict]) -> None:
    """New slots that nobody could apply for are a typing mistake."""
    if rows and not check.errors and all(row["applications_close_at"] <= utcnow() for row in rows):
        check.fail("deadline_days", N_("Les candidatures seraient déjà closes : choisissez un délai plus court."))


def _refuse_duplicates(session: Session, rows: list[dict], *, ignore_id: int | None = None) -> None:
    """A slot at the very hours of another one (not cancelled) is a slip: refused, naming it."""
    query = select(ShowcaseSlot).where(
        ShowcaseSlot.cancelled_at.is_(None),
        tuple_(ShowcaseSlot.starts_at, ShowcaseSlot.ends_at).in_([(r["starts_at"], r["ends_at"]) for r in rows]))
    if ignore_id is not None:
        query = query.where(ShowcaseSlot.id != ignore_id)
    existing = session.execute(query.order_by(ShowcaseSlot.starts_at)).scalars().first()
    if existing is not None:
        start, end = to_paris(existing.starts_at), to_paris(existing.ends_at)
        raise FormErrors({"day": Message(N_("Un créneau existe déjà à ces heures : n°{number}, {slot}."),
                                         {"number": existing.id, "slot": f"{start:%d/%m/%Y %H:%M}–{end:%H:%M}"})})


def create_slot(engine: Engine, times: SlotTimes, *, capacity: int, theme: str = "") -> int:
    """One slot. Raises FormErrors (nothing written) when a value is wrong."""
    check = FormCheck()
    values = _slot_values(check, times, capacity, theme)
    _refuse_closed_on_creation(check, [values])
    check.raise_if_invalid()
    with write_session(engine) as session:
        _refuse_duplicates(session, [values])
        slot = ShowcaseSlot(**values)
        session.add(slot)
        session.flush()
        return slot.id


def series_days(first: date, last: date, *, weekday: int, skip: frozenset[date] = frozenset()) -> list[date]:
    """Every `weekday` (0 = Monday) from `first` to `last`, but the skipped dates."""
    if last < first:
        raise Invalid(N_("La date de fin doit suivre la date de début."))
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    days = []
    while day <= last:
        if day not in skip:
            days.append(day)
        day += timedelta(days=7)
    if len(days) > MAX_SERIES:
        raise Invalid(N_("Une série compte {max} créneaux au maximum."), max=MAX_SERIES)
    return days


def parse_days(text: str) -> frozenset[date]:
    """Dates typed the French way (23/12/2026) or ISO (2026-12-23), separated by commas."""
    days = set()
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            days.add(date.fromisoformat(part) if "-" in part else
                     date(*reversed([int(n) for n in part.split("/")])))
        except (TypeError, ValueError) as error:
            raise Invalid(N_("Date invalide : « {text} » (format attendu : 23/12/2026)."), text=part) from error
    return frozenset(days)


def create_slot_series(engine: Engine, days: list[date], start: time, end: time, *,
                       capacity: int, theme: str = "", deadline_days: int = DEFAULT_DEADLINE_DAYS) -> int:
    """One slot per day, all or none: a wrong value on any day writes nothing. Days whose
    applications would all be closed already are refused too."""
    check = FormCheck()
    rows = [_slot_values(check, SlotTimes(day, start, end, deadline_days), capacity, theme) for day in days]
    _refuse_closed_on_creation(check, rows)
    check.raise_if_invalid()
    if rows:
        now = utcnow()
        with write_session(engine) as session:
            _refuse_duplicates(session, rows)
            session.execute(insert(ShowcaseSlot), [{**row, "created_at": now, "updated_at": now, "is_open": True}
                                                   for row in rows])
    return len(rows)


def open_slots(engine: Engine, *, keeping: Iterable[int] = ()) -> pd.DataFrame:
    """Slots that still take applications (open, before their deadline), with places taken; plus
    the `keeping` ones (an application's earlier choices) while they are still to come."""
    frame = slots_with_counts(engine)
    if frame.empty:
        return frame
    now = utcnow()
    accepting = frame["is_open"] & (frame["applications_close_at"] > now)
    kept = frame["id"].isin(list(keeping)) & (frame["starts_at"] > now)
    return frame[frame["cancelled_at"].isna() & (accepting | kept)]


def slots_with_counts(engine: Engine) -> pd.DataFrame:
    """Every slot with the one count of its places: `places_taken` (given, or held for an offer's
    answer) and `places_left` (what may still be given: never below zero)."""
    taken = (select(Application.slot_id, func.count().label("places_taken"))
             .where(Application.state.in_(HOLDING_STATES)).group_by(Application.slot_id).subquery())
    query = (select(ShowcaseSlot.id, ShowcaseSlot.starts_at, ShowcaseSlot.ends_at, ShowcaseSlot.capacity,
                    ShowcaseSlot.theme, ShowcaseSlot.is_open, ShowcaseSlot.cancelled_at, ShowcaseSlot.auto_offers,
                    ShowcaseSlot.applications_close_at, func.coalesce(taken.c.places_taken, 0).label("places_taken"))
             .outerjoin(taken, taken.c.slot_id == ShowcaseSlot.id).order_by(ShowcaseSlot.starts_at))
    with read_session(engine) as session:
        rows = session.execute(query).mappings().all()
    frame = pd.DataFrame(rows, columns=["id", "starts_at", "ends_at", "capacity", "theme", "is_open",
                                        "cancelled_at", "auto_offers", "applications_close_at", "places_taken"])
    for column in ("starts_at", "ends_at", "applications_close_at"):
        frame[column] = frame[column].map(aware)
    frame["places_left"] = (frame["capacity"] - frame["places_taken"]).clip(lower=0).astype(int)
    return frame


def update_slot(engine: Engine, slot_id: int, times: SlotTimes, *, capacity: int, theme: str, staff: str) -> None:
    """Change a slot's time, capacity or theme; approved startups are told of a new time.
    Raises FormErrors, also for a capacity below the places already given."""
    check = FormCheck()
    values = _slot_values(check, times, capacity, theme)
    with write_session(engine) as session:
        slot = lock_slot(session, slot_id)
        if slot is None:
            raise ShowcaseError(N_("Ce créneau n'existe plus ou est déjà passé."))
        approved = session.execute(select(Application).where(
            Application.slot_id == slot_id, Application.state == ApplicationState.APPROVED)).scalars().all()
        held = places_held(session, slot_id)
        if capacity < held:
            check.fail("capacity", N_("{count} startups sont déjà retenues : la capacité ne peut pas être "
                                      "inférieure."), count=held)
        check.raise_if_invalid()
        _refuse_duplicates(session, [values], ignore_id=slot_id)
        before = {"starts_at": slot.starts_at, "ends_at": slot.ends_at, "capacity": slot.capacity,
                  "theme": slot.theme, "applications_close_at": slot.applications_close_at}
        moved = values["starts_at"] != slot.starts_at or values["ends_at"] != slot.ends_at
        session.execute(update(ShowcaseSlot).where(ShowcaseSlot.id == slot_id).values(
            **values, updated_at=utcnow(), sequence=ShowcaseSlot.sequence + int(moved)))
        audit.record(session, actor=staff, action=AuditAction.SLOT_UPDATED, entity="slot", entity_id=slot_id,
                     before=before, after=values)
        if moved:
            for application in approved:
                tell(session, application, "slot_changed", params={"slot": slot_label(
                    values["starts_at"], values["ends_at"], application.language)})
        if capacity > before["capacity"]:
            place_freed(session, slot_id)


def set_slot_open(engine: Engine, slot_id: int, is_open: bool, *, staff: str) -> None:
    with write_session(engine) as session:
        session.execute(update(ShowcaseSlot).where(ShowcaseSlot.id == slot_id).values(is_open=is_open))
        audit.record(session, actor=staff, action=AuditAction.SLOT_OPENED if is_open else AuditAction.SLOT_CLOSED,
                     entity="slot", entity_id=slot_id)


def cancel_slot(engine: Engine, slot_id: int, *, staff: str, message: str = "") -> int:
    """Cancel a showcase: closed to applications, off the calendar; its approved startups are told
    and wait for staff to move them; startups it was offered to go back on the waiting list.
    Returns how many startups were told."""
    message = clean_text(message, max_length=LONG_TEXT_MAX, multiline=True)
    with write_session(engine) as session:
        slot = lock_slot(session, slot_id)
        if slot is None or slot.cancelled_at is not None:
            raise ShowcaseError(N_("Ce créneau n'existe plus ou est déjà passé."))
        session.execute(update(ShowcaseSlot).where(ShowcaseSlot.id == slot_id).values(
            is_open=False, cancelled_at=utcnow(), updated_at=utcnow(), sequence=ShowcaseSlot.sequence + 1))
        approved = session.execute(select(Application).where(
            Application.slot_id == slot_id, Application.state == ApplicationState.APPROVED)).scalars().all()
        for application in approved:
            tell(session, application, "slot_cancelled", params={
                "message": message, "slot": slot_label(slot.starts_at, slot.ends_at, application.language)})
        offers = session.execute(select(Offer).where(Offer.slot_id == slot_id,
                                                     Offer.outcome == OfferOutcome.PENDING)).scalars().all()
        for offer in offers:  # the place offered is gone: back on the waiting list for their other slots
            end_offer(session, offer, outcome=OfferOutcome.CANCELLED, actor=staff)
        audit.record(session, actor=staff, action=AuditAction.SLOT_CANCELLED, entity="slot", entity_id=slot_id,
                     after={"told": len(approved) + len(offers), "message": message})
        return len(approved) + len(offers)


def slots_to_come(slots: pd.DataFrame, now: datetime | None = None) -> pd.DataFrame:
    """Of `slots_with_counts`, those a place can still be given in: not begun, not cancelled."""
    return slots[(slots["starts_at"] > (now or utcnow())) & slots["cancelled_at"].isna()]


def slots_not_over(slots: pd.DataFrame, now: datetime | None = None) -> pd.DataFrame:
    """Of `slots_with_counts`, those staff still manage: not ended (cancelled ones included)."""
    return slots[slots["ends_at"] > (now or utcnow())]


def slots_held(slots: pd.DataFrame, now: datetime | None = None) -> pd.DataFrame:
    """Of `slots_with_counts`, those whose attendance staff record: begun, not cancelled, with startups."""
    return slots[(slots["starts_at"] <= (now or utcnow())) & slots["cancelled_at"].isna() & (slots["places_taken"] > 0)]


@dataclass(frozen=True)
class NewSlotDays:
    """The days staff may give a new slot or series, and those the forms suggest: two weeks ahead
    leaves startups time to apply; a series runs for a quarter."""

    earliest: date
    suggested: date
    series_end: date


def new_slot_days(now: datetime | None = None) -> NewSlotDays:
    today = to_paris(now or utcnow()).date()
    return NewSlotDays(earliest=today, suggested=today + timedelta(days=14), series_end=today + timedelta(days=90))


SLOT_STATUS_LABELS = {"cancelled": N_("annulé"), "closed": N_("fermé"), "open": N_("ouvert"),
                      "applications_closed": N_("candidatures closes")}


def slot_overview(engine: Engine, *, now: datetime | None = None) -> pd.DataFrame:
    """Every slot as staff survey it: places taken and left, undecided
    applications that ranked it, and a status (a key of SLOT_STATUS_LABELS)."""
    now = now or utcnow()
    slots = slots_with_counts(engine)
    waiting = candidates_per_slot(engine)
    return slots.assign(
        waiting=[waiting.get(int(slot_id), 0) for slot_id in slots["id"]],
        status=["cancelled" if pd.notna(s.cancelled_at) else "closed" if not s.is_open
                else "open" if s.applications_close_at > now else "applications_closed" for s in slots.itertuples()],
    )
