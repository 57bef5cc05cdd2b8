"""What happened and what must be told (audit log, outbox, rate limits), and the staff."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from directory.clock import utcnow
from directory.i18n import N_
from directory.models.fields import EMAIL_MAX, LONG_TEXT_MAX, NAME_MAX, SHORT_TEXT_MAX


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


class LinkKind(StrEnum):
    """The private link an email carries, built when it is sent (the outbox never keeps one)."""

    NONE = ""
    APPLICATION = "application"  # the application's current link
    LISTING = "listing"  # a listing link, derived from the message's seed
    SESSION = "session"  # a programme session's link, for the partner running it (the seed: its id)
    REGISTRATION = "registration"  # a registration's link, for the person registered (the seed: its id)


class Notification(SQLModel, table=True):
    """The outbox: a message is written with the change that causes it and sent afterwards."""

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    recipient: str = Field(max_length=EMAIL_MAX)
    template: str = Field(max_length=40)
    subject: str = Field(max_length=SHORT_TEXT_MAX)
    body: str = Field(max_length=LONG_TEXT_MAX * 2)
    language: str = Field(default="fr", max_length=5)
    # The body holds a placeholder where the private link goes, built at sending time from these.
    link_kind: str = Field(default=LinkKind.NONE, max_length=12)
    link_seed: str = Field(default="", max_length=64)
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
    # The digest of the signing-in browser's own token (`tokens.browser_key`): the one-time code
    # works only in that browser.
    browser_key: str = Field(default="", max_length=64)


class ServerSecret(SQLModel, table=True):
    """A random secret every replica shares, made by the migration that created the table."""

    name: str = Field(primary_key=True, max_length=40)
    value: str = Field(max_length=128)
