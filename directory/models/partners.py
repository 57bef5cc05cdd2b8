"""The partner directory: listings, their slugs, versions, organisations' changes and claims, links, reports."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
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
    SLUG_MAX,
    TAGS_MAX,
    URL_MAX,
)


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
    # A place of digital mediation (the atelier first): the national standard's services it offers,
    # "a; b", and the postal code the standard requires. Chosen by staff.
    mediation_services: str = Field(default="", max_length=TAGS_MAX)
    postal_code: str = Field(default="", max_length=5)
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
    author_email: str = Field(default="", max_length=EMAIL_MAX)  # empty when a source sent it
    source_id: int | None = Field(default=None, foreign_key="source.id", index=True, ondelete="SET NULL")
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
    CONFIRM = "confirm"  # "still right" by its page's button (once), or the form, until the next question


class ListingLink(SQLModel, table=True):
    """A private link emailed to a listing's contact, kept only as a digest."""

    token_hash: str = Field(primary_key=True, max_length=64)
    partner_id: int = Field(foreign_key="partner.id", index=True, ondelete="CASCADE")
    purpose: str = Field(max_length=10)
    email: str = Field(max_length=EMAIL_MAX)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    confirmed_at: datetime | None = None  # "toujours exacte" pressed with it (once per link)


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


class RelationKind(StrEnum):
    """How one organisation stands to another: "<listing> is <kind> <other listing>"."""

    INCUBATED_BY = "incubated_by"
    HOSTED_AT = "hosted_at"
    MEMBER_OF = "member_of"
    FOUNDED_BY = "founded_by"


# Each relation read from both ends: on the card of the one it names, and on the card of the other.
RELATION_LABELS: dict[RelationKind, tuple[str, str]] = {
    RelationKind.INCUBATED_BY: (N_("Incubée par"), N_("Startups incubées ici")),
    RelationKind.HOSTED_AT: (N_("Hébergée à"), N_("Organisations hébergées ici")),
    RelationKind.MEMBER_OF: (N_("Membre de"), N_("Membres")),
    RelationKind.FOUNDED_BY: (N_("Fondée par"), N_("Organisations qu'elle a fondées")),
}


class PartnerRelation(SQLModel, table=True):
    """"<partner> is <kind> <other>": written by staff, shown on both listings' cards."""

    __table_args__ = (UniqueConstraint("partner_id", "kind", "other_id"),)

    id: int | None = Field(default=None, primary_key=True)
    partner_id: int = Field(foreign_key="partner.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=20)
    other_id: int = Field(foreign_key="partner.id", index=True, ondelete="CASCADE")
    created_by: str = Field(default="", max_length=120)
    created_at: datetime = Field(default_factory=utcnow)
