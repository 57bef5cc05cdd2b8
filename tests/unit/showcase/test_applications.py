"""Applying, following with the private link, editing, withdrawing."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from directory import showcase
from directory.clock import utcnow
from directory.models import (
    Application,
    Notification,
    ShowcaseSlot,
)
from directory.showcase import (
    AlreadyDecided,
    TooLate,
    UnknownToken,
)
from directory.validation import FormErrors
from tests.factories import close_applications, emailed_link, events, form, make_slot, outbox, submit


def test_an_application_keeps_its_choice_of_a_slot_that_closed_since(engine):
    slot = make_slot(engine)
    submitted = submit(engine, [slot])
    close_applications(engine, slot)
    showcase.edit_application(engine, submitted.token, form([slot], pitch_title="Le cobot qui soude mieux"))
    assert showcase.application_by_token(engine, submitted.token).application.pitch_title == "Le cobot qui soude mieux"


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
    assert "{private_link}" in receipt.body and submitted.token not in str(receipt.model_dump())
    assert submitted.token in emailed_link(engine, Notification.id == receipt.id)  # the link, built at sending


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
    assert "déjà une candidature en cours" in failed.value.errors["slot_1"].text


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
                                        "consent_data", "website", "logo", "slot_1"}
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


def test_every_event_of_an_application_has_words_for_the_applicant():
    """Issue 22: the follow page showed `attendance_confirmed` raw."""
    from directory.audit import AuditAction
    from directory.showcase.following import HISTORY_LABELS
    other_entities = {a for a in AuditAction if a.value.startswith(
        ("slot_", "report_", "source_", "relation_", "session_", "registration_", "registered", "room_"))}
    application_events = set(AuditAction) - other_entities - {
        AuditAction.ERASED, AuditAction.CREATED, AuditAction.PUBLISHED, AuditAction.MERGED, AuditAction.ARCHIVED,
        AuditAction.RESTORED, AuditAction.IMPORTED, AuditAction.DEACTIVATED, AuditAction.REACTIVATED,
        AuditAction.PASSWORD_RESET, AuditAction.SIGNED_IN, AuditAction.SIGN_IN_FAILED, AuditAction.LOCKED_OUT,
        AuditAction.SIGNED_OUT, AuditAction.SESSION_EXPIRED, AuditAction.VERSION_RESTORED, AuditAction.CHANGE_ACCEPTED,
        AuditAction.CHANGE_REFUSED, AuditAction.CLAIM_ACCEPTED, AuditAction.CLAIM_REFUSED, AuditAction.NOT_DUPLICATE,
        AuditAction.CONFIRMED, AuditAction.CONTACT_REFUSED, AuditAction.REGISTER_CLOSED}
    assert application_events <= set(HISTORY_LABELS)


def test_each_faulty_choice_is_the_error_of_its_own_rank(engine):
    first, second = make_slot(engine), make_slot(engine, weeks=3)
    with pytest.raises(FormErrors) as failed:  # the later of two equal choices is the faulty one
        submit(engine, [first, None, first])
    assert set(failed.value.errors) == {"slot_3"} and failed.value.errors["slot_3"].params == {"rank": 1}
    submit(engine, [first], key="a")
    with pytest.raises(FormErrors) as failed:  # the rank that repeats an open application
        submit(engine, [second, first], key="b")
    assert set(failed.value.errors) == {"slot_2"}
    with pytest.raises(FormErrors) as failed:
        submit(engine, [None, None, None], key="c")
    assert set(failed.value.errors) == {"slot_1"}


def test_an_approved_startup_s_listing_is_made_as_every_listing_is(engine):
    """Issue 33: the showcase made the startup's listing itself: no version, no history, no audit."""
    from directory import listings
    from directory.models import Application, AuditEvent

    slot = make_slot(engine)
    sent = submit(engine, [slot], organisation="Forez Robotique")
    showcase.approve_application(engine, sent.application_id, slot_id=slot, staff="staff:7 camille@atelier.fr")
    with Session(engine) as session:
        partner_id = session.get(Application, sent.application_id).partner_id
        created = session.exec(select(AuditEvent).where(AuditEvent.entity == "partner",
                                                         AuditEvent.entity_id == partner_id)).all()
    [first] = listings.history(engine, partner_id)
    assert (first.number, first.author, first.origin) == (1, "staff:7 camille@atelier.fr",
                                                          f"application:{sent.application_id}")
    assert [event.action for event in created] == ["created"]
    assert listings.get_partner(engine, partner_id).slug == "forez-robotique"
