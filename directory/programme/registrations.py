"""The public registers for a session without an account: a place while places are left, else the
waiting list. A place freed (a cancellation, a declined or lapsed offer) is offered to the next in
line through the engine the showcases use (`directory.places`), held until 24 hours before the
session, or a short while on its last day; the person accepts or declines through their link.

Capacity is never exceeded: each registration locks its session first (a row lock on PostgreSQL,
SQLite's one writer), counts the places held, and only then takes one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from directory import audit, settings
from directory.audit import AuditAction
from directory.clock import aware, to_paris, utcnow
from directory.db import read_session, retry_on_conflict, update_if_unchanged, write_session
from directory.i18n import N_, format_datetime
from directory.models import (
    NAME_MAX,
    SHORT_TEXT_MAX,
    ProgrammeSession,
    Registration,
    RegistrationState,
    Room,
    SessionState,
)
from directory.places import expire_due, offer_expiry, offer_freed_places
from directory.private_links import registration_token
from directory.programme.agenda import session_entries, session_ics
from directory.programme.errors import AlreadyRegistered, RegistrationChanged, RegistrationClosed
from directory.programme.rules import (
    change_registration_state,
    lock_session,
    registration_by_token,
    seats_held,
    session_when,
    takes_registrations,
    tell_partner,
    tell_registrant,
)
from directory.tokens import token_hash
from directory.validation import FormCheck, clean_email, clean_phone, clean_text

# A freed place is held a day for an answer, never later than a day before the session; on the
# session's last day, a short while (`directory.places`).
OFFER_TIME = timedelta(hours=24)
OFFERS_CLOSE = timedelta(hours=24)


@dataclass
class RegistrationForm:
    name: str = ""
    email: str = ""
    phone: str = ""
    needs: str = ""  # accessibility, language: what the atelier should know
    consent: bool = False
    language: str = "fr"


@dataclass(frozen=True)
class Registered:
    registration_id: int
    state: RegistrationState
    token: str | None  # None when the same form had already been sent


def _clean(form: RegistrationForm) -> dict:
    check = FormCheck()
    values = {
        "name": check("name", clean_text, form.name, max_length=NAME_MAX, required=True),
        "email": check("email", clean_email, form.email, required=True),
        "phone": check("phone", clean_phone, form.phone),
        "needs": check("needs", clean_text, form.needs, max_length=SHORT_TEXT_MAX),
        "language": form.language if form.language in ("fr", "en") else "fr",
    }
    if not form.consent:
        check.fail("consent", N_("Cochez cette case pour que nous puissions enregistrer votre inscription."))
    check.raise_if_invalid()
    return values


def register(engine: Engine, session_id: int, form: RegistrationForm, *, submission_key: str) -> Registered:
    """A place in the session if one is left, else the waiting list; the confirmation (with the
    event, when registered) carries the person's private link. The same `submission_key` twice
    returns the first. Raises FormErrors, RegistrationClosed or AlreadyRegistered (nothing written)."""
    values = _clean(form)

    def work() -> Registered:
        with write_session(engine) as session:
            # The lock first: the same form sent twice at once then finds, second, what the first stored.
            programme_session = lock_session(session, session_id)
            existing = session.execute(select(Registration).where(
                Registration.submission_key == submission_key)).scalar_one_or_none()
            if existing is not None:
                return Registered(existing.id, RegistrationState(existing.state), None)
            if programme_session is None or not takes_registrations(programme_session):
                raise RegistrationClosed()
            if session.execute(select(func.count()).where(
                    Registration.session_id == session_id, Registration.state != RegistrationState.CANCELLED,
                    func.lower(Registration.email) == values["email"].lower())).scalar_one():
                raise AlreadyRegistered()
            has_place = seats_held(session, session_id) < programme_session.places
            state = RegistrationState.REGISTERED if has_place else RegistrationState.WAITING
            registration = Registration(**values, session_id=session_id, state=state, submission_key=submission_key)
            session.add(registration)
            session.flush()
            token = registration_token(session, registration.id)
            registration.token_hash = token_hash(token)
            audit.record(session, actor="public", action=AuditAction.REGISTERED if has_place
                         else AuditAction.REGISTRATION_WAITING, entity="registration", entity_id=registration.id,
                         after={"state": state, "session_id": session_id})
            if has_place:
                tell_registrant(session, registration, programme_session, "registration_confirmed",
                                calendar=session_event(session, programme_session, registration.language))
            else:
                tell_registrant(session, registration, programme_session, "registration_waiting")
            return Registered(registration.id, state, token)
    try:
        return retry_on_conflict(work)
    except IntegrityError:
        with read_session(engine) as session:  # two sends of the same form raced: the other stored it
            found = session.execute(select(Registration).where(
                Registration.submission_key == submission_key)).scalar_one()
            return Registered(found.id, RegistrationState(found.state), None)


def session_event(session: Session, programme_session: ProgrammeSession, language: str) -> str:
    """The session as an event to add to a calendar (attached to the confirmation)."""
    return session_ics(session_entries(session, [programme_session])[0], language,
                       base_url=settings.public_url() or settings.LOCAL_URL).decode()


def place_freed(session: Session, session_id: int) -> int:
    """While the session has free places, the next in line gets one, held for an answer (see
    OFFER_TIME). Returns how many offers were made."""
    programme_session = lock_session(session, session_id)
    if programme_session is None or not takes_registrations(programme_session):
        return 0
    now = utcnow()
    starts_at = aware(programme_session.starts_at)
    expires_at = offer_expiry(now, closes_at=starts_at - OFFERS_CLOSE, starts_at=starts_at, longest=OFFER_TIME,
                              last_day=True)
    if expires_at is None:
        return 0  # too close to the start: the place is the atelier's to give at the door

    def next_in_line() -> Registration | None:
        return session.execute(select(Registration).where(
            Registration.session_id == session_id, Registration.state == RegistrationState.WAITING)
            .order_by(Registration.created_at, Registration.id).limit(1)).scalar_one_or_none()

    def offer(registration: Registration) -> None:
        change_registration_state(session, registration, RegistrationState.OFFERED, actor="vitrine",
                                  action=AuditAction.REGISTRATION_OFFERED,
                                  values={"offered_at": now, "offer_expires_at": expires_at})
        tell_registrant(session, registration, programme_session, "registration_offered",
                        expires=format_datetime(to_paris(expires_at), registration.language,
                                                style="EEEE d MMMM, HH:mm"))
    return offer_freed_places(free_places=lambda: programme_session.places - seats_held(session, session_id),
                              next_in_line=next_in_line, offer=offer)


@dataclass(frozen=True)
class RegistrationView:
    registration: Registration
    session: ProgrammeSession
    waiting_rank: int | None  # place in the waiting list (1: next), when waiting

    @property
    def cancellable(self) -> bool:
        return (self.registration.state != RegistrationState.CANCELLED and self.session.state == SessionState.APPROVED
                and aware(self.session.starts_at) > utcnow())

    @property
    def answering(self) -> bool:
        """A place is held for this person and they may still take it."""
        return (self.registration.state == RegistrationState.OFFERED
                and aware(self.registration.offer_expires_at) > utcnow())


def registration_view(engine: Engine, token: str | None) -> RegistrationView:
    """The person's registration, read through their link. Raises UnknownRegistrationLink."""
    with read_session(engine) as session:
        registration = registration_by_token(session, token)
        programme_session = session.get(ProgrammeSession, registration.session_id)
        rank = None
        if registration.state == RegistrationState.WAITING:
            rank = 1 + session.execute(select(func.count()).where(
                Registration.session_id == registration.session_id, Registration.state == RegistrationState.WAITING,
                Registration.created_at < registration.created_at)).scalar_one()
        return RegistrationView(registration, programme_session, rank)


def cancel_registration(engine: Engine, token: str) -> None:
    """The person lets their place (or their turn) go; a place freed goes to the next in line.
    Raises UnknownRegistrationLink, RegistrationClosed (the session began) or RegistrationChanged."""
    def work() -> None:
        with write_session(engine) as session:
            registration = registration_by_token(session, token)
            programme_session = lock_session(session, registration.session_id)
            if not takes_registrations(programme_session):
                raise RegistrationClosed()
            session.refresh(registration)
            held = registration.state in (RegistrationState.REGISTERED, RegistrationState.OFFERED)
            change_registration_state(session, registration, RegistrationState.CANCELLED, actor="registrant",
                                      action=AuditAction.REGISTRATION_CANCELLED)
            tell_registrant(session, registration, programme_session, "registration_cancelled")
            if held:
                place_freed(session, programme_session.id)
    retry_on_conflict(work)


def accept_place(engine: Engine, token: str) -> None:
    """The person takes the place held for them: registered, the event attached to the email.
    Raises UnknownRegistrationLink or RegistrationChanged (answered, or the offer lapsed)."""
    def work() -> None:
        with write_session(engine) as session:
            registration = registration_by_token(session, token)
            programme_session = lock_session(session, registration.session_id)
            session.refresh(registration)
            if (registration.state != RegistrationState.OFFERED or aware(registration.offer_expires_at) <= utcnow()
                    or not takes_registrations(programme_session)):
                raise RegistrationChanged()
            change_registration_state(session, registration, RegistrationState.REGISTERED, actor="registrant",
                                      action=AuditAction.REGISTRATION_ACCEPTED)
            tell_registrant(session, registration, programme_session, "registration_confirmed",
                            calendar=session_event(session, programme_session, registration.language))
    retry_on_conflict(work)


def decline_place(engine: Engine, token: str) -> None:
    """The person lets the place held for them go (their registration ends); it goes to the next."""
    def work() -> None:
        with write_session(engine) as session:
            registration = registration_by_token(session, token)
            _end_offer(session, registration.id, actor="registrant", now=utcnow())
    retry_on_conflict(work)


def expire_place_offers(engine: Engine, *, now: datetime | None = None) -> int:
    """Places held past their time go to the next in line (the person is told their registration
    ended). Safe from several replicas at once. Returns how many lapsed."""
    now = now or utcnow()
    with read_session(engine) as session:
        due = session.execute(select(Registration.id).where(Registration.state == RegistrationState.OFFERED,
                                                            Registration.offer_expires_at <= now)).scalars().all()

    def expire(session: Session, registration_id: int) -> bool:
        try:
            _end_offer(session, registration_id, actor="vitrine", now=now)
        except RegistrationChanged:
            return False  # answered, or lapsed on another replica meanwhile
        return True
    return expire_due(engine, due, expire)


def _end_offer(session: Session, registration_id: int, *, actor: str, now: datetime) -> None:
    registration = session.get(Registration, registration_id)
    programme_session = lock_session(session, registration.session_id)
    session.refresh(registration)
    if registration.state != RegistrationState.OFFERED:
        raise RegistrationChanged()
    lapsed = actor == "vitrine"
    change_registration_state(session, registration, RegistrationState.CANCELLED, actor=actor,
                              action=AuditAction.REGISTRATION_OFFER_ENDED, values={"offer_expires_at": now})
    tell_registrant(session, registration, programme_session,
                    "registration_offer_lapsed" if lapsed else "registration_cancelled")
    place_freed(session, programme_session.id)



REMINDER_AHEAD = timedelta(days=1)


def send_reminders(engine: Engine, *, now: datetime | None = None) -> int:
    """The day before a session, each person registered and the partner running it are reminded
    once, whichever process runs it. Returns how many were sent."""
    now = now or utcnow()
    return _remind_registrants(engine, now) + _remind_partners(engine, now)


def _starting_within_a_day(now: datetime):
    return (ProgrammeSession.state == SessionState.APPROVED, ProgrammeSession.starts_at > now,
            ProgrammeSession.starts_at <= now + REMINDER_AHEAD)


def _remind_registrants(engine: Engine, now: datetime) -> int:
    """With their link, to free the place; none for a registration made in that last day (its
    confirmation said the same)."""
    with read_session(engine) as session:
        soon = session.execute(select(Registration.id, Registration.created_at, ProgrammeSession.starts_at).join(
            ProgrammeSession, ProgrammeSession.id == Registration.session_id).where(
            Registration.state == RegistrationState.REGISTERED, Registration.reminded_at.is_(None),
            *_starting_within_a_day(now))).all()
    sent = 0
    for registration_id in (row.id for row in soon if aware(row.created_at) < aware(row.starts_at) - REMINDER_AHEAD):
        with write_session(engine) as session:
            if update_if_unchanged(session, Registration, where={"id": registration_id, "reminded_at": None},
                                   values={"reminded_at": now}):
                registration = session.get(Registration, registration_id)
                tell_registrant(session, registration, session.get(ProgrammeSession, registration.session_id),
                                "registration_reminder")
                sent += 1
    return sent


def _remind_partners(engine: Engine, now: datetime) -> int:
    """How many are registered and waiting, the room, and the session's link: to write to them
    before, and to note who came after."""
    with read_session(engine) as session:
        soon = session.execute(select(ProgrammeSession.id).where(
            ProgrammeSession.reminded_at.is_(None), *_starting_within_a_day(now))).scalars().all()
    sent = 0
    for session_id in soon:
        with write_session(engine) as session:
            if not update_if_unchanged(session, ProgrammeSession, where={"id": session_id, "reminded_at": None},
                                       values={"reminded_at": now}):
                continue
            programme_session = session.get(ProgrammeSession, session_id)
            counts = dict(session.execute(select(Registration.state, func.count()).where(
                Registration.session_id == session_id).group_by(Registration.state)).all())
            tell_partner(session, programme_session, "session_reminder",
                         when=session_when(programme_session, programme_session.language),
                         room=session.get(Room, programme_session.room_id).name,
                         registered=str(counts.get(RegistrationState.REGISTERED, 0)),
                         waiting=str(counts.get(RegistrationState.WAITING, 0)
                                     + counts.get(RegistrationState.OFFERED, 0)))
            sent += 1
    return sent
