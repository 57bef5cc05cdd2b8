"""Staff decisions: approval (map card, capacity), rejection, moving."""


import pytest

from directory import listings, showcase
from directory.showcase import (
    AlreadyDecided,
    SlotFull,
)
from directory.validation import FormErrors
from tests.factories import make_slot, outbox, state_of, submit


def test_approval_publishes_the_startup_marks_it_presenting_and_notifies(engine):
    slot = make_slot(engine)
    submitted = submit(engine, [slot])
    showcase.approve_application(engine, submitted.application_id, slot_id=slot, staff="staff:1", message="Bienvenue")
    view = showcase.application_by_token(engine, submitted.token)
    assert view.application.state == "approved" and view.slot.id == slot
    published = listings.load_published(engine)
    assert published.loc[published["name"] == "Forez Robotique", "presenting"].tolist() == [True]
    assert outbox(engine) == ["receipt", "approved"]
    assert showcase.showcases(engine)[0]["startups"][0]["organisation"] == "Forez Robotique"


def test_without_consent_an_approved_startup_stays_off_the_map_and_calendar(engine):
    slot = make_slot(engine)
    submitted = submit(engine, [slot], consent_publication=False)
    showcase.approve_application(engine, submitted.application_id, slot_id=slot, staff="staff:1")
    assert listings.load_published(engine).empty
    assert showcase.showcases(engine)[0]["startups"] == []


def test_a_full_slot_refuses_one_more_and_withdrawing_frees_a_place(engine):
    slot = make_slot(engine, capacity=1)
    first, second = submit(engine, [slot], key="a"), submit(engine, [slot], key="b", contact_email="b@b.example.org")
    showcase.approve_application(engine, first.application_id, slot_id=slot, staff="staff:1")
    with pytest.raises(SlotFull):
        showcase.approve_application(engine, second.application_id, slot_id=slot, staff="staff:1")
    assert state_of(engine, second.application_id) == "submitted"
    showcase.withdraw_application(engine, first.token)
    showcase.approve_application(engine, second.application_id, slot_id=slot, staff="staff:1")
    assert showcase.slots_with_counts(engine)["places_taken"].tolist() == [1]


def test_a_rejection_needs_a_reason(engine):
    submitted = submit(engine, [make_slot(engine)])
    with pytest.raises(FormErrors):
        showcase.reject_application(engine, submitted.application_id, staff="staff:1", reason="  ")
    assert state_of(engine, submitted.application_id) == "submitted"


def test_an_approved_startup_moves_to_another_slot_with_room_and_is_told(engine):
    cancelled, other = make_slot(engine), make_slot(engine, weeks=3, capacity=1)
    submitted = submit(engine, [cancelled])
    showcase.approve_application(engine, submitted.application_id, slot_id=cancelled, staff="staff:1")
    assert showcase.cancel_slot(engine, cancelled, staff="staff:1") == 1
    showcase.move_application(engine, submitted.application_id, slot_id=other, staff="staff:1")
    assert showcase.application_by_token(engine, submitted.token).slot.id == other
    assert outbox(engine) == ["receipt", "approved", "slot_cancelled", "slot_changed"]
    second = submit(engine, [other], key="k2", contact_email="b@b.example.org")
    with pytest.raises(SlotFull):
        showcase.approve_application(engine, second.application_id, slot_id=other, staff="staff:1")
    with pytest.raises(AlreadyDecided):  # only approved applications move
        showcase.move_application(engine, second.application_id, slot_id=make_slot(engine, weeks=4), staff="staff:1")
