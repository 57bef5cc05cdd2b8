import pytest
from sqlmodel import Session, select

from directory import accounts, listings, showcase
from directory.models import StaffSession
from tests.browser.conftest import wait_until_ready
from tests.factories import form, make_slot

pytestmark = pytest.mark.browser
PASSWORD = "un mot de passe solide"


def test_a_staff_member_signs_in_and_approves_an_application(server, server_database, page):
    _, engine = server_database
    accounts.create_staff(engine, email="camille@atelier.example.org", name="Camille",
                          password="un mot de passe solide")
    slot = make_slot(engine)
    application = showcase.submit_application(engine, form([slot], organisation="Forez Robotique"),
                                              submission_key="k").application_id
    page.goto(server + "/connexion")
    wait_until_ready(page)
    page.get_by_label("E-mail").fill("camille@atelier.example.org")
    page.get_by_label("Mot de passe").fill("un mot de passe solide")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_text("Candidatures").first.wait_for(timeout=30_000)
    with Session(engine) as session:  # the session was handed to this browser, and to it only
        [staff_session] = session.exec(select(StaffSession)).all()
    assert len(staff_session.browser_key) == 64 and staff_session.handoff_until is None
    page.get_by_role("link", name="Candidatures").click()
    wait_until_ready(page)
    page.get_by_text("Forez Robotique").first.wait_for(timeout=30_000)
    page.get_by_text("Sélectionner n°00001").click()
    wait_until_ready(page)
    page.get_by_role("button", name="Accepter").click()
    page.get_by_text("1 décision enregistrée.").wait_for(timeout=30_000)
    assert showcase.slots_with_counts(engine)["places_taken"].tolist() == [1]
    assert showcase.review_queue(engine, showcase.ReviewFilters(states=("approved",)))["id"].tolist() == [application]


def test_a_staff_member_imports_a_csv_after_seeing_the_report(server, server_database, page, tmp_path):
    _, engine = server_database
    accounts.create_staff(engine, email="camille@atelier.example.org", name="Camille",
                          password="un mot de passe solide")
    csv_file = tmp_path / "partenaires.csv"
    csv_file.write_bytes("name;kind;city\nCafé Numérique;coworking;Saint-Étienne\n;startup;Firminy\n".encode("cp1252"))
    page.goto(server + "/connexion")
    wait_until_ready(page)
    page.get_by_label("E-mail").fill("camille@atelier.example.org")
    page.get_by_label("Mot de passe").fill("un mot de passe solide")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Annuaire", exact=True).click()
    wait_until_ready(page)
    page.get_by_role("tab", name="Import CSV").click()
    page.get_by_role("tabpanel", name="Import CSV").locator("input[type='file']").set_input_files(str(csv_file))
    page.get_by_text("Lignes lues : 2 (Windows-1252").wait_for(timeout=30_000)
    confirm = page.get_by_role("button", name="Confirmer l'import")
    assert confirm.is_disabled()  # a faulty row: nothing can be written yet
    assert listings.count_partners(engine) == 0
    page.get_by_text("Importer seulement les lignes valides").click()
    wait_until_ready(page)
    page.get_by_role("button", name="Confirmer l'import").click()
    page.get_by_text("1 fiche importée.").wait_for(timeout=30_000)
    assert listings.load_published(engine)["name"].tolist() == ["Café Numérique"]


def sign_in(page, server, email, password):
    page.goto(server + "/connexion")
    wait_until_ready(page)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_text("Se déconnecter").wait_for(timeout=30_000)


def test_an_account_made_with_tab_between_fields_signs_in_with_its_password(server, server_database, page):
    _, engine = server_database
    accounts.create_staff(engine, email="admin@atelier.example.org", name="Admin", password="un mot de passe solide",
                          role="admin")
    sign_in(page, server, "admin@atelier.example.org", "un mot de passe solide")
    page.get_by_role("link", name="Comptes").click()
    wait_until_ready(page)
    for label, value in [("Nom", "Dominique"), ("E-mail", "dominique@atelier.example.org"),
                         ("Mot de passe", "une phrase de passe longue"),
                         ("Mot de passe, une seconde fois", "une phrase de passe longue")]:
        field = page.get_by_label(label, exact=True)
        field.click()
        field.press_sequentially(value)
        field.press("Tab")
    page.get_by_role("button", name="Créer le compte").click()
    page.get_by_text("Compte créé.").wait_for(timeout=30_000)
    page.wait_for_function("""() => [...document.querySelectorAll('input[aria-label="E-mail"]')]
                                  .every(field => field.value === "")""", timeout=10_000)  # ready for the next
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(server + "/", timeout=30_000)  # the cookie dropped, back on the map
    wait_until_ready(page)
    sign_in(page, server, "dominique@atelier.example.org", "une phrase de passe longue")
    assert page.get_by_text("Connecté·e : \u2068Dominique\u2069").count() == 1  # the name isolated


def staff_context(browser):
    return browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")


def heading(page) -> str:
    wait_until_ready(page)
    page.locator("h1").first.wait_for(timeout=30_000)
    return page.locator("h1").first.inner_text()


def test_a_staff_session_survives_reloads_and_tabs_and_ends_at_sign_out_or_deactivation(server, server_database,
                                                                                         browser):
    _, engine = server_database
    accounts.create_staff(engine, email="admin@atelier.example.org", name="Alice", password=PASSWORD, role="admin")
    accounts.create_staff(engine, email="b@atelier.example.org", name="Bastien", password=PASSWORD)
    bastien = staff_context(browser)
    journal = bastien.new_page()
    journal.goto(server + "/journal?lang=en")  # a bookmark, signed out
    assert heading(journal) == "Team area"
    assert journal.get_by_text("Page not found").count() == 0 and journal.get_by_text("Page introuvable").count() == 0
    journal.get_by_label("Email").fill("b@atelier.example.org")
    journal.get_by_label("Password", exact=True).fill(PASSWORD)
    journal.get_by_role("button", name="Sign in").click()
    journal.get_by_role("heading", name="Audit log").wait_for(timeout=30_000)  # the page asked for
    assert journal.url == server + "/journal?lang=en"
    cookie, = [c for c in bastien.cookies() if c["name"] == accounts.SESSION_COOKIE]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert journal.evaluate("document.cookie").find(accounts.SESSION_COOKIE) == -1  # out of scripts' reach

    journal.reload()
    assert heading(journal) == "Audit log"
    slots = bastien.new_page()
    slots.goto(server + "/creneaux")
    assert heading(slots) == "Créneaux de vitrine"
    slots.get_by_role("button", name="Se déconnecter").click()
    slots.wait_for_url(server + "/", timeout=30_000)
    journal.reload()
    assert heading(journal) == "Team area"  # signed out in every tab

    alice = staff_context(browser).new_page()
    sign_in(alice, server, "admin@atelier.example.org", PASSWORD)
    sign_in(journal, server, "b@atelier.example.org", PASSWORD)
    alice.get_by_role("link", name="Comptes").click()
    wait_until_ready(alice)
    alice.get_by_role("tab", name="Gérer un compte").click()
    alice.get_by_role("button", name="Désactiver").click()
    alice.get_by_text("Compte mis à jour.").wait_for(timeout=30_000)
    journal.reload()
    assert heading(journal) == "Espace équipe"  # deactivated: the open session ended too


def test_two_staff_members_page_through_the_whole_queue_and_keep_their_filters_while_deciding(
        server, server_database, browser):
    _, engine = server_database
    for email, name in (("a@atelier.example.org", "Alice"), ("b@atelier.example.org", "Bastien")):
        accounts.create_staff(engine, email=email, name=name, password=PASSWORD)
    slot = make_slot(engine, capacity=40)
    ids = [showcase.submit_application(engine, form([slot], organisation=f"Startup {number:02}",
                                                    contact_email=f"s{number}@example.org"),
                                       submission_key=f"k{number}").application_id for number in range(30)]
    alice, bastien = staff_context(browser).new_page(), staff_context(browser).new_page()
    for page, email in ((alice, "a@atelier.example.org"), (bastien, "b@atelier.example.org")):
        sign_in(page, server, email, PASSWORD)
        page.get_by_text("Candidatures 1 à 25 sur 30").wait_for(timeout=30_000)

    alice.get_by_label("Recherche").fill("Startup 2")
    alice.get_by_label("Recherche").press("Enter")
    alice.get_by_text("Candidatures 1 à 12 sur 12").wait_for(timeout=30_000)  # 02, 12, 20…29
    bastien.get_by_label("Page (sur 2)").fill("2")
    bastien.get_by_label("Page (sur 2)").press("Enter")
    bastien.get_by_text("Candidatures 26 à 30 sur 30").wait_for(timeout=30_000)
    bastien.get_by_text(f"Sélectionner n°{ids[29]:05}").click()
    wait_until_ready(bastien)
    bastien.get_by_role("button", name="Mettre en liste d'attente").click()
    bastien.get_by_text("1 décision enregistrée.").wait_for(timeout=30_000)
    # Bastien stays on his page; Alice's search is kept while she decides too.
    bastien.get_by_text("Candidatures 26 à 30 sur 30").wait_for(timeout=30_000)
    alice.get_by_text(f"Sélectionner n°{ids[20]:05}").click()
    wait_until_ready(alice)
    alice.get_by_role("button", name="Mettre en liste d'attente").click()
    alice.get_by_text("1 décision enregistrée.").wait_for(timeout=30_000)
    assert alice.get_by_label("Recherche").input_value() == "Startup 2"
    alice.get_by_text("Candidatures 1 à 12 sur 12").wait_for(timeout=30_000)
    waiting = showcase.review_queue(engine, showcase.ReviewFilters(states=("waitlisted",)))["id"].tolist()
    assert sorted(waiting) == sorted([ids[29], ids[20]])
