"""Showcase slots, applications, their private links, ranked choices and offers of freed places."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from directory.clock import utcnow
from directory.i18n import N_
from directory.models.fields import (
    ADDRESS_MAX,
    CITY_MAX,
    EMAIL_MAX,
    LONG_TEXT_MAX,
    NAME_MAX,
    PHONE_MAX,
    SHORT_TEXT_MAX,
    TAGS_MAX,
    URL_MAX,
)


class ShowcaseSlot(SQLModel, table=True):
    """A time window in the atelier's showcase space (stored in UTC, shown in Europe/Paris)."""

    id: int | None = Field(default=None, primary_key=True)
    starts_at: datetime = Field(index=True)
    ends_at: datetime
    capacity: int
    theme: str = Field(default="", max_length=NAME_MAX)
    is_open: bool = True
    # Past this moment the slot is shown as closed and no longer offered to applicants.
    applications_close_at: datetime
    cancelled_at: datetime | None = None
    # A place freed here goes by itself to the next on the waiting list (staff may turn it off).
    auto_offers: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    # What calendar subscribers need to see a change: SEQUENCE grows when the time moves or the
    # showcase is cancelled; LAST-MODIFIED follows updated_at.
    sequence: int = 0
    updated_at: datetime = Field(default_factory=utcnow)


class ApplicationState(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"  # a freed place is held for it until it answers or the offer expires
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


APPLICATION_TRANSITIONS: dict[ApplicationState, set[ApplicationState]] = {
    ApplicationState.SUBMITTED: {ApplicationState.APPROVED, ApplicationState.WAITLISTED,
                                 ApplicationState.REJECTED, ApplicationState.WITHDRAWN},
    ApplicationState.WAITLISTED: {ApplicationState.APPROVED, ApplicationState.OFFERED, ApplicationState.REJECTED,
                                  ApplicationState.WITHDRAWN},
    ApplicationState.OFFERED: {ApplicationState.APPROVED, ApplicationState.WAITLISTED, ApplicationState.WITHDRAWN},
    ApplicationState.APPROVED: {ApplicationState.WITHDRAWN},
    ApplicationState.REJECTED: set(),
    ApplicationState.WITHDRAWN: set(),
}
OPEN_STATES = (ApplicationState.SUBMITTED, ApplicationState.WAITLISTED, ApplicationState.OFFERED,
               ApplicationState.APPROVED)
# Holding a place in its slot (`Application.slot_id`): what a slot's capacity counts.
HOLDING_STATES = (ApplicationState.APPROVED, ApplicationState.OFFERED)
# Waiting for a staff decision on a place: what the review queue and the assignment work on.
UNDECIDED_STATES = (ApplicationState.SUBMITTED, ApplicationState.WAITLISTED)
# Given a final answer: what the acceptance rate counts (a waitlisting, with its `decided_at`, counts in the delay).
DECIDED_STATES = (ApplicationState.APPROVED, ApplicationState.REJECTED)

APPLICATION_STATE_LABELS: dict[ApplicationState, str] = {
    ApplicationState.SUBMITTED: N_("Reçue, en attente d'examen"),
    ApplicationState.APPROVED: N_("Acceptée"),
    ApplicationState.WAITLISTED: N_("En liste d'attente"),
    ApplicationState.OFFERED: N_("Place proposée, réponse attendue"),
    ApplicationState.REJECTED: N_("Refusée"),
    ApplicationState.WITHDRAWN: N_("Retirée"),
}


class StartupStage(StrEnum):
    IDEA = "idea"
    PROTOTYPE = "prototype"
    FIRST_CUSTOMERS = "first_customers"
    GROWTH = "growth"


STAGE_LABELS: dict[StartupStage, str] = {
    StartupStage.IDEA: N_("Idée"),
    StartupStage.PROTOTYPE: N_("Prototype"),
    StartupStage.FIRST_CUSTOMERS: N_("Premiers clients"),
    StartupStage.GROWTH: N_("Croissance"),
}


class Application(SQLModel, table=True):
    """A startup's request for a showcase slot; followed through a private link."""

    id: int | None = Field(default=None, primary_key=True)
    # One per form instance: a resubmitted form finds the application it already created.
    submission_key: str = Field(max_length=64, unique=True)
    state: str = Field(default=ApplicationState.SUBMITTED, max_length=20, index=True)
    language: str = Field(default="fr", max_length=5)
    # Which private link the emails carry (see directory.private_links): one more on a lost-link request.
    link_version: int = 1
    organisation: str = Field(max_length=NAME_MAX)
    website: str = Field(default="", max_length=URL_MAX)
    short_description: str = Field(max_length=SHORT_TEXT_MAX)
    sectors: str = Field(default="", max_length=TAGS_MAX)
    stage: str = Field(max_length=20)
    team_size: int
    address: str = Field(default="", max_length=ADDRESS_MAX)
    city: str = Field(default="", max_length=CITY_MAX)
    latitude: float | None = None
    longitude: float | None = None
    logo: bytes | None = None
    logo_type: str = Field(default="", max_length=20)
    pitch_title: str = Field(max_length=NAME_MAX)
    pitch_summary: str = Field(max_length=SHORT_TEXT_MAX)
    # The pitch in English, if the startup gives it: English readers get it, others the French one.
    pitch_title_en: str = Field(default="", max_length=NAME_MAX)
    pitch_summary_en: str = Field(default="", max_length=SHORT_TEXT_MAX)
    demo_description: str = Field(max_length=LONG_TEXT_MAX)
    equipment: str = Field(default="", max_length=LONG_TEXT_MAX)
    contact_name: str = Field(max_length=NAME_MAX)
    contact_email: str = Field(max_length=EMAIL_MAX, index=True)
    contact_phone: str = Field(default="", max_length=PHONE_MAX)
    consent_data: bool = False
    consent_publication: bool = False
    slot_id: int | None = Field(default=None, foreign_key="showcaseslot.id", index=True)
    partner_id: int | None = Field(default=None, foreign_key="partner.id")
    decision_reason: str = Field(default="", max_length=LONG_TEXT_MAX)
    staff_message: str = Field(default="", max_length=LONG_TEXT_MAX)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None
    # After approval: reminders sent, attendance confirmed by the startup, and what staff saw.
    reminded_week_at: datetime | None = None
    reminded_day_at: datetime | None = None
    confirmed_at: datetime | None = None
    attendance: str = Field(default="", max_length=10)  # "", or an Attendance value
    # On the waiting list: when it was told none of its slots is still possible (None again once it chooses others).
    told_no_slot_at: datetime | None = None


class PrivateLink(SQLModel, table=True):
    """An applicant's private link, kept only as a digest. Every email carries the application's
    current version; an earlier version stays valid until a later one asked for on a lost-link
    request is opened (the old one may have leaked)."""

    token_hash: str = Field(primary_key=True, max_length=64)
    application_id: int = Field(foreign_key="application.id", index=True, ondelete="CASCADE")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    # Sent on a lost-link request: its first use ends the earlier links. A request anyone can make
    # for the applicant's address so never cuts the applicant off.
    replaces_earlier: bool = False


class Attendance(StrEnum):
    ATTENDED = "attended"
    NO_SHOW = "no_show"


ATTENDANCE_LABELS: dict[Attendance, str] = {Attendance.ATTENDED: N_("Présente"), Attendance.NO_SHOW: N_("Absente")}


class SlotChoice(SQLModel, table=True):
    """One of an application's ranked slot preferences (rank 1 is the favourite)."""

    application_id: int = Field(foreign_key="application.id", primary_key=True, ondelete="CASCADE")
    rank: int = Field(primary_key=True)
    slot_id: int = Field(foreign_key="showcaseslot.id", index=True)


class OfferOutcome(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"  # the showcase itself was cancelled


class Offer(SQLModel, table=True):
    """A freed place offered to a waitlisted application: each slot is offered to it once."""

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True, ondelete="CASCADE")
    slot_id: int = Field(foreign_key="showcaseslot.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime = Field(index=True)
    outcome: str = Field(default=OfferOutcome.PENDING, max_length=10, index=True)
    answered_at: datetime | None = None
