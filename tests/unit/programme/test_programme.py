"""The atelier's programme as its users meet it: a partner proposes, staff decide, the public
registers, waits, is offered a freed place; on both engines."""

from datetime import UTC, timedelta

import pytest
from sqlmodel import Session, select

from directory import programme
from directory.clock import utcnow
from directory.i18n import translate
from directory.listings import UnknownListingLink
from directory.models import Notification, ProgrammeSession, Registration, RegistrationState, SessionState
from directory.programme import ProgrammeError, SessionChanged
from directory.validation import FormErrors
from tests.factories import (
    PARTNER_CONTACT,
    at_once,
    emailed_link,
    emailed_token,
    make_room,
    outbox,
    programme_partner,
    register_as,
    session_form,
    session_on_programme,
    session_start,
)


def registration_token(engine, registration_id, template):
    return emailed_token(engine, Notification.template == template,
                         Notification.link_seed == str(registration_id))


def said(refused) -> str:
    """A refusal as the person reads it (in French)."""
    return translate(refused.value.message.text, "fr", **refused.value.message.params)


def states(engine, session_id) -> dict[str, str]:
    with Session(engine) as session:
        return {row.name.split()[0]: row.state for row in session.exec(
            select(Registration).where(Registration.session_id == session_id).order_by(Registration.id))}


# --- A partner proposes, staff decide --------------------------------------------------------------

def test_a_partner_proposes_from_its_listing_link_and_follows_through_its_own(engine):
    listing_token = programme_partner(engine)
    room = make_room(engine)
    proposed = programme.propose_session(engine, listing_token, session_form(
        choices=[(session_start(), room), (session_start(weeks=3), None)]), submission_key="s1")
    assert programme.propose_session(engine, listing_token, session_form(), submission_key="s1").token is None

    link = emailed_link(engine, Notification.template == "session_received")
    assert "/ma-seance?token=" in link and proposed.token in link
    view = programme.session_view(engine, proposed.token)
    assert view.session.state == SessionState.PROPOSED and view.partner_name == "CCI Lyon Métropole"
    assert [view.room_names.get(room, "") for _when, room in view.choices] == ["Salle Jean-Moulin", ""]
    assert view.editable and view.cancellable
    with Session(engine) as session:  # only the digest of the link is kept
        assert session.exec(select(ProgrammeSession.token_hash)).one() != proposed.token
    with pytest.raises(programme.UnknownSessionLink):
        programme.session_view(engine, "x" * 43)


def test_a_proposal_with_faults_names_each_and_writes_nothing(engine):
    listing_token = programme_partner(engine)
    closed_sunday = session_start() + timedelta(days=4)
    too_soon = utcnow() + timedelta(days=2)
    with pytest.raises(FormErrors) as refused:
        programme.propose_session(engine, listing_token, session_form(
            title="", audiences=[], places=0, duration_minutes="deux heures",
            choices=[(closed_sunday, None), (too_soon, None), (closed_sunday, None)]), submission_key="s1")
    assert set(refused.value.errors) == {"title", "audiences", "places", "duration_minutes", "choice_1", "choice_2",
                                         "choice_3"}
    with pytest.raises(FormErrors) as refused:
        programme.propose_session(engine, listing_token, session_form(
            choices=[(session_start(), None), (session_start(), None)]), submission_key="s1")
    assert set(refused.value.errors) == {"choice_2"}  # the same date twice
    with pytest.raises(FormErrors) as refused:  # ends after the atelier closes (18:00)
        programme.propose_session(engine, listing_token, session_form(choices=[(session_start(hour=17), None)]),
                                  submission_key="s1")
    assert set(refused.value.errors) == {"choice_1"}
    with Session(engine) as session:
        assert session.exec(select(ProgrammeSession)).all() == []
    with pytest.raises(UnknownListingLink):
        programme.propose_session(engine, "y" * 43, session_form(), submission_key="s2")


def test_staff_place_a_session_only_in_a_free_room_big_enough_while_the_atelier_is_open(engine):
    listing_token = programme_partner(engine)
    small = make_room(engine, name="Petite salle", capacity=6)
    big = make_room(engine, name="Grande salle", capacity=30)
    first = programme.propose_session(engine, listing_token, session_form(places=12), submission_key="a")
    second = programme.propose_session(engine, listing_token, session_form(title="IA au quotidien", places=12),
                                       submission_key="b")
    start = session_start()
    with pytest.raises(ProgrammeError) as refused:
        programme.approve_session(engine, first.session_id, starts_at=start, room_id=small, staff="staff:1 a")
    assert "« Petite salle » accueille 6 personnes, la séance en prévoit 12" in said(refused)
    with pytest.raises(ProgrammeError) as refused:
        programme.approve_session(engine, first.session_id, starts_at=start.replace(hour=20), room_id=big,
                                  staff="staff:1 a")
    assert "L'atelier est fermé à ce moment-là" in said(refused)
    programme.approve_session(engine, first.session_id, starts_at=start, room_id=big, staff="staff:1 a")
    with pytest.raises(ProgrammeError) as refused:  # 14:00–15:30 is taken from 15:00
        programme.approve_session(engine, second.session_id, starts_at=start + timedelta(hours=1), room_id=big,
                                  staff="staff:1 a")
    assert "déjà prise à ce moment-là par « Créer sa fiche Google Business » (mer." in said(refused)
    programme.approve_session(engine, second.session_id, starts_at=start + timedelta(minutes=90), room_id=big,
                              staff="staff:1 a")  # right after the first: allowed
    with pytest.raises(SessionChanged):
        programme.approve_session(engine, first.session_id, starts_at=start, room_id=big, staff="staff:1 b")
    assert outbox(engine).count("session_approved") == 2


def test_two_approvals_into_one_room_at_once_book_it_once(engine):
    listing_token = programme_partner(engine)
    room = make_room(engine)
    ids = [programme.propose_session(engine, listing_token, session_form(title=f"Séance {n}"),
                                     submission_key=f"k{n}").session_id for n in range(6)]

    def approve(session_id):
        try:
            programme.approve_session(engine, session_id, starts_at=session_start(), room_id=room, staff="s")
            return "approved"
        except ProgrammeError:
            return "refused"
    assert sorted(at_once(approve, ids)) == ["approved"] + ["refused"] * 5


def test_changes_asked_then_made_bring_the_proposal_back_and_a_refusal_says_why(engine):
    listing_token = programme_partner(engine)
    proposed = programme.propose_session(engine, listing_token, session_form(), submission_key="s1")
    programme.request_changes(engine, proposed.session_id, message="Précisez le niveau.", staff="staff:1 a")
    assert programme.session_view(engine, proposed.token).session.state == SessionState.CHANGES_REQUESTED
    programme.edit_session(engine, proposed.token, session_form(level="intermediate"))
    view = programme.session_view(engine, proposed.token)
    assert view.session.state == SessionState.PROPOSED and view.session.level == "intermediate"
    assert [entry.session.id for entry in programme.sessions_to_review(engine)] == [proposed.session_id]
    programme.refuse_session(engine, proposed.session_id, reason="Hors du thème de l'atelier.", staff="staff:1 a")
    with pytest.raises(SessionChanged):
        programme.edit_session(engine, proposed.token, session_form())
    with Session(engine) as session:
        refused = session.exec(select(Notification).where(Notification.template == "session_refused")).one()
    assert "Hors du thème" in refused.body


# --- The public registers -------------------------------------------------------------------------

def test_registrations_fill_the_places_then_wait_and_a_freed_place_goes_to_the_next(engine):
    session_id, partner_token = session_on_programme(engine, places=2)
    ana, ben, cal, dan = (register_as(engine, session_id, name) for name in ("Ana", "Ben", "Cal", "Dan"))
    assert [r.state for r in (ana, ben, cal, dan)] == ["registered", "registered", "waiting", "waiting"]
    with Session(engine) as session:
        confirmation = session.exec(select(Notification).where(
            Notification.template == "registration_confirmed")).first()
    assert "BEGIN:VEVENT" in confirmation.calendar and "/inscription?token=" in emailed_link(
        engine, Notification.id == confirmation.id)
    assert programme.registration_view(engine, dan.token).waiting_rank == 2

    programme.cancel_registration(engine, ana.token)  # Cal, first in line, is offered the place
    assert states(engine, session_id) == {"Ana": "cancelled", "Ben": "registered", "Cal": "offered",
                                          "Dan": "waiting"}
    cal_offer = registration_token(engine, cal.registration_id, "registration_offered")
    assert programme.registration_view(engine, cal_offer).answering
    programme.decline_place(engine, cal_offer)  # Dan's turn
    assert states(engine, session_id)["Dan"] == "offered"
    programme.accept_place(engine, registration_token(engine, dan.registration_id, "registration_offered"))
    assert states(engine, session_id) == {"Ana": "cancelled", "Ben": "registered", "Cal": "cancelled",
                                          "Dan": "registered"}
    [entry] = programme.coming_programme(engine)
    assert entry["places_left"] == 0 and entry["registered"] == 2
    view = programme.session_view(engine, partner_token)  # the partner sees first names only
    assert [name for _id, name, _came in view.attendees] == ["Ben", "Dan"]


def test_a_place_left_unanswered_passes_to_the_next_and_none_is_held_on_the_last_hour(engine):
    session_id, _ = session_on_programme(engine, places=1)
    ana, ben, cal = (register_as(engine, session_id, name) for name in ("Ana", "Ben", "Cal"))
    programme.cancel_registration(engine, ana.token)
    assert programme.expire_place_offers(engine, now=utcnow()) == 0
    assert programme.expire_place_offers(engine, now=utcnow() + timedelta(hours=25)) == 1
    assert states(engine, session_id) == {"Ana": "cancelled", "Ben": "cancelled", "Cal": "offered"}
    assert "registration_offer_lapsed" in outbox(engine)


def test_a_full_session_keeps_its_capacity_under_forty_registrations_at_once(engine):
    session_id, _ = session_on_programme(engine, places=20)
    results = at_once(lambda n: register_as(engine, session_id, f"P{n}", email=f"p{n}@exemple.fr"), range(40))
    assert sorted(r.state for r in results).count("registered") == 20
    with Session(engine) as session:
        rows = session.exec(select(Registration.state)).all()
    assert rows.count(RegistrationState.REGISTERED) == 20 and rows.count(RegistrationState.WAITING) == 20


def test_one_address_registers_once_even_when_sent_twice_at_once(engine):
    session_id, _ = session_on_programme(engine, places=5)

    def attempt(n):
        try:
            return register_as(engine, session_id, "Ana", key=f"form-{n}", email="ana@exemple.fr").state
        except programme.AlreadyRegistered:
            return "refused"
    assert sorted(at_once(attempt, range(10))) == ["refused"] * 9 + ["registered"]


def test_a_cancelled_session_tells_everyone_and_takes_no_more_registrations(engine):
    session_id, partner_token = session_on_programme(engine, places=1)
    register_as(engine, session_id, "Ana")
    register_as(engine, session_id, "Ben")
    programme.cancel_own_session(engine, partner_token, reason="Intervenant malade")
    assert outbox(engine).count("registrant_session_cancelled") == 2
    with pytest.raises(programme.RegistrationClosed):
        register_as(engine, session_id, "Cal")
    entry = programme.session_page_entry(engine, "creer-sa-fiche-google-business")
    assert entry["cancelled"] and programme.event_json_ld(entry, "fr", base_url="https://v.example/")[
        "eventStatus"] == "https://schema.org/EventCancelled"


def test_the_partner_writes_to_those_registered_without_seeing_their_addresses(engine):
    session_id, partner_token = session_on_programme(engine, places=3)
    register_as(engine, session_id, "Ana")
    assert programme.write_to_registrants(engine, partner_token, "Apportez un ordinateur portable.") == 1
    with Session(engine) as session:
        sent = session.exec(select(Notification).where(Notification.template == "registrant_message")).one()
    assert sent.recipient == "ana@exemple.fr" and "Apportez un ordinateur" in sent.body
    for _ in range(2):
        programme.write_to_registrants(engine, partner_token, "Encore un mot.")
    with pytest.raises(ProgrammeError):
        programme.write_to_registrants(engine, partner_token, "Un de trop.")
    with pytest.raises(ProgrammeError):  # attendance is noted after the session
        programme.record_attendance(engine, partner_token, {1: True})


# --- What the public sees -----------------------------------------------------------------------

def test_the_programme_filters_by_kind_and_audience_and_feeds_calendars(engine):
    session_id, _ = session_on_programme(engine, places=4)
    assert [e["id"] for e in programme.coming_programme(engine, kinds=["workshop"])] == [session_id]
    assert programme.coming_programme(engine, kinds=["conference"]) == []
    assert [e["id"] for e in programme.coming_programme(engine, audiences=["shopkeepers"])] == [session_id]
    assert programme.coming_programme(engine, audiences=["seniors"]) == []
    entries = programme.coming_programme(engine)
    feed = programme.programme_ics(entries, "en", base_url="https://v.example/",
                                   name=programme.feed_name("en", kind="workshop")).decode()
    assert "UID:session-" in feed and "Hands-on workshop" in feed and "Shopkeepers and craftspeople" in feed
    event = programme.event_json_ld(entries[0], "fr", base_url="https://v.example/")
    assert event["@type"] == "Event" and event["remainingAttendeeCapacity"] == 4
    assert event["offers"]["price"] == 0 and event["location"]["name"].startswith("Atelier Numérique")


# --- Reminders, retention, open data ------------------------------------------------------------

def test_each_registrant_and_the_partner_are_reminded_once_the_day_before(engine):
    session_id, _ = session_on_programme(engine, places=1)
    register_as(engine, session_id, "Ana")
    register_as(engine, session_id, "Ben")  # waits
    day_before = (session_start() - timedelta(hours=20)).astimezone(UTC)
    assert programme.send_reminders(engine, now=day_before - timedelta(days=2)) == 0  # not yet
    assert programme.send_reminders(engine, now=day_before) == 2
    assert programme.send_reminders(engine, now=day_before) == 0  # once
    assert outbox(engine).count("registration_reminder") == 1
    with Session(engine) as session:
        told = session.exec(select(Notification).where(Notification.template == "session_reminder")).one()
    assert told.recipient == PARTNER_CONTACT
    assert "Personnes inscrites : 1 ; sur la liste d'attente : 1" in told.body
    assert "salle « Salle Jean-Moulin »" in told.body and "{private_link}" in told.body


def test_registrants_are_in_the_personal_data_export_and_erased_a_year_after_the_session(engine):
    from directory import privacy
    session_id, _ = session_on_programme(engine, places=3)
    register_as(engine, session_id, "Ana")
    register_as(engine, session_id, "Ben")
    export = privacy.applicant_data(engine, "ana@exemple.fr").decode()
    assert '"name": "Ana Martin"' in export and "Créer sa fiche Google Business" in export
    assert privacy.purge_expired(engine, now=session_start() + timedelta(days=300)) == 0
    assert privacy.purge_expired(engine, now=session_start() + timedelta(days=367)) == 2
    with Session(engine) as session:
        assert session.exec(select(Registration)).all() == []
    privacy.erase_applicant(engine, "nobody@exemple.fr", staff="staff:1 a")  # nothing else to erase


def test_the_programme_open_data_validates_against_its_own_table_schema(engine, tmp_path):
    from frictionless import Resource, Schema, validate

    from directory.programme import opendata
    session_id, _ = session_on_programme(engine, places=3)
    register_as(engine, session_id, "Ana")
    rows = opendata.programme_rows(programme.programme(engine), base_url="https://v.example/")
    (tmp_path / "programme.csv").write_bytes(opendata.programme_csv(rows))
    schema = Schema.from_descriptor(opendata.programme_table_schema("https://v.example/"))
    report = validate(Resource(path="programme.csv", basepath=str(tmp_path), schema=schema))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert rows[0]["places_left"] == 2 and rows[0]["audiences"] == "shopkeepers"
