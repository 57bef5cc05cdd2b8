"""The page where an organisation asks for its update link, claims its listing, and sends changes:
hostile values, dead links, unknown listings, and the one-click confirmation."""

import unicodedata

import pytest
from sqlmodel import Session, select

from directory import listings
from directory.models import ListingChange, ListingClaim, Notification
from tests.factories import emailed_token
from tests.pages.helpers import form_errors, open_app
from tests.pages.test_hostile_pages import VALUES
from tests.unit.listings.test_kept_true import CONTACT, create

PAGE = "pages/update_listing.py"


def link_token(engine) -> str:
    return emailed_token(engine, Notification.template == "listing_update_link")


def test_an_unknown_listing_or_a_dead_link_is_said_without_a_traceback(app_database):
    app = open_app(PAGE, fiche="<script>alert(1)</script>")
    assert not app.exception
    assert "Aucune fiche publiée ne porte l'adresse" in app.warning[0].value
    app = open_app(PAGE, token="x" * 43)
    assert not app.exception and "Ce lien ne fonctionne plus" in app.error[0].value


def test_the_answer_is_the_same_for_any_address_and_only_the_contact_gets_a_link(app_database):
    partner_id = create(app_database)
    slug = listings.get_partner(app_database, partner_id).slug
    for email in ("someone@else.fr", CONTACT):
        app = open_app(PAGE, fiche=slug)
        app.text_input(key="update_link_email").set_value(email)
        app.button[0].click().run()
        assert "Si cette adresse est celle de la fiche" in app.success[0].value
    with Session(app_database) as session:
        assert session.exec(select(Notification.recipient).where(
            Notification.template == "listing_update_link")).all() == [CONTACT]


@pytest.mark.parametrize("field", ["claim_name", "claim_role", "claim_email"])
def test_the_claim_form_answers_every_hostile_value(app_database, field):
    partner_id = create(app_database, contact_email="")
    slug = listings.get_partner(app_database, partner_id).slug
    for value in VALUES:
        app = open_app(PAGE, fiche=slug)
        for name, typed in {"claim_name": "Dominique", "claim_role": "Gérante", "claim_email": "d@x.fr"}.items():
            app.text_input(key=name).set_value(value if name == field else typed)
        app.text_area(key="claim_message").set_value(value)
        next(button for button in app.button if "contact" in button.label).click().run()
        assert not app.exception
        assert form_errors(app) or app.success
    with Session(app_database) as session:  # nothing stored carries a control or reordering character
        for claim in session.exec(select(ListingClaim)).all():
            stored = claim.name + claim.role + claim.email + claim.message
            assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in stored.replace("\n", ""))


@pytest.mark.parametrize("field", ["siret", "website", "short_description", "name"])
def test_the_update_form_answers_every_hostile_value_and_edits_nothing_in_place(app_database, field):
    partner_id = create(app_database)
    from directory.listings.changes import request_update_link

    request_update_link(app_database, partner_id, CONTACT, client="c", language="fr")
    token = link_token(app_database)
    for value in VALUES:
        app = open_app(PAGE, token=token)
        assert app.text_input(key="update_name").value == "Forez Robotique"  # prefilled
        app.text_input(key=f"update_{field}").set_value(value)
        app.button(key="update_submit").click().run()
        assert not app.exception
        assert form_errors(app) or app.success
    assert listings.get_partner(app_database, partner_id).website == "https://forez-robotique.fr"
    with Session(app_database) as session:
        assert all(change.state == "pending" for change in session.exec(select(ListingChange)).all())


def test_still_right_is_the_pages_button_once_never_opening_the_link(app_database):
    from directory.listings.freshness import ask_confirmations

    partner_id = create(app_database)
    from sqlalchemy import update

    from directory.models import Partner
    with Session(app_database) as session:
        session.exec(update(Partner).values(last_verified=None))
        session.commit()
    ask_confirmations(app_database)
    token = emailed_token(app_database, Notification.template == "listing_confirm_question")
    app = open_app(PAGE, token=token, confirm="1", lang="en")  # an old email's link: it confirms nothing
    assert listings.get_partner(app_database, partner_id).last_verified is None
    app.button(key="update_confirm").click().run()
    assert "You confirmed this listing as right on" in app.success[0].value
    assert listings.get_partner(app_database, partner_id).last_verified is not None
    again = open_app(PAGE, token=token, lang="en")  # once per link; the form stays
    assert not [button for button in again.button if button.key == "update_confirm"]
    assert "You confirmed this listing as right on" in again.success[0].value
    assert again.button(key="update_submit")
