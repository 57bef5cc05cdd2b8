"""The tables, the state enums and which transitions between states are allowed."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from directory.clock import utcnow
from directory.i18n import N_

# Lengths shared by the models and the form widgets.
NAME_MAX = 160
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000
TAGS_MAX = 500
ADDRESS_MAX = 300
URL_MAX = 500
EMAIL_MAX = 254
PHONE_MAX = 40
SLUG_MAX = 80
CITY_MAX = 100


# --- Partners ---------------------------------------------------------------------------------

class PartnerKind(StrEnum):
    ATELIER = "atelier"
    INCUBATOR = "incubator"
    SCHOOL = "school"
    CLUSTER = "cluster"
    STARTUP = "startup"
    COWORKING = "coworking"
    PUBLIC_BODY = "public_body"
    NETWORK = "network"
    ASSOCIATION = "association"


KIND_LABELS: dict[PartnerKind, str] = {
    PartnerKind.ATELIER: N_("Atelier numérique"),
    PartnerKind.INCUBATOR: N_("Pépinière / incubateur"),
    PartnerKind.SCHOOL: N_("École / formation"),
    PartnerKind.CLUSTER: N_("Membre de cluster"),
    PartnerKind.STARTUP: N_("Startup"),
    PartnerKind.COWORKING: N_("Coworking / tiers-lieu"),
    PartnerKind.PUBLIC_BODY: N_("Organisme public"),
    PartnerKind.NETWORK: N_("Réseau"),
    PartnerKind.ASSOCIATION: N_("Association"),
}


class Precision(StrEnum):
    EXACT = "exact"
    APPROXIMATE = "approximate"
    UNKNOWN = "unknown"


PRECISION_LABELS: dict[Precision, str] = {
    Precision.EXACT: N_("Position exacte"),
    Precision.APPROXIMATE: N_("Position approximative"),
    Precision.UNKNOWN: N_("Position inconnue"),
}


class ListingState(StrEnum):
    PROPOSED = "proposed"
    PUBLISHED = "published"
    REJECTED = "rejected"
    ARCHIVED = "archived"


LISTING_TRANSITIONS: dict[ListingState, set[ListingState]] = {
    ListingState.PROPOSED: {ListingState.PUBLISHED, ListingState.REJECTED},
    ListingState.PUBLISHED: {ListingState.ARCHIVED},
    ListingState.ARCHIVED: {ListingState.PUBLISHED},
    ListingState.REJECTED: set(),
}
# Listings that name an organisation today (a company number, a duplicate are checked against them).
LIVE_STATES = (ListingState.PROPOSED, ListingState.PUBLISHED)


class Partner(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=NAME_MAX, index=True)
    kind: str = Field(max_length=20, index=True)
    short_description: str = Field(default="", max_length=SHORT_TEXT_MAX)
    description: str = Field(default="", max_length=LONG_TEXT_MAX)
    short_description_en: str = Field(default="", max_length=SHORT_TEXT_MAX)
    description_en: str = Field(default="", max_length=LONG_TEXT_MAX)
    # Tags are few per partner and only ever filtered in memory: kept as "a; b; c".
    sectors: str = Field(default="", max_length=TAGS_MAX)
    networks: str = Field(default="", max_length=TAGS_MAX)
    address: str = Field(default="", max_length=ADDRESS_MAX)
    city: str = Field(default="", max_length=CITY_MAX)
    latitude: float | None = None
    longitude: float | None = None
    precision: str = Field(default=Precision.UNKNOWN, max_length=20)
    website: str = Field(default="", max_length=URL_MAX)
    contact_email: str = Field(default="", max_length=EMAIL_MAX)
    contact_phone: str = Field(default="", max_length=PHONE_MAX)
    state: str = Field(default=ListingState.PUBLISHED, max_length=20, index=True)
    is_demo: bool = False
    last_verified: date | None = None
    source: str = Field(default="", max_length=SHORT_TEXT_MAX)
    # Staff only: research notes, what was checked and where. Never shown to the public.
    notes: str = Field(default="", max_length=LONG_TEXT_MAX)
    # Other names the public knows it by ("Digital Ligue"), found by the search: "a; b".
    other_names: str = Field(default="", max_length=TAGS_MAX)
    proposer_name: str = Field(default="", max_length=NAME_MAX)
    proposer_email: str = Field(default="", max_length=EMAIL_MAX)
    proposer_language: str = Field(default="fr", max_length=5)
    rejection_reason: str = Field(default="", max_length=LONG_TEXT_MAX)
    merged_into_id: int | None = Field(default=None, foreign_key="partner.id")
    # The address of its public page, /partenaires/<slug>; every slug it ever had is a PartnerSlug.
    slug: str | None = Field(default=None, max_length=SLUG_MAX, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)
    # OpenStreetMap's syntax ("Mo-Fr 09:00-18:00; PH off"), read in Paris time with French holidays.
    opening_hours: str = Field(default="", max_length=255)
    accessibility_url: str = Field(default="", max_length=URL_MAX)  # its acceslibre.beta.gouv.fr page
    accessibility_note: str = Field(default="", max_length=SHORT_TEXT_MAX)
    # PNG or JPEG, re-encoded at most 512×512 (images.clean_logo); served at /partenaires/<slug>/logo.
    logo: bytes | None = None
    logo_type: str = Field(default="", max_length=20)
    # The company register's number: a SIRET or SIREN, or an association's RNA number ("W…").
    siret: str = Field(default="", max_length=14, index=True)
    # The number of its latest ListingVersion: a change made on an older one is not applied blindly.
    version: int = 0
    # The mail server refused the contact address: staff must find another.
    contact_invalid: bool = False
    # "Is your listing still right?": asked, then reminded once; answered by stamping last_verified.
    confirmation_asked_at: datetime | None = None
    confirmation_reminded_at: datetime | None = None
    # The company register says its establishment is closed (`vitrine check-register`).
    register_closed_at: datetime | None = None


class PartnerSlug(SQLModel, table=True):
    """Every slug a partner was ever known by: one key for all, so a renamed listing's old address
    keeps redirecting and is never given to another."""

    slug: str = Field(primary_key=True, max_length=SLUG_MAX)
    partner_id: int = Field(foreign_key="partner.id", index=True, ondelete="CASCADE")


class ListingVersion(SQLModel, table=True):
    """One version of a listing's content: who wrote it, when, which fields changed, and all of them."""

    id: int | None = Field(default=None, primary_key=True)
    partner_id: int = Field(foreign_key="partner.id", index=True, ondelete="CASCADE")
    number: int
    at: datetime = Field(default_factory=utcnow)
    author: str = Field(max_length=120)  # an audit actor: "staff:<id> <name>", "organisation", "import"…
    origin: str = Field(default="", max_length=40)  # what it came through: "report:<id>", "restore:<n>"…
    fields: str = Field(default="[]", max_length=1000)  # JSON list of the changed fields' names
    snapshot: str = Field(max_length=LONG_TEXT_MAX * 4)  # JSON of every versioned field


class ChangeState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"


class ListingChange(SQLModel, table=True):
    """A change an organisation sent for its listing, waiting for staff; nothing is edited in place."""

    id: int | None = Field(default=None, primary_key=True)
    partner_id: int = Field(foreign_key="partner.id", index=True, ondelete="CASCADE")
    base_version: int  # the version the organisation saw when it wrote the change
    proposed: str = Field(max_length=LONG_TEXT_MAX * 4)  # JSON: the fields it sent
    author_email: str = Field(default="", max_length=EMAIL_MAX)
    language: str = Field(default="fr", max_length=5)
    state: str = Field(default=ChangeState.PENDING, max_length=10, index=True)
    accepted_fields: str = Field(default="[]", max_length=1000)
    reason: str = Field(default="", max_length=LONG_TEXT_MAX)
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None
    decided_by: str = Field(default="", max_length=120)


class ListingClaim(SQLModel, table=True):
    """Someone of an organisation asks to become its listing's contact."""

    id: int | None = Field(default=None, primary_key=True)
    partner_id: int = Field(foreign_key="partner.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=NAME_MAX)
    role: str = Field(max_length=NAME_MAX)
    email: str = Field(max_length=EMAIL_MAX)
    message: str = Field(default="", max_length=LONG_TEXT_MAX)
    language: str = Field(default="fr", max_length=5)
    state: str = Field(default=ChangeState.PENDING, max_length=10, index=True)
    reason: str = Field(default="", max_length=LONG_TEXT_MAX)
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None
    decided_by: str = Field(default="", max_length=120)


class ListingLinkPurpose(StrEnum):
    UPDATE = "update"  # opens the listing's form, for 7 days
    CONFIRM = "confirm"  # "still right" in one click, or the form, until the next question


class ListingLink(SQLModel, table=True):
    """A private link emailed to a listing's contact, kept only as a digest."""

    token_hash: str = Field(primary_key=True, max_length=64)
    partner_id: int = Field(foreign_key="partner.id", index=True, ondelete="CASCADE")
    purpose: str = Field(max_length=10)
    email: str = Field(max_length=EMAIL_MAX)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class NotDuplicate(SQLModel, table=True):
    """Two listings staff said are not the same organisation (the smaller id first)."""

    partner_id: int = Field(foreign_key="partner.id", primary_key=True, ondelete="CASCADE")
    other_id: int = Field(foreign_key="partner.id", primary_key=True, ondelete="CASCADE")
    decided_by: str = Field(default="", max_length=120)
    at: datetime = Field(default_factory=utcnow)


class CorrectionState(StrEnum):
    OPEN = "open"
    APPLIED = "applied"
    DISMISSED = "dismissed"


class Correction(SQLModel, table=True):
    """A visitor's report that something on a published card is wrong, for staff to apply or dismiss."""

    id: int | None = Field(default=None, primary_key=True)
    partner_id: int = Field(foreign_key="partner.id", index=True, ondelete="CASCADE")
    message: str = Field(max_length=LONG_TEXT_MAX)
    # Optional: only to acknowledge the report; erased with the proposers' details after a year.
    reporter_email: str = Field(default="", max_length=EMAIL_MAX)
    reporter_language: str = Field(default="fr", max_length=5)
    state: str = Field(default=CorrectionState.OPEN, max_length=20, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None
    decided_by: str = Field(default="", max_length=120)


# --- Showcase slots and applications ----------------------------------------------------------

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


class PrivateLink(SQLModel, table=True):
    """A private link sent to the applicant, kept only as a digest. Each email with a link adds one;
    all stay valid until the applicant asks for a new link (an old one may have leaked)."""

    token_hash: str = Field(primary_key=True, max_length=64)
    application_id: int = Field(foreign_key="application.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)


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


# --- What happened, and what must be told -----------------------------------------------------

class AuditEvent(SQLModel, table=True):
    """Append-only: who did what to which record, with the values before and after."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=120)
    action: str = Field(max_length=40, index=True)
    entity: str = Field(max_length=40)
    entity_id: int = Field(index=True)
    before: str = Field(default="", max_length=LONG_TEXT_MAX * 4)
    after: str = Field(default="", max_length=LONG_TEXT_MAX * 4)


class NotificationState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    REFUSED = "refused"  # the mail server refused the address: never retried


class Notification(SQLModel, table=True):
    """The outbox: a message is written with the change that causes it and sent afterwards."""

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    recipient: str = Field(max_length=EMAIL_MAX)
    template: str = Field(max_length=40)
    subject: str = Field(max_length=SHORT_TEXT_MAX)
    body: str = Field(max_length=LONG_TEXT_MAX * 2)
    # The private follow link stays out of the body until sending, and is erased once sent.
    private_link: str = Field(default="", max_length=URL_MAX)
    calendar: str = Field(default="", max_length=LONG_TEXT_MAX * 2)  # an .ics attachment, if any
    state: str = Field(default=NotificationState.QUEUED, max_length=20, index=True)
    attempts: int = 0
    last_error: str = Field(default="", max_length=SHORT_TEXT_MAX)
    next_attempt_at: datetime = Field(default_factory=utcnow)
    claimed_at: datetime | None = None
    sent_at: datetime | None = None
    application_id: int | None = Field(default=None, foreign_key="application.id", ondelete="SET NULL")


class RateLimit(SQLModel, table=True):
    """Hits of one key (an email address, a client address) in the current window, shared by replicas."""

    key: str = Field(primary_key=True, max_length=200)
    window_start: datetime
    hits: int = 0


# --- Staff --------------------------------------------------------------------------------------

class StaffRole(StrEnum):
    STAFF = "staff"
    ADMIN = "admin"


ROLE_LABELS: dict[StaffRole, str] = {
    StaffRole.STAFF: N_("Équipe"),
    StaffRole.ADMIN: N_("Administrateur"),
}


class StaffUser(SQLModel, table=True):
    """An atelier team member."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=EMAIL_MAX, unique=True)
    name: str = Field(max_length=NAME_MAX)
    role: str = Field(default=StaffRole.STAFF, max_length=10)
    # Empty for an account that signs in only through the identity provider.
    password_hash: str = Field(default="", max_length=200)
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None


class StaffSession(SQLModel, table=True):
    """A signed-in staff member, known to every replica; the browser holds only the secret."""

    id: int | None = Field(default=None, primary_key=True)
    secret_hash: str = Field(max_length=64, unique=True)
    staff_id: int = Field(foreign_key="staffuser.id", index=True, ondelete="CASCADE")
    started_at: datetime
    last_seen_at: datetime
    # While set, the secret is a one-time code that the browser trades for its cookie before then.
    handoff_until: datetime | None = None
    client_address: str = Field(default="", max_length=64)
