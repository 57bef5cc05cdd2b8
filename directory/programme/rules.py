"""The rules every step of the programme shares, each written once: limits; where a session may
take place (`check_placement`: a room booked once at a time, inside the atelier's opening hours,
within the room's capacity); how its places are counted and locked; finding a session or a
registration by its private link; and the one place each changes state (`change_session_state`,
`change_registration_state`: only as the transitions table allows, conditional on the state read,
audited, the person told)."""

from __future__ import annotations

from datetime import datetime, timedelta

import opening_hours
from sqlalchemy import func, select
from sqlmodel import Session

from directory import audit, notify
from directory.audit import AuditAction
from directory.clock import PARIS, aware, utcnow
from directory.db import is_sqlite, update_if_unchanged
from directory.i18n import N_
from directory.listings.hours import parsed
from directory.models import (
    REGISTRATION_TRANSITIONS,
    SEAT_HOLDING,
    SESSION_TRANSITIONS,
    LinkKind,
    ListingState,
    Partner,
    PartnerKind,
    ProgrammeSession,
    Registration,
    RegistrationState,
    Room,
    SessionState,
)
from directory.programme.errors import (
    ProgrammeError,
    RegistrationChanged,
    SessionChanged,
    UnknownRegistrationLink,
    UnknownSessionLink,
)
from directory.showcase import slot_label
from directory.tokens import TOKEN_PATTERN, token_hash

MAX_PLACES = 200
MAX_DURATION = 8 * 60
MIN_DURATION = 15
MAX_CHOICES = 3
# Registrations close when the session starts; a person's data is kept a year after it.
RETENTION = timedelta(days=365)


# --- Where and when ------------------------------------------------------------------------------

def atelier_hours(session: Session) -> str:
    """The atelier's opening hours, as its published listing gives them ("" when it gives none)."""
    return session.execute(select(Partner.opening_hours).where(
        Partner.kind == PartnerKind.ATELIER, Partner.state == ListingState.PUBLISHED)
        .order_by(Partner.id).limit(1)).scalar_one_or_none() or ""


def within_opening_hours(hours: str, starts_at: datetime, ends_at: datetime) -> bool:
    """Whether the atelier is open from start to end (no hours given: every time is allowed)."""
    if not hours:
        return True
    start, end = aware(starts_at).astimezone(PARIS), aware(ends_at).astimezone(PARIS)
    return any(begin <= start and end <= until
               for begin, until, state, _comment in parsed(hours).intervals(start, end)
               if state == opening_hours.State.OPEN)


def check_placement(session: Session, *, starts_at: datetime, ends_at: datetime, room: Room | None,
                    places: int, besides: int | None = None) -> None:
    """Refuses a time past, outside the atelier's opening hours, a room too small or booked meanwhile
    by another session on the programme (the caller holds the write lock: two approvals cannot both win)."""
    if aware(starts_at) <= utcnow():
        raise ProgrammeError(N_("Choisissez une date à venir."))
    if room is None or not room.is_active:
        raise ProgrammeError(N_("Choisissez une salle de l'atelier."))
    if not within_opening_hours(atelier_hours(session), starts_at, ends_at):
        raise ProgrammeError(N_("L'atelier est fermé à ce moment-là (ou ferme avant la fin de la séance) : "
                                "choisissez un autre horaire."))
    if places > room.capacity:
        raise ProgrammeError(N_("La salle « {room} » accueille {capacity} personnes, la séance en prévoit {places} : "
                                "choisissez une salle plus grande."), room=room.name, capacity=room.capacity,
                             places=places)
    overlap = select(ProgrammeSession).where(
        ProgrammeSession.room_id == room.id, ProgrammeSession.state == SessionState.APPROVED,
        ProgrammeSession.starts_at < ends_at, ProgrammeSession.ends_at > starts_at)
    if besides is not None:
        overlap = overlap.where(ProgrammeSession.id != besides)
    taken = session.execute(overlap.limit(1)).scalar_one_or_none()
    if taken is not None:
        raise ProgrammeError(N_("La salle « {room} » est déjà prise à ce moment-là par « {title} » ({when})."),
                             room=room.name, title=taken.title,
                             when=slot_label(taken.starts_at, taken.ends_at, "fr", day_style="EEE d MMM y"))


def lock_session(session: Session, session_id: int) -> ProgrammeSession | None:
    """Serialise registrations and decisions on one session (a row lock on PostgreSQL; SQLite's
    write transaction already admits one writer at a time)."""
    query = select(ProgrammeSession).where(ProgrammeSession.id == session_id)
    if not is_sqlite(session.get_bind()):
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def seats_held(session: Session, session_id: int) -> int:
    """Places taken (registered) or held for an answer (offered): what the session's places count."""
    return session.execute(select(func.count()).where(Registration.session_id == session_id,
                                                      Registration.state.in_(SEAT_HOLDING))).scalar_one()


def takes_registrations(programme_session: ProgrammeSession, now: datetime | None = None) -> bool:
    return (programme_session.state == SessionState.APPROVED and programme_session.starts_at is not None
            and aware(programme_session.starts_at) > (now or utcnow()))


# --- Private links -------------------------------------------------------------------------------

def session_by_token(session: Session, token: str | None, *, for_update: bool = False) -> ProgrammeSession:
    found = _by_token(session, ProgrammeSession, token, for_update)
    if found is None:
        raise UnknownSessionLink()
    return found


def registration_by_token(session: Session, token: str | None, *, for_update: bool = False) -> Registration:
    found = _by_token(session, Registration, token, for_update)
    if found is None:
        raise UnknownRegistrationLink()
    return found


def _by_token(session: Session, model: type, token: str | None, for_update: bool):
    if not token or not TOKEN_PATTERN.match(token):
        return None
    query = select(model).where(model.token_hash == token_hash(token))
    if for_update and not is_sqlite(session.get_bind()):
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


# --- State changes -------------------------------------------------------------------------------

SESSION_FIELDS = ("state", "title", "starts_at", "room_id", "places", "decision_reason")


def _session_fields(programme_session: ProgrammeSession) -> dict:
    return {name: getattr(programme_session, name) for name in SESSION_FIELDS}


def change_session_state(session: Session, programme_session: ProgrammeSession, to: SessionState, *, actor: str,
                         action: AuditAction, values: dict | None = None) -> None:
    """The one place a session changes state: as SESSION_TRANSITIONS allows, conditional on the
    state read (the loser of two people acting at once gets SessionChanged), audited."""
    if to not in SESSION_TRANSITIONS[SessionState(programme_session.state)]:
        raise SessionChanged()
    before = _session_fields(programme_session)
    if not update_if_unchanged(session, ProgrammeSession,
                               where={"id": programme_session.id, "state": programme_session.state},
                               values={"state": to, "updated_at": utcnow(), **(values or {})}):
        raise SessionChanged()
    audit.record(session, actor=actor, action=action, entity="session", entity_id=programme_session.id,
                 before=before, after=_session_fields(programme_session))


def change_registration_state(session: Session, registration: Registration, to: RegistrationState, *,
                              actor: str, action: AuditAction, values: dict | None = None) -> None:
    """The one place a registration changes state (as REGISTRATION_TRANSITIONS allows, conditional
    on the state read, audited without the person's details)."""
    if to not in REGISTRATION_TRANSITIONS[RegistrationState(registration.state)]:
        raise RegistrationChanged()
    before = registration.state
    if not update_if_unchanged(session, Registration, where={"id": registration.id, "state": registration.state},
                               values={"state": to, "updated_at": utcnow(), **(values or {})}):
        raise RegistrationChanged()
    audit.record(session, actor=actor, action=action, entity="registration", entity_id=registration.id,
                 before={"state": before, "session_id": registration.session_id}, after={"state": to})


def tell_partner(session: Session, programme_session: ProgrammeSession, template: str, **params: str) -> None:
    """Queue an email to the partner running the session, in its language, with the session's link."""
    notify.queue(session, template=template, recipient=programme_session.contact_email,
                 language=programme_session.language,
                 params={"name": programme_session.contact_name, "title": programme_session.title, **params},
                 link_kind=LinkKind.SESSION, link_seed=str(programme_session.id))


def tell_registrant(session: Session, registration: Registration, programme_session: ProgrammeSession,
                    template: str, *, calendar: str = "", **params: str) -> None:
    """Queue an email to a registered person, in their language, with their registration's link."""
    notify.queue(session, template=template, recipient=registration.email, language=registration.language,
                 params={"name": registration.name, "title": programme_session.title,
                         "when": session_when(programme_session, registration.language), **params},
                 link_kind=LinkKind.REGISTRATION, link_seed=str(registration.id), calendar=calendar)


def session_when(programme_session: ProgrammeSession, language: str) -> str:
    if programme_session.starts_at is None:
        return ""
    return slot_label(programme_session.starts_at, programme_session.ends_at, language)
