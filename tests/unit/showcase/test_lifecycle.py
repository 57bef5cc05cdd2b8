from datetime import time, timedelta

import pytest
from sqlmodel import Session, select

from directory import partners, showcase
from directory.clock import to_paris, utcnow
from directory.models import (
    APPLICATION_TRANSITIONS,
    Application,
    ApplicationState,
    AuditEvent,
    Notification,
    ShowcaseSlot,
)
from directory.showcase import (
    AlreadyDecided,
    SlotFull,
    TooLate,
    UnknownToken,
)
from directory.validation import FormErrors
from tests.factories import form, make_slot, next_wednesday, outbox, submit


def state_of(engine, application_id) -> str:
    with Session(engine) as session:
        return session.get(Application, application_id).state


def events(engine, application_id) -> list[str]:
    with Session(engine) as session:
        return [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.entity_id == application_id))]


# --- Slots ---------------------------------------------------------------------------------------

def test_a_series_every_wednesday_skips_the_given_dates(engine):
    first = next_wednesday()
    days = showcase.series_days(first, first + timedelta(weeks=4), weekday=2,
                                skip=frozenset({first + timedelta(weeks=1)}))
    assert days == [first, first + timedelta(weeks=2), first + timedelta(weeks=3), first + timedelta(weeks=4)]
    assert showcase.create_slot_series(engine, days, time(14), time(17), capacity=3, theme="Santé") == 4
    slots = showcase.slots_with_counts(engine)
    assert len(slots) == 4 and (slots["approved"] == 0).all()
    assert to_paris(slots["starts_at"].iloc[0]).hour == 14  # Europe/Paris wall clock, summer or winter


def test_a_slot_in_the_past_or_upside_down_is_refused_and_nothing_written(engine):
    yesterday = to_paris(utcnow()).date() - timedelta(days=1)
    with pytest.raises(FormErrors) as failed:
        showcase.create_slot_series(engine, [next_wednesday(), yesterday], time(17), time(14), capacity=0)
    assert set(failed.value.errors) == {"day", "end", "capacity"}
    assert showcase.slots_with_counts(engine).empty


def close_applications(engine, slot_id) -> None:
    """The slot's deadline has just passed (the slot itself is still to come)."""
    with Session(engine) as session:
        slot = session.get(ShowcaseSlot, slot_id)
        slot.applications_close_at = utcnow() - timedelta(minutes=1)
        session.add(slot)
        session.commit()


def test_applications_close_a_week_before_unless_staff_choose_another_deadline(engine):
    default = make_slot(engine)
    custom = showcase.create_slot(engine, showcase.SlotTimes(next_wednesday(3), time(14), time(17), deadline_days=2),
                                  capacity=3)
    slots = showcase.slots_with_counts(engine).set_index("id")
    assert slots.loc[default, "starts_at"] - slots.loc[default, "applications_close_at"] == timedelta(days=7)
    assert slots.loc[custom, "starts_at"] - slots.loc[custom, "applications_close_at"] == timedelta(days=2)


def test_a_slot_past_its_deadline_is_neither_offered_nor_accepted(engine):
    closed, still_open = make_slot(engine), make_slot(engine, weeks=3)
    close_applications(engine, closed)
    assert list(showcase.open_slots(engine)["id"]) == [still_open]
    with pytest.raises(FormErrors) as failed:
        submit(engine, [closed])
    assert "plus ouvert" in failed.value.errors["slots"].text


def test_an_application_keeps_its_choice_of_a_slot_that_closed_since(engine):
    slot = make_slot(engine)
    submitted = submit(engine, [slot])
    close_applications(engine, slot)
    showcase.edit_application(engine, submitted.token, form([slot], pitch_title="Le cobot qui soude mieux"))
    assert showcase.application_by_token(engine, submitted.token).application.pitch_title == "Le cobot qui soude mieux"


def test_new_slots_that_nobody_could_apply_for_are_refused(engine):
    tomorrow = to_paris(utcnow()).date() + timedelta(days=1)
    with pytest.raises(FormErrors) as failed:
        showcase.create_slot(engine, showcase.SlotTimes(tomorrow, time(14), time(17)), capacity=3)
    assert "déjà closes" in failed.value.errors["deadline_days"].text
    assert showcase.create_slot(engine, showcase.SlotTimes(tomorrow, time(14), time(17), deadline_days=0),
                                capacity=3)
    # A series whose first days are too close still opens the later ones.
    days = showcase.series_days(tomorrow, tomorrow + timedelta(weeks=3), weekday=tomorrow.weekday())
    assert showcase.create_slot_series(engine, days, time(9), time(12), capacity=3) == 4


def test_slot_labels_are_french():
    label = showcase.slot_label(to_paris(utcnow()).replace(year=2026, month=12, day=2, hour=14, minute=0),
                                to_paris(utcnow()).replace(year=2026, month=12, day=2, hour=17, minute=0), "fr")
    assert label == "mercredi 2 décembre 2026, 14:00–17:00"


# --- Applying ---------------------------------------------------------------------------------

def test_an_application_is_stored_with_ranked_slots_a_receipt_and_a_private_link(engine):
    first, second = make_slot(engine), make_slot(engine, weeks=3)
    submitted = submit(engine, [second, None, first])
    assert submitted.token and len(submitted.token) == 43
    view = showcase.application_by_token(engine, submitted.token)
    assert [slot.id for slot in view.choices] == [second, first]
    assert view.application.state == "submitted" and view.editable and view.withdrawable
    assert [event.action for event in view.history] == ["submitted"]
    assert outbox(engine) == ["receipt"]
    with Session(engine) as session:
        receipt = session.exec(select(Notification)).one()
    assert "{private_link}" in receipt.body and submitted.token in receipt.private_link
    assert submitted.token not in receipt.body  # the link stays out of the stored text


def test_the_same_form_sent_twice_creates_one_application(engine):
    slot = make_slot(engine)
    first = submit(engine, [slot], key="same")
    again = submit(engine, [slot], key="same")
    assert again.application_id == first.application_id and again.token is None
    assert outbox(engine) == ["receipt"]


def test_one_contact_cannot_hold_two_open_applications_for_one_slot(engine):
    slot = make_slot(engine)
    submit(engine, [slot], key="a")
    with pytest.raises(FormErrors) as failed:
        submit(engine, [slot], key="b", contact_email="CAMILLE@forez.example.org")
    assert "déjà une candidature en cours" in failed.value.errors["slots"].text


def test_every_faulty_field_is_reported_and_nothing_written(engine):
    past = make_slot(engine)
    with Session(engine) as session:
        slot = session.get(ShowcaseSlot, past)
        slot.starts_at = utcnow() - timedelta(days=1)
        slot.applications_close_at = utcnow() - timedelta(days=8)
        session.add(slot)
        session.commit()
    with pytest.raises(FormErrors) as failed:
        submit(engine, [past], organisation="", stage="unicorn", team_size="beaucoup",
               contact_email="camille@", consent_data=False, website="data:text/html,x",
               logo=b"%PDF-1.4 not an image")
    assert set(failed.value.errors) == {"organisation", "stage", "team_size", "contact_email",
                                        "consent_data", "website", "logo", "slots"}
    with Session(engine) as session:
        assert session.exec(select(Application)).all() == []


@pytest.mark.parametrize("token", [None, "", "short", "x" * 43, "../../etc/passwd", "é" * 43])
def test_bad_tokens_are_unknown(engine, token):
    with pytest.raises(UnknownToken):
        showcase.application_by_token(engine, token)


def test_an_expired_token_is_unknown(engine):
    submitted = submit(engine, [make_slot(engine)])
    with Session(engine) as session:
        application = session.get(Application, submitted.application_id)
        application.updated_at = utcnow() - showcase.RETENTION - timedelta(days=1)
        session.add(application)
        session.commit()
    with pytest.raises(UnknownToken):
        showcase.application_by_token(engine, submitted.token)


# --- Transitions ------------------------------------------------------------------------------

def test_editing_is_allowed_only_while_submitted(engine):
    slot, other = make_slot(engine), make_slot(engine, weeks=3)
    submitted = submit(engine, [slot])
    showcase.edit_application(engine, submitted.token, form([other], pitch_title="Nouveau titre"))
    view = showcase.application_by_token(engine, submitted.token)
    assert view.application.pitch_title == "Nouveau titre" and [s.id for s in view.choices] == [other]
    assert events(engine, submitted.application_id) == ["submitted", "edited"]
    showcase.waitlist_application(engine, submitted.application_id, staff="staff:1")
    with pytest.raises(AlreadyDecided):
        showcase.edit_application(engine, submitted.token, form([other]))


def test_approval_publishes_the_startup_marks_it_presenting_and_notifies(engine):
    slot = make_slot(engine)
    submitted = submit(engine, [slot])
    showcase.approve_application(engine, submitted.application_id, slot_id=slot, staff="staff:1", message="Bienvenue")
    view = showcase.application_by_token(engine, submitted.token)
    assert view.application.state == "approved" and view.slot.id == slot
    published = partners.load_published(engine)
    assert published.loc[published["name"] == "Forez Robotique", "presenting"].tolist() == [True]
    assert outbox(engine) == ["receipt", "approved"]
    assert showcase.showcases(engine)[0]["startups"][0]["organisation"] == "Forez Robotique"


def test_without_consent_an_approved_startup_stays_off_the_map_and_calendar(engine):
    slot = make_slot(engine)
    submitted = submit(engine, [slot], consent_publication=False)
    showcase.approve_application(engine, submitted.application_id, slot_id=slot, staff="staff:1")
    assert partners.load_published(engine).empty
    assert showcase.showcases(engine)[0]["startups"] == []


ACTIONS = {ApplicationState.APPROVED: "approve", ApplicationState.WAITLISTED: "waitlist",
           ApplicationState.REJECTED: "reject", ApplicationState.WITHDRAWN: "withdraw"}


def reach(engine, state: ApplicationState):
    """An application in `state`, the way the app puts one there; returns (slot, id, its link)."""
    slot = make_slot(engine, capacity=1)
    if state == ApplicationState.OFFERED:  # a place freed while it waited
        holder = submit(engine, [slot], key="holder", contact_email="holder@example.org")
        showcase.approve_application(engine, holder.application_id, slot_id=slot, staff="staff:1")
    submitted = submit(engine, [slot])
    if state == ApplicationState.OFFERED:
        showcase.waitlist_application(engine, submitted.application_id, staff="staff:1")
        showcase.withdraw_application(engine, holder.token)
        return slot, submitted.application_id, latest_link(engine, submitted.application_id)
    if state != ApplicationState.SUBMITTED:
        act(engine, slot, submitted.application_id, submitted.token, ACTIONS[state])
    return slot, submitted.application_id, submitted.token


def act(engine, slot, application_id, token, action):
    return {
        "approve": lambda: showcase.approve_application(engine, application_id, slot_id=slot, staff="staff:1"),
        "waitlist": lambda: showcase.waitlist_application(engine, application_id, staff="staff:1"),
        "reject": lambda: showcase.reject_application(engine, application_id, staff="staff:1", reason="Hors sujet"),
        "withdraw": lambda: showcase.withdraw_application(engine, token),
    }[action]()


def latest_link(engine, application_id) -> str:
    with Session(engine) as session:
        link = session.exec(select(Notification.private_link).where(Notification.application_id == application_id)
                            .order_by(Notification.id.desc())).first()
    return link.split("token=")[1]


# Generated from the transitions table: every action from every state, allowed exactly when the
# table allows the state it leads to.
@pytest.mark.parametrize("start, target", [(start, target) for start in APPLICATION_TRANSITIONS
                                           for target in ACTIONS])
def test_every_action_from_every_state_follows_the_transitions_table(engine, start, target):
    slot, application_id, token = reach(engine, start)
    assert state_of(engine, application_id) == start
    history = events(engine, application_id)
    if target in APPLICATION_TRANSITIONS[start]:
        act(engine, slot, application_id, token, ACTIONS[target])
        assert state_of(engine, application_id) == target
    else:
        with pytest.raises((AlreadyDecided, TooLate)):
            act(engine, slot, application_id, token, ACTIONS[target])
        assert state_of(engine, application_id) == start and events(engine, application_id) == history


def test_a_full_slot_refuses_one_more_and_withdrawing_frees_a_place(engine):
    slot = make_slot(engine, capacity=1)
    first, second = submit(engine, [slot], key="a"), submit(engine, [slot], key="b", contact_email="b@b.example.org")
    showcase.approve_application(engine, first.application_id, slot_id=slot, staff="staff:1")
    with pytest.raises(SlotFull):
        showcase.approve_application(engine, second.application_id, slot_id=slot, staff="staff:1")
    assert state_of(engine, second.application_id) == "submitted"
    showcase.withdraw_application(engine, first.token)
    showcase.approve_application(engine, second.application_id, slot_id=slot, staff="staff:1")
    assert showcase.slots_with_counts(engine)["approved"].tolist() == [1]


def test_an_approved_application_cannot_be_withdrawn_once_the_showcase_began(engine):
    slot = make_slot(engine)
    submitted = submit(engine, [slot])
    showcase.approve_application(engine, submitted.application_id, slot_id=slot, staff="staff:1")
    with Session(engine) as session:
        row = session.get(ShowcaseSlot, slot)
        row.starts_at = utcnow() - timedelta(minutes=5)
        session.add(row)
        session.commit()
    with pytest.raises(TooLate):
        showcase.withdraw_application(engine, submitted.token)


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


def test_a_slot_at_the_hours_of_another_is_refused_naming_it(engine):
    first = make_slot(engine)
    with pytest.raises(FormErrors) as failed:
        make_slot(engine)
    message = failed.value.errors["day"]
    assert message.params["number"] == first and message.params["slot"].endswith("14:00–17:00")
    with pytest.raises(FormErrors):  # nor in a series, which then writes nothing
        showcase.create_slot_series(engine, [next_wednesday(), next_wednesday(3)], time(14), time(17), capacity=3)
    assert len(showcase.slots_with_counts(engine)) == 1
    other = make_slot(engine, weeks=3)
    with pytest.raises(FormErrors):
        showcase.update_slot(engine, other, showcase.SlotTimes(next_wednesday(), time(14), time(17)), capacity=3,
                             theme="", staff="staff:1")
    showcase.cancel_slot(engine, first, staff="staff:1")
    assert make_slot(engine)  # the hours of a cancelled showcase are free again
