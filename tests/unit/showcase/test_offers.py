"""A freed place goes to the waiting list by itself: offer, answer or expiry, then the next in line."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from directory import showcase
from directory.clock import aware, to_paris, utcnow
from directory.models import ApplicationState, LinkKind, Notification, Offer, OfferOutcome
from directory.showcase import AlreadyDecided, offers
from directory.validation import FormErrors
from tests.factories import at_once, close_applications, emailed_token, make_slot, outbox, submit


def state(engine, application_id):
    return showcase.review_queue(engine, showcase.ReviewFilters(states=())).set_index("id").loc[application_id, "state"]


def latest_link_token(engine, application_id) -> str:
    """The private link of the offer email, as the startup receives it."""
    from directory.models import Notification
    return emailed_token(engine, Notification.application_id == application_id, Notification.template == "offered")


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
    assert showcase.slots_with_counts(engine)["places_taken"].tolist() == [1]  # held for B
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
    assert showcase.slots_with_counts(engine)["places_taken"].tolist() == [1]
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
    assert showcase.slots_with_counts(engine)["places_taken"].tolist() == [outcomes.count(OfferOutcome.PENDING)]


def latest(engine, application_id):
    from directory.models import Notification
    with Session(engine) as session:
        return session.exec(select(Notification).where(Notification.application_id == application_id)
                            .order_by(Notification.id.desc())).first()


def test_an_offer_cut_by_the_deadline_leaves_the_place_to_the_staff_and_says_so(engine, full_slot):
    """Issue 22: the email said the place went to the next startup, which was offered nothing."""
    slot, (a, b, c, d) = full_slot
    showcase.withdraw_application(engine, a.token)
    close_applications(engine, slot)  # the deadline passes while B's offer runs
    with Session(engine) as session:
        offer = session.exec(select(Offer).where(Offer.application_id == b.application_id)).one()
    assert offers.expire_offers(engine, now=aware(offer.expires_at) + timedelta(seconds=1)) == 1
    assert [state(engine, x.application_id) for x in (b, c, d)] == ["waitlisted"] * 3  # nobody offered
    assert showcase.slots_with_counts(engine)["places_left"].tolist() == [1]  # free, for the staff to give
    told = latest(engine, b.application_id)
    assert told.template == "offer_expired" and "revient à l'équipe" in told.body
    assert "proposée à la startup suivante" not in told.body
    # B ranked no other slot: it is told so, with a link to choose others.
    assert "Aucun autre des créneaux" in told.body and told.link_kind == LinkKind.APPLICATION
    assert b.application_id in showcase.review.stranded(engine, [b.application_id, c.application_id])
    assert history(engine, b.token)[-1] == ("Place proposée plus réservée, faute de réponse à temps : "
                                            "elle revient à l'équipe de l'atelier")
    # C and D's only slot closed too: each is told once; B, told with its expiry, is not told again.
    assert offers.tell_stranded(engine) == 2 and offers.tell_stranded(engine) == 0
    assert [latest(engine, x.application_id).template for x in (b, c, d)] == [
        "offer_expired", "no_slot_left", "no_slot_left"]


def test_a_waitlisted_startup_whose_last_slot_closes_is_told_once_in_its_language_and_again_after_new_choices(
        engine):
    """Issue 30: its follow page said none of its slots was possible; no email did."""
    slot, later = make_slot(engine, capacity=1), make_slot(engine, weeks=4, capacity=1)
    a = submit(engine, [slot], key="a", contact_email="a@example.org")
    b = submit(engine, [slot], key="b", contact_email="b@example.org", language="en")
    c = submit(engine, [later], key="c", contact_email="c@example.org")
    showcase.approve_application(engine, a.application_id, slot_id=slot, staff="staff:1")
    showcase.approve_application(engine, c.application_id, slot_id=later, staff="staff:1")
    showcase.waitlist_application(engine, b.application_id, staff="staff:1")
    assert offers.tell_stranded(engine) == 0  # its slot still takes applications
    close_applications(engine, slot)
    assert at_once(lambda _n: offers.tell_stranded(engine), range(8)).count(1) == 1  # told once, whoever runs it
    told = latest(engine, b.application_id)
    assert told.template == "no_slot_left" and told.language == "en" and told.link_kind == LinkKind.APPLICATION
    assert "choose other slots" in told.body and "withdraw your application" in told.body
    assert "{private_link}" in told.body
    assert emailed_token(engine, Notification.id == told.id) == b.token  # the link it already has
    assert history(engine, b.token, "en")[-1] == "None of the slots asked for is still possible: you may choose others"
    showcase.change_waiting_slots(engine, b.token, [later])
    assert offers.tell_stranded(engine) == 0
    close_applications(engine, later)
    assert offers.tell_stranded(engine) == 1


def test_a_declined_place_passed_on_is_said_and_other_slots_are_named(engine):
    slot, other = make_slot(engine, capacity=1), make_slot(engine, weeks=3)
    a = submit(engine, [slot], key="a", contact_email="a@example.org")
    b = submit(engine, [slot, other], key="b", contact_email="b@example.org")
    c = submit(engine, [slot], key="c", contact_email="c@example.org")
    showcase.approve_application(engine, a.application_id, slot_id=slot, staff="staff:1")
    for waiting in (b, c):
        showcase.waitlist_application(engine, waiting.application_id, staff="staff:1")
    showcase.withdraw_application(engine, a.token)
    offers.decline_offer(engine, b.token)  # the receipt's link still works after the offer
    told = latest(engine, b.application_id)
    assert "proposée à la startup suivante" in told.body and "vos autres créneaux" in told.body
    assert told.link_kind == LinkKind.APPLICATION and "{private_link}" in told.body  # every email carries it
    assert state(engine, c.application_id) == ApplicationState.OFFERED
    assert history(engine, b.token)[-1] == "Place proposée laissée : elle est proposée à la startup suivante"


def history(engine, token, language="fr") -> list[str]:
    """The applicant's history, as its follow page writes it."""
    return [showcase.history_line(event, language) for event in showcase.application_by_token(engine, token).history]


def test_a_declined_place_nobody_can_take_goes_back_to_the_staff_and_the_history_says_so(engine):
    """Issue 30: the history said "laissée à la suivante" while the place went back to the staff."""
    slot = make_slot(engine, capacity=1)
    a = submit(engine, [slot], key="a", contact_email="a@example.org")
    b = submit(engine, [slot], key="b", contact_email="b@example.org", language="en")
    showcase.approve_application(engine, a.application_id, slot_id=slot, staff="staff:1")
    showcase.waitlist_application(engine, b.application_id, staff="staff:1")
    showcase.withdraw_application(engine, a.token)  # B is offered the place, and nobody else waits
    offers.decline_offer(engine, b.token)
    assert showcase.slots_with_counts(engine)["places_left"].tolist() == [1]  # free, for the staff to give
    assert history(engine, b.token)[-1] == "Place proposée laissée : elle revient à l'équipe de l'atelier"
    assert history(engine, b.token, "en")[-1] == "Offered place given up: it goes back to the atelier's team"
    told = latest(engine, b.application_id)
    assert "goes back to the atelier's team" in told.body and "next startup" not in told.body


def test_an_expired_offer_passed_on_says_so_in_the_history(engine, full_slot):
    slot, (a, b, c, d) = full_slot
    showcase.withdraw_application(engine, a.token)
    with Session(engine) as session:
        offer = session.exec(select(Offer).where(Offer.application_id == b.application_id)).one()
    offers.expire_offers(engine, now=aware(offer.expires_at) + timedelta(seconds=1))
    assert history(engine, b.token)[-1] == ("Place proposée plus réservée, faute de réponse à temps : "
                                            "elle est proposée à la startup suivante")


def test_cancelling_a_slot_ends_its_offers(engine, full_slot):
    slot, (a, b, c, d) = full_slot
    showcase.withdraw_application(engine, a.token)
    assert showcase.cancel_slot(engine, slot, staff="staff:1") == 1
    assert state(engine, b.application_id) == ApplicationState.WAITLISTED
    with Session(engine) as session:
        assert session.exec(select(Offer.outcome).where(Offer.application_id == b.application_id)).one() == \
            OfferOutcome.CANCELLED
    assert latest(engine, b.application_id).template == "offer_cancelled"
    assert state(engine, c.application_id) == ApplicationState.WAITLISTED  # nothing offered in a cancelled slot


def test_a_waitlisted_startup_chooses_other_slots_and_is_offered_a_free_one(engine, full_slot):
    slot, (a, b, c, d) = full_slot
    other = make_slot(engine, weeks=3, capacity=1)
    showcase.change_waiting_slots(engine, b.token, [other, None, None])
    assert state(engine, b.application_id) == ApplicationState.OFFERED  # the new slot had a free place
    with pytest.raises(showcase.ShowcaseError):
        showcase.change_waiting_slots(engine, b.token, [other, None, None])  # no longer waiting
    showcase.withdraw_application(engine, a.token)  # C is offered the first slot; C declines
    offers.decline_offer(engine, c.token)
    with pytest.raises(FormErrors) as refused:  # a slot it was offered once is not offered again
        showcase.change_waiting_slots(engine, c.token, [slot, None, None])
    assert "déjà été proposée" in refused.value.errors["slot_1"].text
