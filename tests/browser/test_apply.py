import re

import pytest

from tests.browser.conftest import MAP_FRAME, wait_until_ready
from tests.factories import make_slot

pytestmark = pytest.mark.browser


def fill(page, label, value):
    page.get_by_label(label, exact=True).fill(value)


def choose_first_option(page, label, typed=""):
    box = page.get_by_label(label, exact=True)
    box.click()
    if typed:
        box.press_sequentially(typed)
    box.press("ArrowDown")
    box.press("Enter")
    wait_until_ready(page)


def fill_application(page) -> None:
    """Every required field of the application form, the consent ticked once."""
    fill(page, "Nom de la startup *", "Forez Robotique")
    fill(page, "Description courte *", "Des cobots pour les ateliers.")
    choose_first_option(page, "Stade *", typed="Proto")
    fill(page, "Taille de l'équipe *", "4")
    fill(page, "Titre de l'innovation présentée *", "Le cobot qui soude")
    fill(page, "Résumé pour le public *", "Un bras robotisé à 5 000 €.")
    fill(page, "Ce que vous montrerez *", "Une soudure en direct.")
    fill(page, "Nom et prénom *", "Camille Martin")
    fill(page, "E-mail *", "camille@forez.example.org")
    choose_first_option(page, "1er choix *")
    if not page.get_by_role("checkbox", name="J'accepte que l'atelier utilise ces informations").is_checked():
        page.get_by_text("J'accepte que l'atelier utilise ces informations").click()
        wait_until_ready(page)


def test_a_startup_applies_and_opens_its_follow_link(server, server_database, page):
    _, engine = server_database
    make_slot(engine)
    page.goto(server + "/candidater")
    wait_until_ready(page)
    fill_application(page)
    page.get_by_role("button", name="Envoyer ma candidature").click()
    page.get_by_text("Candidature n°00001 enregistrée").wait_for(timeout=30_000)
    link = page.locator("code").filter(has_text="suivi?token=").inner_text()
    assert re.search(r"/suivi\?token=[A-Za-z0-9_-]{43}$", link)

    page.goto(link)
    wait_until_ready(page)
    page.get_by_text("Reçue, en attente d'examen").wait_for(timeout=30_000)
    assert page.get_by_text("Forez Robotique").count() >= 1
    assert page.get_by_text("Candidature envoyée").count() == 1


def test_a_startup_places_itself_by_clicking_the_map(server, server_database, page):
    _, engine = server_database
    make_slot(engine)
    page.goto(server + "/candidater")
    wait_until_ready(page)
    page.get_by_text("Choisir sur la carte").click()
    wait_until_ready(page)
    frame = page.frame_locator(MAP_FRAME).first
    frame.locator(".leaflet-container").wait_for(timeout=30_000)
    frame.locator(".leaflet-container").click(position={"x": 200, "y": 150})
    page.wait_for_function(
        "() => [...document.querySelectorAll('input[aria-label=\"Latitude\"]')].some(i => i.value.startsWith('45.'))",
        timeout=30_000)
    latitude = float(page.get_by_label("Latitude", exact=True).input_value())
    longitude = float(page.get_by_label("Longitude", exact=True).input_value())
    assert 45.3 < latitude < 45.6 and 4.2 < longitude < 4.6  # around Saint-Étienne
