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
    city: str = Field(default="", max_length=100)
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
    proposer_name: str = Field(default="", max_length=NAME_MAX)
    proposer_email: str = Field(default="", max_length=EMAIL_MAX)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)
