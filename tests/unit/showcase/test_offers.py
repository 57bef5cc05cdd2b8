"""A freed place goes to the waiting list by itself: offer, answer or expiry, then the next in line."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from directory import showcase
from directory.clock import aware, to_paris, utcnow
from directory.models import ApplicationState, Offer, OfferOutcome
from directory.showcase import AlreadyDecided, offers
from tests.factories import at_once, make_slot, outbox, submit


def state(engine, application_id):
    return showcase.review_queue(engine, showcase.ReviewFilters(states=())).set_index("id").loc[application_id, "state"]


def latest_link_token(engine, application_id) -> str:
    """The private link of the offer email, as the startup receives it."""
    from directory.models import Notification
    with Session(engine) as session:
        link = session.exec(select(Notification.private_link).where(
            Notification.application_id == application_id, Notification.template == "offered")
            .order_by(Notification.id.desc())).first()
    return link.split("token=")[1].split("&")[0]


@pytest.fixture
def full_slot(engine):
    """A slot of one place given to A; B, C and D wait, in that order, all ranking it."""
    slot = make_slot(engine, capacity=1)
    sent = [submit(engine, [slot], key=f"k{n}", contact_email=f"s{n}@example.org") for n in range(4)]
    showcase.approve_application(engine, sent[0].application_id, slot_id=slot, staff="staff:1")
    for waiting in sent[1:]:
        showcase.waitlist_application(engine, waiting.application_id, staff="staff:1")
    return slot, sent


def test_the_offer_chain_decline_expiry_then_acceptance(engine, full_slot):
    slot, (a, b, c, d) = full_slot
    showcase.withdraw_application(engine, a.token)  # a place frees up: B, first in line, gets it
    assert state(engine, b.application_id) == ApplicationState.OFFERED
    assert showcase.slots_with_counts(engine)["approved"].tolist() == [1]  # held for B
    queue = showcase.review_queue(engine, showcase.ReviewFilters())  # staff see the offer in progress
    assert queue.set_index("id").loc[b.application_id, "state"] == ApplicationState.OFFERED
    offers.decline_offer(engine, latest_link_token(engine, b.application_id))
    assert state(engine, b.application_id) == ApplicationState.WAITLISTED
    assert state(engine, c.application_id) == ApplicationState.OFFERED  # next in line, without staff

    later = utcnow() + showcase.OFFER_TIME + timedelta(minutes=1)
    assert offers.expire_offers(engine, now=later) == 1
    assert state(engine, c.application_id) == ApplicationState.WAITLISTED
    assert state(engine, d.application_id) == ApplicationState.OFFERED
    assert offers.expire_offers(engine, now=utcnow()) == 0  # D's offer still runs

    offers.accept_offer(engine, latest_link_token(engine, d.application_id))
    assert state(engine, d.application_id) == ApplicationState.APPROVED
    assert showcase.slots_with_counts(engine)["approved"].tolist() == [1]
    with Session(engine) as session:
        outcomes = [o.outcome for o in session.exec(select(Offer).order_by(Offer.id))]
    assert outcomes == [OfferOutcome.DECLINED, OfferOutcome.EXPIRED, OfferOutcome.ACCEPTED]
    assert outbox(engine).count("offered") == 3 and "offer_expired" in outbox(engine)


def test_an_offer_expires_no_later_than_the_slots_application_deadline(engine, full_slot):
    slot, (a, b, *_) = full_slot
    showcase.withdraw_application(engine, a.token)
    offer = offers.pending_offer(engine, b.application_id)
    close = showcase.slots_with_counts(engine)["applications_close_at"].iloc[0]
    assert aware(offer.expires_at) <= min(utcnow() + showcase.OFFER_TIME, close)


def test_an_answer_after_expiry_is_refused(engine, full_slot):
    slot, (a, b, *_) = full_slot
    showcase.withdraw_application(engine, a.token)
    token = latest_link_token(engine, b.application_id)
    offers.expire_offers(engine, now=utcnow() + showcase.OFFER_TIME + timedelta(minutes=1))
    with pytest.raises(AlreadyDecided):
        offers.accept_offer(engine, token)


def test_no_offer_when_staff_turned_them_off_and_one_when_they_turn_them_on(engine, full_slot):
    slot, (a, b, *_) = full_slot
    offers.set_auto_offers(engine, slot, False, staff="staff:1")
    showcase.withdraw_application(engine, a.token)
    assert state(engine, b.application_id) == ApplicationState.WAITLISTED
    offers.set_auto_offers(engine, slot, True, staff="staff:1")
    assert state(engine, b.application_id) == ApplicationState.OFFERED


def test_a_larger_capacity_offers_the_new_places(engine, full_slot):
    slot, (a, b, c, d) = full_slot
    row = showcase.slots_with_counts(engine).iloc[0]
    day = to_paris(row["starts_at"])
    showcase.update_slot(engine, slot, showcase.SlotTimes(day.date(), day.time(),
                                                          to_paris(row["ends_at"]).time()),
                         capacity=3, theme="", staff="staff:1")
    assert [state(engine, x.application_id) for x in (b, c, d)] == ["offered", "offered", "waitlisted"]


def test_two_replicas_expiring_the_same_offers_expire_each_once(engine, full_slot):
    slot, (a, *_rest) = full_slot
    showcase.withdraw_application(engine, a.token)
    later = utcnow() + showcase.OFFER_TIME + timedelta(minutes=1)
    results = at_once(lambda _: offers.expire_offers(engine, now=later), range(4))
    with Session(engine) as session:
        outcomes = [o.outcome for o in session.exec(select(Offer))]
    # Each offer expired once (an offer made meanwhile may be due too), one email each, and
    # never two offers holding the slot's one place.
    assert sum(results) == outcomes.count(OfferOutcome.EXPIRED) == outbox(engine).count("offer_expired") >= 1
    assert outcomes.count(OfferOutcome.PENDING) <= 1
    assert showcase.slots_with_counts(engine)["approved"].tolist() == [outcomes.count(OfferOutcome.PENDING)]
