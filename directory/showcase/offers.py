"""Freed places offered to the waiting list: the startup accepts or declines through its private
link; offers left unanswered expire (the background worker and `vitrine expire-offers` run it).
Offers themselves are made by `rules.place_freed`, wherever a place frees up."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from directory import audit
from directory.audit import AuditAction
from directory.clock import aware, utcnow
from directory.db import read_session, retry_on_conflict, update_if_unchanged, write_session
from directory.models import (
    Application,
    ApplicationState,
    Offer,
    OfferOutcome,
    ShowcaseSlot,
)
from directory.showcase.decisions import approve_in
from directory.showcase.errors import AlreadyDecided
from directory.showcase.rules import (
    by_token,
    change_state,
    lock_slot,
    place_freed,
)


def pending_offer(engine: Engine, application_id: int) -> Offer | None:
    """The offer waiting for this application's answer, if any."""
    return pending_offers(engine, [application_id]).get(application_id)


def pending_offers(engine: Engine, application_ids: list[int]) -> dict[int, Offer]:
    """The offers waiting for an answer among these applications (a page of the review queue)."""
    if not application_ids:
        return {}
    with read_session(engine) as session:
        found = session.execute(select(Offer).where(Offer.application_id.in_(application_ids),
                                                    Offer.outcome == OfferOutcome.PENDING)).scalars().all()
    return {offer.application_id: offer for offer in found}


def accept_offer(engine: Engine, token: str) -> None:
    """The startup takes the place held for it: approved in that slot, with the same capacity
    check as a staff approval. Raises UnknownToken or AlreadyDecided (answered or expired)."""
    def work() -> None:
        with write_session(engine) as session:
            application = by_token(session, token, for_update=True)
            offer = _pending(session, application)
            approve_in(session, application.id, slot_id=offer.slot_id, staff="applicant")
    retry_on_conflict(work)


def decline_offer(engine: Engine, token: str) -> None:
    """The startup lets the place go: back on the waiting list (for its other slots), and the
    place is offered to the next in line. Raises UnknownToken or AlreadyDecided."""
    def work() -> None:
        with write_session(engine) as session:
            application = by_token(session, token, for_update=True)
            _pass_on(session, application, _pending(session, application), actor="applicant",
                     template="offer_declined", action=AuditAction.OFFER_DECLINED)
    retry_on_conflict(work)


def expire_offers(engine: Engine, *, now: datetime | None = None) -> int:
    """Every offer past its time goes back to the waiting list and its place to the next in line.
    Safe to run from several replicas at once: each offer expires once. Returns how many expired."""
    now = now or utcnow()
    with read_session(engine) as session:
        due = session.execute(select(Offer.id).where(Offer.outcome == OfferOutcome.PENDING,
                                                     Offer.expires_at <= now)).scalars().all()
    expired = 0
    for offer_id in due:
        def work(offer_id: int = offer_id) -> bool:
            with write_session(engine) as session:
                offer = session.get(Offer, offer_id)
                lock_slot(session, offer.slot_id)
                if not update_if_unchanged(session, Offer, where={"id": offer_id, "outcome": OfferOutcome.PENDING},
                                           values={"outcome": OfferOutcome.EXPIRED, "answered_at": now}):
                    return False  # answered, or expired by another replica meanwhile
                _pass_on(session, session.get(Application, offer.application_id), offer, actor="vitrine",
                         template="offer_expired", action=AuditAction.OFFER_EXPIRED)
                return True
        expired += retry_on_conflict(work)
    return expired


def set_auto_offers(engine: Engine, slot_id: int, enabled: bool, *, staff: str) -> None:
    """Staff switch automatic offers on or off for one slot; switching on offers its free places."""
    with write_session(engine) as session:
        session.execute(update(ShowcaseSlot).where(ShowcaseSlot.id == slot_id).values(auto_offers=enabled))
        audit.record(session, actor=staff, action=AuditAction.SLOT_UPDATED, entity="slot", entity_id=slot_id,
                     after={"auto_offers": enabled})
        if enabled:
            place_freed(session, slot_id)


def _pass_on(session: Session, application: Application, offer: Offer, *, actor: str, template: str,
             action: AuditAction) -> None:
    """Back on the waiting list (for its other slots), and the place to the next in line."""
    change_state(session, application, ApplicationState.WAITLISTED, actor=actor, template=template,
                 values={"slot_id": None}, action=action)
    place_freed(session, offer.slot_id)


def _pending(session: Session, application: Application) -> Offer:
    """The application's offer still open to an answer; AlreadyDecided if answered or expired."""
    offer = session.execute(select(Offer).where(Offer.application_id == application.id,
                                                Offer.outcome == OfferOutcome.PENDING)).scalar_one_or_none()
    if offer is None or application.state != ApplicationState.OFFERED or aware(offer.expires_at) <= utcnow():
        raise AlreadyDecided()
    return offer
