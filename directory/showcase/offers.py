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
from directory.clock import aware, to_paris, utcnow
from directory.db import read_session, retry_on_conflict, update_if_unchanged, write_session
from directory.i18n import N_, format_datetime, translate
from directory.models import (
    Application,
    ApplicationState,
    Offer,
    OfferOutcome,
    ShowcaseSlot,
)
from directory.places import expire_due
from directory.showcase.decisions import approve_in
from directory.showcase.errors import AlreadyDecided
from directory.showcase.review import stranded
from directory.showcase.rules import (
    by_token,
    change_state,
    lock_slot,
    next_in_line,
    place_freed,
    possible_slots,
    slot_label,
    tell,
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
            approve_in(session, application.id, slot_id=_pending(session, application).slot_id, staff="applicant")
    retry_on_conflict(work)


def decline_offer(engine: Engine, token: str) -> None:
    """The startup lets the place go: back on the waiting list (for its other slots), and the
    place is offered to the next in line. Raises UnknownToken or AlreadyDecided."""
    def work() -> None:
        with write_session(engine) as session:
            application = by_token(session, token, for_update=True)
            end_offer(session, _pending(session, application), outcome=OfferOutcome.DECLINED, actor="applicant")
    retry_on_conflict(work)


def expire_offers(engine: Engine, *, now: datetime | None = None) -> int:
    """Every offer past its time (48 hours, or cut short by the slot's application deadline) ends:
    see `end_offer`. Safe to run from several replicas at once: each offer expires once. Returns
    how many expired."""
    now = now or utcnow()
    with read_session(engine) as session:
        due = session.execute(select(Offer.id).where(Offer.outcome == OfferOutcome.PENDING,
                                                     Offer.expires_at <= now)).scalars().all()

    def expire(session: Session, offer_id: int) -> bool:
        offer = session.get(Offer, offer_id)
        lock_slot(session, offer.slot_id)
        try:
            end_offer(session, offer, outcome=OfferOutcome.EXPIRED, actor="vitrine", now=now)
        except AlreadyDecided:
            return False  # answered, or expired by another replica meanwhile
        return True
    return expire_due(engine, due, expire)


def set_auto_offers(engine: Engine, slot_id: int, enabled: bool, *, staff: str) -> None:
    """Staff switch automatic offers on or off for one slot; switching on offers its free places."""
    with write_session(engine) as session:
        session.execute(update(ShowcaseSlot).where(ShowcaseSlot.id == slot_id).values(auto_offers=enabled))
        audit.record(session, actor=staff, action=AuditAction.SLOT_UPDATED, entity="slot", entity_id=slot_id,
                     after={"auto_offers": enabled})
        if enabled:
            place_freed(session, slot_id)


# How an offer ended without the place being taken: what the journal says, and the email.
ENDINGS = {OfferOutcome.DECLINED: (AuditAction.OFFER_DECLINED, "offer_declined"),
           OfferOutcome.EXPIRED: (AuditAction.OFFER_EXPIRED, "offer_expired"),
           OfferOutcome.CANCELLED: (AuditAction.OFFER_CANCELLED, "offer_cancelled")}
PLACE_PASSED_ON = N_("La place est proposée à la startup suivante de la liste d'attente.")
PLACE_TO_STAFF = N_("Aucune autre startup en attente ne peut la prendre avant la clôture des candidatures : "
                    "elle revient à l'équipe de l'atelier.")
WAITING_FOR_OTHERS = N_("Votre candidature reste en liste d'attente pour vos autres créneaux ({slots}) : nous "
                        "vous écrirons si une place s'y libère.")
NO_SLOT_LEFT = N_("Aucun autre des créneaux que vous avez demandés n'est encore possible. Choisissez-en "
                  "d'autres depuis votre lien privé, ou retirez votre candidature ; sans nouveau créneau, "
                  "l'équipe de l'atelier la clôturera.")


def end_offer(session: Session, offer: Offer, *, outcome: OfferOutcome, actor: str,
              now: datetime | None = None) -> None:
    """An offer ends without the place being taken (declined, expired, or its showcase cancelled).

    The startup goes back on the waiting list; the place goes to the next in line, or, when
    nobody can take it before the deadline, stays free for the staff; the startup's history and
    email say which, and, when none of its slots is still possible, that it may choose others.
    Raises AlreadyDecided if the offer was answered or ended meanwhile."""
    now = now or utcnow()
    if not update_if_unchanged(session, Offer, where={"id": offer.id, "outcome": OfferOutcome.PENDING},
                               values={"outcome": outcome, "answered_at": now}):
        raise AlreadyDecided()
    application = session.get(Application, offer.application_id)
    language = application.language
    others = possible_slots(session, application.id, now=now)
    slot = session.get(ShowcaseSlot, offer.slot_id)
    passed_on = outcome != OfferOutcome.CANCELLED and next_in_line(session, slot) is not None
    action, template = ENDINGS[outcome]
    change_state(session, application, ApplicationState.WAITLISTED, actor=actor, template=None,
                 values={"slot_id": None, "told_no_slot_at": None if others else now}, action=action,
                 noted={} if outcome == OfferOutcome.CANCELLED else {"place": "passed_on" if passed_on else "to_staff"})
    if outcome != OfferOutcome.CANCELLED:
        place_freed(session, offer.slot_id)
    future = (translate(WAITING_FOR_OTHERS, language, slots="; ".join(
        slot_label(other.starts_at, other.ends_at, language) for other in others))
        if others else translate(NO_SLOT_LEFT, language))
    tell(session, application, template, params={
        "slot": slot_label(slot.starts_at, slot.ends_at, language),
        "expires": format_datetime(to_paris(offer.expires_at), language, style="EEEE d MMMM, HH:mm"),
        "place": translate(PLACE_PASSED_ON if passed_on else PLACE_TO_STAFF, language), "future": future})


def tell_stranded(engine: Engine, *, now: datetime | None = None) -> int:
    """Waitlisted startups none of whose slots is still possible (applications closed, slots
    cancelled or already offered to them) are told once, by email, that they may choose others
    or withdraw; choosing others makes them waiting again. Safe to run from several replicas at
    once: each is told once. Returns how many were told."""
    now = now or utcnow()
    with read_session(engine) as session:
        untold = session.execute(select(Application.id).where(
            Application.state == ApplicationState.WAITLISTED, Application.told_no_slot_at.is_(None))).scalars().all()
    told = 0
    for application_id in sorted(stranded(engine, list(untold), now=now)):
        with write_session(engine) as session:
            if update_if_unchanged(session, Application, where={
                    "id": application_id, "state": ApplicationState.WAITLISTED, "told_no_slot_at": None},
                    values={"told_no_slot_at": now}):
                audit.record(session, actor="vitrine", action=AuditAction.NO_SLOT_LEFT, entity="application",
                             entity_id=application_id)
                tell(session, session.get(Application, application_id), "no_slot_left")
                told += 1
    return told


def _pending(session: Session, application: Application) -> Offer:
    """The application's offer still open to an answer; AlreadyDecided if answered or expired."""
    offer = session.execute(select(Offer).where(Offer.application_id == application.id,
                                                Offer.outcome == OfferOutcome.PENDING)).scalar_one_or_none()
    if offer is None or application.state != ApplicationState.OFFERED or aware(offer.expires_at) <= utcnow():
        raise AlreadyDecided()
    return offer
