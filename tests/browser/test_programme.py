"""The atelier's programme, followed in Chromium by each of its people: a partner
proposes a workshop from its listing's link, staff put it on the programme into a room, people
register until it is full, one more joins the waiting list, a registrant cancels from the link,
the next is offered the place and takes it; the session's page, feed and open data show it.
On PostgreSQL, the engine of several replicas: the other browser stories run on SQLite, and the
programme's rules (places, waiting list, cancellations) are tested on both engines in
tests/unit/programme/."""

import csv
import io
from urllib.request import urlopen

import pytest
from sqlmodel import Session, select

from directory import accounts, db
from directory.models import Notification, ProgrammeSession, Registration
from tests.browser.conftest import READY, staff_page, start_server, stop_server, wait_until_ready
from tests.factories import emailed_link, make_room, programme_partner, session_start

pytestmark = pytest.mark.browser
PASSWORD = "un mot de passe solide"
HOSTILE_TITLE = "Fiche <img src=x onerror=alert(1)> ${alert(2)}"


@pytest.fixture
def programme_server(migrated_postgres_url, tmp_path):
    engine = db.make_engine(migrated_postgres_url)
    process, base = start_server(migrated_postgres_url, tmp_path / "streamlit.log")
    yield base, engine
    stop_server(process)
    engine.dispose()


def local(link: str) -> str:
    """An emailed link, on the test server (the emails name the default public address)."""
    return link.removeprefix("http://localhost:8501")


def new_page(browser):
    page = browser.new_context(viewport={"width": 1300, "height": 1000}, locale="fr-FR").new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    return page


def register(browser, base: str, slug: str, name: str, email: str, *, button: str) -> str:
    page = new_page(browser)
    page.goto(f"{base}/inscription?seance={slug}")
    wait_until_ready(page)
    page.get_by_label("Nom et prénom *", exact=True).fill(name)
    page.get_by_label("E-mail *", exact=True).fill(email)
    page.get_by_text("J'accepte que l'atelier utilise ces informations").click()
    page.get_by_role("button", name=button).click()
    page.get_by_text("Votre lien privé, pour annuler si besoin").wait_for(timeout=30_000)
    shown = page.locator("[data-testid='stAlertContainer']").first.inner_text()
    page.context.close()
    return shown


def test_a_workshop_from_proposal_to_a_full_room_and_a_freed_place(programme_server, browser):
    base, engine = programme_server
    listing_token = programme_partner(engine)
    make_room(engine, name="Salle Jean-Moulin", capacity=20)
    accounts.create_staff(engine, email="staff@atelier.example.org", name="Camille", password=PASSWORD)

    # The partner proposes, from its listing's link.
    partner = new_page(browser)
    partner.goto(f"{base}/proposer-une-seance?token={listing_token}")
    wait_until_ready(partner)
    partner.get_by_text("Atelier pratique", exact=True).click()
    partner.get_by_label("Titre *", exact=True).fill(HOSTILE_TITLE)
    partner.get_by_label("Description pour le public *", exact=True).fill("Pas à pas, votre commerce sur les cartes.")
    partner.get_by_role("button", name="Commerçants et artisans").click()
    wait_until_ready(partner)
    partner.get_by_label("Nombre de places *", exact=True).fill("2")
    partner.get_by_label("Qui anime ? (nom et prénom) *", exact=True).fill("Lina Haddad")
    # The date field is made of segments (day, month, year) that each take their digits in turn.
    partner.get_by_label("Date n°1 *", exact=True).locator("[role=spinbutton]").first.click()
    partner.keyboard.type(session_start().strftime("%d%m%Y"))
    partner.keyboard.press("Tab")
    wait_until_ready(partner)
    partner.get_by_role("button", name="Envoyer ma proposition").click()
    partner.get_by_text("Votre proposition est transmise").wait_for(timeout=30_000)

    # Staff put it on the programme, from the review screen.
    staff = staff_page(browser, base, "/candidatures", email="staff@atelier.example.org", password=PASSWORD)
    staff.get_by_text("Séances proposées par les partenaires (1)").wait_for(timeout=30_000)
    staff.get_by_role("button", name="Mettre au programme").click()
    staff.get_by_text("est au programme ; le partenaire est prévenu.").wait_for(timeout=30_000)
    with Session(engine) as session:
        slug = session.exec(select(ProgrammeSession.slug)).one()

    # Two people fill it; a third joins the waiting list.
    assert "Vous êtes inscrit·e" in register(browser, base, slug, "Ana Martin", "ana@exemple.fr", button="M'inscrire")
    assert "Vous êtes inscrit·e" in register(browser, base, slug, "Ben Roux", "ben@exemple.fr", button="M'inscrire")
    assert "liste d'attente" in register(browser, base, slug, "Cal Petit", "cal@exemple.fr",
                                         button="M'inscrire sur la liste d'attente")

    # Ana cancels from her link; Cal is offered the place and takes it from his.
    ana = new_page(browser)
    ana.goto(base + local(emailed_link(engine, Notification.template == "registration_confirmed",
                                       Notification.recipient == "ana@exemple.fr")))
    wait_until_ready(ana)
    ana.get_by_role("button", name="Annuler mon inscription").click()
    ana.get_by_text("Votre inscription est annulée").wait_for(timeout=30_000)
    cal = new_page(browser)
    cal.goto(base + local(emailed_link(engine, Notification.template == "registration_offered",
                                       Notification.recipient == "cal@exemple.fr")))
    wait_until_ready(cal)
    cal.get_by_role("button", name="Je prends la place").click()
    cal.get_by_text("C'est fait : votre place est réservée.").wait_for(timeout=30_000)
    with Session(engine) as session:
        assert sorted(session.exec(select(Registration.email).where(Registration.state == "registered"))) == [
            "ben@exemple.fr", "cal@exemple.fr"]

    # The session's page, the agenda, the feed and the open data show it, its title inert.
    visitor = new_page(browser)
    visitor.goto(f"{base}/ateliers/{slug}")
    visitor.get_by_text("complet — liste d'attente ouverte").wait_for(timeout=30_000)
    assert visitor.get_by_role("heading", level=1).inner_text() == HOSTILE_TITLE
    visitor.goto(f"{base}/agenda")
    wait_until_ready(visitor)
    visitor.get_by_text(HOSTILE_TITLE).first.wait_for(timeout=30_000)
    assert visitor.wait_for_selector(READY)
    for other in (partner, ana, cal, visitor):
        assert other.dialogs == [], other.dialogs
    feed = urlopen(f"{base}/programme.ics?type=workshop").read().decode()
    assert "Fiche <img src=x onerror=alert(1)> ${alert(2)}" in feed.replace("\r\n ", "")
    rows = list(csv.DictReader(io.StringIO(urlopen(f"{base}/donnees/programme.csv").read().decode("utf-8-sig"))))
    assert [(row["title"], row["places_left"], row["audiences"]) for row in rows] == [(HOSTILE_TITLE, "0",
                                                                                         "shopkeepers")]
