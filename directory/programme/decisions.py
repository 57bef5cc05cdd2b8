"""Staff decide on the sessions partners propose, in the review screen beside the showcases:
into a date and a room (`check_placement`), back to the partner for changes, or refused with a
reason; the partner is emailed in its language, with its session's link. Staff also keep the
atelier's rooms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from directory import audit
from directory.audit import AuditAction
from directory.clock import PARIS, aware, utcnow
from directory.db import is_sqlite, read_session, retry_on_conflict, write_session
from directory.i18n import N_
from directory.models import (
    LONG_TEXT_MAX,
    NAME_MAX,
    SHORT_TEXT_MAX,
    Partner,
    ProgrammeSession,
    Room,
    SessionChoice,
    SessionState,
)
from directory.programme.errors import ProgrammeError, SessionChanged
from directory.programme.rules import (
    MAX_PLACES,
    change_session_state,
    check_placement,
    lock_session,
    session_when,
    tell_partner,
)
from directory.validation import FormCheck, Invalid, clean_text


def approve_session(engine: Engine, session_id: int, *, starts_at: datetime, room_id: int, staff: str) -> None:
    """Put the session on the programme at `starts_at` (the atelier's time if naive) in the room.
    Raises ProgrammeError (closed then, room too small or taken) or SessionChanged (decided meanwhile)."""
    starts_at = starts_at.replace(tzinfo=PARIS) if starts_at.tzinfo is None else starts_at

    def work() -> None:
        with write_session(engine) as session:
            programme_session = lock_session(session, session_id)
            if programme_session is None:
                raise SessionChanged()
            room = _lock_room(session, room_id)
            ends_at = starts_at + timedelta(minutes=programme_session.duration_minutes)
            check_placement(session, starts_at=starts_at, ends_at=ends_at, room=room,
                            places=programme_session.places, besides=session_id)
            change_session_state(session, programme_session, SessionState.APPROVED, actor=staff,
                                 action=AuditAction.SESSION_APPROVED,
                                 values={"starts_at": starts_at, "ends_at": ends_at, "room_id": room.id,
                                         "decided_at": utcnow(), "decision_reason": ""})
            tell_partner(session, programme_session, "session_approved",
                         when=session_when(programme_session, programme_session.language), room=room.name)
    retry_on_conflict(work)


def _lock_room(session: Session, room_id: int) -> Room | None:
    """Two approvals into one room at once: the second waits for the first, then sees its booking."""
    query = select(Room).where(Room.id == room_id)
    if not is_sqlite(session.get_bind()):
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def request_changes(engine: Engine, session_id: int, *, message: str, staff: str) -> None:
    """Send the proposal back to the partner with what to change; its edit brings it back."""
    _decide(engine, session_id, SessionState.CHANGES_REQUESTED, AuditAction.SESSION_CHANGES_REQUESTED,
            "session_changes_requested", message, staff)


def refuse_session(engine: Engine, session_id: int, *, reason: str, staff: str) -> None:
    _decide(engine, session_id, SessionState.REFUSED, AuditAction.SESSION_REFUSED, "session_refused", reason, staff)


def _decide(engine: Engine, session_id: int, to: SessionState, action: AuditAction, template: str, text: str,
            staff: str) -> None:
    reason = clean_text(text, max_length=LONG_TEXT_MAX, required=True, multiline=True)

    def work() -> None:
        with write_session(engine) as session:
            programme_session = lock_session(session, session_id)
            if programme_session is None:
                raise SessionChanged()
            change_session_state(session, programme_session, to, actor=staff, action=action,
                                 values={"decision_reason": reason})
            tell_partner(session, programme_session, template, reason=reason)
    retry_on_conflict(work)


@dataclass(frozen=True)
class ProposedSession:
    """A proposal as staff review it."""

    session: ProgrammeSession
    partner_name: str
    choices: list[tuple[datetime, int | None]]  # (start, room id or None), ranked


def sessions_to_review(engine: Engine) -> list[ProposedSession]:
    """The proposals waiting for a decision, the oldest first."""
    with read_session(engine) as session:
        proposals = session.execute(select(ProgrammeSession, Partner.name).join(
            Partner, Partner.id == ProgrammeSession.partner_id).where(
            ProgrammeSession.state == SessionState.PROPOSED).order_by(ProgrammeSession.created_at)).all()
        choices: dict[int, list] = {}
        for choice in session.execute(select(SessionChoice).where(
                SessionChoice.session_id.in_([row[0].id for row in proposals])).order_by(SessionChoice.rank)).scalars():
            choices.setdefault(choice.session_id, []).append((aware(choice.starts_at), choice.room_id))
        return [ProposedSession(row[0], row[1], choices.get(row[0].id, [])) for row in proposals]


# --- The atelier's rooms -------------------------------------------------------------------------

def rooms(engine: Engine, *, active_only: bool = True) -> list[Room]:
    with read_session(engine) as session:
        query = select(Room).order_by(Room.name)
        if active_only:
            query = query.where(Room.is_active)
        return list(session.execute(query).scalars())


def _capacity(value: object) -> int:
    try:
        capacity = int(value)
    except (TypeError, ValueError) as error:
        raise Invalid(N_("Indiquez un nombre.")) from error
    if not 1 <= capacity <= MAX_PLACES:
        raise Invalid(N_("Une salle accueille de 1 à {max} personnes."), max=MAX_PLACES)
    return capacity


def save_room(engine: Engine, *, room_id: int | None, name: str, capacity: object, equipment: str,
              is_active: bool = True, staff: str) -> int:
    """Add a room, or change one; a room with sessions to come stays (it can be set inactive:
    no new session goes there). Raises FormErrors (a name taken, a capacity out of range)."""
    check = FormCheck()
    values = {"name": check("name", clean_text, name, max_length=NAME_MAX, required=True),
              "capacity": check("capacity", _capacity, capacity),
              "equipment": check("equipment", clean_text, equipment, max_length=SHORT_TEXT_MAX),
              "is_active": bool(is_active)}
    with write_session(engine) as session:
        if values["name"] and session.execute(select(Room.id).where(
                Room.name == values["name"], Room.id != (room_id or 0))).first():
            check.fail("name", N_("Une autre salle porte déjà ce nom."))
        check.raise_if_invalid()
        room = session.get(Room, room_id) if room_id else Room(**values)
        if room is None:
            raise ProgrammeError(N_("Cette salle n'existe plus."))
        for name_, value in values.items():
            setattr(room, name_, value)
        session.add(room)
        session.flush()
        audit.record(session, actor=staff, action=AuditAction.ROOM_SAVED, entity="room", entity_id=room.id,
                     after=values)
        return room.id
