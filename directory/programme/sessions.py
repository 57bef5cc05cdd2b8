"""A partner proposes a session from its listing's private link, then follows, edits (until staff
decide) or cancels it through the session's own private link; there it sees how many registered,
by first name only, records who came, and writes to them through Vitrine."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from slugify import slugify
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from directory import audit, ratelimit
from directory.audit import AuditAction
from directory.clock import PARIS, aware, utcnow
from directory.db import read_session, retry_on_conflict, update_if_unchanged, write_session
from directory.i18n import N_
from directory.listings import listing_for_link
from directory.models import (
    EMAIL_MAX,
    LONG_TEXT_MAX,
    NAME_MAX,
    SHORT_TEXT_MAX,
    SLUG_MAX,
    Attendance,
    Audience,
    Level,
    Partner,
    ProgrammeSession,
    Registration,
    RegistrationState,
    Room,
    SessionChoice,
    SessionKind,
    SessionState,
)
from directory.private_links import session_token
from directory.programme.errors import ProgrammeError, SessionChanged
from directory.programme.rules import (
    MAX_CHOICES,
    MAX_DURATION,
    MAX_PLACES,
    MIN_DURATION,
    atelier_hours,
    change_session_state,
    lock_session,
    session_by_token,
    tell_partner,
    tell_registrant,
    within_opening_hours,
)
from directory.tokens import token_hash
from directory.validation import FormCheck, Invalid, clean_choice, clean_text

# A session is proposed at least this long ahead: staff need time to decide, the public to register.
NOTICE = timedelta(days=7)
MESSAGES_PER_DAY = 3


@dataclass
class SessionForm:
    """What a partner types, before cleaning. `choices` are (start in the atelier's time, room id
    or None for any room), ranked."""

    kind: str = ""
    title: str = ""
    description: str = ""
    title_en: str = ""
    description_en: str = ""
    audiences: list[str] = field(default_factory=list)
    level: str = Level.BEGINNER
    duration_minutes: Any = 90
    bring: str = ""
    accessibility: str = ""
    places: Any = 12
    contact_name: str = ""
    choices: list[tuple[datetime | None, int | None]] = field(default_factory=list)
    language: str = "fr"


def choice_field(rank: int) -> str:
    """The form field of the rank-th date choice (1 is the favourite)."""
    return f"choice_{rank}"


def _whole_number(value: Any, *, low: int, high: int, unit: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as error:
        raise Invalid(N_("Indiquez un nombre.")) from error
    if not low <= number <= high:
        raise Invalid(unit, low=low, high=high)
    return number


def _clean_audiences(values: list[str]) -> str:
    chosen = [clean_choice(value, Audience) for value in values or []]
    if not chosen:
        raise Invalid(N_("Choisissez au moins un public."))
    return "; ".join(dict.fromkeys(chosen))


def _clean_session(session: Session, form: SessionForm, check: FormCheck) -> tuple[dict, list]:
    values = {
        "kind": check("kind", clean_choice, form.kind, SessionKind),
        "title": check("title", clean_text, form.title, max_length=NAME_MAX, required=True),
        "description": check("description", clean_text, form.description, max_length=LONG_TEXT_MAX,
                             required=True, multiline=True),
        "title_en": check("title_en", clean_text, form.title_en, max_length=NAME_MAX),
        "description_en": check("description_en", clean_text, form.description_en, max_length=LONG_TEXT_MAX,
                                multiline=True),
        "audiences": check("audiences", _clean_audiences, form.audiences),
        "level": check("level", clean_choice, form.level, Level),
        "duration_minutes": check("duration_minutes", _whole_number, form.duration_minutes, low=MIN_DURATION,
                                  high=MAX_DURATION, unit=N_("Une séance dure de {low} à {high} minutes.")),
        "bring": check("bring", clean_text, form.bring, max_length=SHORT_TEXT_MAX),
        "accessibility": check("accessibility", clean_text, form.accessibility, max_length=SHORT_TEXT_MAX),
        "places": check("places", _whole_number, form.places, low=1, high=MAX_PLACES,
                        unit=N_("Prévoyez de {low} à {high} places.")),
        "contact_name": check("contact_name", clean_text, form.contact_name, max_length=NAME_MAX, required=True),
        "language": form.language if form.language in ("fr", "en") else "fr",
    }
    choices = _clean_choices(session, form, values.get("duration_minutes"), check)
    return values, choices


def _clean_choices(session: Session, form: SessionForm, duration: int | None,
                   check: FormCheck) -> list[tuple[datetime, int | None]]:
    """The ranked dates, each at least NOTICE ahead, inside the atelier's opening hours, in an
    existing room if one is named, and not twice the same."""
    ranked = [(rank, start, room) for rank, (start, room) in enumerate(form.choices, start=1) if start is not None]
    if not ranked:
        check.fail(choice_field(1), N_("Proposez au moins une date."))
        return []
    if len(ranked) > MAX_CHOICES:
        check.fail(choice_field(1), N_("Proposez jusqu'à {max} dates."), max=MAX_CHOICES)
        return []
    rooms = {room.id for room in session.execute(select(Room).where(Room.is_active)).scalars()}
    hours = atelier_hours(session)
    earliest = utcnow() + NOTICE
    seen: dict[tuple, int] = {}
    cleaned = []
    for rank, start, room in ranked:
        start = start.replace(tzinfo=PARIS) if start.tzinfo is None else start
        name = choice_field(rank)
        if start < earliest:
            check.fail(name, N_("Proposez une date au moins 7 jours à l'avance."))
        elif not within_opening_hours(hours, start, start + timedelta(minutes=duration or 0)):
            check.fail(name, N_("L'atelier est fermé à ce moment-là (ou ferme avant la fin de la séance) : "
                                "choisissez un autre horaire."))
        elif room is not None and room not in rooms:
            check.fail(name, N_("Cette salle n'existe plus : choisissez-en une autre, ou « peu importe »."))
        elif (start, room) in seen:
            check.fail(name, N_("Cette date est déjà votre choix n°{rank}."), rank=seen[(start, room)])
        seen.setdefault((start, room), rank)
        cleaned.append((start.astimezone(PARIS), room))
    return cleaned


def _unique_slug(session: Session, title: str) -> str:
    base = slugify(title, max_length=SLUG_MAX - 6, word_boundary=True) or "seance"
    taken = set(session.execute(select(ProgrammeSession.slug).where(
        ProgrammeSession.slug.like(f"{base}%"))).scalars())
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


@dataclass(frozen=True)
class Proposed:
    session_id: int
    token: str | None  # None when the same form had already been sent


def propose_session(engine: Engine, listing_token: str, form: SessionForm, *, submission_key: str) -> Proposed:
    """Store the session a partner proposes through its listing's link, with its ranked dates, for
    staff to decide; the partner is emailed the session's own link. The same `submission_key`
    twice returns the first. Raises UnknownListingLink, or FormErrors (nothing written)."""
    linked = listing_for_link(engine, listing_token)
    return store_proposal(engine, linked.partner.id, form, contact_email=linked.email, submission_key=submission_key,
                          actor="partner")


def store_proposal(engine: Engine, partner_id: int, form: SessionForm, *, contact_email: str, submission_key: str,
                   actor: str, is_example: bool = False) -> Proposed:
    """`propose_session` for a partner known otherwise: staff entering a proposal sent by email,
    or the demo data (`is_example`). The contact at `contact_email` gets the session's link."""
    def work() -> Proposed:
        with write_session(engine) as session:
            existing = session.execute(select(ProgrammeSession.id).where(
                ProgrammeSession.submission_key == submission_key)).scalar_one_or_none()
            if existing is not None:
                return Proposed(existing, None)
            check = FormCheck()
            values, choices = _clean_session(session, form, check)
            check.raise_if_invalid()
            programme_session = ProgrammeSession(**values, partner_id=partner_id,
                                                 contact_email=contact_email[:EMAIL_MAX], is_example=is_example,
                                                 slug=_unique_slug(session, values["title"]),
                                                 submission_key=submission_key)
            session.add(programme_session)
            session.flush()
            token = session_token(session, programme_session.id)
            programme_session.token_hash = token_hash(token)
            _store_choices(session, programme_session.id, choices)
            audit.record(session, actor=actor, action=AuditAction.SESSION_PROPOSED, entity="session",
                         entity_id=programme_session.id, after={"title": programme_session.title,
                                                                "partner_id": partner_id})
            tell_partner(session, programme_session, "session_received")
            return Proposed(programme_session.id, token)
    try:
        return retry_on_conflict(work)
    except IntegrityError:
        with read_session(engine) as session:  # two sends of the same form raced: the other stored it
            return Proposed(session.execute(select(ProgrammeSession.id).where(
                ProgrammeSession.submission_key == submission_key)).scalar_one(), None)


def _store_choices(session: Session, session_id: int, choices: list[tuple[datetime, int | None]]) -> None:
    session.execute(delete(SessionChoice).where(SessionChoice.session_id == session_id))
    session.add_all(SessionChoice(session_id=session_id, rank=rank, starts_at=start, room_id=room)
                    for rank, (start, room) in enumerate(choices, start=1))


def edit_session(engine: Engine, token: str, form: SessionForm) -> None:
    """The partner changes its proposal until staff decide; after "changes requested", its edit
    sends it back for review. Raises UnknownSessionLink, SessionChanged (decided meanwhile) or FormErrors."""
    def work() -> None:
        with write_session(engine) as session:
            programme_session = session_by_token(session, token, for_update=True)
            if programme_session.state not in (SessionState.PROPOSED, SessionState.CHANGES_REQUESTED):
                raise SessionChanged()
            check = FormCheck()
            values, choices = _clean_session(session, form, check)
            check.raise_if_invalid()
            if programme_session.state == SessionState.CHANGES_REQUESTED:
                change_session_state(session, programme_session, SessionState.PROPOSED, actor="partner",
                                     action=AuditAction.SESSION_EDITED, values=values)
            elif not update_if_unchanged(session, ProgrammeSession,
                                         where={"id": programme_session.id, "state": SessionState.PROPOSED},
                                         values={**values, "updated_at": utcnow()}):
                raise SessionChanged()
            else:
                audit.record(session, actor="partner", action=AuditAction.SESSION_EDITED, entity="session",
                             entity_id=programme_session.id, after={"title": values["title"]})
            _store_choices(session, programme_session.id, choices)
    retry_on_conflict(work)


def cancel_session(engine: Engine, session_id: int, *, actor: str, reason: str = "") -> None:
    """The partner (or staff) cancels the session: everyone registered or waiting is told, the
    calendar feeds say so. Raises SessionChanged if it was refused or cancelled meanwhile."""
    def work() -> None:
        with write_session(engine) as session:
            programme_session = lock_session(session, session_id)
            if programme_session is None:
                raise SessionChanged()
            if programme_session.starts_at is not None and aware(programme_session.starts_at) <= utcnow():
                raise ProgrammeError(N_("La séance a déjà commencé : elle ne peut plus être annulée."))
            change_session_state(session, programme_session, SessionState.CANCELLED, actor=actor,
                                 action=AuditAction.SESSION_CANCELLED,
                                 values={"decision_reason": reason, "sequence": programme_session.sequence + 1})
            if actor != "partner":
                tell_partner(session, programme_session, "session_cancelled", reason=reason or "—")
            for registration in session.execute(select(Registration).where(
                    Registration.session_id == session_id,
                    Registration.state != RegistrationState.CANCELLED)).scalars():
                tell_registrant(session, registration, programme_session, "registrant_session_cancelled")
    retry_on_conflict(work)


def cancel_own_session(engine: Engine, token: str, *, reason: str = "") -> None:
    """`cancel_session` through the partner's link."""
    with read_session(engine) as session:
        session_id = session_by_token(session, token).id
    cancel_session(engine, session_id, actor="partner", reason=clean_text(reason, max_length=SHORT_TEXT_MAX))


@dataclass(frozen=True)
class SessionView:
    """What the partner reads through its session's link."""

    session: ProgrammeSession
    partner_name: str
    room_names: dict[int, str]  # every room's, by id
    choices: list[tuple[datetime, int | None]]  # (start, room id or None for any room), ranked
    counts: dict[str, int]  # per RegistrationState value
    attendees: list[tuple[int, str, str]]  # (registration id, first name, attendance) of those registered

    @property
    def room_name(self) -> str:
        return self.room_names.get(self.session.room_id, "")

    @property
    def editable(self) -> bool:
        return self.session.state in (SessionState.PROPOSED, SessionState.CHANGES_REQUESTED)

    @property
    def cancellable(self) -> bool:
        return self.session.state in (SessionState.PROPOSED, SessionState.CHANGES_REQUESTED) or (
            self.session.state == SessionState.APPROVED and aware(self.session.starts_at) > utcnow())

    @property
    def attendance_open(self) -> bool:
        """From the session's start on, the partner notes who came."""
        return self.session.state == SessionState.APPROVED and aware(self.session.starts_at) <= utcnow()


def first_name(name: str) -> str:
    """What the partner sees of a registrant: the first word of the name they gave."""
    return (name.split() or ["—"])[0]


def session_view(engine: Engine, token: str | None) -> SessionView:
    """The partner's session, read through its link. Raises UnknownSessionLink."""
    with read_session(engine) as session:
        programme_session = session_by_token(session, token)
        rooms = dict(session.execute(select(Room.id, Room.name)).all())
        choices = [(aware(choice.starts_at), choice.room_id) for choice in session.execute(
            select(SessionChoice).where(SessionChoice.session_id == programme_session.id)
            .order_by(SessionChoice.rank)).scalars()]
        counts = dict(session.execute(select(Registration.state, func.count()).where(
            Registration.session_id == programme_session.id).group_by(Registration.state)).all())
        attendees = [(row.id, first_name(row.name), row.attendance) for row in session.execute(
            select(Registration.id, Registration.name, Registration.attendance).where(
                Registration.session_id == programme_session.id,
                Registration.state == RegistrationState.REGISTERED).order_by(Registration.created_at))]
        partner_name = session.get(Partner, programme_session.partner_id).name
        return SessionView(programme_session, partner_name, rooms, choices, counts, attendees)


def record_attendance(engine: Engine, token: str, came: dict[int, bool]) -> int:
    """The partner notes who came (registration id → came), from the session's start on. Returns
    how many were noted. Raises UnknownSessionLink, or ProgrammeError before the start."""
    with write_session(engine) as session:
        programme_session = session_by_token(session, token)
        if programme_session.state != SessionState.APPROVED or aware(programme_session.starts_at) > utcnow():
            raise ProgrammeError(N_("La séance n'a pas encore eu lieu : les présences se notent après."))
        noted = 0
        for registration_id, attended in came.items():
            noted += update_if_unchanged(
                session, Registration,
                where={"id": registration_id, "session_id": programme_session.id,
                       "state": RegistrationState.REGISTERED},
                values={"attendance": Attendance.ATTENDED if attended else Attendance.NO_SHOW})
        return noted


def write_to_registrants(engine: Engine, token: str, message: str) -> int:
    """The partner writes to everyone registered, through Vitrine (it never sees their addresses);
    a few messages a day per session. Returns how many were sent. Raises UnknownSessionLink,
    Invalid (an empty message) or ProgrammeError (too many today, or the session not on the programme)."""
    text = clean_text(message, max_length=LONG_TEXT_MAX, required=True, multiline=True)
    with write_session(engine) as session:
        programme_session = session_by_token(session, token)
        if programme_session.state != SessionState.APPROVED:
            raise ProgrammeError(N_("Seules les personnes inscrites à une séance au programme peuvent être "
                                    "écrites."))
        if not ratelimit.take(session, f"session-messages:{programme_session.id}", limit=MESSAGES_PER_DAY,
                              window=timedelta(days=1)):
            raise ProgrammeError(N_("Trois messages par jour au plus : réessayez demain."))
        registered = session.execute(select(Registration).where(
            Registration.session_id == programme_session.id,
            Registration.state == RegistrationState.REGISTERED)).scalars().all()
        for registration in registered:
            tell_registrant(session, registration, programme_session, "registrant_message", message=text,
                            partner=session.get(Partner, programme_session.partner_id).name)
        return len(registered)
