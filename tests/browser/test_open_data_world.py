"""Issue 19's new screens in Chromium: the staff's Sources tab (a run and its report, in French on
a desktop and in English on a phone) and relations between organisations (written by staff,
followed by a visitor)."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from directory import accounts, listings, sources
from directory.models import SourceFormat
from directory.seed import DEMO_SOURCE_FILE
from tests.browser.conftest import wait_until_ready
from tests.conftest import partner_row

pytestmark = pytest.mark.browser
PASSWORD = "un mot de passe solide"


def sign_in(page, server, engine):
    accounts.create_staff(engine, email="camille@atelier.example.org", name="Camille", password=PASSWORD)
    page.goto(server + "/connexion")
    wait_until_ready(page)
    page.get_by_label("E-mail").fill("camille@atelier.example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_text("Se déconnecter").wait_for(state="attached", timeout=30_000)  # in the sidebar, folded on a phone


def choose(page, box, option: str) -> None:
    """Pick an option of a Streamlit selectbox by typing it, ArrowDown and Enter, as a keyboard user
    does (the list redraws while it filters: clicking an option may hit one being replaced). The
    box is then left, where only a chosen option stays in it (Enter with no option highlighted
    leaves the typed text, which empties then: seen on a failure's screenshot). On a busy machine a
    rerun may redraw the box under the typing, closing its list or dropping the choice: then the
    person chooses again."""
    for attempt in range(3):
        wait_until_ready(page)
        box.click()
        box.fill("")
        box.press_sequentially(option)
        try:
            page.get_by_role("option", name=option).first.wait_for(timeout=10_000)
            box.press("ArrowDown")
            box.press("Enter")
            box.press("Tab")
            expect(box).to_have_value(option, timeout=5_000)
            break
        except (PlaywrightTimeout, AssertionError):
            if attempt == 2:
                raise
    wait_until_ready(page)  # the choice's rerun has ended, as the other helpers wait for it


def member_list(engine) -> None:
    """The demo member list, run only when staff ask (the server's worker leaves it alone)."""
    sources.add_source(engine, sources.SourceForm(
        name="Membres du cluster", file=DEMO_SOURCE_FILE.read_bytes(), format=SourceFormat.MAPPED_CSV,
        id_column="N° adhérent", default_kind="cluster", interval_hours=0,
        mapping={"name": "Raison sociale", "short_description": "Activité", "city": "Ville"}), staff="cli")


def test_staff_bring_a_source_in_step_and_read_the_report(server, server_database, page):
    _, engine = server_database
    member_list(engine)
    sign_in(page, server, engine)
    page.goto(server + "/gestion-annuaire")
    wait_until_ready(page)
    page.get_by_role("tab", name="Sources").click()
    panel = page.get_by_role("tabpanel", name="Sources")
    panel.get_by_text("Pas encore synchronisée.").wait_for(timeout=30_000)
    panel.get_by_role("button", name="Synchroniser maintenant").click()
    page.get_by_text("Passage terminé : 6 ajoutées, 0 modifiée, 0 disparue, 0 refusée, 0 inchangée").wait_for(
        timeout=30_000)
    page.get_by_role("tab", name="Sources").click()
    panel.get_by_text("Ajoutées (6)").click()
    panel.get_by_text("proposée, à valider").first.wait_for(state="attached", timeout=30_000)  # a data grid cell
    assert listings.count_partners(engine, state="proposed") == 6
    panel.get_by_role("button", name="Synchroniser maintenant").click()
    page.get_by_text("Passage terminé : 0 ajoutée, 0 modifiée, 0 disparue, 0 refusée, 6 inchangées").wait_for(
        timeout=30_000)
    assert listings.count_partners(engine) == 6  # a second run changed nothing


def test_the_sources_tab_reads_english_on_a_phone(server, server_database, browser):
    _, engine = server_database
    member_list(engine)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    sign_in(page, server, engine)
    page.goto(server + "/gestion-annuaire?lang=en")
    wait_until_ready(page)
    page.get_by_role("tab", name="Sources").click()
    panel = page.get_by_role("tabpanel", name="Sources")
    panel.get_by_role("button", name="Synchronise now").click()
    page.get_by_text("Run finished: 6 added, 0 changed, 0 gone, 0 refused, 0 unchanged").wait_for(timeout=30_000)
    page.get_by_role("tab", name="Sources").click()
    panel.get_by_text("Follow a new source").click()
    panel.get_by_text("Read the source's columns").wait_for(timeout=30_000)
    text = panel.inner_text()
    for french in ("Synchroniser", "Suivre", "Dernier passage", "relue par l'équipe", "Chaque jour"):
        assert french not in text
    assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth") <= 390
    context.close()


def test_staff_relate_two_listings_and_a_visitor_follows_the_relation(server, server_database, page):
    _, engine = server_database
    listings.insert_partners(engine, [partner_row(name="Le Village", kind="incubator"),
                                      partner_row(name="Forez Robotique"), partner_row(name="Lumen Studio")])
    sign_in(page, server, engine)
    page.goto(server + "/gestion-annuaire")
    wait_until_ready(page)
    page.get_by_role("tab", name="Fiches publiées").click()
    panel = page.get_by_role("tabpanel", name="Fiches publiées")
    panel.get_by_role("heading", name="Forez Robotique").wait_for(timeout=30_000)  # the first listing by name
    panel.get_by_text("Relations (0)").click()
    choose(page, panel.get_by_label("Cette organisation est…"), "incubée par")
    choose(page, panel.get_by_label("Organisation liée", exact=True), "Le Village")
    panel.get_by_role("button", name="Ajouter la relation").click()
    page.get_by_text("Relation ajoutée : elle paraît sur les deux fiches.").wait_for(timeout=30_000)

    page.goto(server + "/?partner=1")  # the incubator's card names its startup and links to them on the map
    wait_until_ready(page)
    page.get_by_text("Startups incubées ici").wait_for(timeout=30_000)
    page.get_by_role("link", name="les voir sur la carte").click()
    wait_until_ready(page)
    page.get_by_text("Seulement les fiches « incubée par Le Village ».").wait_for(timeout=30_000)
    page.get_by_text("1 partenaire affiché sur 3").wait_for(timeout=30_000)
    assert "relation=incubated_by%3A1" in page.url or "relation=incubated_by:1" in page.url
    page.get_by_role("button", name="Retirer ce filtre").click()
    page.get_by_text("3 partenaires affichés sur 3").wait_for(timeout=30_000)
