"""Listings their organisations keep true (issue 18): versions, update links, changes reviewed as a
diff, claims, freshness questions, company numbers and duplicates, on both engines."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from sqlalchemy import select, update
from sqlmodel import Session

from directory import listings, privacy
from directory.audit import AuditAction
from directory.clock import utcnow
from directory.listings import ListingConflict, PartnerForm
from directory.listings.changes import (
    AlreadyDecided,
    NothingChanged,
    TooManyLinkRequests,
    UnknownListingLink,
    decide_change,
    listing_for_link,
    request_update_link,
    review_change,
    submit_change,
    word_changes,
)
from directory.listings.claims import claim_listing, decide_claim, pending_claims
from directory.listings.duplicates import duplicates_of, mark_not_duplicate, possible_duplicates
from directory.listings.freshness import (
    AlreadyConfirmed,
    CheckState,
    ask_confirmations,
    confirm_listing,
    to_check,
    verification_ages,
)
from directory.models import AuditEvent, ListingLink, ListingVersion, Notification, Partner
from directory.validation import FormCheck, FormErrors
from tests.factories import at_once, emailed_link

CONTACT = "contact@forez-robotique.fr"


def form(**values) -> PartnerForm:
    defaults = dict(name="Forez Robotique", kind="startup", short_description="Des cobots pour les PME.",
                    website="https://forez-robotique.fr", contact_email=CONTACT, latitude="45.4347",
                    longitude="4.3903", city="Saint-Étienne")
    return PartnerForm(**{**defaults, **values})


def create(engine, **values) -> int:
    return listings.create_partner(engine, form(**values), staff="staff:1 alice@atelier.fr")


def messages(engine, template: str) -> list[Notification]:
    with Session(engine) as session:
        return list(session.execute(select(Notification).where(Notification.template == template)
                                    .order_by(Notification.id)).scalars())


def token_of(engine, notification: Notification) -> str:
    return parse_qs(urlsplit(emailed_link(engine, Notification.id == notification.id)).query)["token"][0]


def partner(engine, partner_id: int) -> Partner:
    return listings.get_partner(engine, partner_id)


# --- Versions -----------------------------------------------------------------------------------

def test_every_write_is_a_version_with_its_author_and_fields_and_an_old_one_can_be_restored(engine):
    partner_id = create(engine)
    listings.update_partner(engine, partner_id, form(short_description="Des cobots pour l'industrie."),
                            staff="staff:2 bob@atelier.fr", expected=1)
    versions = listings.history(engine, partner_id)
    assert [(v.number, v.author, v.fields) for v in versions] == [
        (2, "staff:2 bob@atelier.fr", ["short_description"]), (1, "staff:1 alice@atelier.fr", [])]
    assert versions[0].changes == [listings.FieldChange(  # what changed, with its values (issue 31)
        "short_description", "Des cobots pour les PME.", "Des cobots pour l'industrie.")]
    listings.restore_version(engine, partner_id, 1, staff="staff:1 alice@atelier.fr", expected=2)
    assert partner(engine, partner_id).short_description == "Des cobots pour les PME."
    newest = listings.history(engine, partner_id)[0]
    assert (newest.number, newest.origin, newest.fields) == (3, "restore:1", ["short_description"])
    assert listings.last_changed(engine, partner_id) == newest.at


def test_an_edit_made_on_an_older_version_is_refused_and_changes_nothing(engine):
    partner_id = create(engine)
    listings.update_partner(engine, partner_id, form(city="Firminy"), staff="staff:2 b", expected=1)
    with pytest.raises(ListingConflict):
        listings.update_partner(engine, partner_id, form(city="Roanne"), staff="staff:3 c", expected=1)
    assert partner(engine, partner_id).city == "Firminy"
    assert len(listings.history(engine, partner_id)) == 2


def test_imported_and_proposed_listings_start_their_history(engine):
    listings.insert_partners(engine, [{"name": "Importée", "kind": "school", "state": "published"}], staff="staff:1 a")
    proposal = listings.propose_partner(engine, form(name="Proposée", siret=""), proposer_name="C",
                                        proposer_email="c@exemple.fr")
    with Session(engine) as session:
        authors = session.execute(select(ListingVersion.author, ListingVersion.origin, ListingVersion.number)
                                  .order_by(ListingVersion.id)).all()
    assert authors == [("staff:1 a", "import", 1), ("public", "proposal", 1)]
    assert partner(engine, proposal.number).version == 1


def test_erasing_a_person_erases_their_address_from_every_older_version(engine):
    partner_id = create(engine, contact_phone="04 77 00 00 00")
    listings.update_partner(engine, partner_id, form(contact_email="autre@forez-robotique.fr"), staff="s", expected=1)
    privacy.erase_applicant(engine, CONTACT, staff="staff:1 a")
    first = listings.history(engine, partner_id)[-1]
    assert first.values["contact_email"] == "" and first.values["contact_phone"] == ""
    assert listings.history(engine, partner_id)[0].values["contact_email"] == "autre@forez-robotique.fr"


# --- The update link and the change it sends -------------------------------------------------

def test_only_the_contact_address_receives_an_update_link_and_the_answer_is_the_same(engine):
    partner_id = create(engine)
    request_update_link(engine, partner_id, "someone@else.fr", client="1.2.3.4", language="fr")
    assert messages(engine, "listing_update_link") == []
    request_update_link(engine, partner_id, CONTACT.upper(), client="1.2.3.4", language="en")
    [sent] = messages(engine, "listing_update_link")
    link = emailed_link(engine, Notification.id == sent.id)
    assert sent.recipient == CONTACT and "/mise-a-jour?token=" in link and "lang=en" in link
    token = token_of(engine, sent)
    with Session(engine) as session:  # only the digest is kept
        assert session.execute(select(ListingLink.token_hash)).scalar_one() != token
    assert listing_for_link(engine, token).partner.id == partner_id


def test_update_link_requests_are_limited_per_address_and_per_client(engine):
    partner_id = create(engine)
    for _ in range(3):
        request_update_link(engine, partner_id, CONTACT, client="1.2.3.4", language="fr")
    with pytest.raises(TooManyLinkRequests):
        request_update_link(engine, partner_id, CONTACT, client="5.6.7.8", language="fr")
    for number in range(10):
        request_update_link(engine, partner_id, f"p{number}@x.fr", client="9.9.9.9", language="fr")
    with pytest.raises(TooManyLinkRequests):
        request_update_link(engine, partner_id, "late@x.fr", client="9.9.9.9", language="fr")


def test_an_update_link_lasts_seven_days(engine):
    partner_id = create(engine)
    request_update_link(engine, partner_id, CONTACT, client="c", language="fr")
    token = token_of(engine, messages(engine, "listing_update_link")[0])
    with Session(engine) as session, session.begin():
        session.execute(update(ListingLink).values(expires_at=utcnow() - timedelta(seconds=1)))
    with pytest.raises(UnknownListingLink):
        listing_for_link(engine, token)
    with pytest.raises(UnknownListingLink):
        listing_for_link(engine, "not-a-token")


def changed_by_organisation(engine, **values) -> tuple[int, int, str]:
    partner_id = create(engine)
    request_update_link(engine, partner_id, CONTACT, client="c", language="en")
    token = token_of(engine, messages(engine, "listing_update_link")[-1])
    change_id = submit_change(engine, token, form(**values), base_version=1, language="en")
    return partner_id, change_id, token


def test_a_change_waits_for_staff_and_edits_nothing_in_place(engine):
    partner_id, change_id, token = changed_by_organisation(
        engine, short_description="Des cobots pour les PME de la Loire.", website="https://forez-robotics.com")
    assert partner(engine, partner_id).website == "https://forez-robotique.fr"
    review = review_change(engine, change_id)
    assert {(f.name, f.before, f.after, f.meanwhile) for f in review.fields} == {
        ("short_description", "Des cobots pour les PME.", "Des cobots pour les PME de la Loire.", False),
        ("website", "https://forez-robotique.fr", "https://forez-robotics.com", False)}
    with pytest.raises(NothingChanged):
        submit_change(engine, token, form(), base_version=1, language="fr")
    with pytest.raises(FormErrors) as faulty:
        submit_change(engine, token, form(website="javascript:alert(1)"), base_version=1, language="fr")
    assert set(faulty.value.errors) == {"website"}


def test_staff_accept_one_field_and_refuse_the_other_and_the_organisation_reads_why(engine):
    partner_id, change_id, _ = changed_by_organisation(
        engine, short_description="Des cobots pour les PME de la Loire.", website="https://forez-robotics.com")
    decide_change(engine, change_id, accept=("short_description",), staff="staff:1 a", expected=1,
                  reason="The website does not answer.")
    listing = partner(engine, partner_id)
    assert (listing.short_description, listing.website) == ("Des cobots pour les PME de la Loire.",
                                                            "https://forez-robotique.fr")
    newest = listings.history(engine, partner_id)[0]
    assert (newest.author, newest.origin, newest.fields) == ("organisation", f"change:{change_id}",
                                                             ["short_description"])
    [told] = messages(engine, "listing_change_partly")
    assert told.recipient == CONTACT and "Website" in told.body and "The website does not answer." in told.body
    [refused] = listings.refused_changes(engine, partner_id)  # the history shows what was refused, and why
    assert (refused.staff, refused.author, refused.reason, refused.changes) == (
        "staff:1 a", "organisation", "The website does not answer.",
        [listings.FieldChange("website", "https://forez-robotique.fr", "https://forez-robotics.com")])
    with pytest.raises(AlreadyDecided):
        decide_change(engine, change_id, accept=(), staff="staff:2 b", expected=2, reason="non")


def test_refusing_needs_a_reason(engine):
    _, change_id, _ = changed_by_organisation(engine, city="Firminy")
    with pytest.raises(FormErrors):
        decide_change(engine, change_id, accept=(), staff="s", expected=1, reason=" ")
    decide_change(engine, change_id, accept=(), staff="s", expected=1, reason="Adresse inconnue")
    assert len(messages(engine, "listing_change_refused")) == 1


def test_a_second_change_shows_what_changed_meanwhile_and_is_never_applied_blindly(engine):
    partner_id, first, token = changed_by_organisation(engine, city="Firminy")
    second = submit_change(engine, token, form(city="Roanne", website="https://forez.fr"), base_version=1,
                           language="fr")
    decide_change(engine, first, accept=("city",), staff="s", expected=1)
    review = review_change(engine, second)
    assert review.changed_meanwhile
    city = next(f for f in review.fields if f.name == "city")
    assert (city.before, city.seen, city.after, city.meanwhile) == ("Firminy", "Saint-Étienne", "Roanne", True)
    with pytest.raises(ListingConflict):  # reviewed before the first was accepted
        decide_change(engine, second, accept=("city",), staff="s", expected=1)
    assert partner(engine, partner_id).city == "Firminy"


def test_two_staff_deciding_one_change_at_once_apply_it_once(engine):
    partner_id, change_id, _ = changed_by_organisation(engine, city="Firminy")
    outcomes = []

    def decide(accept):
        try:
            decide_change(engine, change_id, accept=accept, staff="s", expected=1, reason="non")
            outcomes.append("done")
        except (AlreadyDecided, ListingConflict):
            outcomes.append("refused")

    threads = [threading.Thread(target=decide, args=(("city",) if n % 2 else (),)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["done"] + ["refused"] * 7
    assert len(messages(engine, "listing_change_accepted") + messages(engine, "listing_change_refused")) == 1
    assert partner(engine, partner_id).version in (1, 2)


def test_changed_words_are_found():
    assert word_changes("Des cobots pour les PME", "Des cobots pour les PME de la Loire") == [
        ("same", "Des cobots pour les PME"), ("added", "de la Loire")]
    assert word_changes("a b c", "a x c") == [("same", "a"), ("removed", "b"), ("added", "x"), ("same", "c")]


# --- Claims -------------------------------------------------------------------------------------

def test_a_claim_accepted_makes_the_claimant_the_contact_who_then_gets_an_update_link(engine):
    partner_id = create(engine, contact_email="")
    claim_id = claim_listing(engine, partner_id, name="Dominique", role="Gérante", email="d@forez-robotique.fr",
                             message="Je dirige l'entreprise.", language="fr", client="c")
    decide_claim(engine, claim_id, accept=True, staff="staff:1 a")
    assert partner(engine, partner_id).contact_email == "d@forez-robotique.fr"
    assert listings.history(engine, partner_id)[0].origin == f"claim:{claim_id}"
    [link] = messages(engine, "listing_update_link")
    assert link.recipient == "d@forez-robotique.fr"
    with pytest.raises(AlreadyDecided):
        decide_claim(engine, claim_id, accept=False, staff="staff:2 b", reason="non")


def test_a_claim_refused_says_why_and_changes_nothing(engine):
    partner_id = create(engine)
    claim_id = claim_listing(engine, partner_id, name="X", role="Stagiaire", email="x@gmail.com", message="",
                             language="en", client="c")
    with pytest.raises(FormErrors):
        decide_claim(engine, claim_id, accept=False, staff="s")
    decide_claim(engine, claim_id, accept=False, staff="s", reason="Pas une adresse de l'entreprise.")
    assert partner(engine, partner_id).contact_email == CONTACT
    assert "Pas une adresse" in messages(engine, "claim_refused")[0].body


@pytest.mark.parametrize(("email", "told"), [
    ("contact@forez-robotique.fr", True),  # the listing's own contact
    ("dominique@forez-robotique.fr", True),  # its website's domain
    ("d@mail.forez-robotique.fr", True),
    ("victim@example.org", False),  # anyone else: the staff's queue only
    ("x@robotique.fr", False),
])
def test_a_claim_is_told_only_to_an_address_the_listing_trusts_and_never_carries_typed_words(engine, email, told):
    """Issue 32, item 7: the claim form emailed any typed address, with the claimant's chosen name."""
    partner_id = create(engine)
    claim_id = claim_listing(engine, partner_id, name="Achetez <b>maintenant</b> sur spam.example", role="Gérante",
                             email=email, message="http://spam.example", language="fr", client="c")
    received = messages(engine, "claim_received")
    assert [message.recipient for message in received] == ([email] if told else [])
    assert claim_id in set(pending_claims(engine)["id"])  # the staff see every claim
    decide_claim(engine, claim_id, accept=False, staff="s", reason="Adresse inconnue de l'entreprise.")
    for message in received + messages(engine, "claim_refused"):
        assert "spam" not in message.subject + message.body and "Achetez" not in message.body


# --- Freshness ----------------------------------------------------------------------------------

def age(engine, partner_id: int, *, verified_days: int, asked_days: int | None = None) -> None:
    now = utcnow()
    with Session(engine) as session, session.begin():
        session.execute(update(Partner).where(Partner.id == partner_id).values(
            last_verified=(now - timedelta(days=verified_days)).date(),
            confirmation_asked_at=None if asked_days is None else now - timedelta(days=asked_days)))


def checks(engine) -> list[tuple[int, str]]:
    found = to_check(engine)
    assert listings.count_to_check(engine) == len(found)  # the dashboard's figure
    return list(zip(found["id"], found["check_state"], strict=True))


def test_each_contact_is_asked_once_per_period_reminded_once_and_confirms_once_with_the_button(engine):
    old, fresh = create(engine), create(engine, name="Récente", siret="", website="", contact_email="r@x.fr")
    age(engine, old, verified_days=200)
    assert checks(engine) == [(old, CheckState.NOT_ASKED)]  # past its period: the staff see it at once
    assert ask_confirmations(engine).asked == 1
    assert ask_confirmations(engine).asked == 0  # a second run sends nothing
    [question] = messages(engine, "listing_confirm_question")
    assert question.recipient == CONTACT and "{private_link}" in question.body and "confirm=1" not in question.body
    assert fresh and checks(engine) == [(old, CheckState.ASKED)]
    age(engine, old, verified_days=200, asked_days=31)
    assert ask_confirmations(engine).reminded == 1
    assert ask_confirmations(engine).reminded == 0
    assert checks(engine) == [(old, CheckState.REMINDED)]
    token = token_of(engine, question)
    assert listing_for_link(engine, token).may_confirm  # opening the link confirms nothing
    assert partner(engine, old).last_verified == (utcnow() - timedelta(days=200)).date()
    confirm_listing(engine, token)
    assert partner(engine, old).last_verified == utcnow().date()
    assert checks(engine) == []
    assert verification_ages(engine)["moins de 6 mois"] == 2
    with pytest.raises(AlreadyConfirmed):  # the button confirms once per link…
        confirm_listing(engine, token)
    linked = listing_for_link(engine, token)  # …and the link still opens the listing, to update it
    assert not linked.may_confirm and linked.confirmed_at is not None


def test_twenty_presses_at_once_confirm_once(engine):
    partner_id = create(engine)
    age(engine, partner_id, verified_days=400)
    ask_confirmations(engine)
    token = token_of(engine, messages(engine, "listing_confirm_question")[0])

    def press(_n):
        try:
            confirm_listing(engine, token)
        except AlreadyConfirmed:
            return False
        return True
    assert at_once(press, range(20)).count(True) == 1
    with Session(engine) as session:
        confirmations = session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.CONFIRMED)).all()
    assert len(confirmations) == 1


def test_every_listing_past_its_period_is_to_check_the_oldest_first_with_where_it_stands(engine):
    """Issue 31: a listing asked in 2025 and never answered, and listings with no contact address,
    never surfaced (the count showed 0)."""
    asked_long_ago = create(engine, name="Demandée en 2025", siret="", website="", contact_email="a@x.fr")
    without_contact = create(engine, name="Sans contact", siret="", website="", contact_email="")
    never_checked = create(engine, name="Jamais vérifiée", siret="", website="", contact_email="")
    checked = create(engine, name="Vérifiée", siret="", website="", contact_email="v@x.fr")
    with Session(engine) as session, session.begin():
        for partner_id, verified, asked in ((asked_long_ago, date(2024, 3, 1), datetime(2025, 3, 1, tzinfo=UTC)),
                                            (without_contact, date(2025, 1, 15), None),
                                            (never_checked, None, None), (checked, utcnow().date(), None)):
            session.execute(update(Partner).where(Partner.id == partner_id).values(
                last_verified=verified, confirmation_asked_at=asked))
    assert checks(engine) == [(never_checked, CheckState.NO_CONTACT), (asked_long_ago, CheckState.ASKED),
                              (without_contact, CheckState.NO_CONTACT)]
    assert pd.Timestamp(to_check(engine)["state_since"].tolist()[1]).date() == date(2025, 3, 1)  # asked then


def test_two_cron_runs_at_once_send_each_question_once(engine):
    listings.insert_partners(engine, [{"name": f"Fiche {n}", "kind": "startup", "state": "published",
                                       "contact_email": f"c{n}@x.fr"} for n in range(60)])
    runs = [threading.Thread(target=ask_confirmations, args=(engine,)) for _ in range(4)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    recipients = [m.recipient for m in messages(engine, "listing_confirm_question")]
    assert sorted(recipients) == sorted(f"c{n}@x.fr" for n in range(60))


# --- Company numbers and duplicates ---------------------------------------------------------------

def test_a_company_number_is_checked_and_names_one_live_listing(engine):
    first = create(engine, siret="732 829 320 00074")
    assert partner(engine, first).siret == "73282932000074"
    with pytest.raises(FormErrors) as taken:
        create(engine, name="Autre", website="", siret="73282932000074")
    assert taken.value.errors["siret"].params == {"name": "Forez Robotique", "number": first}
    with pytest.raises(FormErrors) as wrong:
        create(engine, name="Autre", website="", siret="73282932000075")
    assert set(wrong.value.errors) == {"siret"}
    create(engine, name="Association", website="", siret="W423001234")


@pytest.mark.parametrize("values, reasons", [
    ({"siret": "73282932000074", "name": "Autre nom", "website": "", "latitude": "45.0", "longitude": "4.0"},
     ("siret",)),
    ({"website": "http://www.forez-robotique.fr/contact", "name": "FR", "latitude": "45.0", "longitude": "4.0"},
     ("website",)),
    ({"name": "forez-robotique", "website": "", "latitude": "45.4360", "longitude": "4.3903"}, ("name",)),
    ({"name": "Société Forez", "website": "", "contact_phone": "04 77 00 00 01"}, ("phone",)),
])
def test_a_listing_like_another_is_flagged_with_why(engine, values, reasons):
    first = create(engine, siret="73282932000074", contact_phone="+33 4 77 00 00 01")
    with Session(engine) as session:
        cleaned = listings.clean_partner_form(form(**{"siret": "", **values}), FormCheck())
        [found] = possible_duplicates(session, cleaned)
    assert (found.id, found.reasons) == (first, reasons)


@pytest.mark.parametrize("name, position", [
    ("Cite du Design", {"latitude": "", "longitude": ""}),
    ("LA CITÉ DU DESIGN SAS", {"latitude": "45.4527", "longitude": "4.3903"}),
    ("Association Cité-du-design.", {"latitude": "45.7", "longitude": "4.8"})])
def test_a_namesake_is_flagged_whatever_its_accents_articles_legal_form_and_position(engine, name, position):
    """Issue 31: "Cite du Design" (no accent, other case, no coordinates) was imported unflagged."""
    first = create(engine, name="Cité du design", website="https://www.citedudesign.com")
    with Session(engine) as session:
        cleaned = listings.clean_partner_form(form(name=name, website="", siret="", **position),
                                              FormCheck())
        [found] = possible_duplicates(session, cleaned)
    assert (found.id, found.reasons) == (first, ("name",))


def test_another_name_is_not_a_namesake(engine):
    create(engine, name="Cité du design")
    with Session(engine) as session:
        cleaned = listings.clean_partner_form(form(name="Cité de la musique", website="", siret=""),
                                              FormCheck())
        assert possible_duplicates(session, cleaned) == []


def test_not_a_duplicate_is_remembered(engine):
    first = create(engine)
    second = create(engine, name="Forez Robotique", contact_email="", latitude="45.4348")
    assert [d.id for d in duplicates_of(engine, second)] == [first]
    mark_not_duplicate(engine, second, first, staff="s")
    mark_not_duplicate(engine, first, second, staff="s")  # said twice: still one decision
    assert duplicates_of(engine, second) == [] and duplicates_of(engine, first) == []


def test_merging_keeps_chosen_fields_both_histories_and_redirects_the_other_address(engine):
    kept = create(engine, short_description="Court.")
    other = create(engine, name="Forez Robotique SAS", short_description="Des cobots et de la vision.",
                   website="", contact_email="")
    other_slug = partner(engine, other).slug
    listings.merge_partner(engine, other, into_id=kept, staff="s", take=("short_description",))
    assert partner(engine, kept).short_description == "Des cobots et de la vision."
    assert partner(engine, other).state == "archived"
    assert listings.partner_by_slug(engine, other_slug).id == kept  # /partenaires/<other> answers 301 to it
    assert listings.history(engine, kept)[0].origin == f"merge:{other}"
    assert len(listings.history(engine, other)) == 1


def test_the_same_proposal_sent_again_within_the_hour_is_stored_once(engine):
    first = listings.propose_partner(engine, form(), proposer_name="C", proposer_email="c@x.fr")
    again = listings.propose_partner(engine, form(name="forez robotique"), proposer_name="C", proposer_email="C@X.fr")
    assert (again.number, again.sent_before, first.sent_before) == (first.number, True, False)
    assert listings.count_partners(engine) == 1


def test_an_import_row_with_a_taken_number_is_an_error_and_one_alike_is_flagged(engine):
    from directory.listings import imports

    create(engine, siret="73282932000074")
    csv = (b"name;kind;siret;website\nForez Robotique bis;startup;73282932000074;\n"
           b"Autre;startup;;https://forez-robotique.fr\nNeuve;startup;;\n")
    preview = imports.read_partner_csv(csv, engine)
    assert [(row.ok, row.looks_like) for row in preview.rows] == [(False, ""), (True, "Forez Robotique"),
                                                                   (True, "")]
    assert json.dumps(preview.rows[0].errors["siret"].params) == json.dumps({"name": "Forez Robotique", "number": 1})


def test_thirty_parallel_link_requests_for_one_address_send_three_links(engine):
    partner_id = create(engine)

    def ask(number: int) -> bool:
        try:
            request_update_link(engine, partner_id, CONTACT, client=f"10.0.0.{number}", language="fr")
        except TooManyLinkRequests:
            return False
        return True

    answered = at_once(ask, range(30))  # any other error fails the test with its own message
    assert len(messages(engine, "listing_update_link")) == 3 and answered.count(False) == 27


def test_an_address_the_mail_server_refuses_marks_the_contact_for_staff_and_is_not_retried(engine):
    import socket

    from aiosmtpd.controller import Controller

    from directory import notify

    class RefusesTheContact:
        async def handle_RCPT(self, server, session, envelope, address, options):
            if address == CONTACT:
                return "550 5.1.1 No such user"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(RefusesTheContact(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        partner_id = create(engine)
        age(engine, partner_id, verified_days=400)
        ask_confirmations(engine)
        smtp = notify.SmtpSettings(host="127.0.0.1", port=port, security="none")
        assert notify.deliver_outbox(engine, smtp) == 0
        assert notify.deliver_outbox(engine, smtp) == 0
    finally:
        controller.stop()
    assert partner(engine, partner_id).contact_invalid
    assert to_check(engine)["id"].tolist() == [partner_id]
    assert notify.pending(engine) == []  # refused: not retried
    assert ask_confirmations(engine).asked == 0  # nor asked again at a dead address


def png(colour: str = "red") -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), colour).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_new_logo_is_reviewed_side_by_side_and_versioned(engine):
    partner_id = create(engine, logo=png("red"))
    request_update_link(engine, partner_id, CONTACT, client="c", language="fr")
    token = token_of(engine, messages(engine, "listing_update_link")[0])
    change_id = submit_change(engine, token, form(logo=png("blue")), base_version=1, language="fr")
    [logo] = review_change(engine, change_id).fields
    assert logo.name == "logo" and logo.before.startswith("data:image/png;base64,") and logo.after != logo.before
    decide_change(engine, change_id, accept=("logo",), staff="s", expected=1)
    listing = partner(engine, partner_id)
    assert listing.logo_type == "image/png" and listing.logo != png("red")
    assert listings.history(engine, partner_id)[0].fields == ["logo"]
    with pytest.raises(FormErrors) as refused:  # the same logo rules as every form
        submit_change(engine, token, form(logo=b"GIF89a not a logo"), base_version=2, language="fr")
    assert set(refused.value.errors) == {"logo"}
    listings.update_partner(engine, partner_id, form(city="Firminy"), staff="s", expected=2)
    assert partner(engine, partner_id).logo == listing.logo  # an edit without a new logo keeps it
