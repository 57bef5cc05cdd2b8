"""The atelier's programme: its rooms, the sessions partners run there (workshops, conferences,
drop-in hours), the dates and rooms they could do, and the public's registrations."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from directory.clock import utcnow
from directory.i18n import N_
from directory.models.fields import EMAIL_MAX, LONG_TEXT_MAX, NAME_MAX, PHONE_MAX, SHORT_TEXT_MAX, SLUG_MAX, TAGS_MAX


class Room(SQLModel, table=True):
    """A room of the atelier that sessions are held in (its opening hours are the atelier's listing's)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=NAME_MAX, unique=True)
    capacity: int
    equipment: str = Field(default="", max_length=SHORT_TEXT_MAX)
    is_active: bool = True


class SessionKind(StrEnum):
    WORKSHOP = "workshop"
    CONFERENCE = "conference"
    DROP_IN = "drop_in"


SESSION_KIND_LABELS: dict[SessionKind, str] = {
    SessionKind.WORKSHOP: N_("Atelier pratique"),
    SessionKind.CONFERENCE: N_("Conférence"),
    SessionKind.DROP_IN: N_("Permanence"),
}


class Audience(StrEnum):
    EVERYONE = "everyone"
    YOUNG = "young"
    SENIORS = "seniors"
    JOB_SEEKERS = "job_seekers"
    SHOPKEEPERS = "shopkeepers"
    ENTREPRENEURS = "entrepreneurs"
    EMPLOYEES = "employees"


AUDIENCE_LABELS: dict[Audience, str] = {
    Audience.EVERYONE: N_("Tout public"),
    Audience.YOUNG: N_("Jeunes"),
    Audience.SENIORS: N_("Seniors"),
    Audience.JOB_SEEKERS: N_("Demandeurs d'emploi"),
    Audience.SHOPKEEPERS: N_("Commerçants et artisans"),
    Audience.ENTREPRENEURS: N_("Entrepreneurs"),
    Audience.EMPLOYEES: N_("Salariés"),
}


class Level(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


LEVEL_LABELS: dict[Level, str] = {
    Level.BEGINNER: N_("Débutant"),
    Level.INTERMEDIATE: N_("Intermédiaire"),
    Level.ADVANCED: N_("Confirmé"),
}


class SessionState(StrEnum):
    PROPOSED = "proposed"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REFUSED = "refused"
    CANCELLED = "cancelled"


SESSION_TRANSITIONS: dict[SessionState, set[SessionState]] = {
    SessionState.PROPOSED: {SessionState.APPROVED, SessionState.CHANGES_REQUESTED, SessionState.REFUSED,
                            SessionState.CANCELLED},
    # The partner's edit sends it back for review.
    SessionState.CHANGES_REQUESTED: {SessionState.PROPOSED, SessionState.REFUSED, SessionState.CANCELLED},
    SessionState.APPROVED: {SessionState.CANCELLED},
    SessionState.REFUSED: set(),
    SessionState.CANCELLED: set(),
}
# What staff still have to decide on: the programme's review queue.
SESSION_UNDECIDED = (SessionState.PROPOSED,)
SESSION_STATE_LABELS: dict[SessionState, str] = {
    SessionState.PROPOSED: N_("Proposée, en attente d'examen"),
    SessionState.CHANGES_REQUESTED: N_("Modifications demandées"),
    SessionState.APPROVED: N_("Au programme"),
    SessionState.REFUSED: N_("Refusée"),
    SessionState.CANCELLED: N_("Annulée"),
}


class ProgrammeSession(SQLModel, table=True):
    """A workshop, conference or drop-in a partner runs at the atelier, followed through its
    private link (kept as a digest); it has a date and a room once staff approve it."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=SLUG_MAX, unique=True)
    partner_id: int = Field(foreign_key="partner.id", index=True)
    # One per form instance: a resubmitted form finds the session it already created.
    submission_key: str = Field(max_length=64, unique=True)
    token_hash: str | None = Field(default=None, max_length=64, unique=True)  # set once the id is known
    state: str = Field(default=SessionState.PROPOSED, max_length=20, index=True)
    kind: str = Field(max_length=20)
    title: str = Field(max_length=NAME_MAX)
    description: str = Field(max_length=LONG_TEXT_MAX)
    title_en: str = Field(default="", max_length=NAME_MAX)
    description_en: str = Field(default="", max_length=LONG_TEXT_MAX)
    audiences: str = Field(default="", max_length=TAGS_MAX)  # Audience values, "a; b"
    level: str = Field(default=Level.BEGINNER, max_length=20)
    duration_minutes: int
    bring: str = Field(default="", max_length=SHORT_TEXT_MAX)
    accessibility: str = Field(default="", max_length=SHORT_TEXT_MAX)
    places: int
    contact_name: str = Field(max_length=NAME_MAX)
    contact_email: str = Field(max_length=EMAIL_MAX)
    language: str = Field(default="fr", max_length=5)
    starts_at: datetime | None = Field(default=None, index=True)
    ends_at: datetime | None = None
    room_id: int | None = Field(default=None, foreign_key="room.id", index=True)
    decision_reason: str = Field(default="", max_length=LONG_TEXT_MAX)
    is_example: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None
    reminded_at: datetime | None = None
    # What calendar subscribers need to see a change (as a showcase slot's).
    sequence: int = 0


class SessionChoice(SQLModel, table=True):
    """A date (and, if the partner has one in mind, a room) the session could take; rank 1 first."""

    session_id: int = Field(foreign_key="programmesession.id", primary_key=True, ondelete="CASCADE")
    rank: int = Field(primary_key=True)
    starts_at: datetime
    room_id: int | None = Field(default=None, foreign_key="room.id")


class RegistrationState(StrEnum):
    REGISTERED = "registered"
    WAITING = "waiting"
    OFFERED = "offered"  # a freed place is held for this person until they answer or the offer expires
    CANCELLED = "cancelled"


REGISTRATION_TRANSITIONS: dict[RegistrationState, set[RegistrationState]] = {
    RegistrationState.REGISTERED: {RegistrationState.CANCELLED},
    RegistrationState.WAITING: {RegistrationState.OFFERED, RegistrationState.REGISTERED, RegistrationState.CANCELLED},
    # Declined, or unanswered in time: the place goes to the next in line.
    RegistrationState.OFFERED: {RegistrationState.REGISTERED, RegistrationState.CANCELLED},
    RegistrationState.CANCELLED: set(),
}
# Holding one of the session's places: what its capacity counts.
SEAT_HOLDING = (RegistrationState.REGISTERED, RegistrationState.OFFERED)
REGISTRATION_STATE_LABELS: dict[RegistrationState, str] = {
    RegistrationState.REGISTERED: N_("Inscrit·e"),
    RegistrationState.WAITING: N_("En liste d'attente"),
    RegistrationState.OFFERED: N_("Place proposée, réponse attendue"),
    RegistrationState.CANCELLED: N_("Annulée"),
}


class Registration(SQLModel, table=True):
    """A person's free registration for a session, without an account: followed, and cancelled,
    through a private link (kept as a digest)."""

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="programmesession.id", index=True, ondelete="CASCADE")
    submission_key: str = Field(max_length=64, unique=True)
    token_hash: str | None = Field(default=None, max_length=64, unique=True)  # set once the id is known
    state: str = Field(max_length=20, index=True)
    name: str = Field(max_length=NAME_MAX)
    email: str = Field(max_length=EMAIL_MAX, index=True)
    phone: str = Field(default="", max_length=PHONE_MAX)
    needs: str = Field(default="", max_length=SHORT_TEXT_MAX)
    language: str = Field(default="fr", max_length=5)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    offered_at: datetime | None = None
    offer_expires_at: datetime | None = Field(default=None, index=True)
    reminded_at: datetime | None = None
    attendance: str = Field(default="", max_length=10)  # "", or an Attendance value
