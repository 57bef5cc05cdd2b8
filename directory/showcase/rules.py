"""The rules every stage shares, each written once: limits and places; the time rules (a slot
"has begun", "accepts applications"); how a slot's capacity is counted (`places_held`: approved
or held by an offer) and locked; finding an application by its private link (the links themselves
are directory.private_links); and the one place an application changes state.

`change_state` is what every transition does: the update is conditional on the state read (two
people acting at once cannot both win: the loser gets AlreadyDecided), the audit log gets the
values before and after, the applicant's email is queued, and leaving the offered state answers
the offer. Which transitions are allowed is `directory.models.APPLICATION_TRANSITIONS`.
`place_freed` is what freeing a place does: the next waitlisted startup gets an offer."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from directory import audit, notify
from directory.audit import AuditAction
from directory.clock import aware, to_paris, utcnow
from directory.db import is_sqlite, read_session, update_if_unchanged
from directory.i18n import N_, format_datetime, format_time, translate
from directory.models import (
    APPLICATION_TRANSITIONS,
    HOLDING_STATES,
    Application,
    ApplicationState,
    LinkKind,
    Offer,
    OfferOutcome,
    PrivateLink,
    ShowcaseSlot,
    SlotChoice,
)
from directory.places import offer_expiry, offer_freed_places
from directory.settings import ATELIER_ADDRESS, ATELIER_POSITION  # noqa: F401 — the showcase's place
from directory.showcase.errors import AlreadyDecided, ShowcaseError, SlotFull, UnknownToken
from directory.tokens import TOKEN_PATTERN, token_hash

MAX_CHOICES = 3
MAX_CAPACITY = 50
# Applications close this many days before a slot, unless staff choose otherwise.
DEFAULT_DEADLINE_DAYS = 7
MAX_DEADLINE_DAYS = 90
MAX_SERIES = 500
MAX_TEAM = 10_000
RETENTION = timedelta(days=365)
CALENDAR_PAST = timedelta(days=90)


def has_begun(slot: ShowcaseSlot, now: datetime | None = None) -> bool:
    """From its start on, a showcase can no longer be given, withdrawn from or confirmed."""
    return aware(slot.starts_at) <= (now or utcnow())


def has_ended(slot: ShowcaseSlot, now: datetime | None = None) -> bool:
    return aware(slot.ends_at) <= (now or utcnow())


def accepts_applications(slot: ShowcaseSlot, now: datetime) -> bool:
    """Open, not cancelled, and before its application deadline."""
    return slot.is_open and slot.cancelled_at is None and aware(slot.applications_close_at) > now


def slot_label(starts_at: datetime, ends_at: datetime, language: str, theme: str = "", *,
               day_style: str = "EEEE d MMMM y") -> str:
    """« mercredi 2 décembre 2026, 14:00–17:00 » in the atelier's time (« mer. 2 déc. 2026, … » in
    tables, with `day_style="EEE d MMM y"`)."""
    start, end = to_paris(starts_at), to_paris(ends_at)
    label = translate(N_("{day}, {start}–{end}"), language,
                      day=format_datetime(start, language, style=day_style),
                      start=format_time(start, language), end=format_time(end, language))
    return f"{label} — {theme}" if theme else label


def lock_slot(session: Session, slot_id: int) -> ShowcaseSlot | None:
    """Serialise decisions on one slot: a row lock on PostgreSQL; SQLite's write transaction
    (BEGIN IMMEDIATE) already admits one writer at a time."""
    query = select(ShowcaseSlot).where(ShowcaseSlot.id == slot_id)
    if not is_sqlite(session.get_bind()):
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def places_held(session: Session, slot_id: int, *, besides: int | None = None) -> int:
    """Places given (approved) or held for an answer (offered) in the slot: what its capacity counts."""
    query = select(func.count()).where(Application.slot_id == slot_id, Application.state.in_(HOLDING_STATES))
    if besides is not None:
        query = query.where(Application.id != besides)
    return session.execute(query).scalar_one()


def slot_with_room(session: Session, slot_id: int, *, holder: int | None = None) -> ShowcaseSlot:
    """The slot, locked, if it is still to come and has a free place (or `holder` holds one
    there through an offer); else ShowcaseError/SlotFull."""
    slot = lock_slot(session, slot_id)
    if slot is None or has_begun(slot) or slot.cancelled_at is not None:
        raise ShowcaseError(N_("Ce créneau n'existe plus ou est déjà passé."))
    if places_held(session, slot.id, besides=holder) >= slot.capacity:
        raise SlotFull()
    return slot


def application_number(application_id: int) -> str:
    return f"{application_id:05d}"


def by_token(session: Session, token: str | None, *, for_update: bool = False) -> Application:
    if not token or not TOKEN_PATTERN.match(token):
        raise UnknownToken()
    query = (select(Application).join(PrivateLink, PrivateLink.application_id == Application.id)
             .where(PrivateLink.token_hash == token_hash(token)))
    if for_update:
        query = query.with_for_update()
    application = session.execute(query).scalar_one_or_none()
    if application is None or utcnow() > retention_end(session, application):
        raise UnknownToken()
    return application
AUDITED_FIELDS = ("state", "organisation", "pitch_title", "slot_id", "decision_reason", "staff_message")


def public_fields(application: Application) -> dict:
    return {name: getattr(application, name) for name in AUDITED_FIELDS}


def message_params(application: Application) -> dict:
    return {"number": application_number(application.id), "name": application.contact_name,
            "organisation": application.organisation, "pitch": application.pitch_title}


def decidable(session: Session, application_id: int, to: ApplicationState) -> Application:
    application = session.get(Application, application_id)
    if application is None or to not in APPLICATION_TRANSITIONS[ApplicationState(application.state)]:
        raise AlreadyDecided()
    return application
# What leaving the offered state means for the offer (an expiry or a cancellation closes it itself, first).
OFFER_OUTCOMES = {ApplicationState.APPROVED: OfferOutcome.ACCEPTED, ApplicationState.WAITLISTED: OfferOutcome.DECLINED,
                  ApplicationState.WITHDRAWN: OfferOutcome.WITHDRAWN}


def change_state(session: Session, application: Application, to: ApplicationState, *, actor: str,
                 template: str | None, values: dict | None = None, params: dict | None = None,
                 action: AuditAction | None = None, noted: dict | None = None, calendar: str = "") -> None:
    """The one place a state changes: only as APPLICATION_TRANSITIONS allows, conditional on the
    state read, audited (with `noted`, what else the history must say of it), notified (unless
    `template` is None: the caller then tells the applicant once it knows what followed)."""
    if to not in APPLICATION_TRANSITIONS[ApplicationState(application.state)]:
        raise AlreadyDecided()
    before = public_fields(application)
    now = utcnow()
    decided = {"decided_at": now} if to in (ApplicationState.APPROVED, ApplicationState.WAITLISTED,
                                           ApplicationState.REJECTED) else {}
    if not update_if_unchanged(session, Application, where={"id": application.id, "state": application.state},
                               values={"state": to, "updated_at": now, **decided, **(values or {})}):
        raise AlreadyDecided()
    if before["state"] == ApplicationState.OFFERED:  # leaving it answers the offer, whoever acts
        session.execute(update(Offer).where(Offer.application_id == application.id,
                                            Offer.outcome == OfferOutcome.PENDING)
                        .values(outcome=OFFER_OUTCOMES[to], answered_at=now))
    # No re-read: the ORM update has already brought `application` up to date in the session.
    audit.record(session, actor=actor, action=action or AuditAction(to.value), entity="application",
                 entity_id=application.id, before=before, after={**public_fields(application), **(noted or {})})
    if template is not None:
        tell(session, application, template, params=params, calendar=calendar)


def tell(session: Session, application: Application, template: str, *, params: dict | None = None,
         calendar: str = "") -> None:
    """Queue an email to the applicant, in its language, inside the caller's transaction. Every
    such email carries the application's private link; a staff message, if any, is a paragraph."""
    values = {**message_params(application), **(params or {})}
    values["message"] = f"\n\n{values['message']}" if values.get("message") else ""
    notify.queue(session, template=template, recipient=application.contact_email, language=application.language,
                 params=values, application_id=application.id, link_kind=LinkKind.APPLICATION, calendar=calendar)


def possible_slots_of(engine: Engine, application_id: int) -> list[ShowcaseSlot]:
    """`possible_slots`, read on its own (the follow page, the review queue)."""
    with read_session(engine) as session:
        return possible_slots(session, application_id)


def possible_slots(session: Session, application_id: int, *, now: datetime | None = None) -> list[ShowcaseSlot]:
    """The slots the application ranked that may still give it a place: taking applications, and
    never offered to it before (an offer is made once per slot)."""
    offered = select(Offer.slot_id).where(Offer.application_id == application_id)
    ranked = session.execute(
        select(ShowcaseSlot).join(SlotChoice, SlotChoice.slot_id == ShowcaseSlot.id)
        .where(SlotChoice.application_id == application_id, ShowcaseSlot.id.not_in(offered))
        .order_by(SlotChoice.rank)).scalars().all()
    now = now or utcnow()
    return [slot for slot in ranked if accepts_applications(slot, now)]


def retention_end(session: Session, application: Application) -> datetime:
    """Personal data is kept a year after the application's last event (its showcase, or its last change)."""
    last = application.updated_at
    if application.slot_id is not None:
        slot = session.get(ShowcaseSlot, application.slot_id)
        last = max(last, slot.ends_at)
    return last + RETENTION
OFFER_TIME = timedelta(hours=48)


def place_freed(session: Session, slot_id: int) -> bool:
    """A place may have freed up in the slot (a withdrawal, a move, a larger capacity, a declined
    or expired offer): while places are free, `next_in_line` gets an offer. Returns whether any
    offer was made (if not, the free place is the staff's to give).

    The offer holds the place until it is answered or expires (48 hours, never past the slot's
    application deadline); the startup is emailed a private link to answer.
    """
    slot = lock_slot(session, slot_id)
    if slot is None:
        return False

    def offer(application: Application) -> None:
        now = utcnow()
        expires_at = offer_expiry(now, closes_at=aware(slot.applications_close_at), starts_at=aware(slot.starts_at),
                                  longest=OFFER_TIME)
        session.add(Offer(application_id=application.id, slot_id=slot_id, created_at=now, expires_at=expires_at))
        change_state(session, application, ApplicationState.OFFERED, actor="vitrine", template="offered",
                     values={"slot_id": slot_id},
                     params={"slot": slot_label(slot.starts_at, slot.ends_at, application.language),
                             "expires": format_datetime(to_paris(expires_at), application.language,
                                                        style="EEEE d MMMM, HH:mm")})
    return offer_freed_places(free_places=lambda: slot.capacity - places_held(session, slot_id),
                              next_in_line=lambda: next_in_line(session, slot), offer=offer) > 0


def next_in_line(session: Session, slot: ShowcaseSlot) -> Application | None:
    """Who the slot's next free place is offered to: none while staff turned automatic offers off
    or applications have closed; else the waitlisted application that ranked the slot highest
    among its choices, then the longest on the waiting list, never offered this slot before."""
    if not slot.auto_offers or not accepts_applications(slot, utcnow()):
        return None
    already_offered = select(Offer.application_id).where(Offer.slot_id == slot.id)
    return session.execute(
        select(Application).join(SlotChoice, SlotChoice.application_id == Application.id)
        .where(SlotChoice.slot_id == slot.id, Application.state == ApplicationState.WAITLISTED,
               Application.id.not_in(already_offered))
        .order_by(SlotChoice.rank, Application.decided_at, Application.id).limit(1)).scalar_one_or_none()
