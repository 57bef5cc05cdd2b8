"""Personal data of applicants (GDPR): export on request, erasure, and purge after retention.

The audit log keeps a pseudonymous trace of an erasure: the application numbers and a hash of the
email, never the email itself.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Engine

from directory import audit
from directory.audit import AuditAction
from directory.clock import utcnow
from directory.db import read_session, write_session
from directory.listings import erase_contact
from directory.models import (
    Application,
    AuditEvent,
    ListingChange,
    ListingClaim,
    ListingLink,
    Notification,
    Partner,
    PrivateLink,
    ProgrammeSession,
    Registration,
    ShowcaseSlot,
    SlotChoice,
)
from directory.showcase import RETENTION, retention_end

PRIVATE_FIELDS = ("submission_key", "logo")


def pseudonym(email: str) -> str:
    return "email-sha256:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def _applications_of(session, email: str) -> list[Application]:
    return list(session.execute(select(Application).where(
        func.lower(Application.contact_email) == email.strip().lower()).order_by(Application.id)).scalars())


def applicant_data(engine: Engine, email: str) -> bytes:
    """Everything stored about the person behind `email`, as JSON."""
    with read_session(engine) as session:
        applications = _applications_of(session, email)
        ids = [a.id for a in applications]
        choices = session.execute(select(SlotChoice, ShowcaseSlot.starts_at).join(
            ShowcaseSlot, ShowcaseSlot.id == SlotChoice.slot_id).where(SlotChoice.application_id.in_(ids))).all()
        messages = session.execute(select(Notification).where(
            (Notification.application_id.in_(ids)) | (func.lower(Notification.recipient) == email.strip().lower())
        ).order_by(Notification.id)).scalars().all()
        events = session.execute(select(AuditEvent).where(
            AuditEvent.entity == "application", AuditEvent.entity_id.in_(ids)).order_by(AuditEvent.id)).scalars().all()
        registrations = session.execute(select(Registration, ProgrammeSession.title, ProgrammeSession.starts_at).join(
            ProgrammeSession, ProgrammeSession.id == Registration.session_id).where(_registered_as(email))).all()
        proposals = session.execute(select(Partner.id, Partner.name, Partner.state, Partner.proposer_name,
                                           Partner.proposer_email, Partner.created_at)
                                    .where(_proposed_by(email))).mappings().all()
    export = {
        "email": email,
        "exported_at": utcnow().isoformat(),
        "applications": [
            {**{k: v for k, v in a.model_dump().items() if k not in PRIVATE_FIELDS}, "has_logo": a.logo is not None,
             "slot_choices": [{"rank": c.rank, "slot_id": c.slot_id, "starts_at": starts.isoformat()}
                              for c, starts in choices if c.application_id == a.id]}
            for a in applications
        ],
        "messages": [{k: v for k, v in m.model_dump().items() if k != "link_seed"} for m in messages],
        "history": [e.model_dump() for e in events],
        "proposed_listings": [dict(row) for row in proposals],
        "registrations": [{**{k: v for k, v in registration.model_dump().items()
                              if k not in ("token_hash", "submission_key")},
                           "session": title, "session_starts_at": starts_at}
                          for registration, title, starts_at in registrations],
    }
    return json.dumps(export, ensure_ascii=False, indent=2, default=str).encode()


def _proposed_by(email: str):
    return func.lower(Partner.proposer_email) == email.strip().lower()


def _registered_as(email: str):
    return func.lower(Registration.email) == email.strip().lower()


def erase_applicant(engine: Engine, email: str, *, staff: str) -> int:
    """Delete every application, registration and message of `email`, and forget them as the
    proposer of any listing; returns how many applications went."""
    with write_session(engine) as session:
        _erase_registrations(session, list(session.execute(select(Registration.id).where(
            _registered_as(email))).scalars()), actor=staff)
        session.execute(update(Partner).where(_proposed_by(email)).values(proposer_name="", proposer_email=""))
        # As a listing's former contact, or the author of a change or a claim, too.
        erase_contact(session, email)
        address = email.strip().lower()
        session.execute(update(ListingChange).where(func.lower(ListingChange.author_email) == address)
                        .values(author_email=""))
        session.execute(delete(ListingClaim).where(func.lower(ListingClaim.email) == address))
        session.execute(delete(ListingLink).where(func.lower(ListingLink.email) == address))
        return _erase(session, _applications_of(session, email), email, actor=staff)


def _erase(session, applications: list[Application], email: str, *, actor: str) -> int:
    ids = [a.id for a in applications]
    session.execute(delete(Notification).where(
        (Notification.application_id.in_(ids)) | (func.lower(Notification.recipient) == email.strip().lower())))
    session.execute(delete(SlotChoice).where(SlotChoice.application_id.in_(ids)))
    session.execute(delete(PrivateLink).where(PrivateLink.application_id.in_(ids)))
    session.execute(delete(Application).where(Application.id.in_(ids)))
    for application_id in ids:
        audit.record(session, actor=actor, action=AuditAction.ERASED, entity="application", entity_id=application_id,
                     after={"who": pseudonym(email)})
    return len(ids)


def _erase_registrations(session, ids: list[int], *, actor: str) -> None:
    """A registration goes whole (its session keeps its counts of the others); the journal keeps
    that it was erased, not by whom it was made."""
    session.execute(delete(Registration).where(Registration.id.in_(ids)))
    for registration_id in ids:
        audit.record(session, actor=actor, action=AuditAction.ERASED, entity="registration",
                     entity_id=registration_id)


def purge_expired(engine: Engine, *, now: datetime | None = None) -> int:
    """Erase the applications whose retention period is over, and the registrations of sessions
    that ended more than a year ago (or, never held, were made that long ago); forget who proposed
    listings more than a year ago. Returns how many applications and registrations went."""
    now = now or utcnow()
    erased = 0
    with write_session(engine) as session:
        expired = list(session.execute(select(Registration.id).join(
            ProgrammeSession, ProgrammeSession.id == Registration.session_id).where(
            func.coalesce(ProgrammeSession.ends_at, Registration.created_at) < now - RETENTION)).scalars())
        _erase_registrations(session, expired, actor="retention")
        erased += len(expired)
        session.execute(update(Partner).where(Partner.proposer_email != "", Partner.created_at < now - RETENTION)
                        .values(proposer_name="", proposer_email=""))
        for application in session.execute(select(Application)).scalars().all():
            if now > retention_end(session, application):
                erased += _erase(session, [application], application.contact_email, actor="retention")
    return erased
