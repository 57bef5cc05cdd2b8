"""Staff decisions: approve (capacity-safe), waitlist, reject with a reason, move an approved
startup to another slot; several at once, each in its own transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import Session

from directory import audit, listings
from directory.audit import AuditAction
from directory.clock import utcnow
from directory.db import retry_on_conflict, update_if_unchanged, write_session
from directory.i18n import N_
from directory.models import (
    LONG_TEXT_MAX,
    Application,
    ApplicationState,
    PartnerKind,
    Precision,
)
from directory.showcase.attendance import presentation_calendar, presentation_details
from directory.showcase.errors import AlreadyDecided, ShowcaseError
from directory.showcase.rules import (
    change_state,
    decidable,
    place_freed,
    public_fields,
    slot_label,
    slot_with_room,
    tell,
)
from directory.validation import (
    FormCheck,
    FormErrors,
    Message,
    clean_text,
)


def approve_application(engine: Engine, application_id: int, *, slot_id: int, staff: str,
                        message: str = "") -> None:
    """Give the application a place in the slot.

    Locks the slot, refuses if it is full or the application was already decided, then writes
    the new state, publishes the startup on the map (when it agreed to), an audit event and a
    queued notification, in one transaction. Raises SlotFull or AlreadyDecided.
    """
    message = clean_text(message, max_length=LONG_TEXT_MAX, multiline=True)

    def work() -> None:
        with write_session(engine) as session:
            approve_in(session, application_id, slot_id=slot_id, staff=staff, message=message)
    retry_on_conflict(work)


def approve_in(session: Session, application_id: int, *, slot_id: int, staff: str, message: str = "") -> None:
    """`approve_application`'s work inside the caller's transaction (several decisions at once).
    The approval email carries the practical details, the event and the private link."""
    slot = slot_with_room(session, slot_id, holder=application_id)
    application = decidable(session, application_id, ApplicationState.APPROVED)
    partner_id = _publish_startup(session, application, staff=staff)
    calendar = presentation_calendar(session, application, slot)
    change_state(session, application, ApplicationState.APPROVED, actor=staff, template="approved",
                 values={"slot_id": slot_id, "partner_id": partner_id, "staff_message": message},
                 params={**presentation_details(session, slot, application.language), "message": message},
                 calendar=calendar)


def waitlist_application(engine: Engine, application_id: int, *, staff: str, message: str = "") -> None:
    """Put a submitted application on the waiting list. Raises AlreadyDecided."""
    message = clean_text(message, max_length=LONG_TEXT_MAX, multiline=True)

    def work() -> None:
        with write_session(engine) as session:
            waitlist_in(session, application_id, staff=staff, message=message)
    retry_on_conflict(work)


def waitlist_in(session: Session, application_id: int, *, staff: str, message: str = "") -> None:
    """`waitlist_application`'s work inside the caller's transaction."""
    application = decidable(session, application_id, ApplicationState.WAITLISTED)
    change_state(session, application, ApplicationState.WAITLISTED, actor=staff, template="waitlisted",
                  values={"staff_message": message}, params={"message": message})


def reject_application(engine: Engine, application_id: int, *, staff: str, reason: str,
                       message: str = "") -> None:
    """Refuse with a reason the applicant will read. Raises FormErrors or AlreadyDecided."""
    check = FormCheck()
    reason = check("reason", clean_text, reason, max_length=LONG_TEXT_MAX, required=True, multiline=True)
    message = check("message", clean_text, message, max_length=LONG_TEXT_MAX, multiline=True)
    check.raise_if_invalid()

    def work() -> None:
        with write_session(engine) as session:
            application = decidable(session, application_id, ApplicationState.REJECTED)
            change_state(session, application, ApplicationState.REJECTED, actor=staff, template="rejected",
                          values={"decision_reason": reason, "staff_message": message},
                          params={"reason": reason, "message": message})
    retry_on_conflict(work)


def _publish_startup(session: Session, application: Application, *, staff: str) -> int | None:
    """The approved startup's card on the map, if it agreed to be published: a listing made as every
    listing is (`listings.add_listing`: version, history, audit), by the staff member who approved."""
    if not application.consent_publication or application.partner_id is not None:
        return application.partner_id
    return listings.add_listing(session, {
        "name": application.organisation, "kind": PartnerKind.STARTUP,
        "short_description": application.short_description, "sectors": application.sectors,
        "address": application.address, "city": application.city, "latitude": application.latitude,
        "longitude": application.longitude,
        "precision": Precision.EXACT if application.latitude is not None else Precision.UNKNOWN,
        "website": application.website, "source": "candidature vitrine",
    }, author=staff, origin=f"application:{application.id}").id


def move_application(engine: Engine, application_id: int, *, slot_id: int, staff: str, message: str = "") -> None:
    """Give an approved startup another slot (its own was cancelled, say). Raises SlotFull or
    AlreadyDecided; the applicant is told of the change."""
    message = clean_text(message, max_length=LONG_TEXT_MAX, multiline=True)

    def work() -> None:
        with write_session(engine) as session:
            slot = slot_with_room(session, slot_id)
            application = session.get(Application, application_id)
            if application is None or application.state != ApplicationState.APPROVED:
                raise AlreadyDecided()
            before = public_fields(application)
            if not update_if_unchanged(
                    session, Application,
                    where={"id": application_id, "state": ApplicationState.APPROVED, "slot_id": application.slot_id},
                    values={"slot_id": slot_id, "staff_message": message, "updated_at": utcnow()}):
                raise AlreadyDecided()
            if before["slot_id"] is not None:
                place_freed(session, before["slot_id"])
            session.refresh(application)
            audit.record(session, actor=staff, action=AuditAction.MOVED, entity="application", entity_id=application_id,
                         before=before, after=public_fields(application))
            tell(session, application, "slot_changed", params={
                "message": message, "slot": slot_label(slot.starts_at, slot.ends_at, application.language)})
    retry_on_conflict(work)
REJECTION_REASONS = (
    N_("Le projet ne correspond pas au thème du créneau."),
    N_("Le projet n'est pas encore assez avancé pour une démonstration au public."),
    N_("La startup n'est pas implantée dans la Loire."),
    N_("Le dossier est incomplet."),
)


@dataclass
class DecisionReport:
    """What a batch of decisions did: how many succeeded, and why the others did not."""

    done: int = 0
    refused: list[tuple[int, Message]] = field(default_factory=list)


def decide_many(application_ids: list[int], decide) -> DecisionReport:
    """Apply one decision to several applications, each in its own transaction, so one lost race
    does not undo the others."""
    report = DecisionReport()
    for application_id in application_ids:
        try:
            decide(application_id)
        except (ShowcaseError, FormErrors) as refused:
            message = refused.message if isinstance(refused, ShowcaseError) else next(iter(refused.errors.values()))
            report.refused.append((application_id, message))
        else:
            report.done += 1
    return report
