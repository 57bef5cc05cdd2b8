"""Organisations keep their listing true, in Chromium: the update link by email, the change reviewed
field by field by staff, the public page after; a claim; a freshness question's one-click answer."""

import re
import urllib.request
from email.header import decode_header, make_header

import pytest
from playwright.sync_api import expect
from sqlalchemy import update
from sqlmodel import Session, select

from directory import accounts, listings, notify
from directory.clock import utcnow
from directory.listings.freshness import ask_confirmations
from directory.models import Notification
from tests.browser.conftest import wait_until_ready
from tests.browser.test_staff import sign_in
from tests.conftest import partner_row
from tests.unit.listings.test_kept_true import png

pytestmark = pytest.mark.browser
CONTACT = "contact@citedudesign.com"


def published(engine, **values) -> int:
    values = {"name": "Cité du design", "kind": "public_body", "contact_email": CONTACT, "website": "https://citedudesign.com",
              "short_description": "Établissement public dédié au design.", **values}
    listings.insert_partners(engine, [partner_row(**values)])
    return int(listings.staff_partners(engine)["id"].iloc[0])


def emailed_link(smtp_server, engine, recipient: str, subject_part: str) -> str:
    """The link of the email, sent through the test SMTP server (the app's server has none: it kept
    the message in its outbox for later)."""
    with Session(engine) as session:
        session.exec(update(Notification).values(next_attempt_at=utcnow()))
        session.commit()
    notify.deliver_outbox(engine, notify.SmtpSettings(host="127.0.0.1", port=smtp_server.port, security="none"))
    [message] = [m for m in smtp_server.messages if m["To"] == recipient
                 and subject_part in str(make_header(decode_header(m["Subject"])))]
    return re.search(r"/mise-a-jour\?token=[\w-]{43}", message.get_payload(decode=True).decode()).group(0)


def test_an_organisation_updates_its_listing_and_staff_accept_one_field_and_refuse_the_other(
        server, server_database, page, smtp_server):
    _, engine = server_database
    published(engine)
    accounts.create_staff(engine, email="alice@atelier.fr", name="Alice Martin", password="un mot de passe solide")
    page.goto(server + "/partenaires/cite-du-design")
    page.get_by_role("link", name="Mettre à jour cette fiche").click()
    wait_until_ready(page)
    page.get_by_role("textbox", name="L'e-mail de contact de la fiche").fill(CONTACT)
    page.get_by_role("button", name="Recevoir le lien").click()
    page.get_by_text("un lien valable 7 jours vient d'y être envoyé").wait_for(timeout=30_000)

    page.goto(server + emailed_link(smtp_server, engine, CONTACT, "mettre à jour"))
    wait_until_ready(page)
    description = page.get_by_role("textbox", name="Description courte *")
    expect(description).to_have_value("Établissement public dédié au design.")  # prefilled
    description.fill("Établissement public dédié au design, ouvert à tous.")
    page.get_by_role("textbox", name="Site web").fill("https://www.citedudesign.fr")
    # As a person does, the field is left before a file is picked: the page's rerun for the typed
    # values has ended when the file comes (a file given during it was once not shown on a busy CI).
    page.keyboard.press("Tab")
    wait_until_ready(page)
    page.locator("input[type='file']").set_input_files(files=[{"name": "logo.png", "mimeType": "image/png",
                                                              "buffer": png()}])
    page.get_by_text("logo.png").wait_for(timeout=20_000)
    wait_until_ready(page)  # and the rerun the picked file asks for has ended before sending
    page.get_by_role("button", name="Envoyer mes modifications").click()
    page.get_by_text("Vos modifications sont transmises").wait_for(timeout=30_000)
    assert listings.get_partner(engine, 1).website == "https://citedudesign.com"  # nothing edited in place

    sign_in(page, server, "alice@atelier.fr", "un mot de passe solide")
    page.goto(server + "/gestion-annuaire")
    wait_until_ready(page)
    page.get_by_role("tab", name="Organisations (1)").click()
    diff = page.get_by_role("tabpanel", name="Organisations (1)").locator("table.vitrine-diff")
    diff.locator("img[src^='data:image/png;base64,']").first.wait_for(timeout=30_000)  # the tab has drawn
    assert diff.locator("img[src^='data:image/png;base64,']").count() == 1  # the new logo, beside "—"
    # The changed words, marked.
    assert (diff.locator("del").first.inner_text(), diff.locator("ins").first.inner_text()) == (
        "design.", "design, ouvert à tous.")
    requests = page.get_by_role("tabpanel", name="Organisations (1)")
    requests.get_by_role("checkbox", name="Site web").click(force=True)  # not this field
    page.get_by_role("textbox", name="Motif, pour l'organisation (obligatoire pour refuser)").fill(
        "Ce site ne répond pas.")
    page.get_by_role("button", name="Accepter les champs choisis").click()
    page.get_by_text("Modification publiée ; l'organisation est prévenue.").wait_for(timeout=30_000)

    page.goto(server + "/partenaires/cite-du-design")
    assert page.locator(".vitrine-lead").inner_text() == "Établissement public dédié au design, ouvert à tous."
    assert page.get_by_role("link", name="https://citedudesign.com").count() == 1
    assert page.get_by_text("Mis à jour le").count() == 1
    assert page.locator("img.vitrine-logo").evaluate("image => image.complete && image.naturalWidth > 0")
    page.goto(server + "/gestion-annuaire")
    wait_until_ready(page)
    page.get_by_role("tab", name="Fiches publiées").click()
    page.get_by_text("Historique (2 versions)").click()
    page.get_by_text("Version 2").wait_for(timeout=30_000)
    history = re.sub("[\u2068\u2069]", "", page.get_by_test_id("stExpander").filter(has_text="Historique").inner_text())
    assert "L'organisation (contact de la fiche) (modification n°1)" in history
    assert "Description courte" in history and "Établissement public dédié au design, ouvert à tous." in history
    assert "Modification refusée" in history and "Ce site ne répond pas." in history  # with the value refused
    assert "Version 1" in history
    with Session(engine) as session:
        [told] = session.exec(select(Notification).where(Notification.template == "listing_change_partly")).all()
    assert "Site web" in told.body and "Ce site ne répond pas." in told.body


def test_someone_claims_a_listing_without_contact_and_staff_make_them_its_contact(
        server, server_database, page):
    _, engine = server_database
    published(engine, contact_email="")
    accounts.create_staff(engine, email="alice@atelier.fr", name="Alice Martin", password="un mot de passe solide")
    page.goto(server + "/mise-a-jour?fiche=cite-du-design")
    wait_until_ready(page)
    page.get_by_role("textbox", name="Votre nom *").fill("Dominique Pélissier")
    page.get_by_role("textbox", name="Votre fonction dans l'organisation *").fill("Responsable communication")
    page.get_by_role("textbox", name="Votre e-mail professionnel *").fill("d.pelissier@citedudesign.com")
    page.get_by_role("button", name="Demander à devenir le contact").click()
    page.get_by_text("L'équipe de l'atelier vérifie votre demande").wait_for(timeout=30_000)

    sign_in(page, server, "alice@atelier.fr", "un mot de passe solide")
    page.goto(server + "/gestion-annuaire")
    wait_until_ready(page)
    page.get_by_role("tab", name="Organisations (0)").click()
    page.get_by_text("Responsable communication").wait_for()
    page.get_by_role("button", name="En faire le contact de la fiche").click()
    page.get_by_text("C'est le nouveau contact").wait_for(timeout=30_000)
    assert listings.get_partner(engine, 1).contact_email == "d.pelissier@citedudesign.com"
    with Session(engine) as session:
        [link] = session.exec(select(Notification).where(Notification.template == "listing_update_link")).all()
    assert link.recipient == "d.pelissier@citedudesign.com"


def test_opening_the_question_link_confirms_nothing_and_its_button_confirms_once(
        server, server_database, page, smtp_server):
    """Issue 31: mail scanners open links; the link used to stamp the listing as verified."""
    _, engine = server_database
    partner_id = published(engine, last_verified=None)
    assert ask_confirmations(engine).asked == 1
    link = emailed_link(smtp_server, engine, CONTACT, "toujours exacte")
    # A scanner: a plain GET, then a headless browser that loads the page (an old email's "&confirm=1"
    # too) and waits, clicking nothing.
    assert urllib.request.urlopen(server + link, timeout=30).status == 200
    page.goto(server + link + "&confirm=1&lang=en")
    wait_until_ready(page)
    page.get_by_text("Your organisation's listing, as published today").wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    assert listings.get_partner(engine, partner_id).last_verified is None
    page.get_by_role("button", name="Yes, still right").click()
    page.get_by_text("you have nothing else to do").wait_for(timeout=30_000)
    assert listings.get_partner(engine, partner_id).last_verified == utcnow().date()
    page.reload()  # once per link: the page says when, and still offers the update form
    wait_until_ready(page)
    page.get_by_text("you have nothing else to do").wait_for(timeout=30_000)
    page.get_by_role("button", name="Send my changes").wait_for(timeout=30_000)
    assert page.get_by_role("button", name="Yes, still right").count() == 0
